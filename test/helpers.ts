import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile, type CompileOptions } from '../src/compile.js';
import { buildOutputTree, treeFiles } from '../src/emit/output-tree.js';
import type { Layout } from '../src/emit/layout.js';
import { readRepo } from '../src/read/read-repo.js';
import { DEFAULT_SETTINGS } from '../src/read/settings.js';
import type { SourceFile } from '../src/read/source-file.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(ROOT, 'dist/cli/main.cjs');

/** Inline YAML files for the pure core: `files({'a.yaml': '...'})`. */
export function files(map: Record<string, string>): SourceFile[] {
  return Object.entries(map).map(([p, text]) => ({ path: p, text }));
}

export async function readFixture(dir: string): Promise<SourceFile[]> {
  const { files: f, diagnostics } = await readRepo(dir, DEFAULT_SETTINGS);
  if (diagnostics.length) throw new Error(JSON.stringify(diagnostics));
  return f;
}

export function renderTree(src: SourceFile[], layout: Layout = 'object', options: CompileOptions = {}) {
  const result = compile(src, options);
  const tree = buildOutputTree(result.clusters, { layout, dns: result.dns });
  return { result, tree: { ...tree, files: treeFiles(tree) } };
}

/** Every file under dir, relative path -> content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export function tempDir(prefix = 'fedc-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would. */
export function fedc(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): RunResult {
  // A CLI that hangs (waiting on a FIFO, a lock) fails its test with code -1 instead of stalling the run.
  // GITHUB_WORKSPACE (set when the suite runs in a GitHub job) would move the paths of --format github.
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, GITHUB_WORKSPACE: undefined, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** YAML 1.1-canonical object set per kind/namespace/name, key order ignored. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** A KubeFedCluster document; `ready: false` adds a Ready=False condition. */
export function clusterYaml(name: string, labels: Record<string, string> = {}, ready = true): string {
  return `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: ${name}
  namespace: kube-federation-system
  labels: ${JSON.stringify(labels)}
spec:
  apiEndpoint: https://${name}.example.com
  secretRef: {name: ${name}}
${ready ? '' : 'status:\n  conditions:\n  - type: Ready\n    status: "False"\n'}`;
}
