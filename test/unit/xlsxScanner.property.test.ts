/**
 * Properties of the hand-written SpreadsheetML scanner (src/io/xlsx/xml.ts) and of the .xlsx
 * reader built on it (src/io/xlsx/read.ts), over worksheet and shared-strings XML generated
 * the way real producers vary it (Excel's compact form, WPS, openpyxl, LibreOffice, .NET's
 * `x:` prefix, pretty-printers): attribute order, quotes, white space, prefixes, self-closing
 * cells, cells and rows without `r`, every `t`, rich text, phonetic runs, formulas, entities
 * and character references, `_xHHHH_` escapes, CRLF line ends, cut into pieces anywhere.
 *
 * The oracle is an independent reader built on saxes (SAX events → rows of cell texts,
 * shared strings resolved, rich text joined except `<rPh>`), itself checked against the model
 * the XML was generated from. Only the number formatting of cells.ts (numberText) is shared:
 * it is not the scanner's business.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { Found } from '../../src/io/csvRecords.js';
import { SheetRecords, Workbook, openSheet } from '../../src/io/xlsx/read.js';
import { XmlScanner, attr, local } from '../../src/io/xlsx/xml.js';
import { numberText } from '../../src/io/xlsx/cells.js';
import { UserError } from '../../src/errors.js';
import { setLang } from '../../src/messages/index.js';
import { zip } from '../e2e/workbooks.js';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const STRICT = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const RUNS = Number(process.env.XLSX_PROP_RUNS ?? 300);

// ---------------------------------------------------------------- the reference (saxes)

interface Row {
  row: number;
  cells: string[];
  errors: [number, string][];
}

/** `_xHHHH_` escapes (ECMA-376 ST_Xstring) undone, left to right; U+0000 dropped (as the importer does). */
function refUnescape(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] === '_' && s[i + 1] === 'x' && i + 7 <= s.length && s[i + 6] === '_' && /^[0-9A-Fa-f]{4}$/.test(s.slice(i + 2, i + 6))) {
      const c = parseInt(s.slice(i + 2, i + 6), 16);
      if (c !== 0) out += String.fromCharCode(c);
      i += 7;
    } else out += s[i++];
  }
  return out;
}

/** Column letters → index (A → 0); -1 without letters. */
function refColumn(ref: string): number {
  const m = /^([A-Za-z]+)/.exec(ref);
  if (!m) return -1;
  let n = 0;
  for (const ch of m[1].toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

type SaxOn = { open(name: string, attrs: Record<string, string>, stack: string[]): void; close(name: string, stack: string[]): void; text(s: string, stack: string[]): void };

/** Elements of the SpreadsheetML namespace by local name, their unprefixed attributes; text as XML means it. */
function sax(xml: string, on: SaxOn): void {
  const p = new SaxesParser({ xmlns: true, position: false });
  const stack: string[] = [];
  p.on('error', (e) => {
    throw e;
  });
  p.on('opentag', (tag) => {
    const name = tag.uri === MAIN || tag.uri === STRICT ? tag.local : `{${tag.uri}}${tag.local}`;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.prefix === '' && a.local !== 'xmlns') attrs[a.local] = a.value;
    stack.push(name);
    on.open(name, attrs, stack);
  });
  p.on('closetag', () => on.close(stack.pop()!, stack));
  p.on('text', (s) => stack.length > 0 && on.text(s, stack));
  p.on('cdata', (s) => on.text(s, stack));
  p.write(xml).close();
}

/**
 * The shared strings: each `<si>`'s `<t>`s outside `<rPh>`, each unescaped, joined. Each `<t>`
 * is an ST_Xstring of its own (ECMA-376 Part 1, CT_Rst and CT_RElt: `t` of type ST_Xstring),
 * so its escapes are undone one `<t>` at a time: `<r><t>_</t></r><r><t>x0041_</t></r>` is
 * the text `_x0041_`, not `A`.
 */
function refStrings(xml: string): string[] {
  const out: string[] = [];
  let cur = '';
  let t = '';
  sax(xml, {
    open: (n) => {
      if (n === 'si') cur = '';
      else if (n === 't') t = '';
    },
    close: (n, st) => {
      if (n === 't' && st.includes('si') && !st.includes('rPh')) cur += refUnescape(t);
      else if (n === 'si') out.push(cur);
    },
    text: (s, st) => {
      if (st[st.length - 1] === 't') t += s;
    },
  });
  return out;
}

/** The rows of a sheet as cell texts (gaps '', trailing empties dropped), its error cells, as Excel shows them. */
function refSheet(xml: string, sst: string[]): Row[] {
  const rows: Row[] = [];
  let rowNum = 0;
  let row: Row = { row: 0, cells: [], errors: [] };
  let col = -1;
  let type = '';
  let v: string | null = null;
  let inline: string | null = null;
  let t = '';
  sax(xml, {
    open: (n, a) => {
      if (n === 'row') {
        rowNum = a.r !== undefined ? Number(a.r) : rowNum + 1;
        row = { row: rowNum, cells: [], errors: [] };
        col = -1;
      } else if (n === 'c') {
        col = a.r !== undefined ? refColumn(a.r) : col + 1;
        type = a.t ?? 'n';
        v = null;
        inline = null;
      } else if (n === 'v') v = '';
      else if (n === 'is') inline = '';
      else if (n === 't') t = '';
    },
    text: (s, st) => {
      const top = st[st.length - 1];
      if (top === 'v' && st[st.length - 2] === 'c') v += s;
      else if (top === 't') t += s;
    },
    close: (n, st) => {
      // each <t> of an inline string is an ST_Xstring of its own (see refStrings)
      if (n === 't' && st.includes('is') && !st.includes('rPh')) inline += refUnescape(t);
      if (n === 'row') {
        if (row.cells.length > 0 || row.errors.length > 0) rows.push(row);
        return;
      }
      if (n !== 'c') return;
      let text: string;
      if (type === 'inlineStr') {
        if (inline === null) return;
        text = inline;
      } else {
        if (v === null) return;
        if (type === 's') {
          expect(v, 'a shared-string index').toMatch(/^\d+$/);
          expect(+v).toBeLessThan(sst.length);
          text = sst[+v];
        } else if (type === 'str') text = refUnescape(v);
        else if (type === 'b') text = v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
        else if (type === 'e') {
          row.errors.push([col, v]);
          return;
        } else text = v === '' ? '' : numberText(v);
      }
      if (text === '') return;
      while (row.cells.length < col) row.cells.push('');
      row.cells[col] = text;
    },
  });
  return rows;
}

// ---------------------------------------------------------------- the model and its XML

/** How one producer writes XML. */
interface Style {
  /** `x:` on every element, xmlns:x declared (the .NET Open XML SDK) */
  prefix: boolean;
  /** 0: "…", 1: '…', 2: either, attribute by attribute */
  quote: 0 | 1 | 2;
  /** white space other than one space between attributes, around `=`, before `>` and `/>` */
  attrWs: boolean;
  /** white space and line breaks between tags (pretty-printers, LibreOffice's debug output) */
  tagWs: boolean;
  /** attributes in any order */
  shuffle: boolean;
  /** characters as decimal/hex references, `&gt;` `&quot;` `&apos;`, optional `_xHHHH_`, CDATA */
  refs: boolean;
  /** line breaks in text written as CRLF (XML reads them as LF) */
  crlf: boolean;
  /** `<t/>`, `<v/>` for empty elements */
  emptyForm: boolean;
  /** comments between tags */
  comments: boolean;
}

const EXCEL: Style = { prefix: false, quote: 0, attrWs: false, tagWs: false, shuffle: false, refs: false, crlf: false, emptyForm: false, comments: false };

const styleArb: fc.Arbitrary<Style> = fc.oneof(
  // Excel, WPS: the compact form the fast paths are for (optionally CRLF in text)
  fc.record({ crlf: fc.boolean() }).map((s) => ({ ...EXCEL, ...s })),
  // openpyxl / LibreOffice / SDKs / pretty-printed: anything
  fc.record({
    prefix: fc.boolean(),
    quote: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    attrWs: fc.boolean(),
    tagWs: fc.boolean(),
    shuffle: fc.boolean(),
    refs: fc.boolean(),
    crlf: fc.boolean(),
    emptyForm: fc.boolean(),
    comments: fc.boolean(),
  }),
);

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isXmlChar = (c: number): boolean => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
const hex4 = (c: number, lower: boolean): string => {
  const h = c.toString(16).padStart(4, '0');
  return lower ? h : h.toUpperCase();
};

/** Writes XML in one style, its small choices made by a seeded PRNG. */
class Writer {
  private readonly rnd: () => number;
  constructor(
    readonly st: Style,
    seed: number,
  ) {
    this.rnd = prng(seed);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }
  el(name: string): string {
    return (this.st.prefix ? 'x:' : '') + name;
  }
  /** between tags */
  ws(): string {
    let s = this.st.tagWs ? this.pick(['', '', '\n', '\r\n', '\n  ', '\n\t\t', ' ']) : '';
    if (this.st.comments && this.chance(0.08)) s += this.pick(['<!-- x -->', '<!--<c r="Z9"><v>1</v></c>-->', '<?pi data?>']);
    return s;
  }
  attrs(pairs: [string, string | undefined][]): string {
    const list = pairs.filter((p): p is [string, string] => p[1] !== undefined);
    if (this.st.shuffle) for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.rnd() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    let s = '';
    for (const [k, v] of list) {
      const q = this.st.quote === 0 ? '"' : this.st.quote === 1 ? "'" : this.pick(['"', "'"]);
      const sep = this.st.attrWs ? this.pick([' ', '  ', '\n\t', '\r\n  ', '\t']) : ' ';
      const eq = this.st.attrWs ? this.pick(['=', '=', ' = ', '= ', ' =']) : '=';
      s += `${sep}${k}${eq}${q}${v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')}${q}`;
    }
    return s + (this.st.attrWs && this.chance(0.3) ? this.pick([' ', '\n', '\t ']) : '');
  }
  open(name: string, pairs: [string, string | undefined][] = []): string {
    return `<${this.el(name)}${this.attrs(pairs)}>`;
  }
  empty(name: string, pairs: [string, string | undefined][] = []): string {
    return `<${this.el(name)}${this.attrs(pairs)}/>`;
  }
  close(name: string): string {
    return `</${this.el(name)}${this.st.attrWs && this.chance(0.2) ? ' ' : ''}>`;
  }
  /** An element of text content: `<v>`, `<t>`, `<f>`. */
  textEl(name: string, content: string, pairs: [string, string | undefined][] = []): string {
    if (content === '' && this.st.emptyForm && this.chance(0.5)) return this.empty(name, pairs);
    return this.open(name, pairs) + content + this.close(name);
  }
  /** Text as XML holds it: `&` and `<` escaped, the rest as the style writes it. */
  xml(s: string): string {
    const r = this.st.refs;
    let out = '';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      const ref = (): string => (this.chance(0.5) ? `&#${this.chance(0.3) ? String(c).padStart(4, '0') : c};` : `&#x${this.chance(0.3) ? hex4(c, this.chance(0.5)) : this.chance(0.5) ? c.toString(16) : c.toString(16).toUpperCase()};`);
      if (ch === '&') out += r ? this.pick(['&amp;', '&#38;', '&#x26;']) : '&amp;';
      else if (ch === '<') out += r ? this.pick(['&lt;', '&#60;', '&#x3C;']) : '&lt;';
      // `]]>` may not stand in text (XML 1.0 §2.4)
      else if (ch === '>') out += out.endsWith(']]') ? '&gt;' : r ? this.pick(['>', '&gt;', '&#62;']) : this.pick(['>', '&gt;']);
      else if (ch === '"') out += r ? this.pick(['"', '&quot;', '&#34;']) : '"';
      else if (ch === "'") out += r ? this.pick(["'", '&apos;', '&#39;']) : "'";
      else if (ch === '\r') out += r && this.chance(0.5) ? ref() : this.pick(['&#13;', '&#xD;']);
      else if (ch === '\n') out += this.st.crlf && this.chance(0.7) ? '\r\n' : r && this.chance(0.3) ? ref() : '\n';
      else out += r && this.chance(0.12) ? ref() : ch;
    }
    return out;
  }
  /**
   * A string value (ST_Xstring) as Excel stores it: characters XML cannot hold as `_xHHHH_`,
   * an `_` that would read as the start of one as `_x005F_`; then as XML text (or CDATA).
   */
  xstr(s: string): string {
    const units = Array.from(s);
    let enc = '';
    for (let i = 0; i < units.length; i++) {
      const ch = units[i];
      const c = ch.codePointAt(0)!;
      const lower = this.st.refs && this.chance(0.3);
      if (!isXmlChar(c) || (c < 0x10000 && ch.length === 2)) enc += `_x${hex4(c, lower)}_`;
      else if (ch === '_' && /^x[0-9A-Fa-f]{4}/.test(units.slice(i + 1, i + 6).join(''))) enc += `_x${hex4(0x5f, lower)}_`;
      else if (this.st.refs && (ch === '_' || ch === '\t' || ch === '\n' || ch === '\r') && this.chance(0.3)) enc += `_x${hex4(c, lower)}_`;
      else if (ch === '\r' && this.chance(0.5)) enc += `_x${hex4(c, lower)}_`;
      else enc += ch;
    }
    if (this.st.refs && this.chance(0.1) && !enc.includes(']]>') && !enc.includes('\r')) return `<![CDATA[${enc}]]>`;
    return this.xml(enc);
  }
  /** `<t>` with xml:space="preserve" when Excel would write it, or at random */
  t(s: string): string {
    const preserve = /^\s|\s$/.test(s) || (this.st.refs && this.chance(0.3)) ? 'preserve' : undefined;
    return this.textEl('t', this.xstr(s), [['xml:space', preserve]]);
  }
}

interface Rich {
  runs: { text: string; rPr: boolean }[];
  /** written as `<r>` runs (else one `<t>` of the whole text) */
  rich: boolean;
  phonetic: string[];
  phoneticPr: boolean;
}
const richText = (r: Rich): string => r.runs.map((x) => x.text).join('');

type Kind =
  | { t: 's'; idx: number }
  | { t: 'inlineStr'; rich: Rich }
  | { t: 'str'; text: string; formula: string | null }
  | { t: 'n' | ''; v: string | null; formula: string | null }
  | { t: 'b'; v: '0' | '1'; formula: string | null }
  | { t: 'e'; v: string; formula: string | null }
  | { t: 'none' };

interface CellM {
  gap: number;
  omitR: boolean;
  s: number | null;
  extra: boolean;
  kind: Kind;
}
interface RowM {
  gap: number;
  omitR: boolean;
  attrs: { spans: boolean; ht: boolean; hidden: boolean; dy: boolean; style: boolean };
  cells: CellM[];
}
interface Book {
  sst: Rich[];
  rows: RowM[];
}

const charArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcXYZ019 .-:'.split('')) },
  { weight: 4, arbitrary: fc.constantFrom('&', '<', '>', '"', "'", '/', '=', ';', '#', '_', 'x') },
  { weight: 3, arbitrary: fc.constantFrom('中', '文', '王', '𠮷', '😀', 'é', 'ー', 'ｱ', '\u3000') },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r', '\r\n', '\u0001', '\u001f', '\u000b', '\ufffe', '\ud800', '\u0000', '\u0085', '\u2028') },
  { weight: 2, arbitrary: fc.constantFrom('_x0041_', '_x005F_', '_x000D_', '_x00', '&amp;', '&#20013;', ']]>', '/>', '</t>', '<c r="A1">') },
);
/** text without `&` and `<` (as most cells are: the fast paths' case), or with anything */
const plainCharArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019 .-:>/"\'_x'.split('')) },
  { weight: 3, arbitrary: fc.constantFrom('中', '文', '王', '𠮷', '😀', 'é', 'ー', 'ｱ', '\u3000', '\n', '\r\n', '_x000D_', '_x0041_') },
);
const textArb = fc.oneof(fc.array(plainCharArb, { maxLength: 8 }), fc.array(charArb, { maxLength: 8 })).map((a) => a.join(''));

const richArb: fc.Arbitrary<Rich> = fc.record({
  runs: fc.oneof(
    fc.array(fc.record({ text: textArb, rPr: fc.boolean() }), { minLength: 1, maxLength: 1 }),
    fc.array(fc.record({ text: textArb, rPr: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  ),
  rich: fc.boolean(),
  phonetic: fc.oneof({ weight: 2, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.array(textArb, { minLength: 1, maxLength: 2 }) }),
  phoneticPr: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const formulaArb = fc.option(fc.constantFrom('SUM(A1:B1)', 'A1&"<x>"&\'S 1\'!B2', 'IF(A1>0,"a/b","")', '', '\u0000shared'), { nil: null });
const numArb = fc.oneof(
  fc.integer().map(String),
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat(99999)).map(([a, b]) => `${a}.${b}`),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('1E-3', '4.4010419560101101E+17', '3980.0000000000005', '-0'),
);

const kindArb: fc.Arbitrary<Kind> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('s' as const), idx: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('inlineStr' as const), rich: richArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('str' as const), text: textArb, formula: formulaArb }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('n' as const, '' as const), v: fc.option(fc.oneof(numArb, fc.constant('')), { nil: null }), formula: formulaArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('b' as const), v: fc.constantFrom('0' as const, '1' as const), formula: formulaArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('e' as const), v: fc.constantFrom('#REF!', '#N/A', '#DIV/0!', '#VALUE!', '#NAME?', '#NULL!', '#NUM!'), formula: formulaArb }) },
  { weight: 1, arbitrary: fc.constant({ t: 'none' as const }) },
);

const cellArb: fc.Arbitrary<CellM> = fc.record({
  gap: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }) }),
  omitR: fc.boolean(),
  s: fc.option(fc.nat(40), { nil: null }),
  extra: fc.boolean(),
  kind: kindArb,
});
const rowArb: fc.Arbitrary<RowM> = fc.record({
  gap: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1000 }) }),
  omitR: fc.boolean(),
  attrs: fc.record({ spans: fc.boolean(), ht: fc.boolean(), hidden: fc.boolean(), dy: fc.boolean(), style: fc.boolean() }),
  cells: fc.array(cellArb, { maxLength: 6 }),
});
const bookArb: fc.Arbitrary<Book> = fc.record({ sst: fc.array(richArb, { maxLength: 6 }), rows: fc.array(rowArb, { maxLength: 6 }) });

const ROOT_NS: [string, string][] = [
  ['xmlns:r', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'],
  ['xmlns:mc', 'http://schemas.openxmlformats.org/markup-compatibility/2006'],
  ['xmlns:x14ac', 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac'],
  ['mc:Ignorable', 'x14ac'],
];

function decl(w: Writer): string {
  if (!w.st.tagWs && !w.st.attrWs) return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
  return w.pick(['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n', "<?xml version='1.0' encoding='UTF-8'?>\n", '<?xml version="1.0"?>', '']);
}
function root(w: Writer, name: string, extra: [string, string | undefined][] = []): string {
  return w.open(name, [[w.st.prefix ? 'xmlns:x' : 'xmlns', MAIN], ...ROOT_NS, ...extra]);
}

function richXml(w: Writer, r: Rich): string {
  let s = '';
  if (!r.rich) s += w.ws() + w.t(richText(r));
  else
    for (const run of r.runs) {
      s += w.ws() + w.open('r');
      if (run.rPr) s += w.open('rPr') + w.empty('b') + w.empty('sz', [['val', '11']]) + w.empty('color', [['rgb', 'FFFF0000']]) + w.empty('rFont', [['val', '等线']]) + w.empty('family', [['val', '3']]) + w.empty('charset', [['val', '134']]) + w.close('rPr');
      s += w.ws() + w.t(run.text) + w.close('r');
    }
  for (const p of r.phonetic) s += w.ws() + w.open('rPh', [['sb', '0'], ['eb', '1']]) + w.t(p) + w.close('rPh');
  if (r.phoneticPr) s += w.ws() + w.empty('phoneticPr', [['fontId', '1'], ['type', 'noConversion']]);
  return s + w.ws();
}

function sstXml(w: Writer, sst: Rich[]): string {
  const attrs: [string, string | undefined][] = [['count', String(sst.length + 3)], ['uniqueCount', String(sst.length)]];
  if (sst.length === 0 && w.chance(0.5)) return decl(w) + root(w, 'sst', attrs).replace(/>$/, '/>');
  return decl(w) + root(w, 'sst', attrs) + sst.map((r) => w.ws() + w.open('si') + richXml(w, r) + w.close('si')).join('') + w.ws() + w.close('sst');
}

/** The sheet's XML, and the rows the model means (the cells' text as Excel shows it). */
function sheetXml(w: Writer, book: Book): { xml: string; expected: Row[] } {
  const expected: Row[] = [];
  let x = decl(w) + root(w, 'worksheet');
  if (w.chance(0.5)) x += w.ws() + w.empty('dimension', [['ref', 'A1:C3']]);
  if (w.chance(0.5)) x += w.ws() + w.open('sheetViews') + w.empty('sheetView', [['tabSelected', '1'], ['workbookViewId', '0']]) + w.close('sheetViews');
  if (w.chance(0.5)) x += w.ws() + w.empty('sheetFormatPr', [['defaultRowHeight', '13.5'], ['x14ac:dyDescent', '0.15']]);
  if (w.chance(0.3)) x += w.ws() + w.open('cols') + w.empty('col', [['min', '1'], ['max', '3'], ['width', '9'], ['customWidth', '1']]) + w.close('cols');
  x += w.ws();
  if (book.rows.length === 0 && w.chance(0.6)) x += w.empty('sheetData');
  else {
    x += w.open('sheetData');
    let rowNum = 0;
    for (const r of book.rows) {
      const omitR = r.omitR && r.gap === 0;
      rowNum += 1 + r.gap;
      const exp: Row = { row: rowNum, cells: [], errors: [] };
      const rowAttrs: [string, string | undefined][] = [
        ['r', omitR ? undefined : String(rowNum)],
        ['spans', r.attrs.spans ? '1:3' : undefined],
        ['s', r.attrs.style ? '4' : undefined],
        ['customFormat', r.attrs.style ? '1' : undefined],
        ['ht', r.attrs.ht ? '20.25' : undefined],
        ['customHeight', r.attrs.ht ? '1' : undefined],
        ['hidden', r.attrs.hidden ? '1' : undefined],
        ['x14ac:dyDescent', r.attrs.dy ? '0.25' : undefined],
      ];
      x += w.ws();
      if (r.cells.length === 0 && w.chance(0.5)) {
        x += w.empty('row', rowAttrs);
        continue;
      }
      x += w.open('row', rowAttrs);
      let col = -1;
      for (const c of r.cells) {
        const omitCR = c.omitR && c.gap === 0;
        col += 1 + c.gap;
        let kind = c.kind;
        if (kind.t === 's' && book.sst.length === 0) kind = { t: 'none' };
        const cAttrs: [string, string | undefined][] = [
          ['r', omitCR ? undefined : columnName(col) + rowNum],
          ['s', c.s === null ? undefined : String(c.s)],
          ['t', kind.t === 'none' || kind.t === '' ? undefined : kind.t],
          ['cm', c.extra && kind.t !== 'none' ? '1' : undefined],
        ];
        const f = (formula: string | null): string =>
          formula === null ? '' : formula === '\u0000shared' ? w.ws() + w.empty('f', [['t', 'shared'], ['si', '0']]) : w.ws() + w.textEl('f', w.xml(formula), formula === '' ? [['t', 'shared'], ['ref', 'A1:A3'], ['si', '0']] : []);
        let text: string | null = null;
        let inner = '';
        switch (kind.t) {
          case 's':
            text = richText(book.sst[kind.idx % book.sst.length]);
            inner = w.ws() + w.textEl('v', String(kind.idx % book.sst.length));
            break;
          case 'inlineStr':
            text = richText(kind.rich);
            inner = w.ws() + w.open('is') + richXml(w, kind.rich) + w.close('is');
            break;
          case 'str':
            text = kind.text;
            inner = f(kind.formula) + w.ws() + w.textEl('v', w.xstr(kind.text));
            break;
          case 'n':
          case '':
            text = kind.v === null ? null : kind.v === '' ? '' : numberText(kind.v);
            inner = f(kind.formula) + (kind.v === null ? '' : w.ws() + w.textEl('v', kind.v));
            break;
          case 'b':
            text = kind.v === '1' ? 'TRUE' : 'FALSE';
            inner = f(kind.formula) + w.ws() + w.textEl('v', kind.v);
            break;
          case 'e':
            exp.errors.push([col, kind.v]);
            inner = f(kind.formula) + w.ws() + w.textEl('v', w.xml(kind.v));
            break;
        }
        x += w.ws() + (inner === '' && w.chance(0.7) ? w.empty('c', cAttrs) : w.open('c', cAttrs) + inner + w.ws() + w.close('c'));
        if (text !== null) text = text.replace(/\0/g, '');
        if (text) {
          while (exp.cells.length < col) exp.cells.push('');
          exp.cells[col] = text;
        }
      }
      x += w.ws() + w.close('row');
      if (exp.cells.length > 0 || exp.errors.length > 0) expected.push(exp);
    }
    x += w.ws() + w.close('sheetData');
  }
  if (w.chance(0.5)) x += w.ws() + w.empty('phoneticPr', [['fontId', '1'], ['type', 'noConversion']]);
  if (w.chance(0.5)) x += w.ws() + w.empty('pageMargins', [['left', '0.7'], ['right', '0.7'], ['top', '0.75'], ['bottom', '0.75'], ['header', '0.3'], ['footer', '0.3']]);
  return { xml: x + w.ws() + w.close('worksheet') + w.ws(), expected };
}

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// ---------------------------------------------------------------- running the project's reader

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-scan-'));
let fileNo = 0;
beforeAll(() => setLang('en'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
async function writeBook(sheet: string, sst: string): Promise<string> {
  const buf = await zip([
    ['_rels/.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `<?xml version="1.0"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/s.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ],
    ['xl/worksheets/s.xml', sheet],
    ['xl/sharedStrings.xml', sst],
  ]);
  const p = path.join(dir, `b${++fileNo}.xlsx`);
  fs.writeFileSync(p, buf);
  return p;
}

/** Every record of the sheet; [] when the reader refuses it as empty. */
async function records(src: SheetRecords): Promise<Row[]> {
  const out: Row[] = [];
  try {
    await src.read();
    for (;;) {
      const f = src.next();
      if (f === Found.More) await src.read();
      else if (f === Found.End) break;
      else if (f === Found.Record) out.push({ row: src.row, cells: src.cells.slice(), errors: src.cellErrors ? src.cellErrors.map(([c, v]) => [c, v]) : [] });
      else throw new Error(`unexpected Found ${f}`);
    }
  } catch (e) {
    if (e instanceof UserError && / is empty$/.test(e.message)) return out;
    throw e;
  } finally {
    src.close();
  }
  return out;
}

/** The bytes in pieces cut at the given offsets, as inflate hands them over. */
async function* pieces(bytes: Buffer, cuts: number[] | number): AsyncGenerator<Buffer> {
  let at = 0;
  const offsets = typeof cuts === 'number' ? Array.from({ length: Math.ceil(bytes.length / cuts) }, (_, i) => i * cuts) : cuts.map((f) => Math.floor(f * bytes.length));
  for (const c of [...offsets, bytes.length].sort((a, b) => a - b)) {
    if (c > at) yield bytes.subarray(at, c);
    at = Math.max(at, c);
  }
}

/** where inflate cuts the sheet: at these fractions of it, or every k bytes */
const cutsArb = fc.oneof(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), fc.integer({ min: 1, max: 7 }));

// ---------------------------------------------------------------- the properties

describe('xlsx scanner and reader vs a saxes reference', () => {
  it('worksheet + sharedStrings XML as producers write them: the reader gives the rows saxes gives', async () => {
    await fc.assert(
      fc.asyncProperty(bookArb, styleArb, fc.integer(), cutsArb, async (book, style, seed, cuts) => {
        const w = new Writer(style, seed);
        const sst = sstXml(w, book.sst);
        const { xml, expected } = sheetXml(w, book);
        // the reference, checked against the model it was generated from
        const strings = refStrings(sst);
        expect(strings).toEqual(book.sst.map((r) => richText(r).replace(/\0/g, '')));
        const ref = refSheet(xml, strings);
        expect(ref).toEqual(expected);
        // the project's reader: the public way (whole parts from the zip) …
        const file = await writeBook(xml, sst);
        expect(await records(await openSheet(file))).toEqual(ref);
        // … and the sheet cut into pieces anywhere, as inflate cuts a big one
        const book2 = await Workbook.open(file);
        expect(await records(new SheetRecords(file, book2, book2.sheets[0], pieces(Buffer.from(xml, 'utf8'), cuts)))).toEqual(ref);
      }),
      { numRuns: RUNS },
    );
  });

  it('any string written into <t> and <v> (every XML-special and control character, _xHHHH_) survives', async () => {
    const anyText = fc.oneof(textArb, fc.string({ unit: 'binary', maxLength: 16 }), fc.array(charArb, { minLength: 10, maxLength: 30 }).map((a) => a.join('')));
    await fc.assert(
      fc.asyncProperty(anyText, styleArb, fc.integer(), fc.nat(), async (s, style, seed, at) => {
        const w = new Writer(style, seed);
        const cut = s.length === 0 ? 0 : at % (s.length + 1);
        const split: Rich = { runs: [{ text: s.slice(0, cut), rPr: true }, { text: s.slice(cut), rPr: false }], rich: true, phonetic: ['ふりがな'], phoneticPr: true };
        const plain: Rich = { runs: [{ text: s, rPr: false }], rich: false, phonetic: [], phoneticPr: false };
        const book: Book = {
          sst: [plain, split],
          rows: [
            {
              gap: 0,
              omitR: false,
              attrs: { spans: true, ht: false, hidden: false, dy: false, style: false },
              cells: [
                { gap: 0, omitR: false, s: null, extra: false, kind: { t: 's', idx: 0 } },
                { gap: 0, omitR: false, s: 1, extra: false, kind: { t: 's', idx: 1 } },
                { gap: 0, omitR: false, s: null, extra: false, kind: { t: 'inlineStr', rich: plain } },
                { gap: 0, omitR: false, s: null, extra: false, kind: { t: 'inlineStr', rich: split } },
                { gap: 0, omitR: false, s: null, extra: false, kind: { t: 'str', text: s, formula: null } },
                { gap: 0, omitR: false, s: null, extra: false, kind: { t: 'str', text: s, formula: 'A1' } },
                { gap: 0, omitR: false, s: null, extra: false, kind: { t: 'n', v: '1', formula: null } },
              ],
            },
          ],
        };
        const sst = sstXml(w, book.sst);
        const { xml } = sheetXml(w, book);
        const want = s.replace(/\0/g, '');
        const file = await writeBook(xml, sst);
        const rows = await records(await openSheet(file));
        expect(rows).toEqual([{ row: 1, cells: [want, want, want, want, want, want, '1'], errors: [] }]);
      }),
      { numRuns: RUNS },
    );
  });

  it('the scanner gives the elements, attributes and text saxes gives, however the text is cut', () => {
    fc.assert(
      fc.property(bookArb, styleArb, fc.integer(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 16 }), fc.boolean(), (book, style, seed, cuts, useSst) => {
        const w = new Writer(style, seed);
        const sst = sstXml(w, book.sst);
        const xml = useSst ? sst : sheetXml(w, book).xml;
        type Ev = [string, string, Record<string, string | undefined>?];
        const push = (out: Ev[], ev: Ev) => {
          const last = out[out.length - 1];
          if (ev[0] === 'text') {
            if (ev[1] === '') return;
            if (last?.[0] === 'text') return void (last[1] += ev[1]);
          }
          out.push(ev);
        };
        // saxes, without namespaces: names as written
        const want: Ev[] = [];
        const p = new SaxesParser({ position: false });
        let depth = 0;
        p.on('error', (e) => {
          throw e;
        });
        p.on('opentag', (tag) => {
          depth++;
          const attrs: Record<string, string> = {};
          const locals = Object.keys(tag.attributes).map(local);
          for (const [k, v] of Object.entries(tag.attributes)) if (!k.startsWith('xmlns') && locals.filter((l) => l === local(k)).length === 1) attrs[local(k)] = v;
          push(want, ['open', tag.name, attrs]);
        });
        p.on('closetag', (tag) => {
          depth--;
          push(want, ['close', tag.name]);
        });
        p.on('text', (s) => depth > 0 && push(want, ['text', s]));
        p.on('cdata', (s) => push(want, ['text', s]));
        p.write(xml).close();
        // the scanner, asked for all text, fed in pieces cut at code point boundaries
        const got: Ev[] = [];
        const raw: string[] = [];
        const x = new XmlScanner({
          open: (name, a) => {
            raw.push(a);
            push(got, ['open', name, {}]);
          },
          close: (name) => push(got, ['close', name]),
          text: (s) => push(got, ['text', s]),
        });
        x.wantText = true;
        const cps = Array.from(xml);
        const offs = [...new Set(cuts.map((f) => Math.floor(f * cps.length)))].sort((a, b) => a - b);
        let at = 0;
        for (const o of [...offs, cps.length]) {
          if (o > at) x.write(cps.slice(at, o).join(''));
          at = Math.max(at, o);
        }
        x.end();
        // text outside the root is nothing; each attribute saxes read, read by `attr` from the tag's text
        const inside = got.filter((e, i) => !(e[0] === 'text' && (i === 0 || i === got.length - 1)));
        const opens = want.filter((e) => e[0] === 'open');
        let k = 0;
        for (const e of inside) if (e[0] === 'open') {
          const a = raw[k];
          e[2] = Object.fromEntries(Object.keys(opens[k]?.[2] ?? {}).map((name) => [name, attr(a, name)]));
          k++;
        }
        expect(inside).toEqual(want);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

/** The sheet (and shared strings) read whole from a zip, and with the sheet cut every `step` bytes. */
async function readBoth(sheetBody: string, sstBody = '', step = 1): Promise<[Row[], Row[]]> {
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="${MAIN}"><sheetData>${sheetBody}</sheetData></worksheet>`;
  const file = await writeBook(sheet, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst xmlns="${MAIN}">${sstBody}</sst>`);
  const whole = await records(await openSheet(file));
  const book = await Workbook.open(file);
  return [whole, await records(new SheetRecords(file, book, book.sheets[0], pieces(Buffer.from(sheet, 'utf8'), step)))];
}

describe('the minimal cases the properties found (each shown by saxes and by the slow path of the reader itself)', () => {
  it('a CRLF written raw in text is a line feed (XML 1.0 §2.11), in the fast paths too', async () => {
    // slow path (the <f>) and fast path (none) of a cell, fast path of a shared string
    const [whole] = await readBoth('<row r="1"><c r="A1" t="str"><f>B1</f><v>a\r\nb</v></c><c r="B1" t="str"><v>a\r\nb</v></c><c r="C1" t="s"><v>0</v></c></row>', '<si><t>a\r\nb</t></si>');
    expect(whole).toEqual([{ row: 1, cells: ['a\nb', 'a\nb', 'a\nb'], errors: [] }]);
  });

  it('a CRLF cut between two pieces of the sheet is one line feed', async () => {
    const [, cut] = await readBoth('<row r="1"><c r="A1" t="str"><f>B1</f><v>a\r\nb</v></c></row>', '', 1);
    expect(cut).toEqual([{ row: 1, cells: ['a\nb'], errors: [] }]);
  });

  it('_xHHHH_ escapes are undone <t> by <t> (each is an ST_Xstring), not across rich-text runs', async () => {
    const [whole] = await readBoth(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>_</t></r><r><t>x0041_</t></r></is></c><c r="C1" t="s"><v>1</v></c></row>',
      '<si><r><t>_</t></r><r><t>x0041_</t></r></si><si><r><t>_x00</t></r><r><t>41_</t></r></si>',
    );
    expect(whole).toEqual([{ row: 1, cells: ['_x0041_', '_x0041_', '_x0041_'], errors: [] }]);
  });

  it('an empty <v></v> on a shared-string cell is an empty cell, not shared string 0', async () => {
    const [whole] = await readBoth('<row r="1"><c r="A1" t="s"><v></v></c><c r="B1" t="s"><v>0</v></c></row>', '<si><t>甲</t></si>');
    expect(whole).toEqual([{ row: 1, cells: ['', '甲'], errors: [] }]);
  });

  // found in review (issue 16): hostile or careless writers
  it('elements nested past any workbook\'s depth are refused as a damaged part, not followed until the memory is gone', async () => {
    const deep = '<row r="1">' + '<ab>'.repeat(200);
    await expect(readBoth(deep, '')).rejects.toThrow(UserError);
    const scanner = new XmlScanner({ open() {}, close() {}, text() {} });
    expect(() => scanner.write('<a>' + '<b>'.repeat(100))).toThrow(/nested too deep/);
  });

  it('a raw NUL in a cell (XML forbids it; a careless writer puts it) is dropped, so the row\'s cells stay in their columns', async () => {
    const [whole] = await readBoth('<row r="1"><c r="A1" t="inlineStr"><is><t>张\u0000三</t></is></c><c r="B1"><v>1</v></c></row>', '');
    expect(whole).toEqual([{ row: 1, cells: ['张三', '1'], errors: [] }]);
  });
});
