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
  // issue 18: a past --as-of reads what was open on that day (< 400 ms); today's list < 150 ms (issue 17)
  dueOne: (rep, asOf) => `\`followups due --staff ${rep}${asOf ? ` --as-of ${asOf}` : ''}\` (< ${asOf ? 400 : 150} ms)`,
  dueAll: (asOf) => `\`followups due --limit 1000${asOf ? ` --as-of ${asOf}` : ''}\` (< ${asOf ? 400 : 150} ms)`,
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

/**
 * The past days whose due lists the bench times besides the bench's as-of (2024-12-31): a
 * month and a year back (issue 18); and the months whose KPIs it times: one well closed, the
 * one just closed, the one still running on as-of.
 */
export const DUE_PAST = ['2024-12-01', '2023-12-31'];
export const KPI_PERIODS = ['2024-07', '2024-11', '2024-12'];

/** The labels of a run with the bench's default options, in the order it prints them. */
export function defaultPaths({ rows = [100_000, 1_000_000], customers = 1_000_000, rep = 'R0123', pastDates = DUE_PAST, periods = KPI_PERIODS } = {}) {
  return [
    ...rows.map((r) => PERF_PATHS.import(r)),
    PERF_PATHS.help(),
    PERF_PATHS.assign(customers),
    ...[null, ...pastDates].flatMap((d) => [PERF_PATHS.dueOne(rep, d), PERF_PATHS.dueAll(d)]),
    PERF_PATHS.show(),
    ...periods.flatMap((p) => [PERF_PATHS.kpiStaff(p), PERF_PATHS.kpiTeam(p)]),
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
