/**
 * `salesops template KIND [--lang zh|en] [--out FILE [--force]]` — an empty CSV with the
 * headers, UTF-8 (with a BOM for Excel in a file; none on a pipe), or, for `--out
 * FILE.xlsx` (or `--format xlsx` on a pipe), a workbook (issue 16): the header row, one
 * example row in grey italics that the import skips (its first cell is 示例/example), and
 * drop-down lists of the words each closed column takes. `--out` never replaces a file that
 * holds rows below its header (a filled-in sheet) unless `--force`.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import type { Lang } from '../messages/entry.js';
import { UsageError, UserError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { KIND_NAMES } from '../io/kinds/index.js';
import type { Column, ColumnKind, Row } from '../io/output/column.js';
import type { ColumnSpec } from '../io/kind.js';

type KindName = (typeof KIND_NAMES)[number];

export function registerTemplate(program: Command): void {
  program
    .command('template <kind>')
    .description(t('template.description') + ` (${KIND_NAMES.join('|')})`)
    .option('--out <file>', t('template.flag.out'))
    .option('--force', t('template.flag.force'))
    .action(
      action(async (ctx, kindName: string, f: { out?: string; force?: boolean }) => {
        const name = kindName === 'survey' ? 'surveys' : kindName;
        if (!(KIND_NAMES as readonly string[]).includes(name)) throw new UsageError(t('template.unknown', { kind: kindName, kinds: KIND_NAMES.join(', ') }));
        const { kind } = (await import(`../io/kinds/${name}.js`)) as typeof import('../io/kinds/staff.js');
        const out = f.out === '-' ? undefined : f.out;
        if (out) {
          const { checkOutputPath } = await import('../io/outputFile.js');
          const { fileFormat } = await import('./output.js');
          const guard = { db: ctx.dbPath, what: 'template' } as const;
          // the database, a link, a folder… are refused as such before the name's extension and a filled-in sheet are looked at
          checkOutputPath(out, guard);
          const format = fileFormat(out, ['csv', 'xlsx']);
          if (!f.force && (await holdsRows(out))) throw new UserError(t('template.has_data', { file: out }), t('template.has_data.hint'));
          if (format === 'xlsx') {
            const { writeWorkbook } = await import('../io/xlsx/write.js');
            await writeWorkbook(out, guard, [templateSheet(name as KindName, kind.columns, ctx.lang)]);
          } else {
            const { writeFileAtomic } = await import('../io/outputFile.js');
            writeFileAtomic(out, await csvTemplate(ctx, kind.columns, ctx.bom ?? true), guard);
          }
          ctx.info('template.written', { file: out });
        } else if (ctx.format === 'xlsx') {
          const { checkStdout } = await import('./output.js');
          checkStdout(ctx);
          const { writeWorkbookTo } = await import('../io/xlsx/write.js');
          const { writeOut } = await import('../stdio.js');
          // bytes, not text: the stream takes a Buffer as it takes a string
          await writeWorkbookTo({ write: (chunk) => writeOut(ctx.io.stdout, chunk as unknown as string) }, [templateSheet(name as KindName, kind.columns, ctx.lang)]);
        } else {
          const { writeOut } = await import('../stdio.js');
          const { stdoutFile } = await import('./output.js');
          await writeOut(ctx.io.stdout, await csvTemplate(ctx, kind.columns, stdoutFile(ctx).bom ?? false));
        }
      }),
    );
}

/** The template's header: Chinese headers are the first alias; the import reads either language. */
const headerOf = (c: ColumnSpec, lang: Lang) => (lang === 'zh' ? (c.aliases[0] ?? c.key) : c.key);

/**
 * The one CSV writer: what Excel and WPS open as UTF-8 — with a BOM in a file for people,
 * none on a pipe (issue 15: the BOM rule of every csv; --bom/--no-bom say otherwise).
 */
async function csvTemplate(ctx: Ctx, columns: readonly ColumnSpec[], bom: boolean): Promise<string> {
  const { CSV_BOM, csvLine, lineEnd } = await import('../io/output/csv.js');
  return (bom ? CSV_BOM : '') + csvLine(columns.map((c) => headerOf(c, ctx.lang)), ',') + lineEnd('csv');
}

/** Columns of the import kinds that take a date, money or a number: typed so, in the example row and the empty cells. */
const DATES = new Set(['hired_on', 'regular_on', 'left_on', 'collected_on', 'event_date', 'done_on', 'order_date', 'start', 'end', 'report_on', 'date']);
const MONEY = new Set(['amount', 'advance', 'order_amount', 'standard_fare']);
const NUMBERS = new Set(['birth_year', 'age', 'capacity', 'hours']);

function kindOf(key: string): ColumnKind {
  return DATES.has(key) ? 'date' : MONEY.has(key) ? 'money' : NUMBERS.has(key) ? 'number' : 'text';
}

type Words = Record<Lang, readonly string[]>;
const YES_NO: Words = { zh: ['是', '否'], en: ['yes', 'no'] };

/**
 * The drop-down lists of the closed columns: in Chinese the office's words, in English the
 * codes — each one a word the kind's import reads (io/kinds/*.ts, domain parse functions;
 * test/e2e/xlsxOut.test.ts imports every one). The import reads more (业务员, 打车…): the
 * list warns, it does not refuse.
 */
const VOCABULARIES: Partial<Record<KindName, Record<string, Words>>> = {
  staff: {
    role: { zh: ['销售代表', '销售主管', '销售经理', '顾服主管医生', '总经理'], en: ['rep', 'supervisor', 'manager', 'doctor', 'gm'] },
  },
  surveys: { gender: { zh: ['男', '女'], en: ['M', 'F'] } },
  events: { purchased: YES_NO },
  followups: {
    role: { zh: ['满意代表', '顾服医生'], en: ['rep', 'doctor'] },
    method: { zh: ['电话', '上门'], en: ['phone', 'visit'] },
  },
  trips: {
    scope: { zh: ['省内', '省外'], en: ['in_province', 'out_of_province'] },
    purpose: { zh: ['拜访客户', '开发新市场', '其他'], en: ['visit', 'new_market', 'other'] },
    transport_provided: { zh: ['公司派车', '自驾', '对方接送', '无'], en: ['company_car', 'own_vehicle', 'host', 'none'] },
    deal_closed: YES_NO,
    exempt: YES_NO,
  },
  expenses: {
    kind: { zh: ['火车', '汽车', '轮船', '飞机', '出租车', '市内交通', '客户招待餐', '住宿', '其他'], en: ['train', 'bus', 'ship', 'plane', 'taxi', 'local_bus', 'dinner', 'lodging', 'other'] },
    class: {
      zh: ['硬座', '软座', '二等座', '一等座', '商务座', '硬卧', '软卧', '高级软卧', '经济舱', '超级经济舱', '商务舱', '头等舱'],
      en: ['hard_seat', 'soft_seat', 'second_class', 'first_class', 'business', 'hard_sleeper', 'soft_sleeper', 'deluxe_soft_sleeper', 'economy', 'premium_economy'],
    },
    receipt: YES_NO,
    reason: { zh: ['夜间', '携带设备', '无公交', '路远', '特殊情况'], en: ['night', 'equipment', 'no_bus', 'far', 'special'] },
  },
};

/** A filled-in row of each kind, shown under the header (its first cell becomes 示例/example); closed columns take their list's first fitting word. */
const EXAMPLES: Record<KindName, (w: (key: string, i?: number) => string) => Row> = {
  staff: (w) => ({ name: '刘芳', role: w('role'), team: '一部', district: '330726', areas: '330726;330782', hired_on: '2024-03-01', regular_on: '2024-06-01', capacity: 300 }),
  surveys: (w) => ({ name: '王秀英', gender: w('gender', 1), birth_year: 1950, phone: '13800138000', address: '浙江省金华市浦江县浦阳街道和平路8号', district: '330726', health: '高血压', collector: 'R1', collected_on: '2024-07-02' }),
  events: (w) => ({ phone: '13800138000', name: '王秀英', event_date: '2024-07-20', event: '7月联谊会', purchased: w('purchased'), amount: 398_000, recorded_by: 'R1' }),
  followups: (w) => ({ phone: '13800138000', name: '王秀英', role: w('role'), done_on: '2024-07-23', method: w('method'), staff: 'R1', note: '询问产品使用情况，顾客反馈睡眠改善' }),
  orders: () => ({ phone: '13800138000', name: '王秀英', order_date: '2024-07-20', amount: 398_000, staff: 'R1', product: '护膝' }),
  trips: (w) => ({
    staff: 'R1',
    start: '2024-07-02',
    end: '2024-07-03',
    scope: w('scope'),
    purpose: w('purpose'),
    client: '杭州康乐养老院',
    reviewed_by: 'S1',
    approved_by: 'G1',
    transport_provided: w('transport_provided', 3),
    advance: 100_000,
    report_on: '2024-07-04',
    deal_closed: w('deal_closed', 1),
    exempt: w('exempt', 1),
    start_time: '08:00',
    end_time: '18:30',
  }),
  expenses: (w) => ({ date: '2024-07-02', time: '08:10', kind: w('kind'), amount: 4_550, hours: 1.5, class: w('class', 2), receipt: w('receipt'), from: '浦江', to: '杭州' }),
};

/** The template of a kind as a workbook's sheet: headers as the CSV template's, an example row, the drop-downs. */
function templateSheet(name: KindName, specs: readonly ColumnSpec[], lang: Lang) {
  const columns: Column[] = specs.map((c) => ({ key: c.key, header: { zh: headerOf(c, 'zh'), en: c.key }, kind: kindOf(c.key) }));
  const vocab = VOCABULARIES[name] ?? {};
  const validations = Object.fromEntries(Object.entries(vocab).map(([key, words]) => [key, words[lang]]));
  return {
    name: t(`workbooks.sheet.${name}`, undefined, lang),
    columns,
    lang,
    headers: 'names' as const,
    example: EXAMPLES[name]((key, i = 0) => vocab[key][lang][i]),
    validations,
    rows: [],
    typedColumns: true,
  };
}

/**
 * Whether FILE holds rows below its header: a sheet someone filled in. A missing, empty or
 * header-only file does not; one that cannot be read is left to the writer to report. A
 * workbook: any row under the first of its first sheet, but the example row of a template
 * salesops wrote; a text file: a non-blank line below the first. The first 64 KiB of a text,
 * the first 2 MiB of a sheet tell.
 */
export async function holdsRows(file: string): Promise<boolean> {
  const fs = await import('node:fs');
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  // a zip (PK\3\4): a workbook
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return workbookHoldsRows(file);
  return head.toString('utf8').split(/\r\n|\n|\r/).slice(1).some((line) => line.replace(/[,;\t\s"]/g, '') !== '');
}

const SHEET_XML_MAX = 2 * 1024 * 1024;

/** The first worksheet's XML (its first SHEET_XML_MAX bytes), or null when the zip has none or cannot be read. */
async function firstSheetXml(file: string): Promise<string | null> {
  const yauzl = await import('yauzl');
  return new Promise((resolve) => {
    // open until the sheet is read: it is found only once every entry was seen
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) return resolve(null);
      let best: { name: string; entry: import('yauzl').Entry } | null = null;
      const n = (name: string) => Number(/(\d+)\.xml$/.exec(name)?.[1] ?? Infinity);
      zip.on('error', () => resolve(null));
      zip.on('entry', (entry: import('yauzl').Entry) => {
        if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.fileName) && (!best || n(entry.fileName) < n(best.name))) best = { name: entry.fileName, entry };
        zip.readEntry();
      });
      zip.on('end', () => {
        const found = best as { entry: import('yauzl').Entry } | null;
        if (!found) {
          zip.close();
          return resolve(null);
        }
        zip.openReadStream(found.entry, (e, stream) => {
          if (e || !stream) {
            zip.close();
            return resolve(null);
          }
          const parts: Buffer[] = [];
          let size = 0;
          const finish = () => {
            zip.close();
            resolve(Buffer.concat(parts).toString('utf8'));
          };
          stream.on('data', (chunk: Buffer) => {
            parts.push(chunk);
            size += chunk.length;
            if (size >= SHEET_XML_MAX) {
              stream.destroy();
              finish();
            }
          });
          stream.on('end', finish);
          stream.on('error', () => resolve(null));
        });
      });
      zip.readEntry();
    });
  });
}

async function workbookHoldsRows(file: string): Promise<boolean> {
  const xml = await firstSheetXml(file);
  if (xml === null) return false;
  for (const m of xml.matchAll(/<row\b[^>]*?\br="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
    const r = Number(m[1]);
    if (r < 2 || !/<v>[^<]|<t(?:\s[^>]*)?>[^<]/.test(m[2])) continue;
    // the example row of a template salesops wrote: its first cell, inline
    if (new RegExp(`<c r="A${r}"[^>]*><is><t>(?:示例|example)</t>`).test(m[2])) continue;
    return true;
  }
  return false;
}
