/** Messages of the `kpi` command group (see index.ts). */
import type { Entry } from './index.js';

export const kpiMessages = {
} satisfies Record<string, Entry>;
