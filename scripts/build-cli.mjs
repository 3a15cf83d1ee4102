// Bundles the CLI: dist/cli/program.js (from tsc) and everything it imports, fedc's modules and its
// dependencies, into two scripts in dist/cli/, and has V8 cache their compiled code: loading some
// 250 small modules cost a start more than anything else in a small render, and compiling the
// bundle's 1.6 MB as ES modules still cost a command some 20-35 ms, which a code cache saves (Node
// 20 caches code for vm.Script only, not for ES modules). `npm run build` runs it after tsc.
//
// - bundle-program.js: program.js and what it imports statically (commander): enough for --help
//   and --version. The commands it imports dynamically are in bundle-commands.js, loaded when one
//   runs; the modules both use are bundle-program's, shared with bundle-commands at run time.
// - Each is `(async function (require, __fedc) {...})` around esbuild's ES module output, which
//   keeps top-level await; Node's modules are reached through require, as a script has no import
//   statement. src/cli/load-bundle.ts runs them (BundleHost is __fedc).
// - dist/cli/main.cjs, the bin: tsc's main.js, with load-bundle.js in place of ./program.js, so it
//   still sets the thread pool first, as CommonJS (no ES module loader to start). dist/cli/main.js
//   becomes an ES module that runs it. The other modules tsc wrote stay, for the library
//   (dist/index.js), the GitHub Action's bundle and test/startup.test.ts.
// - <script>.code-cache: made by rendering fixtures/seed-003-finsolutions (and the objects of
//   scripts/code-cache-training/) with the built CLI
//   (FEDC_BUILD_CODE_CACHE=1), which writes each script's cache when it exits, so the functions
//   a render compiles are in it. Run time only reads it. The same run writes
//   dist/kubernetes/schemas.code-cache, the code of the Kubernetes schema factories it compiled.
//
// Every fedc module keeps the import.meta.url it has unbundled (dist/<dir>/<name>.js), so that
// the paths it finds from there (package.json, schemas/, the Kubernetes schemas, the compile
// cache's code identity) are the same bundled or not.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { build, transform } from 'esbuild';
import { NODE_BUNDLE } from './node-bundle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'cli');
const ENTRY = path.join(OUT, 'main.js');
const PROGRAM = path.join(OUT, 'program.js');
const LOADER = path.join(OUT, 'load-bundle.js');
const MARK = '// Bundled by scripts/build-cli.mjs';
const TRAINING_INPUT = path.join(ROOT, 'fixtures/seed-003-finsolutions/input');
/** Objects written as most repos write them, added to the training input (see its README). */
const TRAINING_EXTRA = path.join(ROOT, 'scripts/code-cache-training');
/** What this script writes in dist/cli/, and what earlier versions of it wrote there (bundle-*.js chunks). */
const OWN = /^bundle-.*\.(js|code-cache)$/;
/** The path of a dynamic import bundle-program.js leaves to bundle-commands.js. */
const LATE = 'fedc-late:';

if (readFileSync(ENTRY, 'utf8').includes(MARK)) {
  throw new Error(`${path.relative(ROOT, ENTRY)} is already a bundle: run tsc first (npm run build does)`);
}

/** A fedc module's id: its path under dist/ ("cli/program.js"); undefined for any other file. */
function fedcId(file) {
  const rel = path.relative(DIST, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** fedc's own modules under dist/: import.meta.url -> the URL of the module as tsc wrote it, from `base` (dist/cli/). */
const keepImportMeta = (base) => ({
  name: 'fedc-keep-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const id = fedcId(args.path);
      if (id === undefined) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (/\bimport\.meta\b(?!\.url\b)/.test(text)) throw new Error(`${id}: import.meta other than import.meta.url; scripts/build-cli.mjs keeps only that`);
      const url = JSON.stringify(path.relative(OUT, args.path).split(path.sep).join('/'));
      return { contents: text.replace(/\bimport\.meta\.url\b/g, `new URL(${url}, ${base}).href`), loader: 'js' };
    });
  },
});

/** Node's modules: imported ones become require() calls, which esbuild leaves to the require a script is given. */
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/**
 * Node's modules that most runs never use, but that a module requires as it loads: each becomes an
 * object of getters that requires it on first use. child_process (with net, dgram and more below
 * it) for commander's executable subcommands, which fedc has none of, and for git, which only a
 * revision or a diff runs; net for isIPv4 and isIPv6, which only DNS records need. About 2.5 ms of
 * every start in a CPU profile (Node compiling child_process, net and what they require). The
 * getters are those the building Node's module has.
 */
const LAZY = new Set(['child_process', 'net']);
const nodeRequire = createRequire(import.meta.url);
const bare = (p) => p.replace(/^node:/, '');
const builtins = {
  name: 'fedc-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z0-9_/]+$/ }, (args) => {
      if (!BUILTINS.has(args.path)) return undefined;
      if (LAZY.has(bare(args.path)) && args.namespace !== 'fedc-lazy-builtin') return { path: `node:${bare(args.path)}`, namespace: 'fedc-lazy-builtin' };
      return args.kind === 'require-call' ? { path: args.path, external: true } : { path: args.path, namespace: 'fedc-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fedc-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'fedc-lazy-builtin' }, (args) => {
      const keys = Object.keys(nodeRequire(args.path)).filter((k) => k !== 'default');
      return {
        contents: `let m;\nconst load = () => (m ??= require(${JSON.stringify(args.path)}));\n` +
          `for (const k of ${JSON.stringify(keys)}) Object.defineProperty(module.exports, k, { enumerable: true, get: () => load()[k] });\n`,
        loader: 'js',
      };
    });
  },
};

/** bundle-program.js: a fedc module imported dynamically (a command) is left to bundle-commands.js; its id goes in `late`. */
const leaveLate = (late) => ({
  name: 'fedc-leave-late',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import' || args.namespace !== 'file' || fedcId(args.importer) === undefined) return undefined;
      const id = fedcId(path.resolve(args.resolveDir, args.path));
      if (id === undefined) return undefined;
      late.add(id);
      return { path: `${LATE}${id}`, external: true };
    });
  },
});

/** bundle-commands.js: a module bundle-program.js has (any of `programFiles`) is taken from it; its id goes in `used`. */
const RESOLVING = Symbol('fedc-resolving');
const takeShared = (programFiles, used) => ({
  name: 'fedc-take-shared',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === RESOLVING || args.kind === 'entry-point') return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, namespace: args.namespace, resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (r.errors.length > 0 || r.external || r.namespace !== 'file' || !programFiles.has(r.path)) return undefined;
      const id = fedcId(r.path);
      // A shared module is handed over as its namespace: right for fedc's ES modules (named exports
      // only), not for a CommonJS package's default export.
      if (id === undefined) throw new Error(`${path.relative(ROOT, r.path)} is in bundle-program.js and bundle-commands.js: scripts/build-cli.mjs shares only fedc's own modules`);
      used.add(id);
      return { path: id, namespace: 'fedc-shared' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fedc-shared' }, (args) => ({ contents: `module.exports = __fedc.shared(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
});

/** An entry made of `contents` (resolved from dist/cli/). */
const virtualEntry = (contents) => ({
  name: 'fedc-entry',
  setup(b) {
    b.onResolve({ filter: /^fedc-entry$/ }, () => ({ path: 'entry', namespace: 'fedc-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'fedc-entry' }, () => ({ contents, resolveDir: OUT, loader: 'js' }));
  },
});

const abs = (id) => JSON.stringify(path.join(DIST, id));

/** One script's text; `files`: the absolute paths of the files in it. */
async function bundleScript(contents, plugins) {
  const result = await build({
    entryPoints: ['fedc-entry'],
    absWorkingDir: ROOT,
    write: false,
    outfile: path.join(OUT, 'script.js'),
    ...NODE_BUNDLE,
    metafile: true,
    plugins: [virtualEntry(contents), builtins, ...plugins, keepImportMeta('__fedc.url')],
  });
  const [output] = Object.values(result.metafile.outputs);
  for (const i of output.imports) {
    if (!(i.external && ((i.kind === 'require-call' && BUILTINS.has(i.path)) || (i.kind === 'dynamic-import' && i.path.startsWith(LATE))))) {
      throw new Error(`a script cannot import ${i.path} (${i.kind}): scripts/build-cli.mjs leaves only Node's modules to require`);
    }
  }
  const files = new Set(Object.keys(result.metafile.inputs).filter((k) => !k.includes(':')).map((k) => path.resolve(ROOT, k)));
  return { text: result.outputFiles[0].text, files };
}

// bundle-program.js first as it is, for its modules and the commands it leaves; then
// bundle-commands.js, taking those modules from it; then bundle-program.js sharing them.
const late = new Set();
const runProgram = `await import(${JSON.stringify(PROGRAM)});\n`;
const first = await bundleScript(runProgram, [leaveLate(late)]);
const used = new Set();
const commands = await bundleScript(`__fedc.provide({\n${[...late].sort().map((id) => `  ${JSON.stringify(id)}: () => import(${abs(id)}),\n`).join('')}});\n`, [takeShared(first.files, used)]);
const sharedIds = [...used].sort();
const program = await bundleScript(
  `${sharedIds.map((id, i) => `import * as m${i} from ${abs(id)};\n`).join('')}__fedc.share({ ${sharedIds.map((id, i) => `${JSON.stringify(id)}: m${i}`).join(', ')} });\n${runProgram}`,
  [leaveLate(new Set())],
);
for (const id of late) if (first.files.has(path.join(DIST, id))) throw new Error(`${id} is imported both statically and dynamically by bundle-program.js's modules`);

/** The script's file: esbuild's text in the function load-bundle.ts calls. */
async function scriptText(text) {
  const body = text.replace(/\bimport\("fedc-late:([^"]+)"\)/g, (_, id) => `__fedc.import(${JSON.stringify(id)})`);
  if (body.includes(LATE)) throw new Error(`a dynamic import to ${LATE} is left in a script`);
  const source = await asciiComments(`(async function (require, __fedc) { "use strict";\n${body}})\n`);
  new Script(source); // only its syntax: a script has no import, export or import.meta
  return source;
}

/**
 * esbuild escapes every character above U+007F in code, but not in the comments it keeps: those
 * are escaped here, so that the scripts are ASCII, which load-bundle.ts reads the cheaper way.
 * Checked: without comments (esbuild's minified whitespace), the text is the same before and after.
 */
async function asciiComments(text) {
  const ascii = text.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  if (ascii === text) return text;
  const code = async (t) => (await transform(t, { minifyWhitespace: true, legalComments: 'none' })).code;
  if ((await code(ascii)) !== (await code(text))) throw new Error('scripts/build-cli.mjs: a character above U+007F outside a comment');
  return ascii;
}

const stale = readdirSync(OUT).filter((f) => OWN.test(f));
for (const f of stale) rmSync(path.join(OUT, f));
writeFileSync(path.join(OUT, 'bundle-program.js'), await scriptText(program.text));
writeFileSync(path.join(OUT, 'bundle-commands.js'), await scriptText(commands.text));

// main.cjs, the bin: tsc's main.js, with load-bundle.js for ./program.js, as CommonJS. An ES module
// entry costs every start some 4 ms (Node's ES module loader, which nothing else of fedc needs).
const BIN = path.join(OUT, 'main.cjs');
const loadBundle = {
  name: 'fedc-load-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/program\.js$/ }, (args) => (args.importer === ENTRY ? { path: LOADER } : undefined));
  },
};
await build({
  entryPoints: [ENTRY],
  outfile: BIN,
  absWorkingDir: ROOT,
  ...NODE_BUNDLE,
  format: 'cjs',
  plugins: [loadBundle, keepImportMeta('require("node:url").pathToFileURL(__filename)')],
  banner: { js: `${MARK}; do not edit.` },
});
if (!readFileSync(BIN, 'utf8').includes('bundle-program')) throw new Error('dist/cli/main.cjs does not run load-bundle.js: did src/cli/main.ts stop importing ./program.js?');
// main.js, for `node dist/cli/main.js` (an ES module, as all of dist/ is): runs the bin.
writeFileSync(ENTRY, `#!/usr/bin/env node\n${MARK}; do not edit. The CLI is main.cjs, the bin.\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./main.cjs');\n`);
chmodSync(ENTRY, 0o755);

// The training run: a render of a fixture, with no compile cache (so the compile runs), which
// writes the caches when it exits. V8 takes a cache only under the flags it was made with, so it
// runs as the bin does, with no NODE_OPTIONS (and none of fedc's settings or test hooks).
// The Kubernetes schema factories' code (src/validate/schema-code-cache.ts) is written by the same run.
const SCHEMA_CACHE = path.join(DIST, 'kubernetes/schemas.code-cache');
rmSync(SCHEMA_CACHE, { force: true });
const tmp = mkdtempSync(path.join(tmpdir(), 'fedc-build-cli-'));
try {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('FEDC_')));
  const input = path.join(tmp, 'input');
  cpSync(TRAINING_INPUT, input, { recursive: true });
  cpSync(TRAINING_EXTRA, path.join(input, 'training'), { recursive: true, filter: (f) => !f.endsWith('.md') });
  const run = spawnSync(process.execPath, [BIN, 'render', input, '-o', path.join(tmp, 'out')], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...env, FEDC_BUILD_CODE_CACHE: '1', FEDC_NO_CACHE: '1', FEDC_CACHE_DIR: path.join(tmp, 'cache'), NO_COLOR: '1' },
  });
  if (run.status !== 0) throw new Error(`the training render failed (exit ${run.status}):\n${run.stderr}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
for (const name of ['bundle-program', 'bundle-commands']) {
  if (!existsSync(path.join(OUT, `${name}.code-cache`))) throw new Error(`the training render wrote no dist/cli/${name}.code-cache`);
}
if (!existsSync(SCHEMA_CACHE)) throw new Error('the training render wrote no dist/kubernetes/schemas.code-cache');
