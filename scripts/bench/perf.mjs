// The Performance table: what `npm run bench` prints at the end of a run, line for line as
// the README's Performance section shows it (issue 17: a reader re-runs the bench and compares
// line by line). The paths and targets are declared here once, for the bench and for
// test/unit/benchReadme.test.ts, which keeps the README's table in the same form.

/** Columns of the table. */
export const PERF_HEAD = ['path (target)', 'salesops', 'beside it, same run', 'ratio', 'peak RSS'];

const n = (x) => x.toLocaleString('en-US');

/**
 * Each measured path: its label (with the target the issues set) as a function of the run's
 * options, so that a run with other sizes labels its lines truthfully.
 */
export const PERF_PATHS = {
  import: (rows) => `\`survey import\`, ${n(rows)} rows (${rows <= 100_000 ? '≤ 2.0×' : rows <= 1_000_000 ? '≤ 1.4×, < 200 MB' : '< 200 MB'})`,
  help: () => '`salesops --help` (≤ 1.2×)',
  assign: (customers) => `\`assign\`, ${n(customers)} customers, 500 reps (< 20 s, < 500 MB)`,
  dueOne: (rep) => `\`followups due --staff ${rep}\` (< 150 ms)`,
  dueAll: () => '`followups due --limit 1000` (< 150 ms)',
  show: () => '`customers show ID` (< 150 ms)',
  kpiStaff: (period) => `\`kpi --period ${period} --by staff\` (< 1 s)`,
  kpiTeam: (period) => `\`kpi --period ${period} --by team\` (< 1 s)`,
  listing: (customers) => `\`customers list --limit 0\` table, ${n(customers)} customers (≤ 2× its csv)`,
  xlsxImport: (rows) => `\`survey import\` of an .xlsx, ${n(rows)} rows (${rows <= 100_000 ? '≤ 2.5× its csv, < 350 MB' : '< 500 MB'})`,
  xlsxExport: (customers) => `\`export customers --out x.xlsx\`, ${n(customers)} (≤ 3× csv, < 400 MB)`,
  followupsFirst: (rows) => `\`followups import\`, ${n(rows)} rows, first import`,
  followupsAgain: () => '`followups import` of the same sheet again, every row unchanged',
  followupsCorrected: () => '`followups import` of its corrected copy (1% notes, 1% dates edited)',
};

/** The labels of a run with the bench's default options, in the order it prints them. */
export function defaultPaths({ rows = [100_000, 1_000_000], customers = 1_000_000, rep = 'R0123', period = '2024-07' } = {}) {
  return [
    ...rows.map((r) => PERF_PATHS.import(r)),
    PERF_PATHS.help(),
    PERF_PATHS.assign(customers),
    PERF_PATHS.dueOne(rep),
    PERF_PATHS.dueAll(),
    PERF_PATHS.show(),
    PERF_PATHS.kpiStaff(period),
    PERF_PATHS.kpiTeam(period),
    PERF_PATHS.listing(rows[0]),
    ...rows.map((r) => PERF_PATHS.xlsxImport(r)),
    PERF_PATHS.xlsxExport(customers),
    PERF_PATHS.followupsFirst(rows[0]),
    PERF_PATHS.followupsAgain(),
    PERF_PATHS.followupsCorrected(),
  ];
}

/** One line of the table: [path, salesops, beside it, ratio, peak RSS], a missed target marked. */
export function perfLine(path, salesops, beside, ratio, rssMB, met) {
  return [path, salesops, beside, met === false ? `${ratio} **missed**` : ratio, rssMB === null || rssMB === undefined ? '' : `${rssMB} MB`];
}

/** The table in Markdown, as the README shows it. */
export function perfTable(lines) {
  const row = (cells) => `| ${cells.join(' | ')} |`;
  return [row(PERF_HEAD), row(PERF_HEAD.map(() => '---')), ...lines.map(row)].join('\n');
}
