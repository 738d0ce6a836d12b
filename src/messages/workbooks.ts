/** Messages of .xlsx workbooks written: exports, listings, templates, rejects files (issue 16). */
import type { Entry } from './entry.js';

export const workbookMessages = {
  'workbooks.placeholder': { en: '', zh: '' },
} satisfies Record<string, Entry>;
