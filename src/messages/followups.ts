/** Messages of the `followups` command group (see index.ts). */
import type { Entry } from './entry.js';

export const followupMessages = {
  // §3.2 vocabulary
  'followups.role.rep': { zh: '满意代表', en: 'rep' },
  'followups.role.doctor': { zh: '顾服医生', en: 'doctor' },
  'followups.plan.buyer': { zh: '购买顾客回访', en: 'buyer plan' },
  'followups.plan.non_buyer': { zh: '未购买顾客回访', en: 'non-buyer plan' },
  'followups.plan.manual': { zh: '其他回访计划', en: 'manual' },
  'followups.status.open': { zh: '待回访', en: 'open' },
  'followups.status.done': { zh: '已回访', en: 'done' },
  'followups.status.cancelled': { zh: '已取消', en: 'cancelled' },

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
  // issue 13: a correction re-derives the plan as a clean import would give it
  'followups.plan.replanned': {
    zh: '{replanned} 份档案和回访计划已按其活动和订单记录重新生成（与一次性导入更正后的表格结果相同）；不再适用的回访任务删除 {removed} 项。',
    en: '{replanned} files and plans derived again from their events and orders (as a clean import of the corrected sheets gives them); {removed} tasks that no longer apply removed.',
  },
  // §2 followups.csv import
  'followups.import.corrected': {
    zh: '更正已登记的回访 {corrected} 次：原记录就地更新，不算新的回访（salesops audit --changes 可查看更正前后的内容）。',
    en: '{corrected} recorded follow-ups corrected in place, not counted as new contacts (`salesops audit --changes` shows old → new).',
  },
  'followups.import.rematched': {
    zh: '回访日期有更正：{rematched} 位顾客的回访任务已按更正后的日期重新匹配。',
    en: 'Dates corrected: the tasks of {rematched} customer(s) were matched again to the corrected follow-ups.',
  },
  'followups.import.summary': {
    zh: '回访记录：完成任务 {matched} 项（逾期 {late} 项），额外回访 {extra} 次。',
    en: 'Follow-ups: {matched} tasks completed ({late} late), {extra} extra contacts kept.',
  },

  // prompts (`followups done` on a TTY; every prompt has a flag)
  'followups.prompt.customer': { zh: '顾客（电话或编号）', en: 'Customer (phone or id)' },
  'followups.prompt.role': { zh: '回访人（rep 满意代表 / doctor 医生）', en: 'Role (rep / doctor)' },
  'followups.prompt.method': { zh: '方式（电话 / 上门）', en: 'Method (phone / visit)' },
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
    zh: '请填写 phone/电话 或 visit/上门（也可写 电访、家访、入户）。',
    en: 'Use phone (电话, 电访) or visit (上门, 家访, 入户).',
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
  // command groups and flags
  'events.description': { zh: '活动签到（联谊会等）：建立顾客档案，生成回访计划', en: 'event attendance (联谊会…): opens customer files and their follow-up plans' },
  'events.import.description': {
    zh: '从 CSV 导入活动签到；首次参加活动建立档案并生成回访计划，购买的同时记录订单',
    en: 'import attendance from CSV: a first attendance opens the file and its follow-up plan; a purchase with an amount also records an order',
  },
  'orders.description': { zh: '销售订单', en: 'sales orders' },
  'orders.import.description': {
    zh: '从 CSV 导入订单（按订单编号去重）；未填业务员时记在顾客的跟进人名下',
    en: 'import orders from CSV (idempotent by order_no); a blank staff credits the customer\'s owner',
  },
  'followups.description': { zh: '回访：到期清单、记录回访、导入回访记录、添加回访计划', en: 'follow-ups: the due list, recording, importing, manual tasks' },
  'followups.due.description': {
    zh: '列出到期的回访（已逾期在前，再按截止日期），表格按负责人分组',
    en: 'list open follow-ups due by --as-of + --within days, overdue first; the table is grouped per staff member',
  },
  'followups.done.description': {
    zh: '记录一次回访：完成该角色最早的待办回访；没有待办时记为额外回访（终端上会询问缺少的信息）',
    en: 'record a follow-up: completes the earliest open task of the role, else kept as an extra contact (asks for what is missing on a terminal)',
  },
  'followups.add.description': { zh: '添加一项其他回访计划（经理安排）', en: 'add a manager\'s follow-up task (其他回访计划)' },
  'followups.import.description': {
    zh: '从 CSV 导入回访记录（同一记录重复导入不会重复计入）',
    en: 'import completed follow-ups from CSV (re-importing the same records changes nothing)',
  },
  'followups.flag.within': { zh: '列出截止日期在 --as-of 之后 K 天内的回访（默认取制度参数，7 天）', en: 'list tasks due within K days after --as-of (default: the policy, 7)' },
  'followups.flag.staff': { zh: '只列出该员工（工号或姓名）的回访', en: 'only this staff member\'s tasks (id or name)' },
  'followups.flag.unassigned': { zh: '只列出还没有负责人的回访', en: 'only tasks nobody holds yet (customer not assigned)' },
  'followups.flag.role': { zh: '只列出 rep（满意代表）或 doctor（医生）的回访', en: 'only rep or doctor tasks' },
  'followups.flag.overdue': { zh: '只列出已逾期的回访（截止日期早于 --as-of）', en: 'only overdue tasks (due before --as-of)' },
  'followups.flag.fail_if_overdue': { zh: '列出的回访中有逾期时以退出码 4 结束（供定时脚本使用）', en: 'exit 4 when any listed task is overdue (for cron scripts)' },
  'followups.flag.limit': {
    zh: '最多列出的行数（表格默认 1000，csv/json 默认全部；0 为全部）',
    en: 'at most this many rows (default 1000 for the table, all for csv/tsv/json/jsonl; 0 = all)',
  },
  'followups.flag.role_done': { zh: '回访人：rep（满意代表）或 doctor（医生）', en: 'who followed up: rep or doctor' },
  'followups.flag.method': { zh: '回访方式：phone/电话 或 visit/上门', en: 'phone (电话) or visit (上门)' },
  'followups.flag.note': { zh: '回访内容记录（制度要求必填）', en: 'what was said (required by the regulation)' },
  'followups.flag.on': { zh: '回访日期（默认 --as-of）', en: 'date of the follow-up (default --as-of)' },
  'followups.flag.staff_done': { zh: '回访员工（默认：该回访任务的负责人）', en: 'who made it (default: the holder of the task it completes)' },
  'followups.flag.name': { zh: '姓名（多位顾客共用一个电话时）', en: 'the name, when several customers share the phone' },
  'followups.flag.due': { zh: '截止日期', en: 'due date' },
  'followups.flag.staff_add': { zh: '负责人（默认：rep 为跟进人，doctor 为负责该顾客的医生）', en: 'who holds it (default: the owner for rep, the customer\'s doctor for doctor)' },
  'followups.flag.note_add': { zh: '说明（可选）', en: 'what to do (optional)' },

  // due list
  'followups.due.truncated': {
    zh: '只列出了前 {n} 项（逾期在前）；还有更多到期回访：用 --staff/--role 缩小范围，或 --limit 0 列出全部。',
    en: 'showing the first {n} (overdue first); more are due: narrow with --staff/--role, or list all with --limit 0.',
  },
  'followups.due.days_overdue': { en: '{n} d overdue', zh: '逾期 {n} 天' },
  'followups.due.today': { en: 'today', zh: '今天' },
  'followups.due.heading': { zh: '{staff} {name}：{count} 项到期，{overdue} 项逾期', en: '{staff} {name}: {count} due, {overdue} overdue' },
  'followups.due.heading_unassigned': {
    zh: '未分配（顾客还没有跟进人：请运行 salesops assign；最后一位医生离职后的医生回访：完成后用 followups done … --staff 工号 登记）：{count} 项到期，{overdue} 项逾期',
    en: 'Unassigned (a customer with no owner yet: run `salesops assign`; a doctor task after the last doctor left: record it with `followups done … --staff ID`): {count} due, {overdue} overdue',
  },
  'followups.due.fail_overdue': {
    zh: '有 {n} 项回访已逾期（--fail-if-overdue：退出码 4）。',
    en: '{n} listed follow-ups are overdue (--fail-if-overdue: exit 4).',
  },
  'followups.error.rep_not_owner': {
    zh: '满意代表的回访属于顾客的跟进人（{owner}），不能交给 {staff}',
    en: 'rep follow-ups belong to the customer\'s owner ({owner}), not {staff}',
  },
  'followups.error.rep_not_owner.hint': {
    zh: '去掉 --staff；如需更换跟进人，请用 salesops assign set',
    en: 'leave out --staff; to change the owner use `salesops assign set`',
  },
  'followups.error.staff_and_unassigned': { zh: '--staff 与 --unassigned 不能同时使用', en: '--staff and --unassigned cannot be used together' },
  'followups.add.past': {
    zh: '提示：截止日期 {due_by} 早于今天（{as_of}），该回访会立即显示为逾期。',
    en: 'notice: {due_by} is before today ({as_of}); the task shows as overdue at once.',
  },
  'followups.staff_not_doctor': {
    zh: '提示：{staff} 的岗位是 {role}，不是医生。',
    en: 'notice: {staff} is a {role}, not a doctor.',
  },
  'followups.plan.linked': {
    zh: '此前已登记的 {linked} 次回访已按日期计入新的回访计划。',
    en: '{linked} follow-ups recorded earlier were matched, by date, to the new plans.',
  },
  'events.orders_summary': {
    zh: '购买记录生成订单：新增 {new}，更新 {updated}，撤销 {removed}。',
    en: 'orders from purchases: {new} new, {updated} updated, {removed} withdrawn.',
  },

  // row errors of events.csv, followups.csv, orders.csv
  'fu.customer_key.fix': {
    zh: '请在 customer/电话 列填写顾客电话（同号多人时加姓名列），或填写顾客编号（如 #12）',
    en: 'give the customer\'s phone in `customer` or `phone` (add a `name` column when a phone is shared), or the customer id (#12)',
  },
  'fu.bad_customer_key': { zh: '既不是电话号码也不是顾客编号', en: 'neither a phone number nor a customer id' },
  'fu.future_date.fix': { zh: '不能登记今天（--as-of）之后的日期，请核对年份', en: 'a date after today (--as-of) cannot be recorded; check the year' },
  'fu.note_required.fix': {
    zh: '制度要求记录回访内容：请在 note（回访内容）列写明沟通内容',
    en: 'the regulation requires a record of what was said: fill in the note column',
  },
  'fu.customer_name_mismatch': { zh: '该顾客编号对应“{name}”，不是“{given}”', en: 'this customer id is {name}, not {given}' },
  'fu.customer_name_mismatch.fix': { zh: '请核对顾客编号或姓名', en: 'check the id or the name' },
  'fu.unknown_customer_name': { zh: '没有电话为此号码、姓名为“{name}”的顾客', en: 'no customer with this phone and the name {name}' },
  'fu.ambiguous_customer': { zh: '该电话对应多位顾客（{names}）', en: 'this phone belongs to several customers ({names})' },
  'fu.ambiguous_customer.fix': { zh: '请加上姓名列（电话+姓名），或改填顾客编号', en: 'add a name column (phone + name), or use the customer id' },
  'events.future_date.fix': { zh: '活动日期不能晚于今天（--as-of），请核对年份', en: 'an event cannot be attended after today (--as-of); check the year' },
  'events.amount_without_purchase': { zh: '填写了购买金额，但“是否购买”为否', en: 'an amount is given but purchased is no' },
  'events.amount_without_purchase.fix': { zh: '请把“是否购买”改为是，或清空金额', en: 'set purchased to yes, or clear the amount' },

  // contact methods
  'followups.method.phone': { zh: '电话', en: 'phone' },
  'followups.method.visit': { zh: '上门', en: 'visit' },
  'followups.extra': { zh: '额外回访', en: 'extra contact' },

  // customers show
  'detail.file': { zh: '顾客档案', en: 'File' },
  'detail.no_file': { zh: '顾客档案：尚未建立（顾客参加活动后建档）', en: 'File: none yet (opened when the customer attends an event)' },
  'detail.file.line': {
    zh: '顾客档案：{opened_on} 建档（{event}），{buyer}',
    en: 'File: opened {opened_on} ({event}), {buyer}',
  },
  'detail.file.buyer': { zh: '购买顾客（{bought_on} 购买）', en: 'buyer (bought {bought_on})' },
  'detail.file.non_buyer': { zh: '未购买', en: 'non-buyer' },
  'detail.plan': { zh: '回访计划：', en: 'Follow-up plan:' },
  'detail.followups': { zh: '回访记录：', en: 'Contact history:' },
  'detail.no_followups': { zh: '回访记录：无', en: 'Contact history: none' },
  'detail.events': { zh: '参加活动：', en: 'Events attended:' },
  'detail.orders': { zh: '订单：', en: 'Orders:' },
  'detail.late': { zh: '逾期完成', en: 'late' },
  'detail.overdue': { zh: '已逾期', en: 'overdue' },
} satisfies Record<string, Entry>;
