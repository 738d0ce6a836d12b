/**
 * Issue 16: the header of a sheet (or a CSV) under title rows — which of the first rows it
 * is, and the template's example row under it.
 */
import { describe, expect, it } from 'vitest';
import { HeaderSearch, HEADER_SEARCH, findHeader, isExampleRow } from '../../src/io/kind.js';
import { kind as surveys } from '../../src/io/kinds/surveys.js';

const HEADER = ['问卷号', '姓名', '电话', '收集人', '收集日期'];

describe('findHeader', () => {
  it('the first row naming every required column, under a title, a note and a one-word title', () => {
    expect(findHeader([['中老年健康调查表（5月）'], ['日期'], ['填表说明：电话填 11 位'], HEADER, ['Q1', '冯明', '13857903456', '刘芳', '2024-05-09']], surveys.columns)).toBe(3);
  });
  it('without one, the row naming the most columns (two at least): its missing column is then said', () => {
    expect(findHeader([['调查表'], ['姓名', '电话', '收集人'], ['冯明', '13857903456', '刘芳']], surveys.columns)).toBe(1);
  });
  it('no row naming two columns: the first row, as before', () => {
    expect(findHeader([['调查表'], ['a', 'b'], ['姓名']], surveys.columns)).toBe(0);
  });
});

describe('HeaderSearch', () => {
  it('answers at once for a complete header, else after HEADER_SEARCH rows, else at the end', () => {
    const now = new HeaderSearch<{ cells: string[] }>(surveys.columns);
    expect(now.offer({ cells: HEADER })).toBe(0);
    const later = new HeaderSearch<{ cells: string[] }>(surveys.columns);
    const answers = Array.from({ length: HEADER_SEARCH }, (_, i) => later.offer({ cells: i === 2 ? ['姓名', '电话'] : [`说明 ${i}`] }));
    expect(answers).toEqual([...Array(HEADER_SEARCH - 1).fill(-1), 2]);
    const end = new HeaderSearch<{ cells: string[] }>(surveys.columns);
    end.offer({ cells: ['标题'] });
    end.offer({ cells: ['姓名', '电话'] });
    expect(end.settle()).toBe(1);
    expect(new HeaderSearch(surveys.columns).settle()).toBe(-1);
  });
});

describe('isExampleRow', () => {
  it('a first cell 示例 or example (a note in brackets aside), in either language', () => {
    expect(isExampleRow(['示例', '王秀英'])).toBe(true);
    expect(isExampleRow(['Example', 'x'])).toBe(true);
    expect(isExampleRow([' 示例（请删除此行）'])).toBe(true);
    expect(isExampleRow(['示例客户'])).toBe(false);
    expect(isExampleRow(['', '示例'])).toBe(false);
    expect(isExampleRow([])).toBe(false);
  });
});
