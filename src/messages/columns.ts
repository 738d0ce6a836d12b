/**
 * The table headers of every listing (see index.ts), grouped per listing in column order.
 * Only the table shows them: csv/tsv/json/jsonl use each column's key, English and stable
 * (§4). A `\n` breaks a header into two lines. Keys are `col.<listing>.<key>`, except for
 * the listings whose keys were named before (`followups.col.*`, `allowance.col.*`…).
 * Read through `columnHeader(key)`, not `t()`: a part of the catalogue of its own, loaded by
 * the commands that list something, so `salesops --help` does not parse it.
 *
 * Also the words of the codes a table shows (`codeText`, for a Column's `codes`), and the
 * headers of `export` files written for people (issue 15: `col.export.<kind>.<key>`, the
 * columns that are not those of an import template).
 */
import { entry } from './index.js';
import type { Entry, Lang } from './entry.js';

export const columnMessages = {
  // `customers list` (the health column only when revealed, §5)
  'col.customers.customer_id': { zh: '编号', en: 'customer_id' },
  'col.customers.name': { zh: '姓名', en: 'name' },
  'col.customers.phone': { zh: '电话', en: 'phone' },
  'col.customers.gender': { zh: '性别', en: 'gender' },
  'col.customers.birth_year': { zh: '出生年', en: 'birth_year' },
  'col.customers.district': { zh: '地区代码', en: 'district' },
  'col.customers.address': { zh: '地址', en: 'address' },
  'col.customers.collector_id': { zh: '收集人', en: 'collector_id' },
  'col.customers.collected_on': { zh: '收集日期', en: 'collected_on' },
  'col.customers.owner_id': { zh: '跟进人', en: 'owner_id' },
  'col.customers.health': { zh: '健康状况', en: 'health' },

  // `customers show`: the card's labels, then its tables
  'col.customer_card.customer_id': { zh: '编号', en: 'Customer' },
  'col.customer_card.name': { zh: '姓名', en: 'Name' },
  'col.customer_card.phone': { zh: '电话', en: 'Phone' },
  'col.customer_card.gender': { zh: '性别', en: 'Gender' },
  'col.customer_card.birth_year': { zh: '出生年', en: 'Born' },
  'col.customer_card.district': { zh: '地区代码', en: 'District' },
  'col.customer_card.district_name': { zh: '地区', en: 'District name' },
  'col.customer_card.address': { zh: '地址', en: 'Address' },
  'col.customer_card.health': { zh: '健康状况', en: 'Health' },
  'col.customer_card.survey_no': { zh: '问卷编号', en: 'Survey no.' },
  'col.customer_card.collector_id': { zh: '收集人', en: 'Collector' },
  'col.customer_card.collected_on': { zh: '收集日期', en: 'Collected on' },
  'col.customer_card.owner_id': { zh: '跟进人', en: 'Owner' },
  'col.customer_card.assigned_on': { zh: '分配日期', en: 'Assigned on' },
  'col.customer_card.pin_reason': { zh: '指定原因', en: 'Pin reason' },
  'col.customer_card.archived_on': { zh: '归档日期', en: 'Archived on' },
  'col.customer_card.archive_reason': { zh: '归档原因', en: 'Archive reason' },

  'col.customer_tasks.due_by': { zh: '截止日期', en: 'Due by' },
  'col.customer_tasks.role': { zh: '回访人', en: 'Role' },
  'col.customer_tasks.seq': { zh: '次序', en: 'No.' },
  'col.customer_tasks.plan': { zh: '回访计划', en: 'Plan' },
  'col.customer_tasks.staff_id': { zh: '负责人', en: 'Staff' },
  'col.customer_tasks.status': { zh: '状态', en: 'Status' },
  'col.customer_tasks.done_on': { zh: '回访日期', en: 'Done on' },
  'col.customer_tasks.note': { zh: '说明', en: 'Note' },

  'col.customer_followups.done_on': { zh: '回访日期', en: 'Done on' },
  'col.customer_followups.role': { zh: '回访人', en: 'Role' },
  'col.customer_followups.method': { zh: '方式', en: 'Method' },
  'col.customer_followups.staff_id': { zh: '回访员工', en: 'Staff' },
  'col.customer_followups.task': { zh: '完成任务', en: 'Task' },
  'col.customer_followups.note': { zh: '内容', en: 'Note' },

  'col.customer_events.event_date': { zh: '活动日期', en: 'Date' },
  'col.customer_events.event': { zh: '活动', en: 'Event' },
  'col.customer_events.purchased': { zh: '购买', en: 'Bought' },
  'col.customer_events.amount_fen': { zh: '金额', en: 'Amount' },

  'col.customer_orders.order_no': { zh: '订单编号', en: 'Order no.' },
  'col.customer_orders.order_date': { zh: '日期', en: 'Date' },
  'col.customer_orders.amount_fen': { zh: '金额', en: 'Amount' },
  'col.customer_orders.staff_id': { zh: '业务员', en: 'Staff' },
  'col.customer_orders.product': { zh: '产品', en: 'Product' },

  // `customers duplicates`: the customers columns above, and these
  'col.duplicates.group': { zh: '组', en: 'group' },
  'col.duplicates.open_tasks': { zh: '未完成回访', en: 'open_tasks' },
  'col.duplicates.orders': { zh: '订单数', en: 'orders' },
  // `staff leave` plan (issue 15): who receives what
  'col.leave_plan.staff_id': { zh: '接手人', en: 'staff_id' },
  'col.leave_plan.name': { zh: '姓名', en: 'name' },
  'col.leave_plan.role': { zh: '岗位', en: 'role' },
  'col.leave_plan.customers': { zh: '顾客数', en: 'customers' },
  'col.leave_plan.open_tasks': { zh: '未完成任务', en: 'open_tasks' },
  // `staff list`
  'col.staff.staff_id': { zh: '工号', en: 'staff_id' },
  'col.staff.name': { zh: '姓名', en: 'name' },
  'col.staff.role': { zh: '岗位', en: 'role' },
  'col.staff.team': { zh: '团队', en: 'team' },
  'col.staff.district': { zh: '地区', en: 'district' },
  'col.staff.district_name': { zh: '地区名称', en: 'district_name' },
  'col.staff.areas': { zh: '负责区域', en: 'areas' },
  'col.staff.hired_on': { zh: '入职日期', en: 'hired_on' },
  'col.staff.regular_on': { zh: '转正日期', en: 'regular_on' },
  'col.staff.left_on': { zh: '离职日期', en: 'left_on' },
  'col.staff.capacity': { zh: '档案上限', en: 'capacity' },

  // a leaver's handover (§3.4: `staff leave`, `staff import`)
  'col.handover.customer_id': { zh: '顾客编号', en: 'customer_id' },
  'col.handover.new_staff_id': { zh: '新跟进人', en: 'new_staff_id' },
  'col.handover.rule': { zh: '规则', en: 'rule' },
  'col.handover.explanation': { zh: '说明', en: 'explanation' },

  // `assign`, `assign set`, and the per-rep summary of a run
  'col.assign.customer_id': { zh: '顾客编号', en: 'customer_id' },
  'col.assign.name': { zh: '姓名', en: 'name' },
  'col.assign.staff_id': { zh: '跟进人', en: 'staff_id' },
  'col.assign.rule': { zh: '规则', en: 'rule' },
  'col.assign.explanation': { zh: '说明', en: 'explanation' },

  'col.assign_summary.staff_id': { zh: '工号', en: 'staff_id' },
  'col.assign_summary.name': { zh: '姓名', en: 'name' },
  'col.assign_summary.assigned': { zh: '本次分配', en: 'assigned' },
  'col.assign_summary.collector': { zh: '收集人', en: 'collector' },
  'col.assign_summary.nearness': { zh: '就近', en: 'nearness' },
  'col.assign_summary.new_staff': { zh: '新员工', en: 'new_staff' },
  'col.assign_summary.workload': { zh: '负载', en: 'workload' },
  'col.assign_summary.load': { zh: '跟进总数', en: 'load' },
  'col.assign_summary.capacity': { zh: '档案上限', en: 'capacity' },

  // `followups due`: the data formats' columns, then the table's (one box per staff member)
  'followups.col.customer_id': { zh: '顾客编号', en: 'Customer' },
  'followups.col.customer_name': { zh: '顾客姓名', en: 'Name' },
  'followups.col.role': { zh: '回访人', en: 'Role' },
  'followups.col.seq': { zh: '次序', en: 'No.' },
  'followups.col.due_by': { zh: '截止日期', en: 'Due by' },
  'followups.col.overdue': { zh: '已逾期', en: 'Overdue' },
  'followups.col.staff_id': { zh: '负责人', en: 'Staff' },
  'followups.col.staff_name': { zh: '负责人姓名', en: 'Staff name' },
  'followups.col.phone': { zh: '电话', en: 'Phone' },
  'followups.col.days_overdue': { zh: '逾期天数', en: 'Days overdue' },
  'followups.col.plan': { zh: '回访计划', en: 'Plan' },
  'followups.col.task': { zh: '任务编号', en: 'Task' },
  'followups.col.note': { zh: '说明', en: 'Note' },

  'followups.due.col.due_by': { zh: '截止日期', en: 'Due by' },
  'followups.due.col.overdue': { zh: '逾期', en: 'Overdue' },
  'followups.due.col.customer': { zh: '顾客编号', en: 'Customer' },
  'followups.due.col.name': { zh: '顾客姓名', en: 'Name' },
  'followups.due.col.phone': { zh: '电话', en: 'Phone' },
  'followups.due.col.followup': { zh: '回访', en: 'Follow-up' },
  'followups.due.col.note': { zh: '说明', en: 'Note' },

  // `allowance`: a trip's lines, then the summary per staff and month
  'allowance.col.line_no': { zh: '行号', en: 'line' },
  'allowance.col.date': { zh: '日期', en: 'date' },
  'allowance.col.kind': { zh: '类别', en: 'kind' },
  'allowance.col.claimed': { zh: '申报金额', en: 'claimed' },
  'allowance.col.reimbursable': { zh: '可报销', en: 'reimbursable' },
  'allowance.col.rule': { zh: '依据', en: 'rule' },
  'allowance.col.flags': { zh: '标记', en: 'flags' },

  'allowance.col.staff_id': { zh: '工号', en: 'staff id' },
  'allowance.col.staff_name': { zh: '姓名', en: 'name' },
  'allowance.col.month': { zh: '月份', en: 'month' },
  'allowance.col.trips': { zh: '出差次数', en: 'trips' },
  'allowance.col.days': { zh: '天数', en: 'days' },
  'allowance.col.per_diem': { zh: '出差补贴', en: 'per diem' },
  'allowance.col.advance': { zh: '预支', en: 'advance' },
  'allowance.col.net_payable': { zh: '应付（负数为应退）', en: 'net payable (negative: owed back)' },

  // `policy show`, then `policy list`
  'policy.col.path': { zh: '参数', en: 'path' },
  'policy.col.value': { zh: '值', en: 'value' },
  'policy.col.effective_from': { zh: '生效日期', en: 'effective_from' },
  'policy.col.source': { zh: '来源', en: 'source' },
  'policy.col.loaded_at': { zh: '加载时间', en: 'loaded_at' },
  'policy.col.in_force': { zh: '当前执行', en: 'in_force' },

  // `kpi` (§3.5): the key columns, the measures, what `--by team` adds, the `--classes` counts
  'col.kpi.staff_id': { zh: '工号', en: 'Staff' },
  'col.kpi.staff_name': { zh: '姓名', en: 'Name' },
  'col.kpi.team': { zh: '团队', en: 'Team' },
  'col.kpi.new_customers': { zh: '新顾客', en: 'New\ncust.' },
  'col.kpi.files_opened': { zh: '建档', en: 'Files' },
  'col.kpi.buyers': { zh: '购买', en: 'Buyers' },
  'col.kpi.conversion_rate': { zh: '成交率', en: 'Conv.' },
  'col.kpi.orders': { zh: '订单', en: 'Orders' },
  'col.kpi.sales_amount': { zh: '销售额', en: 'Sales' },
  'col.kpi.sales_growth': { zh: '环比', en: 'Growth' },
  'col.kpi.followups_due': { zh: '应回访', en: 'Due' },
  'col.kpi.followups_on_time': { zh: '按时', en: 'On\ntime' },
  'col.kpi.on_time_rate': { zh: '按时率', en: 'On-time\nrate' },
  'col.kpi.overdue_open': { zh: '逾期\n未访', en: 'Over-\ndue' },
  'col.kpi.travel_cost': { zh: '差旅费', en: 'Travel' },
  'col.kpi.cost_per_order': { zh: '单均\n差旅', en: 'Travel\n/order' },

  'col.kpi.avg_headcount': { zh: '平均\n人数', en: 'Avg\nHC' },
  'col.kpi.active_reps': { zh: '出单\n人数', en: 'Active\nreps' },
  'col.kpi.activity_rate': { zh: '活动率', en: 'Activ.\nrate' },
  'col.kpi.per_capita_productivity': { zh: '人均\n产值', en: 'Per\ncapita' },
  'col.kpi.regularisation_rate': { zh: '转正率', en: 'Regul.\nrate' },
  'col.kpi.attrition_rate': { zh: '流失率', en: 'Attr.\nrate' },
  // kpi --trend (issue 18): the sparkline after the figures of the periods
  'col.kpi.trend': { zh: '趋势', en: 'Trend' },

  'col.kpi.customers': { zh: '顾客数', en: 'Customers' },
  'col.kpi.class_a': { zh: 'A 类', en: 'A' },
  'col.kpi.class_b': { zh: 'B 类', en: 'B' },
  'col.kpi.class_c': { zh: 'C 类', en: 'C' },
  'col.kpi.class_a_rate': { zh: 'A 类占比', en: 'A share' },

  // `audit`, then `audit --changes`
  'col.audit.audit_id': { zh: '序号', en: 'audit_id' },
  'col.audit.at': { zh: '时间', en: 'at' },
  'col.audit.action': { zh: '操作', en: 'action' },
  'col.audit.approved_by': { zh: '批准人', en: 'approved_by' },
  'col.audit.reason': { zh: '原因', en: 'reason' },
  'col.audit.subject': { zh: '对象', en: 'subject' },
  'col.audit.os_user': { zh: '系统用户', en: 'os_user' },

  'col.changes.change_id': { zh: '序号', en: 'change_id' },
  'col.changes.at': { zh: '时间', en: 'at' },
  'col.changes.kind': { zh: '类别', en: 'kind' },
  'col.changes.key': { zh: '记录', en: 'key' },
  'col.changes.field': { zh: '字段', en: 'field' },
  'col.changes.old_value': { zh: '原值', en: 'old_value' },
  'col.changes.new_value': { zh: '新值', en: 'new_value' },
  'col.changes.command': { zh: '命令', en: 'command' },
  'col.changes.os_user': { zh: '系统用户', en: 'os_user' },

  // `check` (§7): each kind of problem found
  'col.check.check': { zh: '检查项', en: 'check' },
  'col.check.count': { zh: '数量', en: 'count' },
  'col.check.sample': { zh: '示例', en: 'sample' },

  // `export KIND` (issue 15: the header row of a file for people, in Chinese). A kind that
  // re-imports takes the import template's header for each of its columns (app/export/
  // columns.ts); these are the others, none of them a header the import would read as one of
  // its columns (test/unit/exportHeaders.test.ts)
  'col.export.customers.customer_id': { zh: '顾客编号', en: 'customer_id' },
  'col.export.customers.survey_no': { zh: '问卷编号', en: 'survey_no' },
  'col.export.customers.name': { zh: '姓名', en: 'name' },
  'col.export.customers.phone': { zh: '电话', en: 'phone' },
  'col.export.customers.gender': { zh: '性别', en: 'gender' },
  'col.export.customers.birth_year': { zh: '出生年份', en: 'birth_year' },
  'col.export.customers.address': { zh: '地址', en: 'address' },
  'col.export.customers.district': { zh: '地区', en: 'district' },
  'col.export.customers.health': { zh: '健康状况', en: 'health' },
  'col.export.customers.collector_id': { zh: '收集人', en: 'collector_id' },
  'col.export.customers.collected_on': { zh: '收集日期', en: 'collected_on' },
  'col.export.customers.owner_id': { zh: '跟进人', en: 'owner_id' },
  'col.export.customers.assigned_on': { zh: '分配日期', en: 'assigned_on' },
  'col.export.customers.pinned': { zh: '经理指定', en: 'pinned' },
  'col.export.customers.pin_reason': { zh: '指定原因', en: 'pin_reason' },
  'col.export.customers.archived_on': { zh: '归档日期', en: 'archived_on' },
  'col.export.customers.archive_reason': { zh: '归档原因', en: 'archive_reason' },
  'col.export.customers.purchases_12m': { zh: '近12个月购买金额', en: 'purchases_12m' },
  'col.export.customers.class': { zh: '顾客分类', en: 'class' },

  'col.export.assignments.assignment_id': { zh: '分配记录编号', en: 'assignment_id' },
  'col.export.assignments.customer_id': { zh: '顾客编号', en: 'customer_id' },
  'col.export.assignments.staff_id': { zh: '跟进人', en: 'staff_id' },
  'col.export.assignments.previous_staff_id': { zh: '原跟进人', en: 'previous_staff_id' },
  'col.export.assignments.rule': { zh: '分配规则', en: 'rule' },
  'col.export.assignments.explanation': { zh: '说明', en: 'explanation' },
  'col.export.assignments.assigned_on': { zh: '分配日期', en: 'assigned_on' },
  // issue 18, the ownership timeline: an assignment row as a period of ownership, in `export
  // assignments` (appended) and in the table of `customers show`
  'col.export.assignments.until': { zh: '结束日期', en: 'until' },
  'col.export.assignments.days': { zh: '跟进天数', en: 'days' },
  'col.customer_ownership.from': { zh: '起始日期', en: 'From' },
  'col.customer_ownership.until': { zh: '结束日期', en: 'Until' },
  'col.customer_ownership.days': { zh: '天数', en: 'Days' },
  'col.customer_ownership.staff': { zh: '跟进人', en: 'Owner' },
  'col.customer_ownership.rule': { zh: '规则', en: 'Rule' },
  'col.customer_ownership.previous': { zh: '原跟进人', en: 'Previous owner' },

  // a customer's name is `顾客名`, not 姓名 or 顾客姓名: those are the import's `name`, which
  // would check it against the customer id (a masked name would refuse the row)
  'col.export.events.event_id': { zh: '活动记录编号', en: 'event_id' },
  'col.export.events.customer_name': { zh: '顾客名', en: 'customer_name' },

  'col.export.files.customer_id': { zh: '顾客编号', en: 'customer_id' },
  'col.export.files.customer_name': { zh: '顾客名', en: 'customer_name' },
  'col.export.files.owner_id': { zh: '跟进人', en: 'owner_id' },
  'col.export.files.opened_on': { zh: '建档日期', en: 'opened_on' },
  'col.export.files.buyer': { zh: '已购买', en: 'buyer' },
  'col.export.files.bought_on': { zh: '购买日期', en: 'bought_on' },
  'col.export.files.event': { zh: '活动名称', en: 'event' },
  'col.export.files.recorded_by': { zh: '填表人', en: 'recorded_by' },

  'col.export.tasks.task_id': { zh: '任务编号', en: 'task_id' },
  'col.export.tasks.customer_id': { zh: '顾客编号', en: 'customer_id' },
  'col.export.tasks.customer_name': { zh: '顾客名', en: 'customer_name' },
  'col.export.tasks.phone': { zh: '电话', en: 'phone' },
  'col.export.tasks.role': { zh: '回访人', en: 'role' },
  'col.export.tasks.seq': { zh: '次序', en: 'seq' },
  'col.export.tasks.plan': { zh: '回访计划', en: 'plan' },
  'col.export.tasks.due_by': { zh: '截止日期', en: 'due_by' },
  'col.export.tasks.staff_id': { zh: '负责人', en: 'staff_id' },
  'col.export.tasks.status': { zh: '状态', en: 'status' },
  'col.export.tasks.done_on': { zh: '回访日期', en: 'done_on' },
  'col.export.tasks.overdue': { zh: '已逾期', en: 'overdue' },
  'col.export.tasks.note': { zh: '说明', en: 'note' },
  'col.export.tasks.created_on': { zh: '开始日期', en: 'created_on' },
  'col.export.tasks.cancelled_on': { zh: '取消日期', en: 'cancelled_on' },
  'col.export.tasks.cancel_reason': { zh: '取消原因', en: 'cancel_reason' },
  'col.export.tasks.moved_on': { zh: '最近转交日期', en: 'moved_on' },

  'col.export.followups.followup_id': { zh: '回访记录编号', en: 'followup_id' },
  'col.export.followups.customer_name': { zh: '顾客名', en: 'customer_name' },
  'col.export.followups.task_id': { zh: '任务编号', en: 'task_id' },
  'col.export.followups.late': { zh: '逾期回访', en: 'late' },

  'col.export.orders.customer_name': { zh: '顾客名', en: 'customer_name' },
  'col.export.orders.source': { zh: '来源', en: 'source' },

  // 出发时间 / 返回时间 are the import's start and end (a date, or a date and time)
  'col.export.trips.start_time': { zh: '出发时刻', en: 'start_time' },
  'col.export.trips.end_time': { zh: '返回时刻', en: 'end_time' },

  'col.export.expenses.line_no': { zh: '行号', en: 'line_no' },

  'col.export.allowances.trip_no': { zh: '出差单号', en: 'trip_no' },

  // report (issue 16): the trip's columns on the sheet of every priced line (差旅费用明细)
  // that no listing names yet; its other columns take the `allowance` table's headers
  'col.report.start_date': { zh: '出发日期', en: 'start_date' },
  'col.report.end_date': { zh: '返回日期', en: 'end_date' },
  'col.report.scope': { zh: '出差范围', en: 'scope' },
  'col.report.client': { zh: '拜访客户', en: 'client' },
  'col.report.trip_flags': { zh: '出差单标记', en: 'flags' },
  'col.report.policy_effective_from': { zh: '适用政策生效日期', en: 'policy_effective_from' },
} satisfies Record<string, Entry>;

export type ColumnKey = keyof typeof columnMessages;

/** The header of a column in both languages (a typo is a compile error). */
export function columnHeader(key: ColumnKey): Entry {
  return columnMessages[key];
}

/**
 * The Chinese word of each code a table shows (a Column's `codes`, issue 15), the catalogue's
 * own word where it has one. Chinese only: an English table shows the code itself, which is
 * its English word and what flags, files and scripts take. Not exported as an object (the
 * catalogue's parts are the exported objects); read through `codeText`.
 */
const codeWords = {
  // §1 roles, as the assignment messages name them
  role: {
    rep: entry('assign.role.rep').zh,
    supervisor: entry('assign.role.supervisor').zh,
    manager: entry('assign.role.manager').zh,
    doctor: entry('assign.role.doctor').zh,
    gm: entry('assign.role.gm').zh,
  },
  // §3.1 the rule that decided an assignment, as the summary of a run names them
  rule: {
    collector: columnMessages['col.assign_summary.collector'].zh,
    nearness: columnMessages['col.assign_summary.nearness'].zh,
    new_staff: columnMessages['col.assign_summary.new_staff'].zh,
    workload: columnMessages['col.assign_summary.workload'].zh,
    pin: '经理指定',
    handover: '离职交接',
  },
  gender: { F: '女', M: '男' },
  // `audit --changes`: what was changed, as `--kind` takes it in Chinese
  change_kind: {
    staff: entry('audit.kind.staff').zh,
    customers: entry('audit.kind.customers').zh,
    events: entry('audit.kind.events').zh,
    followups: entry('audit.kind.followups').zh,
    orders: entry('audit.kind.orders').zh,
    trips: entry('audit.kind.trips').zh,
    expenses: entry('audit.kind.expenses').zh,
    policy: entry('audit.kind.policy').zh,
  },
  // `audit`: what was done
  audit_action: {
    reveal: '查看完整信息',
    export: '导出',
    backup: '备份',
    backup_failed: '备份失败',
    restore: '恢复',
    rehire: '复职',
    archive: '归档',
    normalise: '规范化',
  },
} satisfies Record<string, Record<string, string>>;

export type CodeSet = keyof typeof codeWords;

/** The sets as maps: a table looks a word up per cell (100,000 rows of a listing). */
const codeMaps = new Map<string, ReadonlyMap<string, string>>(Object.entries(codeWords).map(([set, words]) => [set, new Map(Object.entries(words))]));

/**
 * A code as a table shows it: its Chinese word in a Chinese table, the code itself in an
 * English one (issue 15: English tables keep the codes). A code the set does not know is
 * shown as it is.
 */
export function codeText(set: CodeSet, code: string, lang: Lang): string {
  return lang === 'en' ? code : codeMaps.get(set)!.get(code) ?? code;
}
