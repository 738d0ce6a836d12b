/**
 * §3.4 handover, called wherever a leaver's left_on is set (staff leave, staff import).
 * Runs inside the caller's transaction. The assignment issue fills this in.
 */
import type { DB } from '../store/db.js';
import type { Ctx } from './context.js';

export interface HandoverRow {
  customer_id: number;
  new_staff_id: string;
  rule: string;
  explanation: string;
}

export function handOver(_db: DB, _ctx: Ctx, _staffId: string, _leftOn: string): HandoverRow[] {
  return [];
}
