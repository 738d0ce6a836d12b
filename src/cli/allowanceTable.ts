/**
 * `allowance` as a table (SPEC §4, for people): per trip a heading, its lines with the rule
 * and flag texts, its totals and trip flags with their details; then a summary per staff and
 * month when there is more than one trip. The boxes are the output pipeline's table sink.
 */
import { columnHeader } from '../messages/columns.js';
import { t, type MessageKey } from '../messages/index.js';
import { ALLOWANCE_STAFF_COLUMNS, allowanceSummary, flagText, ruleText, type TripAllowance } from '../app/allowance.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { tableText } from '../io/output/cell.js';
import type { Column, Row } from '../io/output/column.js';
import { table } from '../io/output/sinks/table.js';
import { writeOut } from '../stdio.js';
import type { Ctx } from './context.js';

const LINE_COLUMNS: Column[] = [
  { key: 'line_no', header: columnHeader('allowance.col.line_no'), kind: 'int' },
  { key: 'date', header: columnHeader('allowance.col.date') },
  { key: 'kind', header: columnHeader('allowance.col.kind') },
  { key: 'claimed', header: columnHeader('allowance.col.claimed'), kind: 'money' },
  { key: 'reimbursable', header: columnHeader('allowance.col.reimbursable'), kind: 'money' },
  { key: 'rule', header: columnHeader('allowance.col.rule') },
  { key: 'flags', header: columnHeader('allowance.col.flags') },
];


/** Flags whose text says the numbers behind them. */
const DETAILED = new Set(['absence', 'advance_over_limit', 'report_late', 'report_missing']);

const MONEY: Column = { key: 'money', kind: 'money' };

export async function printAllowanceTable(ctx: Ctx, trips: readonly TripAllowance[]): Promise<void> {
  const color = ctx.color && ctx.stdoutIsTTY;
  const boxed = (rows: readonly Row[], columns: readonly Column[]): string => {
    let text = '';
    const sink = table(columns, (s) => (text += s), { lang: ctx.lang, color });
    for (const r of rows) sink.row(r);
    sink.end(rows.length);
    return text;
  };
  const yuan = (fen: number) => tableText(fen, MONEY, ctx.lang);
  const zh = ctx.lang === 'zh';
  const parts: string[] = [];
  for (const { trip, priced } of trips) {
    const when = (d: string, time: string | null) => (time ? `${d} ${time}` : d);
    let heading = t('allowance.heading', {
      trip_no: trip.trip_no,
      staff_id: trip.staff_id,
      name: trip.staff_name ?? '',
      start: when(trip.start_date, trip.start_time),
      end: when(trip.end_date, trip.end_time),
      days: priced.days,
      paid_days: priced.paid_days,
      scope: t(`allowance.scope.${trip.scope}` as MessageKey),
    });
    if (trip.client) heading += ' · ' + t('allowance.heading.client', { client: trip.client });
    const policyLine =
      priced.policy_effective_from === DEFAULT_POLICY.effective_from
        ? t('allowance.policy_default')
        : t('allowance.policy_version', { date: priced.policy_effective_from });
    const lines = priced.lines.map((l) => ({
      line_no: l.line_no,
      // a per-diem line of several unpaid days: its first day and how many more
      date: l.days && l.days > 1 ? `${l.date} +${l.days - 1}` : l.date,
      kind: t(`allowance.kind.${l.kind}` as MessageKey),
      claimed: l.claimed_fen,
      reimbursable: l.reimbursable_fen,
      rule: ruleText(l.rule, l.params),
      flags: l.flags.map(flagText).join(zh ? '；' : '; '),
    }));
    let text = `${heading}\n${policyLine}\n` + boxed(lines, LINE_COLUMNS);
    text += t('allowance.totals', {
      per_diem: yuan(priced.per_diem_fen),
      claimed: yuan(priced.claimed_fen),
      reimbursable: yuan(priced.reimbursable_fen),
      advance: yuan(priced.advance_fen),
      net_payable: yuan(priced.net_payable_fen),
    });
    if (priced.net_payable_fen < 0) text += ' ' + t('allowance.owed_back', { amount: yuan(-priced.net_payable_fen) });
    text += '\n';
    if (priced.flags.length) {
      const params = { ...priced.params, advance: yuan(priced.advance_fen), as_of: ctx.asOf };
      const detail = (f: string) => t(`allowance.flag_detail.${f}` as MessageKey, params);
      const texts = priced.flags.map((f) => (DETAILED.has(f) ? (zh ? `${flagText(f)}（${detail(f)}）` : `${flagText(f)} (${detail(f)})`) : flagText(f)));
      text += t('allowance.trip_flags') + (zh ? '' : ' ') + texts.join(zh ? '；' : '; ') + '\n';
    }
    parts.push(text);
  }
  if (trips.length > 1) parts.push(t('allowance.summary') + '\n' + boxed(allowanceSummary(trips), ALLOWANCE_STAFF_COLUMNS));
  await writeOut(ctx.io.stdout, parts.join('\n'));
}
