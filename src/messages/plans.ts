/** Messages of plans before a change: staff leave, assign capacity, waiting for a writer (issue 15). */
import type { Entry } from './entry.js';

export const planMessages = {
  // another salesops holds the write lock: said once, after a second of waiting
  'plans.waiting': { en: 'waiting for the database (another salesops is writing)…', zh: '正在等待数据库（另一个 salesops 正在写入）…' },

  // `staff leave`: the plan, the question, the dry run
  'plans.leave.flag.dry_run': {
    en: 'show what would move (customers and open tasks per receiver) and change nothing',
    zh: '只显示将要交接的内容（每位接手人的顾客和未完成任务），不做任何修改',
  },
  'plans.leave.flag.yes': { en: 'do not ask before handing over (on a terminal)', zh: '在终端上也不询问，直接交接' },
  'plans.leave.header': { en: '{name} ({id}) leaves on {on}; what moves, per receiver:', zh: '{name}（{id}）于 {on} 离职，交接计划（按接手人）：' },
  'plans.leave.nothing': { en: '{id} holds no customers and no open tasks: only the leave is recorded', zh: '{id} 名下没有顾客和未完成任务，只记录离职' },
  'plans.leave.doctor_none': {
    en: 'warning: no other doctor is active: the {n} open doctor tasks of {staff} will be held by nobody (`salesops followups due --unassigned` lists them; record each with `followups done CUSTOMER --role doctor --staff ID`)',
    zh: '警告：没有其他在职医生，{staff} 的 {n} 个未完成医生回访将无人负责（可用 `salesops followups due --unassigned` 查看，完成后用 `followups done 顾客 --role doctor --staff 工号` 登记）',
  },
  'plans.leave.rep_none': {
    en: 'warning: {n} open rep tasks of {staff} are for customers without an owner: they will be held by nobody until salesops assign gives those customers an owner',
    zh: '警告：{staff} 的 {n} 个未完成代表回访所属顾客尚无跟进人，这些任务将暂无人负责，直到 salesops assign 为这些顾客分配跟进人',
  },
  'plans.leave.confirm': { en: 'Record the leave of {id} and hand over as shown?', zh: '确认记录 {id} 离职并按上述计划交接？' },
  // a yes/no question: y and n in every language; the answer as it reads
  'plans.confirm.yes': { en: 'Yes', zh: '是' },
  'plans.confirm.no': { en: 'No', zh: '否' },
  'plans.confirm.error': { en: 'answer y (yes) or n (no)', zh: '请输入 y（是）或 n（否）' },
  'plans.leave.cancelled': { en: 'cancelled: nothing was changed', zh: '已取消，未做任何修改' },
  'plans.leave.dry_done': {
    en: 'dry run: nothing was changed; run it without --dry-run to record the leave and hand over',
    zh: '预览：未做任何修改；去掉 --dry-run 再运行即记录离职并交接',
  },
  'plans.leave.changed': {
    en: 'the customers or tasks of {id} changed while you were asked (another command wrote meanwhile); nothing was changed',
    zh: '确认期间 {id} 的顾客或任务有变动（另一个命令写入了数据），本次未做任何修改',
  },
  'plans.leave.changed.hint': { en: 'run salesops staff leave again to see the new plan', zh: '请重新运行 salesops staff leave 查看新的交接计划' },

  // `assign`: the collector rule (§3.1 rule 1) may take a rep past capacity
  'plans.assign.over_capacity': {
    en: 'note: {name} ({id}) has {load} customers after assignment, above capacity {capacity}',
    zh: '提示：{name}（{id}）分配后有 {load} 位顾客，超出容量 {capacity}',
  },
  'plans.assign.over_capacity_dry': {
    en: 'note: {name} ({id}) would have {load} customers after assignment, above capacity {capacity}',
    zh: '提示：{name}（{id}）分配后将有 {load} 位顾客，超出容量 {capacity}',
  },
} satisfies Record<string, Entry>;
