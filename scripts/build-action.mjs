// Bundles the GitHub Action (dist/action/index.js, built by `npm run build`) and everything it
// imports into one file, so the runner installs nothing: `node scripts/build-action.mjs [OUT]`
// (default action/dist/index.mjs, which is committed; test/action.test.ts checks it is fresh).
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { NODE_BUNDLE } from './node-bundle.mjs';

const out = process.argv[2] ?? 'action/dist/index.mjs';
await build({
  entryPoints: ['dist/action/index.js'],
  outfile: out,
  ...NODE_BUNDLE,
  // The bundle names each module by its path; keep node_modules/... even where it is a symlink.
  preserveSymlinks: true,
  // CommonJS dependencies (ajv) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __fedcRequire } from 'node:module';\nconst require = __fedcRequire(import.meta.url);" },
});
// Kubernetes' schemas (dist/kubernetes/schemas.cjs, from npm run build), which the bundle loads from beside itself.
copyFileSync('dist/kubernetes/schemas.cjs', path.join(path.dirname(out), 'kubernetes-schemas.cjs'));
