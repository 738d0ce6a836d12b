/**
 * §5: personal data is sealed. `--reveal` needs `--approved-by` naming a gm and `--reason`;
 * every reveal and personal-data export is written to the audit log first.
 */
import { stdio } from '../stdio.js';
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UserError, UsageError } from '../errors.js';
import type { DB } from '../store/db.js';

export interface RevealFlags {
  reveal?: boolean;
  approvedBy?: string;
  reason?: string;
}

export function withRevealFlags(cmd: Command): Command {
  return cmd
    .option('--reveal', t('reveal.flag.reveal'))
    .option('--approved-by <gm>', t('reveal.flag.approved_by'))
    .option('--reason <text>', t('reveal.flag.reason'));
}

/** A GM's approval to reveal sealed data, checked but not yet written to the audit log. */
export interface Approval {
  approvedBy: string;
  reason: string;
}

/** Checks the approval and writes the audit entry; returns true when data may be shown unmasked. */
export async function authorizeReveal(db: DB, f: RevealFlags, action: string, subject: string): Promise<boolean> {
  const approval = await checkReveal(db, f);
  if (!approval) return false;
  const { appendAudit } = await import('../store/audit.js');
  appendAudit(db, { action, approved_by: approval.approvedBy, reason: approval.reason, subject, detail: stdio().argv.join(' ') });
  return true;
}

/**
 * Checks `--reveal --approved-by --reason` (a gm in office today) without writing the audit
 * entry: for a command that writes it once its output is complete. Null without --reveal.
 */
export async function checkReveal(db: DB, f: RevealFlags): Promise<Approval | null> {
  if (!f.reveal) return null;
  if (!f.approvedBy || !f.reason?.trim()) throw new UsageError(t('reveal.needs_approval'), t('reveal.needs_approval.hint'));
  const { findStaff } = await import('../store/staff.js');
  const gm = findStaff(db, f.approvedBy);
  if (!gm || gm.role !== 'gm') throw new UserError(t('reveal.not_gm', { who: f.approvedBy }), t('reveal.needs_approval.hint'));
  // §5: the approval is given now, so the gm must be in office today (not on --as-of)
  const { today } = await import('./context.js');
  if (gm.left_on !== null && gm.left_on <= today(stdio().now())) {
    throw new UserError(t('reveal.gm_left', { who: gm.staff_id, left_on: gm.left_on }), t('reveal.needs_approval.hint'));
  }
  return { approvedBy: gm.staff_id, reason: f.reason.trim() };
}
