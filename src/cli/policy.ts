/**
 * `salesops policy show|export|load|list` (SPEC §6): the numbers of the rules, versioned by
 * effective date. Registered through registerTrips (src/cli/trips.ts).
 *
 * - `show [--on DATE]`: which version is in force on the date (default --as-of) and its
 *   document as readable JSON; `--format json` wraps it with the version's metadata (one
 *   document, not a listing: printed whole, indented); csv/tsv list one `path,value` row
 *   per number.
 * - `export [--on DATE]`: exactly the JSON document in force (stdout), to edit and load.
 * - `load FILE [--from DATE] [--replace] [--dry-run]`: the document may be partial (merged
 *   over the version in force on its date); it is validated whole, every problem named by
 *   its field path; on any error nothing is stored (exit 1). A second version on the same
 *   date is refused unless --replace.
 * - `list`: the loaded versions and which one is in force on --as-of.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import type { Notice } from '../app/listing.js';
import { openDatabase } from './database.js';

async function dateFlag(flag: string, raw: string | undefined, fallback: string): Promise<string> {
  if (raw === undefined) return fallback;
  const { parseDate } = await import('../domain/values.js');
  const d = parseDate(raw);
  if (!d) throw new UsageError(t('cli.bad_date_flag', { flag, value: raw }));
  return d;
}

/** JSON.stringify with 2 spaces, lists of plain values kept on one line (`"rep": [3, 30, 60]`): still JSON. */
function prettyPolicy(p: unknown): string {
  return JSON.stringify(p, null, 2).replace(/\[\s*([^\[\]{}]*?)\s*\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).filter(Boolean).join(', ')}]`);
}

const say = (ctx: Ctx, notices: readonly Notice[] = []) => {
  for (const n of notices) ctx.info(n.key, n.params);
};

async function inForce(ctx: Ctx, on: string) {
  const { policyInForce } = await import('../app/policy.js');
  const db = await openDatabase(ctx);
  try {
    return policyInForce(db, on);
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
        const v = await inForce(ctx, await dateFlag('--on', f.on, ctx.asOf));
        if (ctx.format === 'json' || ctx.format === 'jsonl') {
          const o = { on: v.on, effective_from: v.effective_from, builtin: v.builtin, loaded_at: v.loaded_at, policy: v.policy };
          ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
        } else if (ctx.format === 'csv' || ctx.format === 'tsv') {
          const { policyValues } = await import('../app/policy.js');
          const { print } = await import('./output.js');
          const values = policyValues(v);
          say(ctx, values.notices);
          await print(ctx, values.rows, values.columns);
        } else {
          ctx.out(t(v.heading.key, v.heading.params) + '\n' + prettyPolicy(v.policy));
        }
      }),
    );

  policy
    .command('export')
    .description(t('policy.export.description'))
    .option('--on <date>', t('policy.opt.on'))
    .action(
      action(async (ctx, f: { on?: string }) => {
        const v = await inForce(ctx, await dateFlag('--on', f.on, ctx.asOf));
        say(ctx, [v.heading]);
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
        const { loadPolicy, readPolicyFile } = await import('../app/policy.js');
        const from = f.from === undefined ? undefined : await dateFlag('--from', f.from, '');
        const text = readPolicyFile(file);
        const db = await openDatabase(ctx);
        try {
          say(ctx, await loadPolicy(db, { file, text, from, replace: f.replace, dryRun: f.dryRun, lang: ctx.lang, command: ctx.command }));
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
        const { policyVersions } = await import('../app/policy.js');
        const { print } = await import('./output.js');
        const db = await openDatabase(ctx);
        try {
          const versions = policyVersions(db, ctx.asOf);
          say(ctx, versions.notices);
          await print(ctx, versions.rows, versions.columns);
        } finally {
          db.close();
        }
      }),
    );
}
