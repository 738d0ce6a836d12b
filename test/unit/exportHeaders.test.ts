/**
 * issue 15: the header row of an export written for people. In Chinese, a kind that
 * re-imports names each column its import reads as the import template does, and its other
 * columns with headers the import does not read — so the Chinese file maps to exactly the
 * import columns the English one (the keys) maps to, and goes back in as it is. In English
 * the names are the keys.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_KINDS, type ExportKind } from '../../src/app/export/kinds.js';
import { exportColumns, REIMPORT } from '../../src/app/export/columns.js';
import { fileHeader } from '../../src/io/output/column.js';
import { mapHeader } from '../../src/io/kind.js';

type TableKind = Exclude<ExportKind, 'kpi'>;
const TABLE_KINDS = EXPORT_KINDS.filter((k): k is TableKind => k !== 'kpi');
const headers = (kind: TableKind, revealed: boolean, lang: 'zh' | 'en') => exportColumns(kind, revealed).map((c) => fileHeader(c, lang, 'names'));

describe('export headers for people', () => {
  it('the kinds that re-import are the import kinds of the same name', () => {
    expect(Object.keys(REIMPORT).sort()).toEqual(['events', 'expenses', 'followups', 'orders', 'staff', 'trips']);
  });

  describe.each(Object.keys(REIMPORT) as TableKind[])('%s', (kind) => {
    const spec = REIMPORT[kind]!;

    it.each([false, true])('revealed %s: the Chinese header row maps to the same import columns as the keys, none twice', (revealed) => {
      const zh = mapHeader(headers(kind, revealed, 'zh'), spec.columns);
      const keys = mapHeader(headers(kind, revealed, 'en'), spec.columns);
      expect(zh.index).toEqual(keys.index);
      expect(zh.duplicates).toEqual([]);
      expect(zh.unknown.length).toBe(keys.unknown.length);
    });

    it('a column the import reads is headed as the import template heads it (its first alias)', () => {
      const zh = headers(kind, true, 'zh');
      const read = mapHeader(headers(kind, true, 'en'), spec.columns).index;
      for (const [key, i] of read) expect(zh[i]).toBe(spec.columns.find((c) => c.key === key)!.aliases[0]);
    });
  });

  it.each(TABLE_KINDS)('%s: every column has a Chinese header; in English the keys', (kind) => {
    const zh = headers(kind, true, 'zh');
    const keys = exportColumns(kind, true).map((c) => c.key);
    expect(headers(kind, true, 'en')).toEqual(keys);
    for (const h of zh) expect(h).toMatch(/[\u4e00-\u9fff]/);
    expect(new Set(zh).size).toBe(zh.length);
  });

  it('keys unless asked for names, in either language', () => {
    const [col] = exportColumns('staff', false);
    expect(fileHeader(col, 'zh', 'keys')).toBe('staff_id');
    expect(fileHeader(col, 'zh', 'names')).toBe('工号');
    expect(fileHeader(col, 'en', 'names')).toBe('staff_id');
  });

  it('a two-line table header is one line in a file', () => {
    expect(fileHeader({ key: 'overdue_open', header: { zh: '逾期\n未访', en: 'Over-\ndue' } }, 'zh', 'names')).toBe('逾期未访');
  });
});
