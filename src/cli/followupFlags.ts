/** The flags the follow-up commands share: the role, a date, and what a script must give. */
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { parseFollowUpRole, type Role } from '../domain/followUpPlan.js';
import { parseDate } from '../domain/values.js';
import { requireAll } from './run.js';
import type { Ctx } from './context.js';

/** `--role`: rep/满意代表 or doctor/医生 (§3.2). */
export function roleFlag(v: string): Role {
  const r = parseFollowUpRole(v);
  if (!r) throw new UsageError(t('followups.error.role', { value: v }), t('followups.error.role.hint'));
  return r;
}

export function dateFlag(flag: string, v: string): string {
  const d = parseDate(v);
  if (!d) throw new UsageError(t('cli.bad_date_flag', { flag, value: v }));
  return d;
}

/** In a script the missing values are one usage error naming every flag, before anything is read. */
export function requireFlags(ctx: Ctx, items: [unknown, string][]): void {
  requireAll(ctx, items);
}
