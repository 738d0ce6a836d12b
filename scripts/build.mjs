#!/usr/bin/env node
/**
 * The second half of `npm run build` (the first is tsc, into dist/): the binary's code in
 * two files, each with a V8 code cache (issue 17: a read command was Node's start plus some
 * 130 ms of loading the CLI; the ESM loader read sixty files one after another and compiled
 * each, and better-sqlite3 alone took 6–7 ms).
 *
 *   dist/bundle/salesops.cjs     the front: dist/cli/main.js and what it imports, all that
 *                                `--help` and a usage error run
 *   dist/bundle/commands.cjs     the commands: the modules commands.ts imports when a command
 *                                runs, and all they import (the dependencies too, but zod,
 *                                loaded by the policy commands only, and better-sqlite3's
 *                                native addon)
 *   dist/bundle/*.cache          their code caches, made here after a run of `--help` and of
 *                                an unknown command (which loads every command's module), so
 *                                what those ran is compiled already; each starts with the
 *                                digest of the file it belongs to, which ends that file
 *   dist/bundle/prompts.cjs      inquirer, loaded only at a terminal prompt
 *   dist/bundle/importWorker.js  the import worker (io/importer.ts starts the file of that
 *                                name beside its own code), an ES module
 *   dist/bundle/pgWorker.js      the PostgreSQL client's thread with pg (store/pg/pgBridge.ts
 *                                starts it for a postgres:// database only), an ES module
 *
 * A half is CommonJS wrapped as a function of (exports, require, module, __filename,
 * __dirname, link), which bin/salesops.js compiles with vm.Script: the one way to hand V8 a
 * code cache on Node 20. The bundles are made from dist/ (tsc's output, which the test suite
 * runs in process), not from src/: the binary runs the very JavaScript the tests run, and
 * test/e2e/binary.test.ts checks both say the same bytes.
 */
import { build } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const out = path.join(dist, 'bundle');
fs.rmSync(out, { recursive: true, force: true });

/** What the bundles share: Node 20, the dependencies in (zod, loaded by the policy commands only, stays out). */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['zod'],
  // comments and indentation are a third of the text, which is read at every start
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
};

// commander loads child_process at its start for a feature salesops does not use (a
// subcommand run as an executable of its own): 2–3 ms of every start (issue 17), so the
// bundle loads it when first used
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, k) => require('node:child_process')[k] });",
      loader: 'js',
    }));
  },
};

// better-sqlite3's JavaScript in the bundle (loading its thirteen files cost 6–7 ms of every
// command that opens the database), its native addon where it is installed: `bindings`
// looks for the addon beside the file that calls it, which in the bundle is dist/bundle/
const SQLITE_ADDON = "require('bindings')('better_sqlite3.node')";
const sqliteAddon = {
  name: 'sqlite-addon',
  setup(b) {
    b.onLoad({ filter: /[\\/]better-sqlite3[\\/]lib[\\/]database\.js$/ }, (a) => {
      const text = fs.readFileSync(a.path, 'utf8');
      if (!text.includes(SQLITE_ADDON)) throw new Error(`better-sqlite3 no longer loads its addon by ${SQLITE_ADDON}: scripts/build.mjs must follow`);
      const find = `(() => {
        // where npm's install (prebuild-install or node-gyp) puts it, else wherever bindings finds it
        const root = path.dirname(require.resolve('better-sqlite3/package.json'));
        try {
          return require(path.join(root, 'build', 'Release', 'better_sqlite3.node'));
        } catch (e) {
          if (e.code !== 'MODULE_NOT_FOUND') throw e;
        }
        return require('bindings')({ bindings: 'better_sqlite3.node', module_root: root });
      })()`;
      return { contents: text.replace(SQLITE_ADDON, find), loader: 'js' };
    });
  },
};

// inquirer (with the encodings of its editor prompt, half of all the code) is asked for only
// at a terminal prompt: a file of its own, loaded then, not read at every start
const promptsApart = {
  name: 'prompts-apart',
  setup(b) {
    b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: 'prompts', namespace: 'apart' }));
    // beside the bundle, whoever's require loads it
    b.onLoad({ filter: /.*/, namespace: 'apart' }, () => ({
      contents: "module.exports = require(require('node:path').join(__dirname, 'prompts.cjs'));",
      loader: 'js',
    }));
  },
};

/** The settings of the two halves of the binary (the front and the commands). */
const half = {
  ...common,
  format: 'cjs',
  // a CommonJS file compiled by vm.Script has no import(): every import() becomes a require
  supported: { 'dynamic-import': false },
  // import.meta.url: the bundle's own (the worker beside it, package.json two folders up)
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundleUrl' },
};

// The binary in two halves (issue 17: `--help` read, compiled and ran all of the CLI, 4 ms
// more than it needs). The front is dist/cli/main.js and what it imports, which is all that
// `--help` and every usage error run: commander, the catalogue, commands.ts. The commands are
// the modules commands.ts imports when a command runs (COMMAND_GROUPS) and what they import,
// but what the front holds already: each module is in one half only, so a class or a module's
// state (the language of the run) is the same for both. The front asks the commands half for
// a command module by its name in dist/ (`cli/init.js`), the commands half asks the front for
// the modules it shares by theirs; bin/salesops.js links them.
const commandsModule = path.join(dist, 'cli/commands.js');
const key = (file) => path.relative(dist, file).split(path.sep).join('/');

/** In the front: a command module is taken from the commands half, when commands.ts imports it. */
const commandsApart = (asked) => ({
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) => {
      if (a.kind !== 'dynamic-import' || a.importer !== commandsModule) return undefined;
      const file = path.resolve(a.resolveDir, a.path);
      asked.add(file);
      return { path: file, namespace: 'commands' };
    });
    b.onLoad({ filter: /.*/, namespace: 'commands' }, (a) => ({ contents: `module.exports = __salesopsCommands()[${JSON.stringify(key(a.path))}];`, loader: 'js' }));
  },
});

/** In the commands half: a module the front holds is the front's. */
const INNER = Symbol('inner');
const frontShared = (front, shared) => ({
  name: 'front-shared',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (a) => {
      if (a.pluginData === INNER || a.kind === 'entry-point') return undefined;
      const r = await b.resolve(a.path, { kind: a.kind, importer: a.importer, resolveDir: a.resolveDir, pluginData: INNER });
      if (r.errors.length > 0 || r.external || !front.has(r.path)) return undefined;
      shared.add(r.path);
      return { path: r.path, namespace: 'front' };
    });
    b.onLoad({ filter: /.*/, namespace: 'front' }, (a) => ({ contents: `module.exports = __salesopsFront[${JSON.stringify(key(a.path))}];`, loader: 'js' }));
  },
});

/**
 * An entry that hands out the modules `files` by name, as `modules`, each loaded when first
 * asked for (a require: esbuild runs an ES module of the bundle on the spot), so that none
 * runs earlier than it would in one bundle; `before` on top.
 */
const registry = (files, before = '') => ({
  contents: `${before}export const modules = {\n${files.map((f) => `  get ${JSON.stringify(key(f))}() { return require(${JSON.stringify(f)}); },\n`).join('')}};\n`,
  resolveDir: dist,
  sourcefile: 'registry.js',
});

// 1. what the front holds: main.js and all it imports, but the command modules
const asked = new Set();
const frontModules = await build({ ...half, entryPoints: [path.join(dist, 'cli/main.js')], write: false, outfile: path.join(out, 'salesops.cjs'), metafile: true, plugins: [lazyChildProcess, commandsApart(asked)] });
const front = new Set(Object.keys(frontModules.metafile.inputs).filter((f) => !f.includes(':')).map((f) => path.resolve(f)));

// 2. the commands half, which finds which of the front's modules it uses
const shared = new Set();
await build({
  ...half,
  stdin: registry([...asked].sort()),
  outfile: path.join(out, 'commands.cjs'),
  // read at run time, where better-sqlite3 is installed (sqliteAddon)
  external: [...common.external, 'better-sqlite3/package.json'],
  plugins: [frontShared(front, shared), promptsApart, sqliteAddon],
});

// 3. the front, handing those out
await Promise.all([
  build({
    ...half,
    stdin: registry([...shared].sort(), `export * from './cli/main.js';\n`),
    outfile: path.join(out, 'salesops.cjs'),
    plugins: [lazyChildProcess, commandsApart(new Set())],
  }),
  build({
    ...common,
    entryPoints: [createRequire(import.meta.url).resolve('@inquirer/prompts')],
    outfile: path.join(out, 'prompts.cjs'),
    format: 'cjs',
  }),
  // the PostgreSQL client's thread (issue 19), with pg in it: started only for a postgres:// database
  build({
    ...common,
    entryPoints: [path.join(dist, 'store/pg/pgWorker.js')],
    outfile: path.join(out, 'pgWorker.js'),
    format: 'esm',
    // pg's optional native binding and its Cloudflare socket are never used
    external: [...common.external, 'pg-native', 'pg-cloudflare', 'cloudflare:sockets'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
  build({
    ...common,
    entryPoints: [path.join(dist, 'io/importWorker.js')],
    outfile: path.join(out, 'importWorker.js'),
    format: 'esm',
    // its CommonJS dependencies call require, which an ES module has not
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
]);

/**
 * A half as bin/salesops.js compiles it: a function of (exports, require, module,
 * __filename, __dirname, link), ending with the digest its cache is stamped with (a cache is
 * used only with the text it was made from).
 */
function wrap(name, link) {
  const file = path.join(out, `${name}.cjs`);
  const body = fs.readFileSync(file, 'utf8');
  const digest = crypto.createHash('sha256').update(body).digest('hex');
  const source = `(function (exports, require, module, __filename, __dirname, ${link}) {${body}\n})\n//${digest}\n`;
  fs.writeFileSync(file, source);
  return { file, source, digest, script: new vm.Script(source, { filename: file }) };
}
const halves = { salesops: wrap('salesops', '__salesopsCommands'), commands: wrap('commands', '__salesopsFront') };

// Run them as the binary does, then keep V8's compiled code: what ran here is compiled at
// the next start without parsing (V8 refuses a cache from another V8, or other flags, and
// compiles as without one). `--help`, then an unknown command, which loads every command.
const run = ({ file, script }, link) => {
  const m = { exports: {} };
  script.runInThisContext()(m.exports, createRequire(file), m, file, out, link);
  return m.exports;
};
let commands;
const cli = run(halves.salesops, () => (commands ??= run(halves.commands, cli.modules)).modules);
const quiet = { write: () => true, once: () => quiet, isTTY: false };
const io = (argv) => ({ stdout: quiet, stderr: quiet, stdinIsTTY: false, env: { LANG: 'C' }, argv, now: () => new Date() });
for (const argv of [['--help'], ['nosuch']]) await cli.runCli(argv, io(argv));

// written whole or not at all: V8 checks the header of a cache, not its content (a cache cut
// short is refused, one with a hole of zeros would crash the binary)
for (const [name, { digest, script }] of Object.entries(halves)) {
  const cacheFile = path.join(out, `${name}.cache`);
  const fd = fs.openSync(`${cacheFile}.tmp`, 'w');
  fs.writeFileSync(fd, Buffer.concat([Buffer.from(digest, 'latin1'), script.createCachedData()]));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(`${cacheFile}.tmp`, cacheFile);
}
