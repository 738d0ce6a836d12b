/** SPEC §2 cell values: dates, times, money, yes/no, gender, phones — each rule and its edges. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  dateNotes,
  isExcelScientific,
  NO_YEAR,
  TIME_DROPPED,
  type YearRule,
  daysBetween,
  daysInMonth,
  fenToYuan,
  fenToYuanString,
  isLeap,
  isoDate,
  maskPhone,
  normalizePhone,
  parseCount,
  parseDate,
  parseDateTime,
  parseGender,
  parseHours,
  parseMoney,
  parseTime,
  parseYesNo,
} from '../../src/domain/values.js';

describe('§2 dates: the written forms Excel/WPS users type', () => {
  it.each<[string, string, string]>([
    ['ISO', '2024-05-09', '2024-05-09'],
    ['slashes, no leading zeros', '2024/5/9', '2024-05-09'],
    ['slashes with leading zeros', '2024/05/09', '2024-05-09'],
    ['dots', '2024.5.9', '2024-05-09'],
    ['dashes without leading zeros', '2024-5-9', '2024-05-09'],
    ['Chinese 年月日', '2024年5月9日', '2024-05-09'],
    ['Chinese without the final 日', '2024年5月9', '2024-05-09'],
    ['Chinese with two-digit month and day', '2024年12月31日', '2024-12-31'],
    ['spaces around the cell', '  2024-05-09  ', '2024-05-09'],
    ['spaces around the separators', '2024 - 05 - 09', '2024-05-09'],
    ['spaces inside the Chinese form', '2024 年 5 月 9 日', '2024-05-09'],
    ['a tab before the value', '\t2024/5/9', '2024-05-09'],
    ['a leap day in a leap year', '2024-02-29', '2024-02-29'],
    ['a leap day in a 400-year leap year', '2000-02-29', '2000-02-29'],
    ['the last day of a 30-day month', '2024-04-30', '2024-04-30'],
    ['the last day of the year', '2023-12-31', '2023-12-31'],
  ])('%s: %j → %s', (_rule, raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['45421 is 2024-05-09', '45421', '2024-05-09'],
    ['61 is 1900-03-01 (epoch 1899-12-30 from here on)', '61', '1900-03-01'],
    ['59 is 1900-02-28 (before the fictitious leap day, shifted by one)', '59', '1900-02-28'],
    ['1 is 1900-01-01', '1', '1900-01-01'],
    ['2 is 1900-01-02', '2', '1900-01-02'],
    ['36526 is 2000-01-01', '36526', '2000-01-01'],
    ['45351 is the leap day 2024-02-29', '45351', '2024-02-29'],
    ['a fraction (the time of day) is dropped: 45421.75', '45421.75', '2024-05-09'],
    ['a fraction just under the next day: 45421.999', '45421.999', '2024-05-09'],
    ['a serial with spaces around it', ' 45421 ', '2024-05-09'],
  ])('Excel serial day numbers: %s', (_rule, raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  it.each<[string, string]>([
    ['60: Excel\'s fictitious 1900-02-29', '60'],
    ['0: before serial 1', '0'],
    ['a negative serial', '-1'],
    ['a serial with a trailing dot', '45421.'],
    ['a bare fraction', '.5'],
    ['a serial past 2999', '2958465'],
    ['30 February', '2024-02-30'],
    ['29 February of a common year', '2023-02-29'],
    ['29 February 1900 (not a leap year)', '1900-02-29'],
    ['29 February 2100 (not a leap year)', '2100-02-29'],
    ['31 April', '2024-04-31'],
    ['month 13', '2024-13-01'],
    ['month 0', '2024-00-10'],
    ['day 0', '2024-05-00'],
    ['day 32', '2024-01-32'],
    ['a year before 1900', '1899-12-31'],
    ['empty', ''],
    ['blank', '   '],
    ['mixed separators', '2024-05/09'],
    ['mixed separators, dot and slash', '2024.5/9'],
    ['a two-digit year', '24-05-09'],
    ['day first', '09/05/2024'],
    ['8 digits without separators', '20240509'],
    ['a month name', 'May 9, 2024'],
    ['text', 'yesterday'],
    ['three-digit month', '2024-005-09'],
  ])('is not a date: %s (%j)', (_rule, raw) => {
    expect(parseDate(raw)).toBeNull();
  });
});

describe('calendar arithmetic (pure: no time zone can shift it)', () => {
  it.each<[number, boolean]>([
    [2024, true],
    [2023, false],
    [2000, true],
    [1900, false],
    [2100, false],
    [2400, true],
  ])('isLeap(%i) is %s', (y, leap) => {
    expect(isLeap(y)).toBe(leap);
  });

  it.each<[number, number, number]>([
    [2024, 2, 29],
    [2023, 2, 28],
    [2024, 1, 31],
    [2024, 4, 30],
    [2024, 12, 31],
  ])('daysInMonth(%i, %i) = %i', (y, m, n) => {
    expect(daysInMonth(y, m)).toBe(n);
  });

  it.each<[number, number, number, string | null]>([
    [2024, 5, 9, '2024-05-09'],
    [2024, 2, 29, '2024-02-29'],
    [2023, 2, 29, null],
    [1899, 12, 31, null],
    [3000, 1, 1, null],
    [2024, 0, 1, null],
  ])('isoDate(%i, %i, %i) = %s', (y, m, d, expected) => {
    expect(isoDate(y, m, d)).toBe(expected);
  });

  it.each<[string, string, number, string]>([
    ['across a month end', '2024-05-30', 3, '2024-06-02'],
    ['across a 31-day month end', '2024-01-31', 1, '2024-02-01'],
    ['into a leap day', '2024-02-28', 1, '2024-02-29'],
    ['over a leap day', '2024-02-28', 2, '2024-03-01'],
    ['over the end of February in a common year', '2023-02-28', 1, '2023-03-01'],
    ['across the year end', '2024-12-31', 1, '2025-01-01'],
    ['a 60-day deadline across the year end', '2024-12-15', 60, '2025-02-13'],
    ['backwards across the year start', '2025-01-01', -1, '2024-12-31'],
    ['backwards onto a leap day', '2024-03-01', -1, '2024-02-29'],
    ['a whole leap year', '2024-01-01', 366, '2025-01-01'],
    ['a whole common year', '2023-01-01', 365, '2024-01-01'],
    ['zero days', '2024-05-09', 0, '2024-05-09'],
    ['across 1900-02-28 (1900 is not leap)', '1900-02-28', 1, '1900-03-01'],
    ['across 2000-02-28 (2000 is leap)', '2000-02-28', 1, '2000-02-29'],
  ])('addDays %s: %s + %i = %s', (_rule, from, n, to) => {
    expect(addDays(from, n)).toBe(to);
    expect(daysBetween(from, to)).toBe(n);
  });

  it.each<[string, string, string, number]>([
    ['same day', '2024-05-09', '2024-05-09', 0],
    ['February of a leap year', '2024-02-01', '2024-03-01', 29],
    ['February of a common year', '2023-02-01', '2023-03-01', 28],
    ['a leap year', '2024-01-01', '2025-01-01', 366],
    ['backwards is negative', '2024-05-09', '2024-05-01', -8],
    ['across a year end', '2024-12-25', '2025-01-05', 11],
    ['a century', '2000-01-01', '2100-01-01', 36525],
  ])('daysBetween %s: %s → %s = %i', (_rule, a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
  });
});

describe('§2 times HH:mm', () => {
  it.each<[string, string]>([
    ['20:00', '20:00'],
    ['8:00', '08:00'],
    ['08:00', '08:00'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    ['20：00', '20:00'], // full-width colon, as typed with a Chinese IME
    ['08:30:45', '08:30'], // seconds dropped
    [' 9:05 ', '09:05'],
  ])('%j → %s', (raw, expected) => {
    expect(parseTime(raw)).toBe(expected);
  });

  it.each<[string, string]>([
    ['24:00 is not a time of day', '24:00'],
    ['25:00', '25:00'],
    ['minute 60', '12:60'],
    ['second 60', '12:00:60'],
    ['one-digit minutes', '8:5'],
    ['no colon', '0800'],
    ['empty', ''],
    ['a negative hour', '-1:00'],
    ['text', 'noon'],
  ])('not a time: %s (%j)', (_rule, raw) => {
    expect(parseTime(raw)).toBeNull();
  });
});

describe('issue 15: a date-time where a date is expected is its date', () => {
  it.each<[string, string]>([
    ['2025/11/3 0:00', '2025-11-03'],
    ['2025/11/3 00:00:00', '2025-11-03'],
    ['2025-11-03 08:15:00', '2025-11-03'],
    ['2025-11-03 08:15', '2025-11-03'],
    ['2025-11-03T08:15', '2025-11-03'],
    ['2025-11-03T08:15:30', '2025-11-03'],
    ['2025年11月3日 8:15', '2025-11-03'],
    ['2025.11.3  23:59', '2025-11-03'],
    ['45964 0:00', '2025-11-03'],
  ])('%j → %s', (raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  it.each(['2025-11-03 24:00', '2025-11-03 8:61', '2025-11-03 08', '2025-02-30 0:00', '0:00', '2025-11-03 0:00 x'])('%j is still not a date', (raw) => {
    expect(parseDate(raw)).toBeNull();
  });

  it('parseDateTime still keeps the time', () => {
    expect(parseDateTime('2025-11-03 08:15:00')).toEqual({ date: '2025-11-03', time: '08:15' });
    expect(parseDateTime('2025/11/3 0:00')).toEqual({ date: '2025-11-03', time: '00:00' });
  });
});

describe('date with an optional time (trips start/end)', () => {
  it.each<[string, { date: string; time: string | null } | null]>([
    ['2024-05-09', { date: '2024-05-09', time: null }],
    ['2024-05-09 08:30', { date: '2024-05-09', time: '08:30' }],
    ['2024-05-09  20:00', { date: '2024-05-09', time: '20:00' }],
    ['2024/5/9T8:30', { date: '2024-05-09', time: '08:30' }],
    ['2024年5月9日 8:30', { date: '2024-05-09', time: '08:30' }],
    ['2024.5.9 20：15', { date: '2024-05-09', time: '20:15' }],
    ['45421 08:00', { date: '2024-05-09', time: '08:00' }],
    ['2024-05-09 24:00', null],
    ['2024-05-09 25:00', null],
    ['2024-02-30 08:00', null],
    ['08:00', null],
    ['', null],
  ])('%j → %o', (raw, expected) => {
    expect(parseDateTime(raw)).toEqual(expected);
  });
});

describe('§2 money: yuan with up to 2 decimals → integer fen', () => {
  it.each<[string, number]>([
    ['1,280.50', 128050],
    ['1280.5', 128050],
    ['1280', 128000],
    ['¥12', 1200],
    ['¥ 12', 1200],
    ['12元', 1200],
    ['12 元', 1200],
    ['￥1,000,000.00', 100000000],
    ['1，234', 123400], // full-width comma as thousands separator
    ['1,234.5元', 123450],
    ['RMB 12', 1200],
    ['0.1', 10], // not 10.000000000000002: no floating point
    ['0.05', 5],
    ['0.01', 1],
    ['0.29', 29], // 0.29 * 100 = 28.999999999999996 in floating point
    ['1.15', 115],
    ['-3.2', -320],
    ['−3', -300], // U+2212 minus sign
    ['-¥5', -500],
    ['¥-5', -500],
    ['0', 0],
    ['-0', 0],
    ['-0.00', 0],
    ['  88.8  ', 8880],
    ['90071992547409.91', 9007199254740991], // the largest amount that fits exactly
  ])('%j → %i fen', (raw, fen) => {
    const got = parseMoney(raw);
    expect(got).toBe(fen);
    expect(Object.is(got, -0)).toBe(false);
  });

  it.each<[string, string]>([
    ['three decimals', '1.234'],
    ['a misplaced thousands separator', '1,23'],
    ['a thousands group of two', '1,234,56'],
    ['a leading separator', ',123'],
    ['text', 'abc'],
    ['empty', ''],
    ['blank', '  '],
    ['a trailing dot', '12.'],
    ['no digit before the dot', '.5'],
    ['a plus sign', '+5'],
    ['exponent notation', '1e3'],
    ['two minus signs', '--5'],
    ['too large for exact fen', '90071992547410'],
    ['a number and text', '12 yuan'],
  ])('not money: %s (%j)', (_rule, raw) => {
    expect(parseMoney(raw)).toBeNull();
  });

  it.each<[number, string, number]>([
    [128050, '1280.50', 1280.5],
    [0, '0.00', 0],
    [5, '0.05', 0.05],
    [-5, '-0.05', -0.05],
    [-320, '-3.20', -3.2],
    [100, '1.00', 1],
    [100000000, '1000000.00', 1000000],
    [7, '0.07', 0.07],
  ])('%i fen → %s yuan (JSON %d)', (fen, text, num) => {
    expect(fenToYuanString(fen)).toBe(text);
    expect(fenToYuan(fen)).toBe(num);
  });
});

describe('§2 yes/no', () => {
  const yes = ['Y', 'y', 'yes', 'YES', 'Yes', '是', '1', 'true', 'TRUE', 'True', ' Y '];
  const no = ['N', 'n', 'no', 'NO', 'No', '否', '0', 'false', 'FALSE', 'False', ' n '];
  it.each(yes)('%j is yes', (raw) => expect(parseYesNo(raw)).toBe(true));
  it.each(no)('%j is no', (raw) => expect(parseYesNo(raw)).toBe(false));
  it.each(['', 'maybe', '2', 'yess', '是否', '-1'])('%j is neither', (raw) => expect(parseYesNo(raw)).toBeNull());
});

describe('§2 gender 男/女/M/F', () => {
  it.each<[string, 'M' | 'F' | null]>([
    ['男', 'M'],
    ['女', 'F'],
    ['M', 'M'],
    ['m', 'M'],
    ['F', 'F'],
    ['f', 'F'],
    ['male', 'M'],
    ['Female', 'F'],
    [' 女 ', 'F'],
    ['', null],
    ['X', null],
    ['男女', null],
  ])('%j → %s', (raw, expected) => {
    expect(parseGender(raw)).toBe(expected);
  });
});

describe('§2 phone: remove spaces, dashes, +86; then mobile 1[3-9]\\d{9} or landline 0\\d{2,3}-?\\d{7,8}', () => {
  it.each<[string, string, string]>([
    ['a plain mobile', '13812345678', '13812345678'],
    ['a mobile with spaces', '138 1234 5678', '13812345678'],
    ['a mobile with dashes', '138-1234-5678', '13812345678'],
    ['+86', '+8613812345678', '13812345678'],
    ['+86 with spaces', '+86 138 1234 5678', '13812345678'],
    ['+86 with a dash', '+86-138-1234-5678', '13812345678'],
    ['0086', '008613812345678', '13812345678'],
    ['86 written before 11 digits (13 digits)', '8613812345678', '13812345678'],
    ['the lowest mobile prefix 13', '13000000000', '13000000000'],
    ['the highest mobile prefix 19', '19912345678', '19912345678'],
    ['a landline with a dash', '0579-84123456', '057984123456'],
    ['a landline without a dash', '057984123456', '057984123456'],
    ['a 3-digit area code with a dash', '010-12345678', '01012345678'],
    ['a 3-digit area code and 7 digits', '021-1234567', '0211234567'],
    ['a landline with the area code in brackets', '(0579)84123456', '057984123456'],
    ['a landline with full-width brackets', '（0579）84123456', '057984123456'],
    ['a full-width dash', '0579－84123456', '057984123456'],
    ['a full-width space', '138\u30001234\u30005678', '13812345678'],
  ])('%s: %j → %s', (_rule, raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each<[string, string]>([
    ['a 12-digit mobile', '138123456789'],
    ['a 10-digit mobile', '1381234567'],
    ['mobile prefix 10', '10812345678'],
    ['mobile prefix 11', '11812345678'],
    ['mobile prefix 12', '12812345678'],
    ['86 before a 10-digit number', '86138123456'],
    // digits only once dashes are gone: 0579-841234 still reads as 057 + 9841234, so too short means < 10 digits
    ['a landline number too short', '0579-84123'],
    ['a landline number too long', '0579-841234567'],
    ['a landline without the leading 0', '579-84123456'],
    ['letters', '138abcd5678'],
    ['empty', ''],
    ['an extension', '0579-84123456-801'],
  ])('not a phone: %s (%j)', (_rule, raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it.each<[string, string]>([
    ['13812345678', '138****5678'],
    ['01012345678', '010****5678'],
    ['057984123456', '057*****3456'],
    ['0211234567', '021***4567'],
    ['1234567', '*******'],
  ])('§5 masking %s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('counts and hours', () => {
  it.each<[string, number | null]>([
    ['300', 300],
    [' 0 ', 0],
    ['-1', null],
    ['1.5', null],
    ['1,000', null],
    ['', null],
  ])('parseCount(%j) = %s', (raw, n) => {
    expect(parseCount(raw)).toBe(n);
  });

  it.each<[string, number | null]>([
    ['10', 10],
    ['9.5', 9.5],
    ['10:30', 10.5],
    ['10：30', 10.5],
    ['10:60', null],
    ['-1', null],
    ['ten', null],
  ])('parseHours(%j) = %s', (raw, n) => {
    expect(parseHours(raw)).toBe(n);
  });
});

// ---- issue 15: the values an office really writes ----

describe('issue 15: a date without a year takes one from its anchor, by rule', () => {
  it.each<[string, string, string, YearRule, string | null]>([
    ['7月3日, the --as-of year', '7月3日', '2026-11-30', 'same', '2026-07-03'],
    ['7月3号', '7月3号', '2026-11-30', 'same', '2026-07-03'],
    ['spaces inside', '7 月 3 日', '2026-11-30', 'same', '2026-07-03'],
    ['no final 日', '7月3', '2026-11-30', 'same', '2026-07-03'],
    ['same: a day after the anchor stays in its year', '12月1日', '2026-11-30', 'same', '2026-12-01'],
    ['past: the latest such day up to the anchor', '12月30日', '2026-01-04', 'past', '2025-12-30'],
    ['past: the anchor day itself', '1月4日', '2026-01-04', 'past', '2026-01-04'],
    ['past: earlier in the anchor year', '7月3日', '2026-11-30', 'past', '2026-07-03'],
    ['past: 2月29日 goes back to the last leap year', '2月29日', '2026-03-01', 'past', '2024-02-29'],
    ['nearest: across New Year forward', '1月2日', '2025-12-30', 'nearest', '2026-01-02'],
    ['nearest: across New Year backward', '12月31日', '2026-01-02', 'nearest', '2025-12-31'],
    ['nearest: in the anchor year', '7月9日', '2026-07-08', 'nearest', '2026-07-09'],
    ['same: 2月29日 outside a leap year is no date', '2月29日', '2026-07-01', 'same', null],
    ['month 13', '13月1日', '2026-07-01', 'same', null],
    ['day 32', '1月32日', '2026-07-01', 'same', null],
    ['a date-time without a year', '7月3日 20:30', '2026-11-30', 'same', '2026-07-03'],
    ['a Chinese time straight after 日', '7月3日晚上8点', '2026-11-30', 'same', '2026-07-03'],
  ])('%s: %j near %s (%s) → %s', (_rule, raw, anchor, rule, expected) => {
    expect(parseDate(raw, anchor, rule)).toBe(expected);
  });

  it.each(['7月3日', '7/3', '3/7', '7-3'])('without an anchor %j is no date (and 7/3 never is: day or month first?)', (raw) => {
    expect(parseDate(raw)).toBeNull();
    if (!raw.includes('月')) expect(parseDate(raw, '2026-07-01')).toBeNull();
  });

  it('2024年5月9号 is a date too', () => {
    expect(parseDate('2024年5月9号')).toBe('2024-05-09');
  });
});

describe('issue 15: dateNotes says what parseDate read in or left out', () => {
  it.each<[string, number]>([
    ['2024-05-09', 0],
    ['2024/5/9', 0],
    ['2024.5.9', 0],
    ['2024年5月9日', 0],
    ['2024年12月31日', 0],
    ['45421', 0],
    ['2025/11/3 0:00', 0],
    ['2025-11-03 00:00:00', 0],
    ['2025-11-03 08:15', TIME_DROPPED],
    ['2025-11-03T08:15:30', TIME_DROPPED],
    ['2025年11月3日 晚上8点', TIME_DROPPED],
    ['45421.75', TIME_DROPPED],
    ['45421.0', 0],
    ['7月3日', NO_YEAR],
    ['7月3号', NO_YEAR],
    ['7月3日 20:30', NO_YEAR | TIME_DROPPED],
    ['7月3日 0:00', NO_YEAR],
  ])('%j → %i', (raw, notes) => {
    expect(dateNotes(raw)).toBe(notes);
  });
});

describe('issue 15: times as an office writes them', () => {
  it.each<[string, string]>([
    ['20点', '20:00'],
    ['20点整', '20:00'],
    ['8点钟', '08:00'],
    ['20点30分', '20:30'],
    ['20点30', '20:30'],
    ['20时30分', '20:30'],
    ['20时', '20:00'],
    ['8点05分', '08:05'],
    ['8点5分', '08:05'],
    ['8点半', '08:30'],
    ['8点一刻', '08:15'],
    ['8点三刻', '08:45'],
    ['晚上8点', '20:00'],
    ['晚上8点半', '20:30'],
    ['晚8点', '20:00'],
    ['晚上11点50分', '23:50'],
    ['晚上12点', '00:00'],
    ['夜里2点', '02:00'],
    ['凌晨1点', '01:00'],
    ['凌晨12点', '00:00'],
    ['早上7点', '07:00'],
    ['上午10点', '10:00'],
    ['中午12点', '12:00'],
    ['中午1点', '13:00'],
    ['下午3点', '15:00'],
    ['下午12点半', '12:30'],
    ['傍晚6点', '18:00'],
    ['晚上20点', '20:00'],
    ['下午15点', '15:00'],
    ['晚上8:30', '20:30'],
    ['下午3:05', '15:05'],
    ['八点', '08:00'],
    ['八点半', '08:30'],
    ['十二点', '12:00'],
    ['二十点三十分', '20:30'],
    ['晚上八点十五', '20:15'],
    ['两点零五分', '02:05'],
    ['20点30分15秒', '20:30'],
    ['8pm', '20:00'],
    ['8:30 PM', '20:30'],
    ['12am', '00:00'],
    ['12:15 pm', '12:15'],
    ['7 a.m.', '07:00'],
    [' 晚上 8 点 半 ', '20:30'],
  ])('%j → %s', (raw, expected) => {
    expect(parseTime(raw)).toBe(expected);
  });

  it.each<[string, string]>([
    ['a one-digit minute without 分 (8点5: five past, or fifty?)', '8点5'],
    ['hour 24', '24点'],
    ['minute 60', '8点60分'],
    ['second 60', '8点30分60秒'],
    ['上午 with an afternoon hour', '上午15点'],
    ['下午0点', '下午0点'],
    ['凌晨 at 7', '凌晨7点'],
    ['13 pm', '13pm'],
    ['0 am', '0am'],
    ['a bare number', '20'],
    ['半 alone', '半'],
    ['text', '晚上'],
  ])('not a time: %s (%j)', (_rule, raw) => {
    expect(parseTime(raw)).toBeNull();
  });

  /** h:mm in 24 hours → each wording an office uses for it */
  const wordings = (h: number, m: number): string[] => {
    const mm = String(m).padStart(2, '0');
    const out = [`${h}:${mm}`, `${h}：${mm}`, `${h}点${m}分`, `${h}时${m}分`, `${h}点${mm}`];
    if (m === 0) out.push(`${h}点`, `${h}点整`, `${h}时`);
    if (m === 30) out.push(`${h}点半`);
    if (m === 15) out.push(`${h}点一刻`);
    if (m === 45) out.push(`${h}点三刻`);
    const h12 = h % 12 === 0 ? 12 : h % 12;
    if (h >= 13 && h <= 17) out.push(`下午${h12}点${m}分`, `下午${h12}:${mm}`);
    if (h >= 18 && h <= 23) out.push(`晚上${h12}点${m}分`, `晚上${h12}:${mm}`, `晚${h12}点${m}分`);
    if (h >= 1 && h <= 11) out.push(`上午${h}点${m}分`, `早上${h}:${mm}`);
    out.push(`${h12}:${mm} ${h < 12 ? 'am' : 'pm'}`);
    return out;
  };

  it('property: any time of day, in every wording accepted for it, reads as the same minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const expected = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        for (const w of wordings(h, m)) expect([w, parseTime(w)]).toEqual([w, expected]);
      }),
      { numRuns: 300 },
    );
  });

  it('a date-time keeps an office time (trips start/end)', () => {
    expect(parseDateTime('2025-11-03 晚上8点半')).toEqual({ date: '2025-11-03', time: '20:30' });
    expect(parseDateTime('2025年11月3日下午3点')).toEqual({ date: '2025-11-03', time: '15:00' });
    expect(parseDateTime('11月3日 20时30分', '2025-12-01')).toEqual({ date: '2025-11-03', time: '20:30' });
    expect(parseDateTime('2025-11-03 8点5')).toBeNull();
  });
});

describe('issue 15: money as a cashier writes it', () => {
  it.each<[string, number]>([
    ['12元', 1200],
    ['12.5元', 1250],
    ['12元整', 1200],
    ['12块', 1200],
    ['12块钱', 1200],
    ['12元5角', 1250],
    ['12元5角3分', 1253],
    ['12块5毛', 1250],
    ['12块5', 1250],
    ['12元5', 1250],
    ['5角', 50],
    ['5毛', 50],
    ['1.2万', 1200000],
    ['1.2万元', 1200000],
    ['3万', 3000000],
    ['1.234567万', 1234567],
    ['人民币12元', 1200],
    ['￥12', 1200],
    ['¥1,280.50', 128050],
    ['1,280.50元', 128050],
  ])('%j → %i fen', (raw, fen) => {
    expect(parseMoney(raw)).toBe(fen);
  });

  it.each<[string, string]>([
    ['7 decimals of 万', '1.2345678万'],
    ['two digits of 角', '12元15角'],
    ['元 alone', '元'],
    ['角 before 元', '5角12元'],
    ['a word', '十二元'],
  ])('not money: %s (%j)', (_rule, raw) => {
    expect(parseMoney(raw)).toBeNull();
  });
});

describe('issue 15: yes/no with the ticks and crosses of a paper form', () => {
  it.each(['√', '✓', '✔', '☑', '有', '已购买', '购买', '已成交', '有发票', '是的'])('%j is yes', (raw) => expect(parseYesNo(raw)).toBe(true));
  it.each(['×', '✗', '✘', '无', '没有', '未购买', '没买', '未成交', '无发票', '不是'])('%j is no', (raw) => expect(parseYesNo(raw)).toBe(false));
  it.each(['x', 'X', '☒', '√×', '待定'])('%j is neither (an x may be a tick or a cross)', (raw) => expect(parseYesNo(raw)).toBeNull());
});

describe('issue 15: a number Excel wrote in scientific notation', () => {
  it.each(['1.3857E+10', '1.38579E+10', '1.38579e+10', '4.40104E+17', '1E+11', ' 1.3857E+10 '])('%j is', (raw) => expect(isExcelScientific(raw)).toBe(true));
  it.each(['13857903456', '+8613857903456', 'E+10', '1.3857E10', '1.3857E-10', 'SO-1E+1', '12E+1x', ''])('%j is not', (raw) => expect(isExcelScientific(raw)).toBe(false));
});

describe('issue 15: hours with their unit', () => {
  it.each<[string, number | null]>([
    ['10小时', 10],
    ['10个小时', 10],
    ['9.5小时', 9.5],
    ['10小时30分', 10.5],
    ['10小时30分钟', 10.5],
    ['10h', 10],
    ['9.5 h', 9.5],
    ['10 hours', 10],
    ['10小时60分', null],
    ['9.5小时30分', null],
  ])('parseHours(%j) = %s', (raw, n) => {
    expect(parseHours(raw)).toBe(n);
  });
});
