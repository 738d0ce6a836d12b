/** Messages of the `kpi` and `export` command groups (see index.ts). */
import type { Entry } from './entry.js';

export const kpiMessages = {
  'kpi.description': { en: 'KPI table of a period per rep or team, with totals (§3.5)', zh: '业绩指标表：按代表或团队统计某一期间，含合计' },
  'kpi.flag.period': {
    en: 'YYYY-MM, YYYY-Qn, YYYY, or this-month|last-month|this-quarter|last-quarter|this-year|last-year (default: the month of --as-of)',
    zh: '期间：YYYY-MM、YYYY-Qn、YYYY，或 this-month|last-month|this-quarter|last-quarter|this-year|last-year（默认 --as-of 所在月）',
  },
  'kpi.flag.from': { en: 'first day of a custom period', zh: '自定义期间的第一天' },
  'kpi.flag.to': { en: 'last day of a custom period (default --as-of)', zh: '自定义期间的最后一天（默认 --as-of）' },
  'kpi.flag.by': { en: 'rows per staff (default) or team', zh: '按 staff（代表，默认）或 team（团队）分行' },
  'kpi.flag.classes': { en: 'customer classes A/B/C by 12-month purchases instead of the KPIs', zh: '改为统计顾客分级 A/B/C（近 12 个月购买额）' },
  'kpi.flag.no_totals': { en: 'no totals row (csv/json: the row keyed TOTAL)', zh: '不输出合计行（csv/json 中键为 TOTAL 的行）' },
  'kpi.bad_period': {
    en: '--period {value} is not a period',
    zh: '--period {value} 不是有效期间',
  },
  'kpi.bad_period.hint': {
    en: 'write 2024-05, 2024-Q2, 2024, or a word: this-month, last-month, this-quarter; or use --from/--to',
    zh: '请写 2024-05、2024-Q2、2024，或 this-month、last-month、this-quarter；也可用 --from/--to',
  },
  'kpi.to_without_from': { en: '--to needs --from', zh: '--to 需要同时给出 --from' },
  'kpi.to_without_from.hint': { en: 'e.g. --from 2024-05-01 --to 2024-05-15', zh: '例如 --from 2024-05-01 --to 2024-05-15' },
  'kpi.period_and_range': { en: 'give either --period or --from/--to, not both', zh: '--period 与 --from/--to 只能二选一' },
  'kpi.from_after_to': { en: '--from {from} is after --to {to}', zh: '--from {from} 晚于 --to {to}' },
  'kpi.from_after_to.hint': { en: 'swap the two dates', zh: '请交换两个日期' },
  'kpi.bad_by': { en: '--by {value}: use staff or team', zh: '--by {value}：请用 staff 或 team' },
  'kpi.heading': {
    en: 'KPI {label}: {from} … {to}; growth against {pfrom} … {pto}',
    zh: '业绩 {label}：{from} 至 {to}；环比对照 {pfrom} 至 {pto}',
  },
  'kpi.heading.cut': {
    en: 'KPI {label}: {from} … {to} (counted to {asOf}); growth against {pfrom} … {pto}',
    zh: '业绩 {label}：{from} 至 {to}（统计至 {asOf}）；环比对照 {pfrom} 至 {pto}',
  },
  'kpi.not_started': {
    en: 'KPI {label}: the period starts after {asOf}; nothing to count yet',
    zh: '业绩 {label}：期间开始于 {asOf} 之后，尚无数据',
  },
  'kpi.classes.heading': {
    en: 'Customer classes on {on} by purchases {from} … {to}: A ≥ ¥{a}, B ≥ ¥{b}, else C',
    zh: '顾客分级（{on}），按 {from} 至 {to} 的购买额：A ≥ ¥{a}，B ≥ ¥{b}，其余为 C',
  },
  // kpi --trend (issue 18)
  'kpi.flag.trend': {
    en: 'the last N periods (2 to 36) of one measure per rep or team, with a sparkline; the periods are of --period\'s kind (months by default), the last one --period or the one of --as-of',
    zh: '显示最近 N 期（2 至 36）某一指标的走势，按代表或团队，附迷你走势图；期间种类随 --period（默认按月），最后一期为 --period 或 --as-of 所在期',
  },
  'kpi.flag.measure': {
    en: 'the measure of --trend (default sales_amount): a number field of kpi --format json, e.g. orders, on_time_rate, conversion_rate, activity_rate (--by team)',
    zh: '--trend 的指标（默认 sales_amount 销售额）：kpi --format json 中的数字字段或表头，如 orders、on_time_rate（按时率）、conversion_rate、activity_rate（仅 --by team）',
  },
  'kpi.trend.bad_n': { en: '--trend {value}: give a number of periods from {min} to {max}', zh: '--trend {value}：请给出期数，{min} 至 {max}' },
  'kpi.trend.bad_n.hint': { en: 'e.g. --trend 12 for the last twelve months', zh: '例如 --trend 12 表示最近 12 个月' },
  'kpi.trend.conflict': { en: '--trend cannot be used with {flag}', zh: '--trend 不能与 {flag} 同时使用' },
  'kpi.trend.conflict.hint': {
    en: 'a trend steps back whole periods from the last one: give it with --period (2024-07, 2024-Q2, 2024) or none (the month of --as-of)',
    zh: '走势按整期向前推：请用 --period 指定最后一期（2024-07、2024-Q2、2024），或不指定（--as-of 所在月）',
  },
  'kpi.trend.measure_alone': { en: '--measure needs --trend', zh: '--measure 需要同时给出 --trend' },
  'kpi.trend.measure_alone.hint': { en: 'e.g. kpi --trend 12 --measure {value}', zh: '例如 kpi --trend 12 --measure {value}' },
  'kpi.trend.bad_measure': { en: '--measure {value} is not a measure of kpi --by {by}', zh: '--measure {value} 不是 kpi --by {by} 的指标' },
  'kpi.trend.bad_measure.hint': { en: 'measures: {measures}', zh: '可用指标：{measures}' },
  'kpi.trend.team_only': { en: '--measure {value} is a measure of teams', zh: '--measure {value} 是团队指标' },
  'kpi.trend.team_only.hint': { en: 'add --by team', zh: '请加 --by team' },
  'kpi.trend.sheet': { en: 'Trend', zh: '走势' },
  'kpi.trend.heading': {
    en: 'Trend of {name} ({measure}): {first} … {last}, {n} periods, as of {asOf}',
    zh: '走势：{name}（{measure}），{first} 至 {last}，共 {n} 期，截至 {asOf}',
  },
  'kpi.trend.heading.cut': {
    en: 'Trend of {name} ({measure}): {first} … {last}, {n} periods, {last} counted to {asOf}',
    zh: '走势：{name}（{measure}），{first} 至 {last}，共 {n} 期，{last} 统计至 {asOf}',
  },
  'kpi.total': { en: 'Total', zh: '合计' },
  'kpi.no_one': { en: '(no one)', zh: '（未归属）' },
  'kpi.no_team': { en: '(no team)', zh: '（无团队）' },
  'kpi.no_owner': { en: '(unassigned)', zh: '（未分配）' },

  'export.description': {
    en: 'write every row of KIND to CSV (UTF-8 with BOM), JSON or an Excel workbook (--out FILE.xlsx); personal data only with --reveal (audited)',
    zh: '把某类数据全部导出为 CSV（UTF-8 BOM）、JSON 或 Excel 工作簿（--out 文件.xlsx）；个人信息须 --reveal 并经审批（记入审计日志）',
  },
  'export.flag.period': { en: 'only rows dated in this period (see kpi --period); kpi: the period', zh: '只导出该期间的记录（写法同 kpi --period）' },
  'export.unknown': { en: 'nothing to export called {kind}', zh: '没有可导出的 {kind}' },
  'export.unknown.hint': { en: 'kinds: {kinds}', zh: '可导出：{kinds}' },
  'export.no_table': { en: 'export writes csv, tsv, json, jsonl or xlsx, not a table', zh: '导出只支持 csv、tsv、json、jsonl、xlsx，不支持 table' },
  'export.no_table.hint': { en: 'use --format csv or json, or name the file .csv/.json/.xlsx', zh: '请用 --format csv 或 json，或把文件命名为 .csv/.json/.xlsx' },
  'export.written': { en: 'wrote {n} rows of {kind} to {file}', zh: '已把 {n} 行 {kind} 写入 {file}' },
  'export.masked': {
    en: 'personal data masked (phones, addresses{extra}); for full data add --reveal --approved-by GM --reason TEXT (audited)',
    zh: '个人信息已脱敏（电话、地址{extra}）；如需完整数据请加 --reveal --approved-by 总经理 --reason 原因（记入审计日志）',
  },
  'export.masked.health': { en: ', health notes omitted', zh: '，不含健康状况' },
  'export.masked.notes': { en: ', follow-up notes omitted', zh: '，不含回访记录内容' },
  'export.no_sealed': { en: '{kind} holds no sealed personal data: --reveal is not needed', zh: '{kind} 不含封存的个人信息，无需 --reveal' },
  'export.no_period': { en: '{kind} has no date to filter on: --period/--from/--to ignored', zh: '{kind} 没有可筛选的日期，已忽略 --period/--from/--to' },
} satisfies Record<string, Entry>;
