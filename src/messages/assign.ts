/** Messages of the `assign` command group (see index.ts). */
import type { Entry } from './index.js';

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
} satisfies Record<string, Entry>;
