/**
 * `salesops policy show|export|load|list` (SPEC §6): the numbers of the rules, versioned by
 * effective date. Registered through registerTrips (src/cli/trips.ts).
 *
 * - `show [--on DATE]`: which version is in force on the date (default --as-of) and its
 *   document as readable JSON; `--format json` wraps it with the version's metadata;
 *   csv/tsv list one `path,value` row per number.
 * - `export [--on DATE]`: exactly the JSON document in force (stdout), to edit and load.
 * - `load FILE [--from DATE] [--replace] [--dry-run]`: the document may be partial (merged
 *   over the version in force on its date); it is validated whole, every problem named by
 *   its field path; on any error nothing is stored (exit 1). A second version on the same
 *   date is refused unless --replace.
 * - `list`: the loaded versions and which one is in force on --as-of.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UserError, UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import type { Policy } from '../domain/policy.js';

async function dateFlag(flag: string, raw: string | undefined, fallback: string): Promise<string> {
  if (raw === undefined) return fallback;
  const { parseDate } = await import('../domain/values.js');
  const d = parseDate(raw);
  if (!d) throw new UsageError(t('cli.bad_date_flag', { flag, value: raw }));
  return d;
}

/** `{a: {b: 1, c: [x, y]}}` → [['a.b', '1'], ['a.c', 'x;y']] */
function flatten(o: unknown, prefix = ''): { path: string; value: string }[] {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [{ path: prefix, value: Array.isArray(o) ? o.join(';') : String(o) }];
}

/** JSON.stringify with 2 spaces, lists of plain values kept on one line (`"rep": [3, 30, 60]`): still JSON. */
export function prettyPolicy(p: unknown): string {
  return JSON.stringify(p, null, 2).replace(/\[\s*([^\[\]{}]*?)\s*\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).filter(Boolean).join(', ')}]`);
}

async function inForce(ctx: Ctx, on: string): Promise<{ policy: Policy; source: string; effective_from: string; loaded_at: string | null; builtin: boolean }> {
  const { openDb } = await import('../store/db.js');
  const { policyOn, versionOn } = await import('../store/policy.js');
  const db = openDb(ctx.dbPath);
  try {
    const policy = policyOn(db, on);
    const v = versionOn(db, on);
    return {
      policy,
      effective_from: policy.effective_from,
      builtin: v === null,
      loaded_at: v?.loaded_at ?? null,
      source: v ? t('policy.loaded_source', { source: v.source ?? '—', loaded_at: v.loaded_at }) : t('policy.default_source'),
    };
  } finally {
    db.close();
  }
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description(t('policy.description'));

  policy
    .command('show')
    .description(t('policy.show.description'))
    .option('--on <date>', t('policy.opt.on'))
    .action(
      action(async (ctx, f: { on?: string }) => {
        const on = await dateFlag('--on', f.on, ctx.asOf);
        const v = await inForce(ctx, on);
        const heading = t('policy.in_force', { on, from: v.effective_from, source: v.source });
        if (ctx.format === 'json' || ctx.format === 'jsonl') {
          const o = { on, effective_from: v.effective_from, builtin: v.builtin, loaded_at: v.loaded_at, policy: v.policy };
          ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
        } else if (ctx.format === 'csv' || ctx.format === 'tsv') {
          const { render } = await import('../io/render.js');
          ctx.info('policy.in_force', { on, from: v.effective_from, source: v.source });
          ctx.out(render(flatten(v.policy), [{ key: 'path' }, { key: 'value' }], ctx));
        } else {
          ctx.out(heading + '\n' + prettyPolicy(v.policy));
        }
      }),
    );

  policy
    .command('export')
    .description(t('policy.export.description'))
    .option('--on <date>', t('policy.opt.on'))
    .action(
      action(async (ctx, f: { on?: string }) => {
        const on = await dateFlag('--on', f.on, ctx.asOf);
        const v = await inForce(ctx, on);
        ctx.info('policy.in_force', { on, from: v.effective_from, source: v.source });
        ctx.out(prettyPolicy(v.policy));
      }),
    );

  policy
    .command('load <file>')
    .description(t('policy.load.description'))
    .option('--from <date>', t('policy.opt.from'))
    .option('--replace', t('policy.opt.replace'))
    .option('--dry-run', t('policy.opt.dry_run'))
    .action(
      action(async (ctx, file: string, f: { from?: string; replace?: boolean; dryRun?: boolean }) => {
        const fs = await import('node:fs');
        const path = await import('node:path');
        const { openDb } = await import('../store/db.js');
        const { storedPolicies, addPolicyVersion, countTripsStarting } = await import('../store/policy.js');
        const { parsePolicy, parsePolicyText, parsePolicyVersion } = await import('../domain/policyDocument.js');
        const from = f.from === undefined ? undefined : await dateFlag('--from', f.from, '');
        let text: string;
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          throw new UserError(t('policy.no_file', { file }), t('policy.no_file.hint'));
        }
        const db = openDb(ctx.dbPath);
        try {
          let json: unknown;
          let syntaxOk = true;
          try {
            json = JSON.parse(text.replace(/^\uFEFF/, ''));
          } catch {
            syntaxOk = false;
          }
          // a JSON syntax error is reported by parsePolicyText, with the parser's detail
          const docDate = json !== null && typeof json === 'object' ? (json as { effective_from?: unknown }).effective_from : undefined;
          const result = !syntaxOk
            ? parsePolicyText(text, { effective_from: from, lang: ctx.lang })
            : from !== undefined && docDate !== undefined && docDate !== from
              ? parsePolicy(json, { effective_from: from, lang: ctx.lang }) // the document and --from disagree: say so first
              : parsePolicyVersion(storedPolicies(db), json, { effective_from: from, replace: f.replace, lang: ctx.lang });
          if (!result.ok) {
            const codes = new Set(result.issues.map((i) => i.code));
            const hint = codes.has('effective_from_taken')
              ? t('policy.invalid.hint_taken')
              : codes.has('effective_from_conflict')
                ? t('policy.invalid.hint_conflict')
                : t('policy.invalid.hint');
            throw new UserError(t('policy.invalid', { file }) + '\n' + result.errors.map((e) => '  ' + e).join('\n'), hint);
          }
          const p = result.policy;
          if (f.dryRun) {
            ctx.info('policy.dry_run_ok', { file, from: p.effective_from });
            return 0;
          }
          const { changeLog } = await import('../store/changes.js');
          // a replaced document stays on record: the change log keeps it, old → new
          const outcome = addPolicyVersion(db, p, path.basename(file), { replace: f.replace, log: changeLog(db, ctx.command) });
          ctx.info(outcome === 'replaced' ? 'policy.replaced' : 'policy.loaded', { file, from: p.effective_from });
          // finance should know when stored trips change price: those starting while this version is in force
          const next = storedPolicies(db).find((v) => v.effective_from > p.effective_from)?.effective_from;
          const n = countTripsStarting(db, p.effective_from, next ?? null);
          if (n > 0) ctx.info('policy.affects_trips', { n, from: p.effective_from, to: next ?? '—' });
          return 0;
        } finally {
          db.close();
        }
      }),
    );

  policy
    .command('list')
    .description(t('policy.list.description'))
    .action(
      action(async (ctx) => {
        const { openDb } = await import('../store/db.js');
        const { listPolicyVersions, versionOn } = await import('../store/policy.js');
        const { DEFAULT_POLICY } = await import('../domain/policy.js');
        const { render } = await import('../io/render.js');
        const { entry } = await import('../messages/index.js');
        const db = openDb(ctx.dbPath);
        try {
          const versions = listPolicyVersions(db);
          const current = versionOn(db, ctx.asOf);
          if (versions.length === 0) ctx.info('policy.no_versions');
          const rows = [
            { effective_from: DEFAULT_POLICY.effective_from, source: t('policy.default_source'), loaded_at: null, in_force: current === null },
            ...versions.map((v) => ({ effective_from: v.effective_from, source: v.source, loaded_at: v.loaded_at, in_force: current?.version_id === v.version_id })),
          ];
          ctx.out(
            render(rows, [
              { key: 'effective_from', header: entry('policy.col.effective_from'), kind: 'date' },
              { key: 'source', header: entry('policy.col.source') },
              { key: 'loaded_at', header: entry('policy.col.loaded_at') },
              { key: 'in_force', header: entry('policy.col.in_force'), kind: 'bool' },
            ], ctx),
          );
        } finally {
          db.close();
        }
      }),
    );
}
