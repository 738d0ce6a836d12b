/**
 * The binary runs the two halves of the CLI that `npm run build` makes (scripts/build.mjs:
 * dist/bundle/salesops.cjs and commands.cjs), each from the V8 code cache made beside it
 * (issue 17). A cache is only ever a shortcut: made by this Node it is taken; refused by V8
 * (another Node, other flags: here a cache whose version stamp is not this V8's), made from
 * another build (a stale one: V8 itself would not notice when the two files are as long),
 * or missing, the binary compiles the file and says the same bytes. The binary is copied
 * with its bundle into a folder of its own for each damage.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin, sandbox, type RunResult } from './harness.js';

const BUNDLE = path.join(ROOT, 'dist/bundle');
const HALVES = ['salesops', 'commands'];
/** the digest of the file that starts its cache (scripts/build.mjs) */
const STAMP = 64;

/**
 * Runs `node -e code` as the build ran (V8 refuses a cache made under other flags: none of
 * the test worker's own, NODE_OPTIONS as `npm test` gave the build); resolves to its stdout.
 */
function nodeEval(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`node -e exited ${code}`))));
  });
}

/** Like runBin, with another copy of the binary. */
function runCopy(bin: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', SALESOPS_DB: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.stdin.end();
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}

const copies: string[] = [];
afterAll(() => {
  for (const d of copies) fs.rmSync(d, { recursive: true, force: true });
});

interface Half {
  code: string;
  cache: Buffer | null;
}

/** The binary and its bundle in a folder of their own, each half and its cache as `damage` leaves them. */
function copyWith(damage: (h: Half, name: string) => Half): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-cache-'));
  copies.push(root);
  fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  fs.cpSync(BUNDLE, path.join(root, 'dist/bundle'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  for (const name of HALVES) {
    const codeFile = path.join(root, `dist/bundle/${name}.cjs`);
    const cacheFile = path.join(root, `dist/bundle/${name}.cache`);
    const { code, cache } = damage({ code: fs.readFileSync(codeFile, 'utf8'), cache: fs.readFileSync(cacheFile) }, name);
    fs.writeFileSync(codeFile, code);
    if (cache) fs.writeFileSync(cacheFile, cache);
    else fs.rmSync(cacheFile);
  }
  return path.join(root, 'bin/salesops.js');
}

describe('the code cache of the binary', () => {
  it.each(HALVES)('of %s is taken by the Node that built it', async (name) => {
    // as bin/salesops.js compiles a half
    const code = `
      const fs = require('node:fs'), vm = require('node:vm');
      const file = ${JSON.stringify(path.join(BUNDLE, `${name}.cjs`))};
      const source = fs.readFileSync(file, 'utf8');
      const cache = fs.readFileSync(${JSON.stringify(path.join(BUNDLE, `${name}.cache`))});
      const stamped = source.endsWith('//' + cache.latin1Slice(0, ${STAMP}) + '\\n');
      const script = new vm.Script(source, { filename: file, cachedData: cache.subarray(${STAMP}) });
      console.log(JSON.stringify({ stamped, rejected: script.cachedDataRejected }));`;
    expect(JSON.parse(await nodeEval(code))).toEqual({ stamped: true, rejected: false });
  });

  const s = sandbox();
  beforeAll(async () => void (await s.run(['init'])));
  afterAll(() => s.cleanup());
  // a rebuilt front as long as the one its cache was made from (V8 would take the cache and
  // run the old code): a word of the help changed, and the digest line the build writes
  const WORD = 'Daily sales operations';
  const REBUILT = 'DAILY sales operations';
  const rebuilt = (code: string, name: string) => (name === 'salesops' ? code.replace(WORD, REBUILT) : code).replace(/\/\/[0-9a-f]{64}\n$/, `//${'0'.repeat(STAMP)}\n`);
  const otherV8 = (c: Buffer) => Buffer.concat([c.subarray(0, STAMP + 4), Buffer.from([~c[STAMP + 4] & 0xff]), c.subarray(STAMP + 5)]);
  const damages: [string, (h: Half, name: string) => Half, (text: string) => string][] = [
    // the second word of V8's header is the version of V8 that made it
    ['made by another V8', ({ code, cache }) => ({ code, cache: otherV8(cache!) }), (text) => text],
    ['made from another build', ({ code, cache }, name) => ({ code: rebuilt(code, name), cache }), (text) => text.replace(WORD, REBUILT)],
    ['missing', ({ code }) => ({ code, cache: null }), (text) => text],
  ];

  it.each(damages)('%s: not used, and the binary says what it says with it', async (_name, damage, expected) => {
    const bin = copyWith(damage);
    // the front alone, then with the commands
    for (const args of [['--help'], ['--version'], ['nosuch'], ['--db', s.db, 'staff', 'list'], ['--db', s.db, 'survey', '--help']]) {
      const [copy, real] = await Promise.all([runCopy(bin, args), runBin(args)]);
      expect(copy).toEqual({ ...real, stdout: expected(real.stdout) });
    }
  });
});
