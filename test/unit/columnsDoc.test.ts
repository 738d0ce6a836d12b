/**
 * docs/columns.md says it lists, for each import kind, every header the kind recognises. This
 * keeps it true: for every kind of src/io/kinds/index.ts (loaded as the import worker loads
 * it), the kind's `## <kind>.csv` section has a row for every column, whose alias list is the
 * code's, in the code's order, with the first alias (the template's Chinese header) in bold;
 * and every header the doc writes is one mapHeader maps to that column. A row `customer /
 * phone / name | see above` stands for the rows of the `## Naming a customer` section.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KIND_NAMES } from '../../src/io/kinds/index.js';
import { mapHeader, type ColumnSpec, type ImportKind } from '../../src/io/kind.js';

const DOC = readFileSync(new URL('../../docs/columns.md', import.meta.url), 'utf8');
const CUSTOMER_SECTION = 'Naming a customer';

interface DocRow {
  /** the column cell's keys (`customer / phone / name` → three) */
  columns: string[];
  /** the aliases as the doc writes them, marks (`**`, backticks) taken off; null: `see above` */
  aliases: string[] | null;
  /** the aliases written in bold */
  bold: string[];
  line: number;
}

/** `## title` → the rows of its alias tables (a table whose header is `column | aliases | …`). */
function docSections(doc: string): Map<string, DocRow[]> {
  const sections = new Map<string, DocRow[]>();
  let rows: DocRow[] | null = null;
  let inAliasTable = false;
  doc.split(/\r?\n/).forEach((text, i) => {
    const heading = /^##\s+(.+?)\s*$/.exec(text);
    if (heading) {
      rows = [];
      sections.set(heading[1], rows);
      inAliasTable = false;
      return;
    }
    if (!text.startsWith('|')) {
      inAliasTable = false;
      return;
    }
    const cells = text
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split('|')
      .map((c) => c.trim());
    if (cells[0] === 'column') {
      inAliasTable = cells[1] === 'aliases';
      return;
    }
    if (!inAliasTable || !rows || /^-+$/.test(cells[0])) return;
    const columns = cells[0].split('/').map((c) => c.trim().replace(/`/g, ''));
    if (cells[1] === 'see above') {
      rows.push({ columns, aliases: null, bold: [], line: i + 1 });
      return;
    }
    const written = cells[1].split(/\s*,\s*/).filter((a) => a !== '');
    rows.push({
      columns,
      aliases: written.map((a) => a.replace(/\*\*/g, '').replace(/`/g, '').trim()),
      bold: written.filter((a) => /^\*\*.+\*\*$/.test(a)).map((a) => a.slice(2, -2)),
      line: i + 1,
    });
  });
  return sections;
}

/** The rows of a kind's section, a `see above` row replaced by the customer section's rows it names. */
function kindRows(sections: Map<string, DocRow[]>, kind: string): DocRow[] | null {
  const title = [...sections.keys()].find((t) => new RegExp(`^${kind}\\.csv\\b`).test(t));
  if (title === undefined) return null;
  const customer = sections.get(CUSTOMER_SECTION) ?? [];
  return sections.get(title)!.flatMap((row) =>
    row.aliases !== null ? [row] : row.columns.map((c) => customer.find((r) => r.columns.length === 1 && r.columns[0] === c) ?? { columns: [c], aliases: [], bold: [], line: row.line }),
  );
}

/** Everything the doc gets wrong about one kind's headers, one line each; [] when the doc is true. */
function docProblems(doc: string, kind: { name: string; columns: ColumnSpec[] }): string[] {
  const rows = kindRows(docSections(doc), kind.name);
  if (rows === null) return [`no "## ${kind.name}.csv" section`];
  const problems: string[] = [];
  for (const row of rows) {
    for (const c of row.columns) {
      if (!kind.columns.some((spec) => spec.key === c)) problems.push(`line ${row.line}: ${c} is no column of ${kind.name}`);
    }
  }
  for (const spec of kind.columns) {
    const own = rows.filter((r) => r.columns.length === 1 && r.columns[0] === spec.key);
    if (own.length !== 1) {
      problems.push(`${spec.key}: ${own.length} rows in the ${kind.name} section`);
      continue;
    }
    const { aliases, bold, line } = own[0];
    const written = aliases ?? [];
    const missing = spec.aliases.filter((a) => !written.includes(a));
    if (missing.length) problems.push(`line ${line}, ${spec.key}: the code's aliases ${missing.join(', ')} are not in the doc`);
    // every header the doc writes is one the import maps to this column (the key included)
    for (const header of [spec.key, ...written]) {
      const mapped = mapHeader([header], kind.columns).index;
      if (mapped.get(spec.key) !== 0) problems.push(`line ${line}, ${spec.key}: the doc's header ${header} is not read as ${spec.key}`);
    }
    if (!missing.length && written.join(', ') !== spec.aliases.join(', ')) {
      problems.push(`line ${line}, ${spec.key}: aliases not as the code has them: ${written.join(', ')} ≠ ${spec.aliases.join(', ')}`);
    }
    if (bold.join() !== spec.aliases[0] || written[0] !== spec.aliases[0]) {
      problems.push(`line ${line}, ${spec.key}: the template header ${spec.aliases[0]} must come first, alone in bold (bold: ${bold.join(', ') || 'none'})`);
    }
  }
  return problems;
}

const kinds: ImportKind[] = await Promise.all(
  KIND_NAMES.map(async (name) => ((await import(`../../src/io/kinds/${name}.ts`)) as { kind: ImportKind }).kind),
);

describe('docs/columns.md lists every header each kind reads', () => {
  it('has a section for every kind, and none for a kind that is not', () => {
    const titles = [...docSections(DOC).keys()].map((t) => /^(\w+)\.csv\b/.exec(t)?.[1]).filter((k) => k !== undefined);
    expect(titles).toEqual([...KIND_NAMES]);
    expect(kinds.map((k) => k.name)).toEqual([...KIND_NAMES]);
  });

  it.each(kinds.map((k) => [k.name, k] as const))('%s', (_name, kind) => {
    expect(docProblems(DOC, kind)).toEqual([]);
  });

  // the check itself: it notices an alias the code gains, one the doc loses, and a wrong one
  it('fails when the doc and the code part', () => {
    const orders = kinds.find((k) => k.name === 'orders')!;
    const gained = { name: 'orders', columns: orders.columns.map((c) => (c.key === 'amount' ? { ...c, aliases: [...c.aliases, '应收金额'] } : c)) };
    expect(docProblems(DOC, gained)).toEqual([expect.stringContaining('应收金额 are not in the doc')]);
    const phoneGained = { name: 'events', columns: kinds.find((k) => k.name === 'events')!.columns.map((c) => (c.key === 'phone' ? { ...c, aliases: [...c.aliases, '座机'] } : c)) };
    expect(docProblems(DOC, phoneGained)).toEqual([expect.stringContaining('座机 are not in the doc')]);
    const lost = DOC.replace('| **金额**, 订单金额, 销售金额, 成交金额, 订单总额,', '| **金额**, 订单金额, 销售金额, 订单总额,');
    expect(lost).not.toBe(DOC);
    expect(docProblems(lost, orders)).toEqual([expect.stringContaining('成交金额 are not in the doc')]);
    const wrong = DOC.replace('| **产品**, 产品名称,', '| **产品**, 商品编码, 产品名称,');
    expect(docProblems(wrong, orders)).toEqual(expect.arrayContaining([expect.stringContaining('商品编码 is not read as product')]));
    const unmarked = DOC.replace('| **订单编号**, 订单号,', '| 订单编号, 订单号,');
    expect(docProblems(unmarked, orders)).toEqual([expect.stringContaining('template header 订单编号')]);
  });
});
