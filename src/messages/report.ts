/** Messages of the monthly report workbook, `salesops report` (issue 16). */
import type { Entry } from './entry.js';

export const reportMessages = {
  'report.description': {
    en: 'write the report workbook of a period (.xlsx): KPIs by rep and team, the sales trend with a chart, customer classes, allowances, open follow-ups, assignments, a sheet each',
    zh: '生成一期的经营报表工作簿（.xlsx）：按代表和按团队的业绩、销售走势（含折线图）、顾客分级、差旅补贴、未完成回访、本期分配，各占一个工作表',
  },
  'report.flag.period': {
    en: 'the period reported: a month 2024-07 (also a quarter 2024-Q3, a year 2024, last-month)',
    zh: '报表期间：月份如 2024-07（也可以是季度 2024-Q3、年份 2024、last-month）',
  },
  'report.flag.out': { en: 'the workbook to write (.xlsx)', zh: '要写入的工作簿（.xlsx）' },
  'report.missing': { en: 'report needs {flags}', zh: 'report 需要 {flags}' },
  'report.missing.hint': {
    en: 'give the period and the file, for example salesops report --period 2024-07 --out report-2024-07.xlsx',
    zh: '请给出期间和文件名，例如 salesops report --period 2024-07 --out 7月经营报表.xlsx',
  },
  'report.not_xlsx': { en: 'the report is an Excel workbook: {file} does not end in .xlsx', zh: '经营报表是 Excel 工作簿，{file} 的扩展名不是 .xlsx' },
  'report.not_xlsx.hint': { en: 'end the name in .xlsx, for example --out {suggest}', zh: '请用 .xlsx 作扩展名，例如 --out {suggest}' },

  // the line above the table of every sheet: which days the figures are of, and on which day
  'report.title': { en: 'Period {label} ({from} to {to}) · as of {asOf}', zh: '期间 {label}（{from} 至 {to}）· 截至 {asOf}' },
  'report.trend_chart': { en: '{name} by rep, {first} to {last}', zh: '各代表{name}走势（{first} 至 {last}）' },
  'report.due_note': {
    en: 'open follow-ups, overdue and due soon (as followups due lists them), by staff member, overdue first; phones masked',
    zh: '未完成的回访（已逾期的和近期到期的，同 followups due），按负责人排列，逾期的在前；电话已脱敏',
  },

  // the sheets, in the order of the workbook (at most 31 characters: Excel's limit)
  'report.sheet.kpi_staff': { en: 'KPI by rep', zh: '业绩（按代表）' },
  'report.sheet.kpi_team': { en: 'KPI by team', zh: '业绩（按团队）' },
  'report.sheet.trend': { en: 'Sales trend', zh: '销售走势' },
  'report.sheet.classes': { en: 'Customer classes', zh: '顾客分级' },
  'report.sheet.allowance_staff': { en: 'Allowances by staff', zh: '差旅补贴汇总' },
  'report.sheet.allowance_lines': { en: 'Allowance lines', zh: '差旅费用明细' },
  'report.sheet.followups_due': { en: 'Open and overdue follow-ups', zh: '回访（未完成与逾期）' },
  'report.sheet.assignments': { en: 'Assignments', zh: '本期分配' },

  'report.written': { en: 'wrote {file}: {sheets}', zh: '已写入 {file}：{sheets}' },
  'report.sheet_rows': { en: '{name} {n} rows', zh: '{name} {n} 行' },
} satisfies Record<string, Entry>;
