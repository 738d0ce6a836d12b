/** Messages of the `followups` command group (see index.ts). */
import type { Entry } from './index.js';

export const followupMessages = {
  // §4 `followups due` columns (JSON/CSV keep the English field names)
  'followups.col.customer_id': { zh: '顾客编号', en: 'Customer' },
  'followups.col.customer_name': { zh: '顾客姓名', en: 'Name' },
  'followups.col.role': { zh: '回访人', en: 'Role' },
  'followups.col.seq': { zh: '次序', en: 'No.' },
  'followups.col.plan': { zh: '回访计划', en: 'Plan' },
  'followups.col.due_by': { zh: '截止日期', en: 'Due by' },
  'followups.col.overdue': { zh: '已逾期', en: 'Overdue' },
  'followups.col.staff_id': { zh: '负责人', en: 'Staff' },
  'followups.col.status': { zh: '状态', en: 'Status' },
  'followups.col.done_on': { zh: '回访日期', en: 'Done on' },

  // §3.2 vocabulary
  'followups.role.rep': { zh: '满意代表', en: 'rep' },
  'followups.role.doctor': { zh: '顾服医生', en: 'doctor' },
  'followups.plan.buyer': { zh: '购买顾客回访', en: 'buyer plan' },
  'followups.plan.non_buyer': { zh: '未购买顾客回访', en: 'non-buyer plan' },
  'followups.plan.manual': { zh: '其他回访计划', en: 'manual' },
  'followups.status.open': { zh: '待回访', en: 'open' },
  'followups.status.done': { zh: '已回访', en: 'done' },
  'followups.status.cancelled': { zh: '已取消', en: 'cancelled' },
  'followups.overdue.yes': { zh: '是', en: 'yes' },
  'followups.overdue.no': { zh: '否', en: 'no' },

  // §3.2 `followups due --as-of D --within K`
  'followups.due.summary': {
    zh: '截至 {cutoff} 共有 {count} 项回访到期，其中 {overdue} 项已逾期。',
    en: '{count} follow-ups due by {cutoff}, {overdue} of them overdue.',
  },
  'followups.due.none': {
    zh: '截至 {cutoff} 没有到期的回访。',
    en: 'No follow-ups due by {cutoff}.',
  },

  // §3.2 `followups done`: which task a recorded follow-up completed
  'followups.done.on_time': {
    zh: '已记录：完成{role}第 {seq} 次回访（截止 {due_by}），按时。',
    en: 'Recorded: {role} follow-up #{seq} (due {due_by}) done on time.',
  },
  'followups.done.late': {
    zh: '已记录：完成{role}第 {seq} 次回访（截止 {due_by}），逾期 {days} 天。',
    en: 'Recorded: {role} follow-up #{seq} (due {due_by}) done {days} days late.',
  },
  'followups.done.extra': {
    zh: '已记录为额外回访：该顾客没有待完成的{role}回访任务。',
    en: 'Recorded as an extra contact: the customer has no open {role} follow-up.',
  },
  'followups.done.before_plan': {
    zh: '已记录为额外回访：回访日期 {done_on} 早于回访计划开始（{start}）。',
    en: 'Recorded as an extra contact: {done_on} is before the follow-up plan started ({start}).',
  },
  'followups.done.duplicate': {
    zh: '这次回访已经记录过，未作更改。',
    en: 'This follow-up was already recorded; nothing changed.',
  },

  // §3.2 `followups add` (其他回访计划)
  'followups.add.added': {
    zh: '已为顾客 {customer} 添加{role}回访（第 {seq} 次，截止 {due_by}）。',
    en: 'Added a {role} follow-up #{seq} due {due_by} for customer {customer}.',
  },

  // §2 events.csv: effects of attendance on files and plans
  'followups.plan.summary': {
    zh: '新建档案 {opened} 份（其中购买 {buyers} 份），转为购买顾客 {upgraded} 份；新增回访任务 {added} 项，取消 {cancelled} 项。',
    en: '{opened} files opened ({buyers} buyers), {upgraded} upgraded to the buyer plan; {added} follow-up tasks added, {cancelled} cancelled.',
  },
  // §2 followups.csv import
  'followups.import.summary': {
    zh: '回访记录：完成任务 {matched} 项（逾期 {late} 项），额外回访 {extra} 次。',
    en: 'Follow-ups: {matched} tasks completed ({late} late), {extra} extra contacts kept.',
  },

  // prompts (`followups done` on a TTY; every prompt has a flag)
  'followups.prompt.customer': { zh: '顾客（电话或编号）', en: 'Customer (phone or id)' },
  'followups.prompt.role': { zh: '回访人（rep 满意代表 / doctor 医生）', en: 'Role (rep / doctor)' },
  'followups.prompt.done_on': { zh: '回访日期', en: 'Done on' },
  'followups.prompt.method': { zh: '方式（电话 / 上门）', en: 'Method (phone / visit)' },
  'followups.prompt.staff': { zh: '回访员工', en: 'Staff' },
  'followups.prompt.note': { zh: '回访内容记录', en: 'Note (what was said)' },
  'followups.prompt.due_by': { zh: '截止日期', en: 'Due by' },

  // errors (message, then `.hint`: what to do)
  'followups.error.note_required': {
    zh: '缺少回访内容记录（note）。',
    en: 'The follow-up has no note.',
  },
  'followups.error.note_required.hint': {
    zh: '制度要求记录回访内容：请用 --note 写明沟通内容。',
    en: 'The regulation requires a record of what was said: pass --note.',
  },
  'followups.error.role': {
    zh: '回访人“{value}”无效。',
    en: 'Unknown role "{value}".',
  },
  'followups.error.role.hint': {
    zh: '请填写 rep（满意代表）或 doctor（医生）。',
    en: 'Use rep or doctor.',
  },
  'followups.error.method': {
    zh: '回访方式“{value}”无效。',
    en: 'Unknown method "{value}".',
  },
  'followups.error.method.hint': {
    zh: '请填写 phone/电话 或 visit/上门。',
    en: 'Use phone (电话) or visit (上门).',
  },
  'followups.error.future': {
    zh: '回访日期 {done_on} 晚于今天（{as_of}）。',
    en: 'Done on {done_on} is after today ({as_of}).',
  },
  'followups.error.future.hint': {
    zh: '只记录已经完成的回访；如需安排以后的回访，请用 salesops followups add。',
    en: 'Record only follow-ups already made; to plan one, use `salesops followups add`.',
  },
  'followups.error.within': {
    zh: '--within 必须是不小于 0 的整数天数，收到“{value}”。',
    en: '--within must be a whole number of days, 0 or more; got "{value}".',
  },
} satisfies Record<string, Entry>;
