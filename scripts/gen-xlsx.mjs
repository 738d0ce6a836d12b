#!/usr/bin/env node
// node scripts/gen-xlsx.mjs IN.csv OUT.xlsx — the same rows as a workbook the way Excel saves
// one (for `npm run bench -- xlsx`): text in the shared-strings table, numbers as numbers (a
// phone typed into a General cell is a number), dates as date-styled serial numbers, one
// sheet. Written by streaming (yazl, csv-parse): flat memory whatever the rows. Independent
// of salesops's own writer, so the bench reads what Excel writes, not what we write.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import yazl from 'yazl';
import { PassThrough } from 'node:stream';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: node scripts/gen-xlsx.mjs IN.csv OUT.xlsx\n');
  process.exit(2);
}

const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const col = (i) => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
/** 'YYYY-MM-DD' → Excel's 1900 serial (day 60 is Excel's phantom 1900-02-29) */
const serial = (d) => {
  const [y, m, day] = d.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, day) - Date.UTC(1899, 11, 30)) / 86400000);
};

const strings = new Map();
const sst = (s) => {
  let i = strings.get(s);
  if (i === undefined) strings.set(s, (i = strings.size));
  return i;
};

const zip = new yazl.ZipFile();
// a fixed date on every entry: the same rows give the same bytes
const entry = { mtime: new Date(2000, 0, 1) };
const sheet = new PassThrough();
zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml', entry);
const done = new Promise((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(output)).on('close', resolve).on('error', reject));

const write = (s) => (sheet.write(s) ? null : new Promise((r) => sheet.once('drain', r)));
await write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
let r = 0;
let xml = '';
for await (const rec of fs.createReadStream(input).pipe(parse({ bom: true, relax_column_count: true }))) {
  r++;
  xml += `<row r="${r}">`;
  rec.forEach((v, i) => {
    if (v === '') return;
    const ref = `${col(i)}${r}`;
    if (r > 1 && /^\d{4}-\d{2}-\d{2}$/.test(v)) xml += `<c r="${ref}" s="1"><v>${serial(v)}</v></c>`;
    else if (r > 1 && /^\d{1,15}$/.test(v) && !/^0\d/.test(v)) xml += `<c r="${ref}"><v>${v}</v></c>`;
    else xml += `<c r="${ref}" t="s"><v>${sst(v)}</v></c>`;
  });
  xml += '</row>';
  if (xml.length > 1 << 16) {
    const wait = write(xml);
    xml = '';
    if (wait) await wait;
  }
}
sheet.end(xml + '</sheetData></worksheet>');

const parts = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  'xl/workbook.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
  'xl/styles.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
};
for (const [name, text] of Object.entries(parts)) zip.addBuffer(Buffer.from(text), name, entry);
// the shared strings last, as they are known only once every row is read
const sstStream = new PassThrough();
zip.addReadStream(sstStream, 'xl/sharedStrings.xml', entry);
zip.end();
sstStream.write(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.size}" uniqueCount="${strings.size}">`);
for (const s of strings.keys()) {
  if (!sstStream.write(`<si><t xml:space="preserve">${esc(s)}</t></si>`)) await new Promise((res) => sstStream.once('drain', res));
}
sstStream.end('</sst>');
await done;
