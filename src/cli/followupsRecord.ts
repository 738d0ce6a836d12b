/**
 * `salesops followups done` and `followups add` (SPEC §3.2): on a terminal each missing
 * value is asked for, in a script it is a usage error naming its flag. What was recorded is
 * said on stderr; with --format json/jsonl it is also one record on stdout.
 */
import { t } from '../messages/index.js';
import { EXIT, UsageError } from '../errors.js';
import { ask } from './run.js';
import type { Ctx } from './context.js';
import { dateFlag, requireFlags, roleFlag } from './followupFlags.js';
import type { Notice } from '../app/listing.js';
import { openDatabase } from './database.js';

export interface DoneFlags {
  name?: string;
  role?: string;
  method?: string;
  note?: string;
  on?: string;
  staff?: string;
}

export interface AddFlags {
  name?: string;
  role?: string;
  due?: string;
  note?: string;
  staff?: string;
}

/** The notices, then (json/jsonl) the record on stdout. */
function say(ctx: Ctx, r: { record: object; notices: Notice[] }): number {
  for (const n of r.notices) ctx.info(n.key, n.params);
  if (ctx.format === 'json' || ctx.format === 'jsonl') ctx.out(ctx.format === 'json' ? JSON.stringify(r.record, null, 2) : JSON.stringify(r.record));
  return EXIT.ok;
}

const askRole = (ctx: Ctx) => ask(ctx, '--role', 'followups.prompt.role', { choices: ['rep', 'doctor'] });

export async function doneCommand(ctx: Ctx, customerArg: string | undefined, f: DoneFlags): Promise<number> {
  requireFlags(ctx, [
    [customerArg, 'CUSTOMER'],
    [f.role, '--role'],
    [f.method, '--method'],
    [f.note, '--note'],
  ]);
  const { parseMethod } = await import('../domain/followUpPlan.js');
  const doneOn = f.on ? dateFlag('--on', f.on) : ctx.asOf;
  const { resolveCustomer } = await import('../app/customers.js');
  const { staffNamed } = await import('../app/followups/lookup.js');
  const { recordFollowUp } = await import('../app/followups/record.js');
  const db = await openDatabase(ctx);
  try {
    const customer = await resolveCustomer(db, customerArg ?? (await ask(ctx, 'CUSTOMER', 'followups.prompt.customer')), f.name);
    const staff = f.staff ? staffNamed(db, f.staff) : undefined;
    const role = roleFlag(f.role ?? (await askRole(ctx)));
    const methodRaw = f.method ?? (await ask(ctx, '--method', 'followups.prompt.method', { choices: ['phone', 'visit'] }));
    const method = parseMethod(methodRaw);
    if (!method) throw new UsageError(t('followups.error.method', { value: methodRaw }), t('followups.error.method.hint'));
    const note = (f.note ?? (await ask(ctx, '--note', 'followups.prompt.note'))).trim();
    if (!note) throw new UsageError(t('followups.error.note_required'), t('followups.error.note_required.hint'));
    return say(ctx, recordFollowUp(db, { customer, role, method, note, doneOn, staff, asOf: ctx.asOf }));
  } finally {
    db.close();
  }
}

export async function addCommand(ctx: Ctx, customerArg: string | undefined, f: AddFlags): Promise<number> {
  requireFlags(ctx, [
    [customerArg, 'CUSTOMER'],
    [f.role, '--role'],
    [f.due, '--due'],
  ]);
  const { resolveCustomer } = await import('../app/customers.js');
  const { staffNamed } = await import('../app/followups/lookup.js');
  const { addFollowUp } = await import('../app/followups/record.js');
  const db = await openDatabase(ctx);
  try {
    const customer = await resolveCustomer(db, customerArg ?? (await ask(ctx, 'CUSTOMER', 'followups.prompt.customer')), f.name);
    const role = roleFlag(f.role ?? (await askRole(ctx)));
    const dueBy = dateFlag('--due', f.due ?? (await ask(ctx, '--due', 'followups.prompt.due_by')));
    const staff = f.staff ? staffNamed(db, f.staff) : undefined;
    return say(ctx, addFollowUp(db, { customer, role, dueBy, staff, note: f.note?.trim() || null, asOf: ctx.asOf }));
  } finally {
    db.close();
  }
}
