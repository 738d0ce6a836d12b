#!/usr/bin/env node
/**
 * The binary. The CLI is two files made by `npm run build` (run on install; scripts/build.mjs):
 * dist/bundle/salesops.cjs, all that `--help` and a usage error need, and commands.cjs, the
 * commands, loaded when one runs. Each comes with a V8 code cache made when it was built:
 * compiled from it, the CLI starts without parsing, and without the module loader reading
 * sixty files one after another (issue 17). A cache V8 refuses (another Node, other flags)
 * or one made from another build is not used: the file is compiled as any script is.
 * CommonJS (bin/package.json): an ES module entry costs Node's ESM loader at every start.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

// Node ≥ 22.1 keeps the compiled code of what its module loader loads (zod, inquirer, the
// import worker). Not asked of Node 20, which has no such cache: loading node:module for
// nothing is a fifth of a millisecond of every start.
if (Number(process.versions.node.split('.')[0]) >= 22) require('node:module').enableCompileCache?.();

const dir = path.join(__dirname, '..', 'dist', 'bundle');

/** Runs a half of the CLI, handing it `link` (the other half), and returns its exports. */
function load(name, link) {
  const file = path.join(dir, `${name}.cjs`);
  const source = fs.readFileSync(file, 'utf8');
  let cachedData;
  try {
    const cache = fs.readFileSync(path.join(dir, `${name}.cache`));
    // stamped with the digest that ends the file it was made from
    if (source.endsWith(`//${cache.latin1Slice(0, 64)}\n`)) cachedData = cache.subarray(64);
  } catch {
    // no cache: compiled without one
  }
  const script = new vm.Script(source, { filename: file, cachedData });
  const half = { exports: {} };
  // this file's require: a half requires Node's modules, the packages it leaves out
  // (node_modules is above both folders) and its own files by their full path
  script.runInThisContext()(half.exports, require, half, file, dir, link);
  return half.exports;
}

let commands;
const cli = load('salesops', () => (commands ??= load('commands', cli.modules)).modules);
cli.main();
