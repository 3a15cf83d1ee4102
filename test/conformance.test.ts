/**
 * Conformance at scale: fedc against `kubectl kustomize`, object for object.
 *
 * /work/shared/bench/gen-workload.mjs writes a KubeFed-style repo (clusters/, namespaces/) and,
 * beside it, kustomize overlays (base/, overlays/<cluster>/) that build exactly what KubeFed's
 * rules propagate to each cluster. fedc renders the federation inputs; every cluster's objects
 * must equal what kustomize builds for that cluster: same objects (kind/namespace/name), same
 * fields and values, key order ignored. The generator's tools are called, never copied.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../src/compile.js';
import { clusterStream } from '../src/emit/layout.js';
import { buildOutputTree, type OutputTree } from '../src/emit/output-tree.js';
import { YamlCache } from '../src/emit/serialize.js';
import { loadSettings } from '../src/read/load-settings.js';
import { readRepo } from '../src/read/read-repo.js';
import { canonical, cleanup, SHARED, tempDir } from './helpers.js';

const run = promisify(execFile);
const GEN = path.join(SHARED, 'bench', 'gen-workload.mjs');
/** fedc's inputs only: base/, overlays/ and meta.json are the generator's reference, not fedc's. */
const FEDC_YAML = 'include: ["clusters/**", "namespaces/**"]\n';

const WORKLOADS = [
  { clusters: 8, resources: 200, seed: 7 },
  { clusters: 12, resources: 300, seed: 1234 },
];

type Obj = Record<string, any>;
interface Meta {
  clusters: number;
  expectedDocs: number;
  perClusterDocs: Record<string, number>;
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
  let tree: OutputTree;
  let kustomized: Map<string, string>;

  beforeAll(async () => {
    dir = tempDir('fedc-conformance-');
    repo = path.join(dir, 'repo');
    const gen = spawnSync(process.execPath, [GEN, repo, '--clusters', String(w.clusters), '--resources', String(w.resources), '--seed', String(w.seed)], {
      encoding: 'utf8',
    });
    if (gen.status !== 0) throw new Error(`gen-workload.mjs failed: ${gen.stderr}`);
    writeFileSync(path.join(repo, 'fedc.yaml'), FEDC_YAML);
    meta = JSON.parse(readFileSync(path.join(repo, 'meta.json'), 'utf8')) as Meta;
    overlays = readdirSync(path.join(repo, 'overlays')).sort();

    // fedc through its pure core, as the CLI does: settings, files, compile, then the file layout.
    const { settings, diagnostics: settingsDiags } = await loadSettings(repo);
    expect(settingsDiags).toEqual([]);
    const read = await readRepo(repo, settings);
    expect(read.diagnostics).toEqual([]);
    result = compile(read.files, { kubefedNamespace: settings.kubefedNamespace, strict: settings.strict });
    tree = buildOutputTree(result.clusters, { layout: 'object' });

    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.error) throw new Error('kubectl must be installed: the conformance test compares with kubectl kustomize');
    kustomized = await kustomizeAll(repo, overlays);
  });

  afterAll(() => {
    if (dir) cleanup(dir);
  });

  it('reads only the federation inputs and compiles without errors', () => {
    expect(existsSync(path.join(repo, 'base'))).toBe(true); // the generator's reference tree is there, and ignored
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
    const manifest = buildOutputTree(result.clusters, { layout: 'manifest' });
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
