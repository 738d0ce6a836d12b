/**
 * `salesops staff import|list|add|leave|rehire` — the roster (SPEC §2 staff.csv, §3.4).
 * A re-import never undoes a recorded leave; rehiring is `staff rehire`, audited (issue 13).
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UserError, UsageError } from '../errors.js';
import { action, ask } from './run.js';
import type { Ctx } from './context.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';
import type { Column } from '../io/render.js';
import type { HandoverRow } from './handover.js';

const COLUMNS: Column[] = [
  { key: 'staff_id', header: { zh: '工号', en: 'staff_id' } },
  { key: 'name', header: { zh: '姓名', en: 'name' } },
  { key: 'role', header: { zh: '岗位', en: 'role' } },
  { key: 'team', header: { zh: '团队', en: 'team' } },
  { key: 'district', header: { zh: '地区', en: 'district' } },
  { key: 'district_name', header: { zh: '地区名称', en: 'district_name' } },
  { key: 'areas', header: { zh: '负责区域', en: 'areas' }, kind: 'list' },
  { key: 'hired_on', header: { zh: '入职日期', en: 'hired_on' }, kind: 'date' },
  { key: 'regular_on', header: { zh: '转正日期', en: 'regular_on' }, kind: 'date' },
  { key: 'left_on', header: { zh: '离职日期', en: 'left_on' }, kind: 'date' },
  { key: 'capacity', header: { zh: '档案上限', en: 'capacity' }, kind: 'int' },
];

async function printHandover(ctx: Ctx, leaver: string, rows: HandoverRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { render } = await import('../io/render.js');
  ctx.info('staff.handover_list', { staff: leaver, n: rows.length });
  ctx.out(
    render(rows as unknown as Record<string, unknown>[], [
      { key: 'customer_id', header: { zh: '顾客编号', en: 'customer_id' }, kind: 'int' },
      { key: 'new_staff_id', header: { zh: '新跟进人', en: 'new_staff_id' } },
      { key: 'rule', header: { zh: '规则', en: 'rule' } },
      { key: 'explanation', header: { zh: '说明', en: 'explanation' } },
    ], ctx),
  );
}

export function registerStaff(program: Command): void {
  const staff = program.command('staff').description(t('staff.description'));

  withImportFlags(staff.command('import <file>').description(t('staff.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { openDb } = await import('../store/db.js');
      const { runImport } = await import('../io/importer.js');
      const { staffWriter } = await import('../store/staff.js');
      const { changeLog } = await import('../store/changes.js');
      const { handOver } = await import('./handover.js');
      const db = openDb(ctx.dbPath);
      const handovers: [string, HandoverRow[]][] = [];
      const writer = staffWriter(db, {
        onLeft: (id, on) => handovers.push([id, handOver(db, ctx, id, on)]),
        log: changeLog(db, ctx.command),
        asOf: ctx.asOf,
      });
      const report = await runImport({ file, kind: 'staff', db, writer, ctx: { asOf: ctx.asOf }, ...flags, onProgress: progressPrinter(ctx) });
      const code = printReport(ctx, report);
      // the sheet did not undo a recorded leave: said, with the way to rehire
      if (report.committed || report.dryRun) {
        for (const k of writer.kept) {
          ctx.info(k.sheet === null ? 'staff.leave_kept' : 'staff.leave_kept_date', { id: k.staff_id, on: k.left_on, sheet: k.sheet });
        }
      }
      if (report.committed) for (const [id, rows] of handovers) await printHandover(ctx, id, rows);
      db.close();
      return code;
    }),
  );

  staff
    .command('list')
    .description(t('staff.list.description'))
    .option('--role <role>', t('staff.flag.role'))
    .option('--team <team>', t('staff.flag.team'))
    .option('--active', t('staff.flag.active'))
    .action(
      action(async (ctx, flags: { role?: string; team?: string; active?: boolean }) => {
        const { openDb } = await import('../store/db.js');
        const { listStaff } = await import('../store/staff.js');
        const { parseRole } = await import('../domain/staff.js');
        const { regionByCode } = await import('../domain/region.js');
        const { render } = await import('../io/render.js');
        const role = flags.role ? parseRole(flags.role) : undefined;
        if (flags.role && !role) throw new UsageError(t('staff.bad_role') + `: ${flags.role}`, t('staff.bad_role.fix'));
        const db = openDb(ctx.dbPath, { readonly: false });
        const rows = listStaff(db, { role: role ?? undefined, team: flags.team, activeOn: flags.active ? ctx.asOf : undefined }).map((s) => ({
          ...s,
          district_name: s.district ? regionByCode(s.district)?.fullName ?? null : null,
        }));
        db.close();
        if (rows.length === 0) ctx.info('common.no_rows');
        ctx.out(render(rows, COLUMNS, ctx));
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
        const { openDb, inTransaction } = await import('../store/db.js');
        const { getStaff, insertStaff } = await import('../store/staff.js');
        const { kind } = await import('../io/kinds/staff.js');
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
        // the same validation as a roster row
        const parsed = kind.parseRow((k) => (values[k] ?? '').trim(), { asOf: ctx.asOf });
        if (!parsed.ok) {
          const e = parsed.errors[0];
          throw new UserError(`${e.column} "${e.value}": ${t(e.reason, e.params)}`, e.fix ? t(e.fix, e.params) : undefined);
        }
        const db = openDb(ctx.dbPath);
        if (getStaff(db, parsed.value.staff_id)) {
          db.close();
          throw new UserError(t('staff.exists', { id: parsed.value.staff_id }), t('staff.exists.hint'));
        }
        inTransaction(db, () => insertStaff(db, parsed.value));
        db.close();
        ctx.info('staff.added', { id: parsed.value.staff_id, name: parsed.value.name });
      }),
    );

  staff
    .command('leave <staff_id>')
    .description(t('staff.leave.description'))
    .option('--on <date>', t('staff.flag.left_on'))
    .action(
      action(async (ctx, staffId: string, f: { on?: string }) => {
        const { openDb, inTransaction } = await import('../store/db.js');
        const { getStaff, setLeftOn } = await import('../store/staff.js');
        const { parseDate } = await import('../domain/values.js');
        const { handOver } = await import('./handover.js');
        const leftOn = f.on ? parseDate(f.on) : ctx.asOf;
        if (!leftOn) throw new UsageError(t('import.bad_date') + `: --on ${f.on}`, t('import.bad_date.fix'));
        const db = openDb(ctx.dbPath);
        const s = getStaff(db, staffId);
        if (!s) {
          db.close();
          throw new UserError(t('staff.unknown', { id: staffId }), t('staff.unknown.hint'));
        }
        if (leftOn < s.hired_on) {
          db.close();
          throw new UserError(t('staff.left_before_hired'), t('staff.left_before_hired.fix'));
        }
        const { changeLog } = await import('../store/changes.js');
        const rows = inTransaction(db, () => {
          setLeftOn(db, staffId, leftOn);
          changeLog(db, ctx.command).field('staff', staffId, 'left_on', s.left_on, leftOn);
          return handOver(db, ctx, staffId, leftOn);
        });
        db.close();
        ctx.info('staff.left', { id: staffId, on: leftOn, n: rows.length });
        await printHandover(ctx, staffId, rows);
      }),
    );
  staff
    .command('rehire <staff_id>')
    .description(t('staff.rehire.description'))
    .option('--on <date>', t('staff.flag.rehired_on'))
    .option('--reason <text>', t('staff.flag.rehire_reason'))
    .action(
      action(async (ctx, staffId: string, f: { on?: string; reason?: string }) => {
        const { openDb, inTransaction } = await import('../store/db.js');
        const { getStaff, setLeftOn } = await import('../store/staff.js');
        const { appendAudit } = await import('../store/audit.js');
        const { changeLog } = await import('../store/changes.js');
        const { parseDate } = await import('../domain/values.js');
        const on = f.on ? parseDate(f.on) : ctx.asOf;
        if (!on) throw new UsageError(t('import.bad_date') + `: --on ${f.on}`, t('import.bad_date.fix'));
        const db = openDb(ctx.dbPath);
        try {
          const s = getStaff(db, staffId);
          if (!s) throw new UserError(t('staff.unknown', { id: staffId }), t('staff.unknown.hint'));
          if (s.left_on === null) throw new UserError(t('staff.not_left', { id: staffId }), t('staff.not_left.hint', { id: staffId }));
          if (on < s.hired_on) throw new UserError(t('staff.rehire_before_hired', { on, hired: s.hired_on }), t('staff.left_before_hired.fix'));
          // back before the recorded leave: the leave and the rehire would say two things of the same days
          if (on < s.left_on) throw new UserError(t('staff.rehire_before_left', { id: staffId, on, left: s.left_on }), t('staff.rehire_before_left.hint', { id: staffId, left: s.left_on }));
          const leftOn = s.left_on;
          inTransaction(db, () => {
            setLeftOn(db, staffId, null);
            changeLog(db, ctx.command).field('staff', staffId, 'left_on', leftOn, null);
            appendAudit(db, {
              action: 'rehire',
              approved_by: null,
              reason: f.reason?.trim() || null,
              subject: staffId,
              detail: `left_on ${leftOn} cleared; rehired on ${on}`,
            });
          });
          ctx.info('staff.rehired', { id: staffId, on, left: leftOn });
        } finally {
          db.close();
        }
      }),
    );
}
