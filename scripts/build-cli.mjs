// Bundles the CLI: dist/cli/main.js (from tsc) and everything it imports, fedc's modules and its
// dependencies, into a few ES modules in dist/cli/, because loading some 250 small modules (yaml
// alone is 72) costs a start more than anything else in a small render. Each command stays its
// own chunk, imported when it runs (src/cli/program.ts), so --version or validate does not load
// render's code. The entry replaces dist/cli/main.js; the other modules tsc wrote stay, for the
// library (dist/index.js) and the GitHub Action's bundle. `npm run build` runs it after tsc.
//
// Every fedc module keeps the import.meta.url it has unbundled (dist/<dir>/<name>.js), so that
// the paths it finds from there (package.json, schemas/, the Kubernetes schemas, the compile
// cache's code identity) are the same bundled or not.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'cli');
const ENTRY = path.join(OUT, 'main.js');
const CHUNK = /^bundle-.*\.js$/;
const MARK = '// Bundled by scripts/build-cli.mjs';

if (readFileSync(ENTRY, 'utf8').includes(MARK)) {
  throw new Error(`${path.relative(ROOT, ENTRY)} is already a bundle: run tsc first (npm run build does)`);
}

/** fedc's own modules under dist/: import.meta.url -> the URL of the module as tsc wrote it. */
const keepImportMeta = {
  name: 'fedc-keep-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const rel = path.relative(DIST, args.path);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (/\bimport\.meta\b(?!\.url\b)/.test(text)) throw new Error(`${rel}: import.meta other than import.meta.url; scripts/build-cli.mjs keeps only that`);
      const url = JSON.stringify(path.relative(OUT, args.path).split(path.sep).join('/'));
      return { contents: text.replace(/\bimport\.meta\.url\b/g, `new URL(${url}, import.meta.url).href`), loader: 'js' };
    });
  },
};

const stale = readdirSync(OUT).filter((f) => CHUNK.test(f));
const result = await build({
  entryPoints: [ENTRY],
  outdir: OUT,
  allowOverwrite: true,
  entryNames: '[name]',
  chunkNames: 'bundle-[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
  plugins: [keepImportMeta],
  // CommonJS dependencies call require() (for Node's own modules); an ES module has none of its own.
  banner: { js: `${MARK}; do not edit.\nimport { createRequire as __fedcRequire } from 'node:module';\nconst require = __fedcRequire(import.meta.url);` },
});
const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.basename(f)));
for (const f of stale) if (!written.has(f)) rmSync(path.join(OUT, f));
