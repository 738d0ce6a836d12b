#!/usr/bin/env node
// Writes the demo fixtures (fixtures/*.csv) deterministically. Run: node scripts/make-fixtures.mjs
// staff.csv: UTF-8 with BOM and Chinese headers (as HR exports it from Excel);
// surveys.csv: UTF-8, English headers; surveys-gbk.csv: GBK with Chinese headers and
// Excel-style dates; surveys-bad.csv: a few broken rows next to good ones; surveys.xlsx: the
// rows of surveys.csv as a clerk's workbook (a title row above Chinese headers, phones and
// dates as Excel stores them), written by scripts/gen-xlsx.mjs.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

const out = (name, text, enc = 'utf8-bom') => {
  const body = text.replace(/\n/g, '\r\n');
  const buf = enc === 'gbk' ? iconv.encode(body, 'gbk') : Buffer.from((enc === 'utf8-bom' ? '\ufeff' : '') + body, 'utf8');
  fs.writeFileSync(new URL(`../fixtures/${name}`, import.meta.url), buf);
};

out('staff.csv', `工号,姓名,岗位,部门,所在地区,负责区域,入职日期,转正日期,离职日期,档案上限
G1,周建国,总经理,总部,330702,,2015-03-01,2015-06-01,,
M1,陈丽华,销售经理,一部,330702,,2018-07-01,2018-10-01,,
S1,王志强,销售主管,一部,金华市浦江县,,2019-02-15,2019-05-15,,
S2,李秀英,销售主管,二部,330106,,2020-04-01,2020-07-01,,
D1,张医生,顾服主管医生,顾服,330702,330726;330782,2019-09-01,2019-12-01,,
R1,刘芳,销售代表,一部,浦江县,,2021-03-01,2021-06-01,,300
R2,杨洋,销售代表,一部,330702,,2022-05-10,2022-08-10,,
R3,赵敏,满意代表,一部,义乌市,330783,2023-01-09,2023-04-09,,
R4,黄磊,销售代表,二部,杭州市西湖区,,2020-11-02,2021-02-02,,
R5,吴静,销售代表,二部,330110,,2024-06-03,,,
R6,孙涛,销售代表,二部,330106,,2019-08-19,2019-11-19,2024-05-31,
`);

// a small deterministic generator (mulberry32)
let s = 20240509;
const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const SUR = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯'.split('');
const GIV = ['秀英', '桂兰', '建国', '玉兰', '德明', '淑珍', '凤英', '国庆', '春梅', '金凤', '长青', '福海', '宝山', '永红', '学军', '振华'];
const PLACES = [
  ['330726', '浙江省金华市浦江县', ['浦阳街道和平路', '仙华街道人民路', '黄宅镇新街']],
  ['330702', '浙江省金华市婺城区', ['城中街道八一南街', '江南街道宾虹路', '西关街道新华街']],
  ['330782', '浙江省义乌市', ['稠城街道工人路', '北苑街道雪峰路']],
  ['330106', '浙江省杭州市西湖区', ['文新街道学院路', '北山街道保俶路']],
  ['330110', '浙江省杭州市余杭区', ['临平街道迎宾路']],
];
const HEALTH = ['高血压', '糖尿病', '关节炎', '失眠', '无', '', '高血脂;冠心病', '骨质疏松'];
const COLLECTORS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', '刘芳', '杨洋', 'S1'];
const rows = [];
const people = [];
for (let i = 1; i <= 50; i++) {
  const [code, prefix, streets] = PLACES[i % PLACES.length];
  const name = pick(SUR) + pick(GIV);
  const phone = '13' + String(800000000 + i * 7919).padStart(9, '0');
  const month = 3 + (i % 4);
  const day = 1 + (i % 27);
  people.push({ name, phone });
  rows.push([
    `SV2024${String(i).padStart(4, '0')}`, name, rnd() < 0.45 ? '男' : '女', String(1940 + Math.floor(rnd() * 25)),
    i % 10 === 0 ? `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` : phone,
    `${prefix}${pick(streets)}${1 + Math.floor(rnd() * 300)}号`, i % 7 === 0 ? '' : code, pick(HEALTH),
    COLLECTORS[i % COLLECTORS.length], i % 6 === 0 ? `2024/${month}/${day}` : `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  ]);
}
const csv = (r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
out('surveys.csv', 'survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on\n' + rows.slice(0, 40).map(csv).join('\n') + '\n', 'utf8');
// the GBK file: Chinese headers, 年月日 dates and one Excel serial date, age instead of birth year
const gbk = rows.slice(40).map((r, k) => {
  const [y, m, d] = r[9].split(/[-/]/).map(Number);
  const date = k === 0 ? String(Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000)) : `${y}年${m}月${d}日`;
  return csv([r[0], r[1], r[2], String(2024 - Number(r[3])), r[4], r[5], r[6], r[7], r[8], date]);
});
// and one survey of a customer already known from surveys.csv: adds no customer
gbk.push(csv(['SV20249999', people[1].name, '女', '70', people[1].phone, '', '', '', 'R2', '2024年7月1日']));
out('surveys-gbk.csv', '问卷编号,姓名,性别,年龄,联系电话,住址,地区,健康状况,收集人,填表日期\n' + gbk.join('\n') + '\n', 'gbk');
out('surveys-bad.csv', `survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on
SV20248001,钱桂兰,女,1950,13900001111,浙江省金华市浦江县浦阳街道和平路8号,,高血压,R1,2024-07-02
SV20248002,孙德明,男,1948,1390000,浙江省金华市婺城区宾虹路2号,330702,,R2,2024-07-03
SV20248003,周玉兰,女,1955,13900003333,浙江省义乌市工人路5号,330782,,赵六,2024-07-03
SV20248004,吴建国,男,1949,13900004444,,330726,,R1,2024-13-01
SV20248005,郑春梅,女,1952,13900005555,浙江省杭州市西湖区学院路9号,330106,失眠,R4,2024-07-05
`, 'utf8');
// the same 40 surveys as the office's workbook: importing it after surveys.csv adds nothing
const sheet = new URL('../fixtures/surveys-sheet.tmp.csv', import.meta.url);
fs.writeFileSync(sheet, '中老年健康调查表（2024年4–7月）\n问卷编号,姓名,性别,出生年份,电话,地址,地区,健康状况,收集人,收集日期\n' + rows.slice(0, 40).map(csv).join('\n') + '\n');
const made = spawnSync(process.execPath, [fileURLToPath(new URL('./gen-xlsx.mjs', import.meta.url)), fileURLToPath(sheet), fileURLToPath(new URL('../fixtures/surveys.xlsx', import.meta.url))], { stdio: 'inherit' });
fs.rmSync(sheet);
if (made.status !== 0) process.exit(1);
console.error('fixtures written');
