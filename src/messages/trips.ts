/** Messages of the `trips` command group (see index.ts). */
import type { Entry } from './index.js';

export const tripMessages = {
} satisfies Record<string, Entry>;
