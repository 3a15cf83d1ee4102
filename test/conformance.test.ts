/**
 * Conformance at scale: fedc against `kubectl kustomize`, object for object.
 *
 * bench/gen-workload.mjs (the project's own generator, also the benchmark's workload) writes a
 * KubeFed-style repo (clusters/, namespaces/, and a fedc.yaml that includes only those) and,
 * beside it, kustomize overlays (base/, overlays/<cluster>/) that build what KubeFed's rules
 * propagate to each cluster, computed by the generator without any of fedc's code. fedc renders
 * the federation inputs; every cluster's objects must equal what kustomize builds for that
 * cluster: same objects (kind/namespace/name), same fields and values, key order ignored.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { clusterStream } from '../src/emit/layout.js';
import { buildOutputTree, treeFiles } from '../src/emit/output-tree.js';
import { YamlCache } from '../src/emit/serialize.js';
import { loadSettings } from '../src/read/load-settings.js';
import { readRepo } from '../src/read/read-repo.js';
import { canonical, cleanup, readTree, ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);
const GEN = path.join(ROOT, 'bench', 'gen-workload.mjs');

const WORKLOADS = [
  { clusters: 8, resources: 200, seed: 7 },
  { clusters: 12, resources: 300, seed: 1234 },
];

type Obj = Record<string, any>;
interface Meta {
  clusters: number;
  resources: number;
  expectedDocs: number;
  perClusterDocs: Record<string, number>;
  /** Counts of the rules the workload exercises (placements, namespace gate, override ops). */
  exercised: Record<string, number | Record<string, number>>;
}

/** Runs the generator; its stdout is one JSON line. */
function generate(out: string, w: { clusters: number; resources: number; seed: number }) {
  const gen = spawnSync(process.execPath, [GEN, out, '--clusters', String(w.clusters), '--resources', String(w.resources), '--seed', String(w.seed)], {
    encoding: 'utf8',
  });
  if (gen.status !== 0) throw new Error(`gen-workload.mjs failed: ${gen.stderr}`);
}

const keyOf = (o: Obj) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Objects of a YAML stream as Kubernetes tools read it (YAML 1.1), keyed by kind/namespace/name. */
function objectsOf(text: string, where: string): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const doc of parseAllDocuments(text, { version: '1.1' }) as any[]) {
    if (doc.errors.length) throw new Error(`${where}: ${doc.errors[0].message}`);
    const v = doc.toJS() as Obj | null;
    if (v === null || v === undefined) continue;
    const k = keyOf(v);
    if (out.has(k)) throw new Error(`${where}: ${k} appears twice`);
    out.set(k, v);
  }
  return out;
}

/** Every path at which two values differ, `a` being kustomize's and `b` fedc's. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...differences(a[i], b[i], `${at}/${i}`));
    return out;
  }
  if (isObj(a) && isObj(b)) {
    const out: string[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      out.push(...differences(a[k], b[k], `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
    }
    return out;
  }
  if (JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))) return [];
  return [`${at || '/'}: kustomize ${show(a)}, fedc ${show(b)}`];
}

/** Compares one cluster's objects: missing, extra and differing objects, with the differing fields. */
function compareCluster(cluster: string, expected: Map<string, Obj>, actual: Map<string, Obj>): string[] {
  const out: string[] = [];
  for (const k of expected.keys()) if (!actual.has(k)) out.push(`${cluster}: ${k} is missing from fedc's output`);
  for (const k of actual.keys()) if (!expected.has(k)) out.push(`${cluster}: ${k} is in fedc's output but not kustomize's`);
  for (const [k, want] of expected) {
    const got = actual.get(k);
    if (got === undefined) continue;
    if (JSON.stringify(canonical(want)) === JSON.stringify(canonical(got))) continue;
    out.push(`${cluster}: ${k} differs: ${differences(want, got).join('; ')}`);
  }
  return out;
}

/** Limits a long failure report to its first entries plus a count. */
function firstOf(list: string[], n = 25): string[] {
  return list.length <= n ? list : [...list.slice(0, n), `... and ${list.length - n} more`];
}

/** `kubectl kustomize` over every overlay, two at a time: cluster -> YAML stream. */
async function kustomizeAll(repo: string, clusters: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...clusters];
  const worker = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      const { stdout } = await run('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', path.join(repo, 'overlays', c)], {
        maxBuffer: 256 * 1024 * 1024,
      });
      out.set(c, stdout);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

describe.each(WORKLOADS)('conformance with kubectl kustomize: $clusters clusters x $resources resources, seed $seed', (w) => {
  let dir = '';
  let repo = '';
  let meta: Meta;
  let overlays: string[] = [];
  let result: CompileResult;
  let tree: { files: Map<string, string>; diagnostics: Diagnostic[] };
  let kustomized: Map<string, string>;
  let read: Awaited<ReturnType<typeof readRepo>>;

  beforeAll(async () => {
    dir = tempDir('fedc-conformance-');
    repo = path.join(dir, 'repo');
    generate(repo, w);
    meta = JSON.parse(readFileSync(path.join(repo, 'meta.json'), 'utf8')) as Meta;
    overlays = readdirSync(path.join(repo, 'overlays')).sort();

    // fedc through its pure core, as the CLI does: settings, files, compile, then the file layout.
    const { settings, diagnostics: settingsDiags } = await loadSettings(repo);
    expect(settingsDiags).toEqual([]);
    read = await readRepo(repo, settings);
    expect(read.diagnostics).toEqual([]);
    result = compile(read.files, { kubefedNamespace: settings.kubefedNamespace, strict: settings.strict });
    const built = buildOutputTree(result.clusters, { layout: 'object' });
    tree = { files: treeFiles(built), diagnostics: built.diagnostics };

    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.error) throw new Error('kubectl must be installed: the conformance test compares with kubectl kustomize');
    kustomized = await kustomizeAll(repo, overlays);
  });

  afterAll(() => {
    if (dir) cleanup(dir);
  });

  it('exercises every rule it claims: placements, the namespace gate, every kind of override op', () => {
    const flat: Record<string, number> = {};
    const walk = (o: Record<string, unknown>, at: string) => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'number') flat[at + k] = v;
        else walk(v as Record<string, unknown>, `${at}${k}.`);
      }
    };
    walk(meta.exercised, '');
    expect(Object.keys(flat).length).toBeGreaterThan(15);
    expect(Object.entries(flat).filter(([, n]) => n === 0).map(([k]) => k)).toEqual([]);
    expect(meta.resources).toBe(w.resources);
    // Some objects reach clusters only where their FederatedNamespace is: fewer copies than their own placement.
    expect((meta.exercised.namespaces as Record<string, number>).gatedOutCopies).toBeGreaterThan(0);
  });

  it('reads only the federation inputs and compiles without errors', () => {
    expect(existsSync(path.join(repo, 'base'))).toBe(true); // the generator's reference tree is there, and ignored
    expect(readFileSync(path.join(repo, 'fedc.yaml'), 'utf8')).toMatch(/include: \["clusters\/\*\*", "namespaces\/\*\*"\]/);
    expect(read.files.every((f) => /^(clusters|namespaces)\//.test(f.path))).toBe(true);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.failed).toBe(false);
    expect(tree.diagnostics).toEqual([]);
    expect(result.clusters.map((c) => c.name)).toEqual(overlays);
    expect(result.clusters.every((c) => c.ready)).toBe(true);
    expect(overlays.length).toBe(meta.clusters);
  });

  it('renders as many objects as the generator expects, cluster by cluster', () => {
    const perCluster = Object.fromEntries(result.clusters.map((c) => [c.name, c.objects.length]));
    expect(perCluster).toEqual(meta.perClusterDocs);
    const objectFiles = [...tree.files.keys()].filter((f) => !f.endsWith('/kustomization.yaml'));
    expect(objectFiles.length).toBe(meta.expectedDocs);
    for (const cluster of overlays) {
      // Each cluster's kustomization.yaml lists exactly its object files.
      const prefix = `clusters/${cluster}/`;
      const kustomization = tree.files.get(`${prefix}kustomization.yaml`);
      expect(kustomization, `${prefix}kustomization.yaml`).toBeDefined();
      const listed = (parseAllDocuments(kustomization!, { version: '1.1' })[0] as any).toJS().resources as string[];
      const own = objectFiles.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
      expect([...listed].sort(), cluster).toEqual(own.sort());
    }
  });

  it('writes, for every cluster, exactly the objects kubectl kustomize builds from its overlay', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const cluster of overlays) {
      const expected = objectsOf(kustomized.get(cluster)!, `kustomize ${cluster}`);
      const prefix = `clusters/${cluster}/`;
      const files = [...tree.files].filter(([f]) => f.startsWith(prefix) && f !== `${prefix}kustomization.yaml`);
      const actual = new Map<string, Obj>();
      for (const [file, text] of files) {
        const objs = objectsOf(text, file);
        expect(objs.size, `${file} holds one object`).toBe(1);
        for (const [k, v] of objs) {
          if (actual.has(k)) mismatches.push(`${cluster}: ${k} is written twice`);
          actual.set(k, v);
        }
      }
      expect(actual.size, `${cluster}: object count`).toBe(files.length);
      mismatches.push(...compareCluster(cluster, expected, actual));
      compared += expected.size;
    }
    expect(firstOf(mismatches)).toEqual([]);
    expect(compared).toBe(meta.expectedDocs);
  });

  it('prints the same objects with --stdout (the Argo CD plugin path) and in the manifest layout', () => {
    const manifest = { files: treeFiles(buildOutputTree(result.clusters, { layout: 'manifest' })) };
    const yaml = new YamlCache();
    const mismatches: string[] = [];
    for (const c of result.clusters) {
      const expected = objectsOf(kustomized.get(c.name)!, `kustomize ${c.name}`);
      const stream = objectsOf(clusterStream(c.objects, yaml), `--stdout ${c.name}`);
      mismatches.push(...compareCluster(`${c.name} (--stdout)`, expected, stream));
      const file = `clusters/${c.name}/manifest.yaml`;
      const text = manifest.files.get(file);
      if (text === undefined) mismatches.push(`${file} is missing`);
      else mismatches.push(...compareCluster(`${c.name} (manifest)`, expected, objectsOf(text, file)));
    }
    expect(firstOf(mismatches)).toEqual([]);
  });
});

describe('the workload generator', () => {
  it('writes the same bytes for the same seed, and another workload for another seed', () => {
    const dir = tempDir('fedc-gen-');
    try {
      const w = { clusters: 5, resources: 60, seed: 99 };
      generate(path.join(dir, 'a'), w);
      generate(path.join(dir, 'b'), w);
      generate(path.join(dir, 'c'), { ...w, seed: 100 });
      const a = readTree(path.join(dir, 'a'));
      expect(a.size).toBeGreaterThan(30);
      expect(readTree(path.join(dir, 'b'))).toEqual(a);
      expect(readTree(path.join(dir, 'c'))).not.toEqual(a);
    } finally {
      cleanup(dir);
    }
  });

  it('refuses a bad command line, and a non-empty directory that holds no workload, with exit code 2', () => {
    const r = spawnSync(process.execPath, [GEN, '--clusters', '0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage:');
    const dir = tempDir('fedc-gen-');
    try {
      writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
      const refused = spawnSync(process.execPath, [GEN, dir, '--clusters', '2', '--resources', '5'], { encoding: 'utf8' });
      expect(refused.status).toBe(2);
      expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
      generate(path.join(dir, 'w'), { clusters: 2, resources: 5, seed: 1 });
      generate(path.join(dir, 'w'), { clusters: 2, resources: 5, seed: 2 }); // a previous workload is replaced
      expect(JSON.parse(readFileSync(path.join(dir, 'w', 'meta.json'), 'utf8')).seed).toBe(2);
    } finally {
      cleanup(dir);
    }
  });
});
