/**
 * `salesops staff import|list|add|leave|rehire` — the roster (SPEC §2 staff.csv, §3.4); the
 * use cases are app/staff.ts.
 */
import type { Command } from 'commander';
import { t, type MessageKey, type Params } from '../messages/index.js';
import { EXIT, UsageError } from '../errors.js';
import { action, ask, requireAll } from './run.js';
import type { Ctx } from './context.js';
import { openDatabase } from './database.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';
import type { HandoverNotes, Leave } from '../app/staff.js';
import type { HandoverRow } from '../app/handover.js';

/** What the handovers said (where a leaving doctor's open tasks went), as they happened. */
function sayHandover(ctx: Ctx, said: HandoverNotes): void {
  for (const n of said.notices) ctx.info(n.key, n.params);
  for (const w of said.warnings) ctx.warn(t(w.key, w.params));
}

/** What a leaver's handover did: every customer moved (a record of a change, never cut). */
async function printHandover(ctx: Ctx, leaver: string, rows: HandoverRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { print } = await import('./output.js');
  const { HANDOVER_COLUMNS } = await import('../app/staff.js');
  ctx.info('staff.handover_list', { staff: leaver, n: rows.length });
  await print(ctx, rows, HANDOVER_COLUMNS, { limit: 0 });
}

/**
 * A yes/no question on a terminal (inquirer), "no" unless answered: the caller asks only
 * when ctx.interactive. y and n are understood in every language (the hint stays `y/N`),
 * the answer reads 是/否 in Chinese. Ctrl-C rejects as at every prompt (main.ts: "cancelled", 130).
 */
async function confirm(question: MessageKey, params: Params): Promise<boolean> {
  const prompts = await import('@inquirer/prompts');
  return prompts.confirm({
    message: t(question, params),
    default: false,
    transformer: (yes) => t(yes ? 'plans.confirm.yes' : 'plans.confirm.no'),
    theme: { keywords: { error: () => t('plans.confirm.error') } },
  });
}

/** The plan of a leave (issue 15): who receives what, per receiver, and the tasks left with nobody. */
async function printPlan(ctx: Ctx, staffId: string, leftOn: string, plan: Leave): Promise<void> {
  const { print } = await import('./output.js');
  const { LEAVE_PLAN_COLUMNS } = await import('../app/staff.js');
  if (plan.plan.length === 0) ctx.info('plans.leave.nothing', { id: staffId });
  else ctx.info('plans.leave.header', { name: plan.name, id: staffId, on: leftOn });
  // a plan is the few people who receive something: whole, never cut
  await print(ctx, plan.plan, LEAVE_PLAN_COLUMNS, { limit: 0 });
  for (const w of plan.planWarnings) ctx.warn(t(w.key, w.params));
}

/** `--on DATE`, or --as-of without it. */
async function onFlag(ctx: Ctx, on: string | undefined): Promise<string> {
  if (on === undefined) return ctx.asOf;
  const { parseDate } = await import('../domain/values.js');
  const d = parseDate(on);
  if (!d) throw new UsageError(t('import.bad_date') + `: --on ${on}`, t('import.bad_date.fix'));
  return d;
}

export function registerStaff(program: Command): void {
  const staff = program.command('staff').description(t('staff.description'));

  withImportFlags(staff.command('import <file>').description(t('staff.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { importStaff } = await import('../app/staff.js');
      const db = await openDatabase(ctx);
      try {
        const done = await importStaff(db, { file, ...flags, onProgress: progressPrinter(ctx) }, { asOf: ctx.asOf, command: ctx.command });
        sayHandover(ctx, done);
        const code = printReport(ctx, done.report);
        // the sheet did not undo a recorded leave: said, with the way to rehire
        if (done.report.committed || done.report.dryRun) {
          for (const k of done.kept) ctx.info(k.sheet === null ? 'staff.leave_kept' : 'staff.leave_kept_date', { id: k.staff_id, on: k.left_on, sheet: k.sheet });
        }
        for (const [id, rows] of done.handovers) await printHandover(ctx, id, rows);
        return code;
      } finally {
        db.close();
      }
    }),
  );

  staff
    .command('list')
    .description(t('staff.list.description'))
    .option('--role <role>', t('staff.flag.role'))
    .option('--team <team>', t('staff.flag.team'))
    .option('--active', t('staff.flag.active'))
    .action(
      action(async (ctx, f: { role?: string; team?: string; active?: boolean }) => {
        const { staffList } = await import('../app/staff.js');
        const { print } = await import('./output.js');
        const db = await openDatabase(ctx);
        try {
          const list = staffList(db, { role: f.role, team: f.team, activeOn: f.active ? ctx.asOf : undefined });
          // a roster is hundreds of people, not millions: listed whole, without --limit
          const done = await print(ctx, list.rows, list.columns, { limit: 0 });
          if (done.count === 0) ctx.info('common.no_rows');
        } finally {
          db.close();
        }
      }),
    );

  staff
    .command('add')
    .description(t('staff.add.description'))
    .option('--id <staff_id>', t('staff.flag.id'))
    .option('--name <name>', t('staff.flag.name'))
    .option('--role <role>', t('staff.flag.role'))
    .option('--team <team>', t('staff.flag.team'))
    .option('--district <code|name>', t('staff.flag.district'))
    .option('--areas <list>', t('staff.flag.areas'))
    .option('--hired-on <date>', t('staff.flag.hired_on'))
    .option('--regular-on <date>', t('staff.flag.regular_on'))
    .option('--capacity <n>', t('staff.flag.capacity'))
    .action(
      action(async (ctx, f: Record<string, string | undefined>) => {
        requireAll(ctx, [
          [f.id, '--id'],
          [f.name, '--name'],
          [f.role, '--role'],
          [f.hiredOn, '--hired-on'],
        ]);
        const values: Record<string, string> = {
          staff_id: f.id ?? (await ask(ctx, '--id', 'staff.ask.id')),
          name: f.name ?? (await ask(ctx, '--name', 'staff.ask.name')),
          role: f.role ?? (await ask(ctx, '--role', 'staff.ask.role', { choices: ['rep', 'supervisor', 'manager', 'doctor', 'gm'] })),
          team: f.team ?? '',
          district: f.district ?? '',
          areas: f.areas ?? '',
          hired_on: f.hiredOn ?? (await ask(ctx, '--hired-on', 'staff.ask.hired_on')),
          regular_on: f.regularOn ?? '',
          capacity: f.capacity ?? '',
        };
        const { addStaff } = await import('../app/staff.js');
        const db = await openDatabase(ctx);
        try {
          const s = await addStaff(db, values, ctx.asOf);
          ctx.info('staff.added', { id: s.staff_id, name: s.name });
        } finally {
          db.close();
        }
      }),
    );

  staff
    .command('leave <staff_id>')
    .description(t('staff.leave.description'))
    .option('--on <date>', t('staff.flag.left_on'))
    .option('--dry-run', t('plans.leave.flag.dry_run'))
    .option('--yes', t('plans.leave.flag.yes'))
    .action(
      action(async (ctx, staffId: string, f: { on?: string; dryRun?: boolean; yes?: boolean }) => {
        const leftOn = await onFlag(ctx, f.on);
        const { leaveStaff } = await import('../app/staff.js');
        const db = await openDatabase(ctx);
        const leave = { staffId, leftOn, asOf: ctx.asOf, command: ctx.command };
        let done: Leave;
        try {
          // issue 15: the plan first on a terminal (or with --dry-run); without one, and with
          // --yes, as before: §4 scripts never meet a question they cannot answer
          let agreed: Leave | undefined;
          if (f.dryRun || (ctx.interactive && !f.yes)) {
            agreed = leaveStaff(db, { ...leave, dryRun: true });
            await printPlan(ctx, staffId, leftOn, agreed);
            if (f.dryRun) {
              ctx.info('plans.leave.dry_done');
              return EXIT.ok;
            }
            if (!(await confirm('plans.leave.confirm', { id: staffId }))) {
              // "no" is the user's choice, as Ctrl-C at the question is: cancelled, 130
              ctx.warn(t('plans.leave.cancelled'));
              return EXIT.interrupted;
            }
          }
          done = leaveStaff(db, { ...leave, expect: agreed });
        } finally {
          db.close();
        }
        sayHandover(ctx, done);
        ctx.info('staff.left', { id: staffId, on: leftOn, n: done.rows.length });
        await printHandover(ctx, staffId, done.rows);
      }),
    );

  staff
    .command('rehire <staff_id>')
    .description(t('staff.rehire.description'))
    .option('--on <date>', t('staff.flag.rehired_on'))
    .option('--reason <text>', t('staff.flag.rehire_reason'))
    .action(
      action(async (ctx, staffId: string, f: { on?: string; reason?: string }) => {
        const on = await onFlag(ctx, f.on);
        const { rehireStaff } = await import('../app/staff.js');
        const db = await openDatabase(ctx);
        try {
          const left = rehireStaff(db, { staffId, on, reason: f.reason, command: ctx.command });
          ctx.info('staff.rehired', { id: staffId, on, left });
        } finally {
          db.close();
        }
      }),
    );
}
