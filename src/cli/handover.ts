/**
 * §3.4 handover for the commands that set a leaver's left_on (staff leave, staff import):
 * the use case (src/app/handover.ts) inside the caller's transaction, its notices said at
 * once — before the caller commits, as the handover happens.
 */
import type { DB } from '../store/db.js';
import type { Ctx } from './context.js';
import { t } from '../messages/index.js';
import { handOver as handOverCase, type HandoverRow } from '../app/handover.js';

export type { HandoverRow } from '../app/handover.js';

export function handOver(db: DB, ctx: Ctx, staffId: string, leftOn: string): HandoverRow[] {
  const h = handOverCase(db, { staffId, leftOn, asOf: ctx.asOf });
  for (const n of h.notices) ctx.info(n.key, n.params);
  for (const w of h.warnings) ctx.warn(t(w.key, w.params));
  return h.rows;
}
