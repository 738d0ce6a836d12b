/** Messages of .xlsx workbooks written: exports, listings, templates, rejects files (issue 16). */
import type { Entry } from './entry.js';

export const workbookMessages = {
  // the sheet of each listing and export kind, in the run's language
  'workbooks.sheet.listing': { en: 'data', zh: '数据' },
  'workbooks.sheet.customers': { en: 'customers', zh: '顾客' },
  'workbooks.sheet.due': { en: 'due follow-ups', zh: '到期回访' },
  'workbooks.sheet.kpi': { en: 'KPI', zh: '业绩指标' },
  'workbooks.sheet.classes': { en: 'customer classes', zh: '顾客分级' },
  'workbooks.sheet.allowance': { en: 'allowance lines', zh: '差旅补贴明细' },
  'workbooks.sheet.assign': { en: 'assignments', zh: '分配结果' },
  'workbooks.sheet.staff': { en: 'staff', zh: '员工' },
  'workbooks.sheet.assignments': { en: 'assignments', zh: '分配记录' },
  'workbooks.sheet.events': { en: 'events', zh: '活动签到' },
  'workbooks.sheet.files': { en: 'files', zh: '顾客档案' },
  'workbooks.sheet.tasks': { en: 'tasks', zh: '回访任务' },
  'workbooks.sheet.followups': { en: 'follow-ups', zh: '回访记录' },
  'workbooks.sheet.orders': { en: 'orders', zh: '订单' },
  'workbooks.sheet.trips': { en: 'trips', zh: '出差登记' },
  'workbooks.sheet.expenses': { en: 'expenses', zh: '费用明细' },
  'workbooks.sheet.allowances': { en: 'allowances', zh: '差旅补贴' },
  'workbooks.sheet.surveys': { en: 'surveys', zh: '调查表' },
  // the hidden sheet of drop-down lists too long to be written in the rule itself
  'workbooks.sheet.lists': { en: 'lists', zh: '下拉选项' },
  // a template's example row: its first cell, which an import skips the row by
  'workbooks.example': { en: 'example', zh: '示例' },
  'workbooks.validation.title': { en: 'Not in the list', zh: '不在下拉列表中' },
  'workbooks.validation.error': {
    en: 'Pick a value from the drop-down list. Keep this one only if you are sure: the import checks it again.',
    zh: '请从下拉列表中选择。确认无误才保留此值，导入时还会再检查。',
  },
  'workbooks.too_many_rows': { en: 'more rows than one Excel sheet holds (at most {max}, header included)', zh: '行数超过 Excel 单个工作表的上限（含表头最多 {max} 行）' },
  'workbooks.too_many_rows.hint': { en: 'write a csv instead (--out FILE.csv), or fewer rows (--period, --limit)', zh: '请改为导出 csv（--out 文件.csv），或缩小范围（--period、--limit）' },
  'workbooks.too_many_columns': { en: '{n} columns do not fit in an Excel sheet (at most {max})', zh: '{n} 列超过 Excel 工作表的列数上限（最多 {max} 列）' },
  'workbooks.too_many_columns.hint': { en: 'write a csv instead (--out FILE.csv)', zh: '请改为写 csv（--out 文件.csv）' },
  // --out of every listing and export: the extension decides the format
  'workbooks.flag.out': {
    en: 'write to this file instead of stdout; its extension decides the format: .csv .tsv .json .jsonl .xlsx',
    zh: '写入该文件而不是标准输出；扩展名决定格式：.csv .tsv .json .jsonl .xlsx',
  },
  'workbooks.written': { en: 'wrote {n} rows to {file}', zh: '已把 {n} 行写入 {file}' },
  'workbooks.out.bad_extension': { en: '{file}: salesops does not write {ext} files', zh: '{file}：salesops 不能写 {ext} 格式的文件' },
  'workbooks.out.no_extension': { en: '{file} has no extension to tell the format', zh: '{file} 没有扩展名，无法确定格式' },
  'workbooks.out.bad_extension.hint': { en: 'name the file {formats}, e.g. {suggest}', zh: '请用以下扩展名之一：{formats}，如 {suggest}' },
  'workbooks.out.format_conflict': { en: '--format {format} but {file} is named as {ext}', zh: '--format {format} 与文件名 {file} 的扩展名 {ext} 不一致' },
  'workbooks.out.format_conflict.hint': { en: 'the extension decides the format: leave out --format, or name the file .{format}', zh: '格式由扩展名决定：去掉 --format，或把文件命名为 .{format}' },
  'workbooks.stdout_terminal': { en: '--format xlsx writes a workbook, which a terminal cannot show', zh: '--format xlsx 输出的是 Excel 工作簿，无法在终端显示' },
  'workbooks.stdout_terminal.hint': { en: 'name a file with --out FILE.xlsx, or redirect: salesops … --format xlsx > FILE.xlsx', zh: '请用 --out 文件.xlsx 指定文件，或重定向：salesops … --format xlsx > 文件.xlsx' },
} satisfies Record<string, Entry>;
