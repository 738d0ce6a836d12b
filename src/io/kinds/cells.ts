/**
 * Cell helpers of issue 15 that every kind shares: the phone columns' office names, a number
 * Excel turned into scientific notation (`1.3857E+10`) refused with how to fix the sheet, and
 * what a date parser read into a cell or left out of it (a year, a time) as a row notice.
 */
import type { Cells, FieldError, RowNotice } from '../kind.js';
import { dateNotes, isExcelScientific, NO_YEAR, TIME_DROPPED } from '../../domain/values.js';

/** What an office calls a phone column (surveys, and every kind that names a customer by phone). */
export const PHONE_ALIASES = ['电话', '手机', '联系电话', '手机号', '电话号码', 'mobile', '手机号码', '联系方式', '联系号码', '手机/电话', '电话/手机', '移动电话', 'tel', 'telephone', 'phone_number'];

/** The row error of a cell Excel wrote as `1.3857E+10`: the digits are lost; format the column as text. */
export function scientificError(column: string, value: string): FieldError {
  return { column, value, reason: 'import.excel_scientific', fix: 'import.excel_scientific.fix' };
}

/** A phone cell that is no phone: blank, a number Excel wrote as `1.3857E+10` (digits lost), or not a phone. */
export function phoneError(column: string, raw: string): FieldError {
  if (isExcelScientific(raw)) return scientificError(column, raw);
  return { column, value: raw, reason: raw ? 'survey.bad_phone' : 'import.required', fix: 'survey.bad_phone.fix' };
}

/**
 * An id or number that must be text (survey_no, staff_id, order_no, trip_no): the cell as
 * written, '' when blank; `1.3857E+10` is an error pushed (the number is lost, not an id).
 */
export function textIdCell(cells: Cells, column: string, errors: FieldError[]): string {
  const v = cells(column);
  if (isExcelScientific(v)) errors.push(scientificError(column, v));
  return v;
}

/**
 * Adds the notices of a date cell `raw` that was read as `date` to a row's list (made on the
 * first one): no year (read as `date`'s year), a time of day dropped (not for a column that
 * keeps the time: `keepsTime`). Returns the list; allocates nothing when there is nothing to say.
 */
export function noteDate(notices: RowNotice[] | undefined, raw: string, column: string, date: string, keepsTime = false): RowNotice[] | undefined {
  const notes = dateNotes(raw) & (keepsTime ? NO_YEAR : NO_YEAR | TIME_DROPPED);
  if (notes === 0) return notices;
  const out = notices ?? [];
  if (notes & NO_YEAR) out.push({ key: 'import.notice.no_year', column, params: { year: date.slice(0, 4) } });
  if (notes & TIME_DROPPED) out.push({ key: 'import.notice.time_dropped', column });
  return out;
}
