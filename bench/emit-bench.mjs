#!/usr/bin/env node
// emit-bench.mjs: toYaml (the `yaml` library's stringify) against fastYaml (src/emit/fast-yaml.ts)
// on the objects of a generated workload. Runs on the build:
//
//   npm run build && node bench/emit-bench.mjs [--clusters 20] [--resources 500] [--seed 42] [--iterations 5]
//
// Generates a repo with bench/gen-workload.mjs in a temporary directory, parses the objects of its
// base/ (what KubeFed would propagate: plain objects like fedc's output), checks that fastYaml
// writes every one of them and writes exactly toYaml's bytes, then times both writers over all the
// documents, best of several iterations after a warm-up, and prints documents/s and the speed-up.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(ROOT, 'dist', p);
if (!fs.existsSync(dist('emit/fast-yaml.js'))) {
  console.error('emit-bench: dist/emit/fast-yaml.js is missing; run `npm run build` first');
  process.exit(2);
}
const { toYaml } = await import(dist('emit/serialize.js'));
const { fastYaml } = await import(dist('emit/fast-yaml.js'));

const args = { clusters: 20, resources: 500, seed: 42, iterations: 5 };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '');
  const n = Number(process.argv[i + 1]);
  if (!(name in args) || !Number.isSafeInteger(n) || n < 1) {
    console.error('usage: node bench/emit-bench.mjs [--clusters C] [--resources R] [--seed S] [--iterations N]');
    process.exit(2);
  }
  args[name] = n;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedc-emit-bench-'));
try {
  const repo = path.join(tmp, 'repo');
  const gen = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bench/gen-workload.mjs'), repo, '--clusters', String(args.clusters), '--resources', String(args.resources), '--seed', String(args.seed)],
    { encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`gen-workload failed: ${gen.stderr}`);

  const docs = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name))
        for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'), { version: '1.1' })) docs.push(doc.toJS());
    }
  };
  walk(path.join(repo, 'base'));

  // Same bytes, for every document: otherwise the timing means nothing.
  let bytes = 0;
  let native = 0;
  for (const doc of docs) {
    const slow = toYaml(doc);
    const fast = fastYaml(doc);
    bytes += Buffer.byteLength(slow);
    if (fast === undefined) continue;
    native++;
    if (fast !== slow) throw new Error(`fastYaml differs from toYaml on:\n${slow}`);
  }

  /** Best time, in ms, of one pass of `write` over all documents. */
  const time = (write) => {
    let sink = 0;
    for (const doc of docs) sink += write(doc).length; // warm-up
    let best = Infinity;
    for (let it = 0; it < args.iterations; it++) {
      const t0 = process.hrtime.bigint();
      for (const doc of docs) sink += write(doc).length;
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    if (sink === 0) throw new Error('nothing written');
    return best;
  };
  const slowMs = time(toYaml);
  const fastMs = time((doc) => fastYaml(doc) ?? toYaml(doc));

  const rate = (ms) => Math.round((docs.length / ms) * 1000).toLocaleString('en-US');
  const mbs = (ms) => ((bytes / 1e6 / ms) * 1000).toFixed(1);
  console.log(
    `workload: --clusters ${args.clusters} --resources ${args.resources} --seed ${args.seed}: ${docs.length} documents, ` +
      `${(bytes / 1e6).toFixed(2)} MB of YAML, ${native} written natively by fastYaml, all byte-identical to toYaml`,
  );
  console.log(`best of ${args.iterations} passes (after a warm-up pass):`);
  console.log(`  toYaml    ${slowMs.toFixed(1).padStart(8)} ms  ${rate(slowMs).padStart(10)} docs/s  ${mbs(slowMs).padStart(6)} MB/s`);
  console.log(`  fastYaml  ${fastMs.toFixed(1).padStart(8)} ms  ${rate(fastMs).padStart(10)} docs/s  ${mbs(fastMs).padStart(6)} MB/s`);
  console.log(`  speed-up  ${(slowMs / fastMs).toFixed(1)}x`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
