/**
 * `salesops audit` — the append-only log of reveals and personal-data exports (§5) — and
 * `salesops audit --changes`, the append-only change log (issue 13): every update of a stored
 * row by an import or a command, field by field, old → new, with the command and the time.
 */
import { once } from 'node:events';
import type { Command } from 'commander';
import { t, type MessageKey } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import type { Column } from '../io/render.js';
import { CHANGE_KINDS, changeKinds, iterateChanges, type ChangeEntry, type ChangeFilter } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { withRevealFlags, type RevealFlags } from './reveal.js';
import { maskFieldValue, maskFreeText } from '../domain/masking.js';
import { fenToYuanString } from '../domain/values.js';

/** Rows a table shows unless `--limit` says otherwise (csv/tsv/json/jsonl list everything, streamed). */
export const CHANGES_TABLE_LIMIT = 1000;

interface AuditFlags extends RevealFlags {
  from?: string;
  to?: string;
  changes?: boolean;
  kind?: string;
  key?: string;
  limit?: string;
}

export function registerAudit(program: Command): void {
  withRevealFlags(
    program
      .command('audit')
      .description(t('audit.description'))
      .option('--from <date>', t('audit.flag.from'))
      .option('--to <date>', t('audit.flag.to'))
      .option('--changes', t('audit.flag.changes'))
      .option('--kind <kind>', t('audit.flag.kind'))
      .option('--key <key>', t('audit.flag.key'))
      .option('--limit <n>', t('audit.flag.limit')),
  ).action(
    action(async (ctx, f: AuditFlags) => {
      const period = await periodFlags(f);
      if (f.changes) return changesCommand(ctx, f, period);
      // the flags of the change log alone
      for (const [v, flag] of [[f.kind, '--kind'], [f.key, '--key'], [f.limit, '--limit'], [f.reveal, '--reveal']] as const) {
        if (v !== undefined) throw new UsageError(t('audit.changes_only', { flag }), t('audit.changes_only.hint', { flag }));
      }
      const { openDb } = await import('../store/db.js');
      const { listAudit } = await import('../store/audit.js');
      const { render } = await import('../io/render.js');
      const db = openDb(ctx.dbPath);
      // §5: a reason or subject typed with a phone or ID number in it is shown masked
      const rows = listAudit(db, period).map((r) => ({ ...r, reason: maskFreeText(r.reason), subject: maskFreeText(r.subject) }));
      db.close();
      if (rows.length === 0) ctx.info('common.no_rows');
      ctx.out(
        render(rows as unknown as Record<string, unknown>[], [
          { key: 'audit_id', header: { zh: '序号', en: 'audit_id' }, kind: 'int' },
          { key: 'at', header: { zh: '时间', en: 'at' } },
          { key: 'action', header: { zh: '操作', en: 'action' } },
          { key: 'approved_by', header: { zh: '批准人', en: 'approved_by' } },
          { key: 'reason', header: { zh: '原因', en: 'reason' } },
          { key: 'subject', header: { zh: '对象', en: 'subject' } },
          { key: 'os_user', header: { zh: '系统用户', en: 'os_user' } },
        ], ctx),
      );
    }),
  );
}

/** `--from`/`--to` as local calendar dates (any form parseDate reads), checked: a usage error (exit 2) otherwise. */
async function periodFlags(f: { from?: string; to?: string }): Promise<{ from?: string; to?: string }> {
  const { parseDate } = await import('../domain/values.js');
  const date = (flag: string, v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const d = parseDate(v);
    if (!d) throw new UsageError(t('cli.bad_date_flag', { flag, value: v }));
    return d;
  };
  const from = date('--from', f.from);
  const to = date('--to', f.to);
  if (from && to && to < from) throw new UsageError(t('audit.from_after_to', { from, to }), t('audit.from_after_to.hint'));
  return { from, to };
}

// ---------------------------------------------------------------------------------------
// audit --changes

/** JSON keys and CSV headers (English, stable); table headers in the user's language. */
export const CHANGE_COLUMNS: Column[] = [
  { key: 'change_id', header: { zh: '序号', en: 'change_id' }, kind: 'int' },
  { key: 'at', header: { zh: '时间', en: 'at' } },
  { key: 'kind', header: { zh: '类别', en: 'kind' } },
  { key: 'key', header: { zh: '记录', en: 'key' } },
  { key: 'field', header: { zh: '字段', en: 'field' } },
  { key: 'old_value', header: { zh: '原值', en: 'old_value' } },
  { key: 'new_value', header: { zh: '新值', en: 'new_value' } },
  { key: 'command', header: { zh: '命令', en: 'command' } },
  { key: 'os_user', header: { zh: '系统用户', en: 'os_user' } },
];

/** `--kind` in English or Chinese (`trips`, `出差`), case and spaces ignored; a kind only in the log as it is. */
function kindFlag(ctx: Ctx, db: DB, v: string): string {
  const raw = v.trim();
  const lower = raw.toLowerCase();
  for (const k of CHANGE_KINDS) if (lower === k || raw === kindName(k, 'zh')) return k;
  const inLog = changeKinds(db);
  if (raw && inLog.includes(raw)) return raw;
  const kinds = inLog.map((k) => (ctx.lang === 'zh' && k !== kindName(k, 'zh') ? `${k}（${kindName(k, 'zh')}）` : k));
  throw new UsageError(t('audit.bad_kind', { value: v, kinds: kinds.join(', ') }), t('audit.bad_kind.hint'));
}

async function changesCommand(ctx: Ctx, f: AuditFlags, period: { from?: string; to?: string }): Promise<number> {
  let limit = ctx.format === 'table' ? CHANGES_TABLE_LIMIT : 0;
  if (f.limit !== undefined) {
    if (!/^\d{1,9}$/.test(f.limit.trim())) throw new UsageError(t('audit.bad_limit', { value: f.limit }));
    limit = Number(f.limit);
  }
  const { openDb } = await import('../store/db.js');
  const db = openDb(ctx.dbPath);
  try {
    const filter: ChangeFilter = { ...period };
    if (f.kind !== undefined) filter.kind = kindFlag(ctx, db, f.kind);
    if (f.key !== undefined && f.key.trim() !== '') filter.key = f.key.trim();
    const said = filterText(filter);
    // §5: old and new values of sealed fields (and numbers typed into any text) are masked
    // unless a gm approved a reveal, which is audited before anything is shown
    const { authorizeReveal } = await import('./reveal.js');
    const revealed = await authorizeReveal(db, f, 'reveal', `audit --changes${said}`);
    const sealed = t('sealed.placeholder');
    let count = 0;
    let truncated = false;
    // one row more than the limit tells whether the list was cut
    const it = iterateChanges(db, filter, limit ? limit + 1 : undefined);
    const rows = function* (): Generator<ChangeEntry> {
      for (const r of it) {
        if (limit && count === limit) {
          truncated = true;
          break;
        }
        count++;
        yield viewChange(r, revealed, sealed);
      }
    };
    if (ctx.format === 'table') {
      const list = [...rows()];
      if (list.length) ctx.out(await changesTable(ctx, list));
    } else {
      await streamChanges(ctx, rows());
    }
    if (count === 0) ctx.info('audit.changes.none', { filter: said });
    else if (truncated) ctx.info('audit.changes.truncated', { n: count });
    else ctx.info(revealed ? 'audit.changes.summary_revealed' : 'audit.changes.summary', { n: count, filter: said });
    return 0;
  } finally {
    db.close();
  }
}

/**
 * One entry as `audit --changes` shows it. Unless revealed (§5): a sealed field's old and new
 * values masked (phone `138****5678`, address `****`, ID `330726********1234`, health and a
 * follow-up's note `sealed`), phone and ID numbers typed into any other value, the key or the
 * command masked. Money stored in fen (a field `…_fen`) is shown in yuan under the field's
 * name without `_fen`: `advance` 1280.00 → 280.00, not `advance_fen` 128000 → 28000.
 */
export function viewChange(r: ChangeEntry, revealed: boolean, sealed: string): ChangeEntry {
  let v: ChangeEntry = revealed
    ? r
    : {
        ...r,
        key: maskFreeText(r.key),
        old_value: maskFieldValue(r.kind, r.field, r.old_value, sealed),
        new_value: maskFieldValue(r.kind, r.field, r.new_value, sealed),
        command: maskFreeText(r.command),
      };
  if (v.field.endsWith('_fen') && v.field.length > 4) {
    const yuan = (x: string | null) => (x !== null && /^-?\d{1,15}$/.test(x) ? fenToYuanString(Number(x)) : x);
    v = { ...v, field: v.field.slice(0, -4), old_value: yuan(v.old_value), new_value: yuan(v.new_value) };
  }
  return v;
}

/** The filter as flags (the same in both languages): ` (--kind trips --key T001)`. */
function filterText(f: ChangeFilter): string {
  const parts: string[] = [];
  if (f.kind) parts.push(`--kind ${f.kind}`);
  if (f.key) parts.push(`--key ${f.key}`);
  if (f.from) parts.push(`--from ${f.from}`);
  if (f.to) parts.push(`--to ${f.to}`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** A known kind's name in `lang` (`出差`); another kind as it is. */
function kindName(kind: string, lang: 'zh' | 'en'): string {
  return (CHANGE_KINDS as readonly string[]).includes(kind) ? t(`audit.kind.${kind}` as MessageKey, undefined, lang) : kind;
}

/** The table (io/boxTable.ts: a thousand rows in milliseconds); kinds in the user's language, a missing value as —. */
async function changesTable(ctx: Ctx, rows: ChangeEntry[]): Promise<string> {
  const { boxTable } = await import('../io/boxTable.js');
  const { tableValue } = await import('../io/render.js');
  const cell = (r: ChangeEntry, c: Column): string => {
    const v = (r as unknown as Record<string, unknown>)[c.key];
    if (c.key === 'kind') return ctx.lang === 'zh' ? kindName(String(v), 'zh') : String(v);
    if ((c.key === 'old_value' || c.key === 'new_value') && v === null) return '—';
    return tableValue(v, c.kind ?? 'text', ctx.lang);
  };
  return boxTable({
    head: [CHANGE_COLUMNS.map((c) => c.header![ctx.lang])],
    rows: rows.map((r) => CHANGE_COLUMNS.map((c) => cell(r, c))),
    right: CHANGE_COLUMNS.map((c) => c.kind === 'int'),
    color: ctx.color,
  });
}

/**
 * csv/tsv/json/jsonl written as the rows come (better-sqlite3 `.iterate()`), in chunks: the
 * log is never held in memory. The header and BOM come from the one renderer, the records
 * from cli/kpi.ts's csvRecord (the same cells as render(), checked in test/unit/kpi.test.ts).
 */
async function streamChanges(ctx: Ctx, rows: Iterable<ChangeEntry>): Promise<void> {
  const { render, toJson, neutralizeFormula } = await import('../io/render.js');
  const { csvRecord } = await import('./kpi.js');
  const format = ctx.format;
  const write = async (s: string) => {
    if (s && !process.stdout.write(s)) await once(process.stdout, 'drain');
  };
  let buf = '';
  let n = 0;
  if (format === 'json' || format === 'jsonl') {
    for (const r of rows) {
      const text = JSON.stringify(toJson(r as unknown as Record<string, unknown>, CHANGE_COLUMNS));
      buf += format === 'jsonl' ? text + '\n' : (n === 0 ? '[\n  ' : ',\n  ') + text;
      n++;
      if (buf.length > 1 << 16) (await write(buf), (buf = ''));
    }
    if (format === 'json') buf += n === 0 ? '[]\n' : '\n]\n';
    await write(buf);
    return;
  }
  await write(render([], CHANGE_COLUMNS, { format, lang: ctx.lang, color: false }));
  const sep = format === 'tsv' ? '\t' : ',';
  const eol = format === 'csv' ? '\r\n' : '\n';
  for (const r of rows) {
    buf += csvRecord(r as unknown as Record<string, unknown>, CHANGE_COLUMNS, sep, neutralizeFormula, fenToYuanString) + eol;
    if (buf.length > 1 << 16) (await write(buf), (buf = ''));
  }
  await write(buf);
}
