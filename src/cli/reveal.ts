/**
 * §5: personal data is sealed. `--reveal` needs `--approved-by` naming a gm and `--reason`;
 * every reveal and personal-data export is written to the audit log first. The rule is the
 * use case's (app/audit.ts); here are the flags, and the check for commands that call it
 * without a use case of their own.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import type { DB } from '../store/db.js';
import { stdio } from '../stdio.js';
import type { Approval, RevealRequest } from '../app/audit.js';
import { auditDetail, today } from './context.js';

export type { Approval } from '../app/audit.js';
export type RevealFlags = RevealRequest;

export function withRevealFlags(cmd: Command): Command {
  return cmd
    .option('--reveal', t('reveal.flag.reveal'))
    .option('--approved-by <gm>', t('reveal.flag.approved_by'))
    .option('--reason <text>', t('reveal.flag.reason'));
}

/** Checks the approval and writes the audit entry; returns true when data may be shown unmasked. */
export async function authorizeReveal(db: DB, f: RevealFlags, action: string, subject: string): Promise<boolean> {
  const app = await import('../app/audit.js');
  const io = stdio();
  return app.authorizeReveal(db, f, today(io.now()), action, subject, auditDetail(io.argv));
}

/**
 * Checks `--reveal --approved-by --reason` (a gm in office today) without writing the audit
 * entry: for a command that writes it once its output is complete. Null without --reveal.
 */
export async function checkReveal(db: DB, f: RevealFlags): Promise<Approval | null> {
  const { approveReveal } = await import('../app/audit.js');
  return approveReveal(db, f, today(stdio().now()));
}
