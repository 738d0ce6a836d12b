/**
 * The message catalogue (src/messages): every text in both languages, each key defined once,
 * every part reachable through `t`/`entry`, and every table header in the columns part, used
 * by a Column (`header: columnHeader('…')`, never a literal).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entry, type Entry, type MessageKey } from '../../src/messages/index.js';
import { columnHeader, columnMessages, type ColumnKey } from '../../src/messages/columns.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const MESSAGES = path.join(SRC, 'messages');

/** Each part file's exported entries (every sibling of index.ts but the Entry type's own file). */
async function parts(): Promise<[file: string, entries: Record<string, Entry>][]> {
  const files = fs.readdirSync(MESSAGES).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'entry.ts');
  const out: [string, Record<string, Entry>][] = [];
  for (const file of files.sort()) {
    const mod = (await import(path.join(MESSAGES, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (value && typeof value === 'object') out.push([`${file} ${name}`, value as Record<string, Entry>]);
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every Column literal's header in src (`{ key: 'x', header: … }`), as written. */
function columnHeaders(): { file: string; header: string }[] {
  const found: { file: string; header: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    if (file.startsWith(MESSAGES + path.sep)) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\{\s*key: '[^']*',\s*header:\s*([^,}\n]+)/g)) found.push({ file: path.relative(SRC, file), header: m[1].trim() });
  }
  return found;
}

describe('the message catalogue', () => {
  it('has its parts, each with entries', async () => {
    const all = await parts();
    expect(all.map(([file]) => file)).toContain('columns.ts columnMessages');
    for (const [, entries] of all) expect(Object.keys(entries).length).toBeGreaterThan(0);
  });

  it('every key has a non-empty text in zh and en', async () => {
    const bad: string[] = [];
    for (const [file, entries] of await parts()) {
      for (const [key, e] of Object.entries(entries)) {
        if (typeof e.zh !== 'string' || !e.zh.trim() || typeof e.en !== 'string' || !e.en.trim()) bad.push(`${file}: ${key}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no key is defined in two parts', async () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [file, entries] of await parts()) {
      for (const key of Object.keys(entries)) {
        const first = seen.get(key);
        if (first) twice.push(`${key}: ${first} and ${file}`);
        else seen.set(key, file);
      }
    }
    expect(twice).toEqual([]);
  });

  it('every part is reachable: entry() finds each key as its part defines it (columnHeader() the headers)', async () => {
    const missing: string[] = [];
    for (const [file, entries] of await parts()) {
      const find = entries === columnMessages ? (k: string) => columnHeader(k as ColumnKey) : (k: string) => entry(k as MessageKey);
      for (const [key, e] of Object.entries(entries)) if (find(key) !== e) missing.push(`${file}: ${key}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('column headers', () => {
  const headers = columnHeaders();

  it('are found in src (the check below reads something)', () => {
    expect(headers.length).toBeGreaterThan(100);
  });

  it('come from the catalogue, never a literal: header: columnHeader(key), the key in the columns part', () => {
    const bad = headers.filter(({ header }) => {
      const m = /^columnHeader\('([^']+)'\)$/.exec(header);
      return !m || !(m[1] in columnMessages);
    });
    expect(bad).toEqual([]);
  });

  it('every key of the columns part is the header of some Column', () => {
    const used = new Set(headers.map(({ header }) => /^columnHeader\('([^']+)'\)$/.exec(header)?.[1]));
    expect(Object.keys(columnMessages).filter((k) => !used.has(k))).toEqual([]);
  });
});
