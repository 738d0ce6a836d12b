/** Messages of the `assign` command group (see index.ts). */
import type { Entry } from './entry.js';

// Explanations of SPEC §3.1 / §3.4 decisions (src/domain/assignment.ts): one line each.
// Tier words: county = same county or one of the rep's areas, city, province, anywhere.
export const assignMessages = {
  // 3.1 rule 1
  'assign.explain.collector': {
    zh: '收集人 {staff} 在职，谁收集归谁',
    en: 'collector {staff} is an active rep: who collects it keeps it',
  },

  // 3.1 rule 2: the nearest tier held one rep
  'assign.explain.nearness.county': {
    zh: '就近分配（同县或负责片区）：只有 {staff}',
    en: 'nearest reps by county (or their areas): only {staff}',
  },
  'assign.explain.nearness.city': {
    zh: '就近分配（同市）：只有 {staff}',
    en: 'nearest reps by city: only {staff}',
  },
  'assign.explain.nearness.province': {
    zh: '就近分配（同省）：只有 {staff}',
    en: 'nearest reps by province: only {staff}',
  },
  'assign.explain.nearness.anywhere': {
    zh: '同省无可分配的代表，不限地区：只有 {staff}',
    en: 'no rep in the same province; anywhere: only {staff}',
  },

  // 3.1 rule 3: {given} of {of} = customers given to new staff so far of the rule 2–4 picks including this one
  'assign.explain.new_staff.county': {
    zh: '新员工份额：已分 {of} 个中新员工 {given} 个，低于 {share}；{staff}（{hired_on} 入职）是同县（含片区）负载最低的新员工（{load}/{capacity}）',
    en: 'new-staff share: {given} of {of} so far below {share}; {staff} hired {hired_on}, least loaded new rep in same county or areas ({load}/{capacity})',
  },
  'assign.explain.new_staff.city': {
    zh: '新员工份额：已分 {of} 个中新员工 {given} 个，低于 {share}；{staff}（{hired_on} 入职）是同市负载最低的新员工（{load}/{capacity}）',
    en: 'new-staff share: {given} of {of} so far below {share}; {staff} hired {hired_on}, least loaded new rep in same city ({load}/{capacity})',
  },
  'assign.explain.new_staff.province': {
    zh: '新员工份额：已分 {of} 个中新员工 {given} 个，低于 {share}；{staff}（{hired_on} 入职）是同省负载最低的新员工（{load}/{capacity}）',
    en: 'new-staff share: {given} of {of} so far below {share}; {staff} hired {hired_on}, least loaded new rep in same province ({load}/{capacity})',
  },
  'assign.explain.new_staff.anywhere': {
    zh: '新员工份额：已分 {of} 个中新员工 {given} 个，低于 {share}；{staff}（{hired_on} 入职）是负载最低的新员工（不限地区，{load}/{capacity}）',
    en: 'new-staff share: {given} of {of} so far below {share}; {staff} hired {hired_on}, least loaded new rep anywhere ({load}/{capacity})',
  },

  // 3.1 rule 4, by the criterion that separated the winner from the runner-up
  'assign.explain.workload.county.load': {
    zh: '同县（含片区）{n} 人中负载最低：{staff}（{load}/{capacity}）',
    en: 'least loaded of {n} in same county or areas: {staff} ({load}/{capacity})',
  },
  'assign.explain.workload.city.load': {
    zh: '同市 {n} 人中负载最低：{staff}（{load}/{capacity}）',
    en: 'least loaded of {n} in same city: {staff} ({load}/{capacity})',
  },
  'assign.explain.workload.province.load': {
    zh: '同省 {n} 人中负载最低：{staff}（{load}/{capacity}）',
    en: 'least loaded of {n} in same province: {staff} ({load}/{capacity})',
  },
  'assign.explain.workload.anywhere.load': {
    zh: '不限地区 {n} 人中负载最低：{staff}（{load}/{capacity}）',
    en: 'least loaded of {n} anywhere: {staff} ({load}/{capacity})',
  },
  'assign.explain.workload.county.on_time': {
    zh: '同县（含片区）{n} 人负载并列最低，按时回访率最高：{staff}（{load}/{capacity}，按时 {on_time}）',
    en: 'of {n} in same county or areas tied on load, best on-time rate: {staff} ({load}/{capacity}, on time {on_time})',
  },
  'assign.explain.workload.city.on_time': {
    zh: '同市 {n} 人负载并列最低，按时回访率最高：{staff}（{load}/{capacity}，按时 {on_time}）',
    en: 'of {n} in same city tied on load, best on-time rate: {staff} ({load}/{capacity}, on time {on_time})',
  },
  'assign.explain.workload.province.on_time': {
    zh: '同省 {n} 人负载并列最低，按时回访率最高：{staff}（{load}/{capacity}，按时 {on_time}）',
    en: 'of {n} in same province tied on load, best on-time rate: {staff} ({load}/{capacity}, on time {on_time})',
  },
  'assign.explain.workload.anywhere.on_time': {
    zh: '不限地区 {n} 人负载并列最低，按时回访率最高：{staff}（{load}/{capacity}，按时 {on_time}）',
    en: 'of {n} anywhere tied on load, best on-time rate: {staff} ({load}/{capacity}, on time {on_time})',
  },
  'assign.explain.workload.county.conversion': {
    zh: '同县（含片区）{n} 人负载和按时率并列，成交率最高：{staff}（成交 {conversion}）',
    en: 'of {n} in same county or areas tied on load and on-time rate, best conversion: {staff} ({conversion})',
  },
  'assign.explain.workload.city.conversion': {
    zh: '同市 {n} 人负载和按时率并列，成交率最高：{staff}（成交 {conversion}）',
    en: 'of {n} in same city tied on load and on-time rate, best conversion: {staff} ({conversion})',
  },
  'assign.explain.workload.province.conversion': {
    zh: '同省 {n} 人负载和按时率并列，成交率最高：{staff}（成交 {conversion}）',
    en: 'of {n} in same province tied on load and on-time rate, best conversion: {staff} ({conversion})',
  },
  'assign.explain.workload.anywhere.conversion': {
    zh: '不限地区 {n} 人负载和按时率并列，成交率最高：{staff}（成交 {conversion}）',
    en: 'of {n} anywhere tied on load and on-time rate, best conversion: {staff} ({conversion})',
  },
  'assign.explain.workload.county.staff_id': {
    zh: '同县（含片区）{n} 人负载、按时率、成交率都并列，按工号取 {staff}',
    en: 'of {n} in same county or areas tied on load, on-time and conversion rates, first by staff id: {staff}',
  },
  'assign.explain.workload.city.staff_id': {
    zh: '同市 {n} 人负载、按时率、成交率都并列，按工号取 {staff}',
    en: 'of {n} in same city tied on load, on-time and conversion rates, first by staff id: {staff}',
  },
  'assign.explain.workload.province.staff_id': {
    zh: '同省 {n} 人负载、按时率、成交率都并列，按工号取 {staff}',
    en: 'of {n} in same province tied on load, on-time and conversion rates, first by staff id: {staff}',
  },
  'assign.explain.workload.anywhere.staff_id': {
    zh: '不限地区 {n} 人负载、按时率、成交率都并列，按工号取 {staff}',
    en: 'of {n} anywhere tied on load, on-time and conversion rates, first by staff id: {staff}',
  },

  // nobody eligible
  'assign.unassigned.no_rep': {
    zh: '{date} 没有在职的销售代表可以分配',
    en: 'no active rep on {date} to assign to',
  },
  'assign.unassigned.no_other_rep': {
    zh: '{date} 除离职人 {leaver} 外没有在职的销售代表可以接手',
    en: 'no active rep on {date} other than the leaver {leaver} to hand over to',
  },
  'assign.unassigned.full': {
    zh: '{n} 名在职销售代表都已满额（负载达到容量）',
    en: 'all {n} active reps are at capacity',
  },

  // 3.1 rule 5: a pin's target must be an active rep
  'assign.pin.unknown': {
    zh: '没有工号为 {staff} 的员工',
    en: 'no staff member {staff}',
  },
  'assign.pin.not_rep': {
    zh: '{staff} 的角色是 {role}，不是销售代表，不能做跟进人',
    en: '{staff} is a {role}, not a rep, and cannot own customers',
  },
  'assign.pin.not_hired': {
    zh: '{staff} {hired_on} 才入职，{date} 还不能分配',
    en: '{staff} is hired only from {hired_on}, not yet on {date}',
  },
  'assign.pin.left': {
    zh: '{staff} 已于 {left_on} 离职',
    en: '{staff} left on {left_on}',
  },

  // 3.1 rule 5 (pin) errors beyond validatePin, and what to do
  'assign.pin.leaving': {
    zh: '{staff} 已登记 {left_on} 离职，离职人员不能做跟进人',
    en: '{staff} is recorded as leaving on {left_on}; a leaver cannot own customers',
  },
  'assign.pin.archived': {
    zh: '顾客 #{id} 已封存（{reason}），不再分配',
    en: 'customer #{id} is archived ({reason}) and is not assigned any more',
  },
  'assign.pin.archived.hint': {
    zh: '用 `salesops customers show #{id}` 查看',
    en: 'see `salesops customers show #{id}`',
  },
  'assign.pin.unknown.hint': {
    zh: '用 `salesops staff list --role rep --active` 查看在职销售代表的工号',
    en: 'find the id of an active rep with `salesops staff list --role rep --active`',
  },
  'assign.pin.not_rep.hint': {
    zh: '只能指定给销售代表：`salesops staff list --role rep --active`',
    en: 'pin to a rep: `salesops staff list --role rep --active`',
  },
  'assign.pin.not_hired.hint': {
    zh: '用 --as-of {hired_on} 或更晚的日期，或指定另一位代表',
    en: 'use --as-of {hired_on} or later, or pin to another rep',
  },
  'assign.pin.left.hint': {
    zh: '请指定一位在职代表：`salesops staff list --role rep --active`',
    en: 'pin to an active rep: `salesops staff list --role rep --active`',
  },
  'assign.pin.empty_reason': {
    zh: '--reason 不能为空：指定跟进人必须写明原因',
    en: '--reason must not be empty: a pin needs its reason',
  },
  'assign.pin.empty_reason.hint': {
    zh: '例如 --reason "老客户指定"',
    en: 'e.g. --reason "老客户指定" (regular customer asked for this rep)',
  },

  // the `assign` command group
  'assign.description': {
    zh: '按分配原则把未分配的顾客分给销售代表（--dry-run 只预览）',
    en: 'assign unassigned customers to reps by the rules of §3.1 (--dry-run to preview)',
  },
  'assign.flag.dry_run': { zh: '只显示将如何分配，不写入数据库', en: 'show who would get what, write nothing' },
  'assign.flag.explain': { zh: '表格中显示每条分配的理由', en: 'show the reason of each assignment in the table' },
  'assign.flag.limit': {
    zh: '最多列出的行数（表格默认 1000，csv/json 默认全部；0 为全部）',
    en: 'at most this many rows (default 1000 for the table, all for csv/tsv/json/jsonl; 0 = all)',
  },
  'assign.set.description': {
    zh: '销售经理指定跟进人（锁定，以后的分配不再改动）；缺少的信息会提问',
    en: "manager's pin: give a customer to a rep and keep it there (asks for what is missing)",
  },
  'assign.unpin.description': {
    zh: '取消指定（跟进人不变，只是不再锁定）',
    en: 'remove a pin (the owner stays; the customer is just no longer pinned)',
  },
  'assign.flag.reason': { zh: '指定原因（必填）', en: 'why (required)' },
  'assign.flag.name': { zh: '姓名（多位顾客共用一个电话时）', en: 'the name, when several customers share the phone' },
  'assign.ask.customer': { zh: '顾客（电话或编号 #12）：', en: 'Customer (phone or #id):' },
  'assign.ask.staff': { zh: '指定给哪位销售代表：', en: 'Pin to which rep:' },
  'assign.ask.reason': { zh: '指定原因：', en: 'Reason:' },

  // run results (stderr)
  'assign.nothing': { zh: '没有待分配的顾客', en: 'no unassigned customers: nothing to do' },
  'assign.done': {
    zh: '{date} 已分配 {n} 位顾客（收集人 {collector}，就近 {nearness}，新员工 {new_staff}，负载 {workload}）',
    en: 'assigned {n} customers on {date} (collector {collector}, nearness {nearness}, new staff {new_staff}, workload {workload})',
  },
  'assign.dry_done': {
    zh: '预览：{date} 将分配 {n} 位顾客（收集人 {collector}，就近 {nearness}，新员工 {new_staff}，负载 {workload}）；未写入任何数据',
    en: 'dry run: {n} customers would be assigned on {date} (collector {collector}, nearness {nearness}, new staff {new_staff}, workload {workload}); nothing was written',
  },
  'assign.summary': { zh: '按代表汇总：', en: 'per rep:' },
  'assign.left_unassigned': {
    zh: '警告：{n} 位顾客未能分配：{reason}（如 {ids}）',
    en: 'warning: {n} customers left unassigned: {reason} (e.g. {ids})',
  },
  'assign.none_assigned': {
    zh: '{n} 位待分配顾客一个也分不出去：{reason}；未写入任何数据',
    en: 'none of the {n} unassigned customers can be assigned: {reason}; nothing was written',
  },
  'assign.no_rep.hint': {
    zh: '先导入或新增销售代表（salesops staff import / staff add），并核对入职日期是否不晚于 --as-of',
    en: 'import or add reps (salesops staff import / staff add) and check that they are hired on or before --as-of',
  },
  'assign.full.hint': {
    zh: '在花名册中提高代表的档案上限，或新增代表，然后再运行 salesops assign',
    en: "raise a rep's capacity (档案上限) in the roster or add reps, then run salesops assign again",
  },

  // why the collector did not keep the customer (prefixed to the rule 2–4 explanation)
  'assign.why.collector_left': { zh: '收集人 {staff} 已于 {left_on} 离职', en: 'collector {staff} left on {left_on}' },
  'assign.why.collector_leaving': { zh: '收集人 {staff} 已登记 {left_on} 离职', en: 'collector {staff} is recorded as leaving on {left_on}' },
  'assign.why.collector_not_rep': { zh: '收集人 {staff} 是 {role}，不是销售代表', en: 'collector {staff} is a {role}, not a rep' },
  'assign.why.collector_not_hired': { zh: '收集人 {staff} {hired_on} 才入职', en: 'collector {staff} is hired only from {hired_on}' },
  'assign.explain.because': { zh: '{why}；{then}', en: '{why}; {then}' },

  // pins and handovers in the history
  'assign.explain.pin': { zh: '销售经理指定：{reason}', en: "manager's pin: {reason}" },
  'assign.explain.handover': { zh: '{leaver} 离职交接：{then}', en: 'handover from {leaver}: {then}' },
  'assign.explain.pin_cleared': { zh: '{then}；原指定已取消（原因：{reason}）', en: '{then}; pin cleared (it was: {reason})' },

  'assign.pinned': { zh: '已把 #{id} {name} 指定给 {staff}（原跟进人：{previous}）', en: 'pinned #{id} {name} to {staff} (previous owner: {previous})' },
  'assign.pin.unchanged': { zh: '#{id} 已按该原因指定给 {staff}，无需修改', en: '#{id} is already pinned to {staff} for that reason; nothing to change' },
  'assign.unpinned': {
    zh: '#{id} 已取消指定；跟进人仍是 {staff}（分配不会改动已有跟进人，离职交接除外）',
    en: '#{id} unpinned; {staff} stays the owner (assign never changes an owner; only a pin or a handover does)',
  },
  'assign.unpin.not_pinned': { zh: '#{id} 没有被指定，无需修改', en: '#{id} is not pinned; nothing to change' },

  // §3.4 handover
  'assign.handover.failed': {
    zh: '{leaver} 的 {n} 位顾客无人接手：{reason}；未做任何修改',
    en: '{n} customers of {leaver} would have no owner: {reason}; nothing was changed',
  },
  'assign.handover.failed.hint': {
    zh: '先新增在职代表（salesops staff add / staff import）或提高代表的档案上限，再登记离职',
    en: "add an active rep (salesops staff add / staff import) or raise a rep's capacity (档案上限), then record the leaving again",
  },
  'assign.handover.doctor_tasks': {
    zh: '{staff} 的 {n} 位顾客的未完成医生回访已转给：{to}',
    en: 'open doctor tasks of {staff} for {n} customers moved to: {to}',
  },
  'assign.handover.doctor_none': {
    zh: '警告：没有在职医生可接手 {staff} 的 {n} 位顾客的医生回访，这些任务暂无人负责：可用 `salesops followups due --unassigned` 查看，完成后用 `salesops followups done 顾客 --role doctor --staff 工号` 登记',
    en: 'warning: no active doctor can take the open doctor tasks of {staff} for {n} customers; they are held by nobody: `salesops followups due --unassigned` lists them; record each with `salesops followups done CUSTOMER --role doctor --staff ID`',
  },

  // role words inside explanations and errors
  'assign.role.rep': { zh: '销售代表', en: 'rep' },
  'assign.role.supervisor': { zh: '销售主管', en: 'supervisor' },
  'assign.role.manager': { zh: '销售经理', en: 'manager' },
  'assign.role.doctor': { zh: '顾服主管医生', en: 'doctor' },
  'assign.role.gm': { zh: '总经理', en: 'gm' },
  'assign.table_truncated': {
    zh: '表格只显示前 {shown} 行（共 {n} 行）；全部结果请用 --format csv（或 json、jsonl）',
    en: 'the table shows the first {shown} of {n} rows; for all of them use --format csv (or json, jsonl)',
  },
} satisfies Record<string, Entry>;
