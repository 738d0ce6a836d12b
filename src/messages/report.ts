/** Messages of the monthly report workbook, `salesops report` (issue 16). */
import type { Entry } from './entry.js';

export const reportMessages = {
  'report.placeholder': { en: '', zh: '' },
} satisfies Record<string, Entry>;
