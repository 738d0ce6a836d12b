/** Messages about customers: look-ups by phone or name, duplicates and archiving (issue 15). */
import type { Entry } from './entry.js';

export const customerMessages = {
  // a CUSTOMER argument that names several customers (every command that takes one)
  'customers.ambiguous_phone': { en: '{value} is the phone of {n} customers:\n{list}', zh: '电话 {value} 对应 {n} 位顾客：\n{list}' },
  'customers.ambiguous_name': { en: '{value} with the name {name} is {n} customers:\n{list}', zh: '电话 {value}、姓名 {name} 对应 {n} 位顾客：\n{list}' },
  'customers.ambiguous.line': { en: '  #{id}  {name}  {district}', zh: '  #{id}  {name}  {district}' },
  'customers.ambiguous.more': { en: '  … and {n} more', zh: '  ……另有 {n} 位' },
  'customers.ambiguous.no_district': { en: 'district unknown', zh: '地区不详' },
  'customers.ambiguous.hint': { en: 'give the customer id instead of the phone (e.g. {id}), or add --name NAME', zh: '请改用顾客编号（如 {id}），或加上 --name 姓名' },
  'customers.ambiguous.hint_id': { en: 'give the customer id instead of the phone (e.g. {id})', zh: '请改用顾客编号（如 {id}）' },
  'customers.ambiguous.same_person': {
    en: '; the same name more than once: if it is one person entered twice, `salesops customers duplicates` lists the records and how to archive the extra one',
    zh: '；姓名相同：如果是同一人重复录入，可用 `salesops customers duplicates` 查看，并归档多余的记录',
  },

  // customers duplicates
  'customers.duplicates.description': {
    en: 'customers entered more than once (one person in two spellings), for a person to archive the extra records',
    zh: '重复录入的顾客（同一人两种写法），由人工确认后归档多余的记录',
  },
  'customers.duplicates.none': { en: 'no customer is entered more than once', zh: '没有重复录入的顾客' },
  'customers.duplicates.found': {
    en: 'people entered more than once: {groups}, in {n} records. Keep one record of each group and archive the others: salesops customers archive ID --duplicate-of KEPT --reason TEXT (an archived record keeps its open tasks and orders: keep the one that has them)',
    zh: '有 {groups} 人被重复录入（共 {n} 条记录）。每组保留一条，其余归档：salesops customers archive 编号 --duplicate-of 保留的编号 --reason 原因（归档的记录仍保留其未完成回访和订单，请保留有这些内容的那条）',
  },
  'customers.duplicates.audited': {
    en: 'the duplicates as {format} are an export of personal data: written to the audit log (phones masked)',
    zh: '以 {format} 输出重复顾客属于个人信息导出，已记入审计日志（电话已脱敏）',
  },

  // customers archive
  'customers.archive.description': {
    en: 'archive a customer with a reason (never deleted, §5): left out of listings, assignment and the due list',
    zh: '归档顾客并注明原因（顾客不删除）：归档后不再出现在顾客列表、分配和待回访清单中',
  },
  'customers.flag.reason': { en: 'why (kept with the record and in the audit log)', zh: '原因（随档案保存并记入审计日志）' },
  'customers.flag.duplicate_of': {
    en: 'the id of the record kept: this one is the same person entered twice',
    zh: '保留记录的顾客编号：本记录是同一人的重复录入',
  },
  'customers.archive.not_id': { en: '{value} is not a customer id', zh: '{value} 不是顾客编号' },
  'customers.archive.not_id.hint': {
    en: 'give the number that `salesops customers show` or `salesops customers duplicates` prints after #',
    zh: '请填写 `salesops customers show` 或 `salesops customers duplicates` 显示的 # 后面的编号',
  },
  'customers.archive.empty_reason': { en: '--reason is empty', zh: '--reason 不能为空' },
  'customers.archive.empty_reason.hint': { en: 'say why the customer is archived: it is kept with the record', zh: '请写明归档原因，原因随档案保存' },
  'customers.archive.self': { en: 'customer #{id} cannot be a duplicate of itself', zh: '顾客 #{id} 不能与自身重复' },
  'customers.archive.self.hint': { en: 'give the id of the record to keep after --duplicate-of', zh: '--duplicate-of 后请填写要保留的顾客编号' },
  'customers.archive.kept_archived': { en: 'customer #{kept} is archived itself', zh: '顾客 #{kept} 本身已归档' },
  'customers.archive.kept_archived.hint': {
    en: 'keep a record that is not archived: `salesops customers duplicates` lists the records of one person',
    zh: '请保留未归档的记录：`salesops customers duplicates` 会列出同一人的各条记录',
  },
  'customers.archive.other_phone': {
    en: '#{id} and #{kept} have different phones: a duplicate has the same phone',
    zh: '#{id} 与 #{kept} 电话不同，不属于重复录入',
  },
  'customers.archive.other_phone.hint': {
    en: 'to archive #{id} anyway, leave out --duplicate-of and name #{kept} in --reason',
    zh: '如仍要归档 #{id}，请去掉 --duplicate-of，并在 --reason 中注明 #{kept}',
  },
  'customers.archive.already': {
    en: 'customer #{id} was already archived on {on} ({reason}); nothing changed',
    zh: '顾客 #{id} 已于 {on} 归档（{reason}），未做更改',
  },
  // stored as the archive reason of a duplicate, in the language of the run (like an assignment's explanation)
  'customers.archive.duplicate_reason': { en: 'duplicate of #{kept}: {reason}', zh: '与 #{kept} 重复：{reason}' },
  'customers.archived': { en: 'customer #{id} {name} archived on {on}', zh: '顾客 #{id} {name} 已于 {on} 归档' },
  'customers.archived.duplicate': {
    en: 'customer #{id} {name} archived on {on} as a duplicate of #{kept} {kept_name}',
    zh: '顾客 #{id} {name} 已于 {on} 归档，为 #{kept} {kept_name} 的重复记录',
  },
  'customers.archived.exchanged': {
    en: '#{kept} now has the name and phone as imports write them, so imports and look-ups find it; #{id} keeps the other spelling (salesops audit --changes --key {kept})',
    zh: '#{kept} 的姓名和电话已改为导入时的写法，今后导入和查询都会找到它；#{id} 保留另一种写法（salesops audit --changes --key {kept}）',
  },
  'customers.archived.stays': {
    en: 'still with #{id} (salesops customers show {id}): open follow-up tasks {open} (no longer in the due list), orders {orders}',
    zh: '以下内容仍留在 #{id}（salesops customers show {id}）：{open} 项未完成回访（不再列入待回访清单），{orders} 笔订单',
  },

  // customers show: the ownership timeline (issue 18)
  'customers.ownership': {
    en: 'Owners, oldest first (each until the day the next took over):',
    zh: '跟进人变更（由早到晚，每位跟进至下一位接手当日）：',
  },
  'customers.ownership.now': { en: 'now', zh: '至今' },
  // the period from the survey to the first assignment, when the customer had no owner
  'customers.ownership.unassigned': { en: 'none (collected, not yet assigned)', zh: '无（已收集，尚未分配）' },
  // an owner set with no assignment on record (a database filled by hand)
  'customers.ownership.not_recorded': {
    en: 'Owners: no change of owner on record; the owner is {owner}',
    zh: '跟进人变更：无分配记录；当前跟进人 {owner}',
  },
} satisfies Record<string, Entry>;
