/**
 * The Argo CD plugin as argocd-cmp-server runs it: plugin.yaml's generate command, exec'd without
 * a shell, in the application's directory of a fresh copy of the repository (no .git), with the
 * environment Argo CD sets; `fedc` is on PATH as an npm install puts it there.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { canonical, CLI, cleanup, fedc, readTree, ROOT, tempDir } from './helpers.js';

interface Plugin {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    generate: { command: string[]; args?: string[] };
    discover: { fileName?: string; find?: { command: string[]; args?: string[] } };
    parameters?: { static?: { name: string }[] };
  };
}

const plugin = parseYaml(readTree(ROOT).get('plugin.yaml')!) as Plugin;
let dir = '';
let repo = '';
let bin = '';

/** Runs one of plugin.yaml's commands as argocd-cmp-server does: exec (no shell) in the app directory. */
function run(command: { command: string[]; args?: string[] }, appPath: string, extraEnv: Record<string, string>) {
  const [cmd, ...args] = [...command.command, ...(command.args ?? [])];
  const r = spawnSync(cmd!, args, {
    cwd: path.join(repo, appPath),
    encoding: 'utf8',
    shell: false,
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      HOME: dir,
      ARGOCD_APP_NAME: 'fleet-aks',
      ARGOCD_APP_NAMESPACE: 'argocd',
      ARGOCD_APP_REVISION: '4f8a2b1c9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a',
      ARGOCD_APP_SOURCE_PATH: appPath,
      ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/acme/fleet.git',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
      KUBE_VERSION: '1.31.2',
      KUBE_API_VERSIONS: 'v1,apps/v1,batch/v1,networking.k8s.io/v1,rbac.authorization.k8s.io/v1',
      ...extraEnv,
    },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const generate = (appPath: string, extraEnv: Record<string, string>) => run(plugin.spec.generate, appPath, extraEnv);

/** Whether argocd-cmp-server's discovery takes the app: its find command exits 0 and prints something. */
function discovers(appPath: string, extraEnv: Record<string, string> = {}): boolean {
  const r = run(plugin.spec.discover.find!, appPath, extraEnv);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout.trim() !== '';
}

type Obj = Record<string, any>;
const objects = (text: string) =>
  new Map((parseAllDocuments(text, { version: '1.1' }) as any[]).map((d) => d.toJS() as Obj).filter(Boolean).map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, canonical(o)]));

beforeAll(() => {
  dir = tempDir('fedc-argocd-');
  repo = path.join(dir, 'repo');
  // A fresh copy of the repository, as the repo-server hands it over: no .git.
  cpSync(path.join(ROOT, 'fixtures/real-world-mix/input'), path.join(repo, 'fleet'), { recursive: true });
  mkdirSync(path.join(repo, 'fleet/apps'), { recursive: true });
  expect(existsSync(path.join(repo, '.git'))).toBe(false);
  bin = path.join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'fedc'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(path.join(bin, 'fedc'), 0o755);
});

afterAll(() => {
  if (dir) cleanup(dir);
});

describe('plugin.yaml', () => {
  it('is a v2 ConfigManagementPlugin whose generate command needs no shell', () => {
    expect([plugin.apiVersion, plugin.kind, plugin.metadata.name, plugin.spec.version]).toEqual(['argoproj.io/v1alpha1', 'ConfigManagementPlugin', 'fedc', 'v1']);
    expect(plugin.spec.generate.command).toEqual(['fedc', 'argocd', 'generate']);
    expect(plugin.spec.generate.command.concat(plugin.spec.generate.args ?? []).join(' ')).not.toMatch(/\b(sh|bash)\b|[|;&$`]/);
    expect(plugin.spec.parameters?.static?.map((p) => p.name)).toEqual(['cluster']);
  });

  it('discovers an app whose path is in or below a directory with a fedc.yaml, and no other', () => {
    // fileName would match the app path only, and a plugin name does not bypass discovery
    expect(plugin.spec.discover.fileName).toBeUndefined();
    expect(plugin.spec.discover.find?.command).toEqual(['fedc', 'argocd', 'discover']);
    expect(existsSync(path.join(repo, 'fleet/fedc.yaml'))).toBe(true);
    expect(run(plugin.spec.discover.find!, 'fleet/apps', {}).stdout).toBe('fleet/fedc.yaml\n');
    expect(discovers('fleet')).toBe(true);
    mkdirSync(path.join(repo, 'plain'), { recursive: true });
    writeFileSync(path.join(repo, 'plain/deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
    expect(discovers('plain')).toBe(false);
    // a fedc.yaml above the repository's root (the copy's directory) is not the app's
    writeFileSync(path.join(dir, 'fedc.yaml'), '{}\n');
    try {
      expect(discovers('plain')).toBe(false);
      expect(discovers('plain', { ARGOCD_APP_SOURCE_PATH: '' })).toBe(false);
    } finally {
      rmSync(path.join(dir, 'fedc.yaml'));
    }
  });
});

describe('generate, as argocd-cmp-server runs it', () => {
  it('prints exactly the objects fedc render writes for that cluster, only manifests on stdout', () => {
    const out = path.join(dir, 'rendered');
    expect(fedc(['render', path.join(repo, 'fleet'), '-o', out]).code).toBe(0);
    const r = generate('fleet', { ARGOCD_ENV_FEDC_CLUSTER: 'aks.westeurope' });
    expect(r.code).toBe(0);
    const rendered = [...readTree(path.join(out, 'clusters/aks.westeurope'))].filter(([f]) => f !== 'kustomization.yaml').map(([, t]) => t).join('---\n');
    expect(Object.fromEntries(objects(r.stdout))).toEqual(Object.fromEntries(objects(rendered)));
    expect(objects(r.stdout).size).toBe(5);
    expect(r.stdout.startsWith('---\napiVersion: v1\nkind: Namespace\n')).toBe(true);
    // diagnostics go to stderr, each file named from the root of the repository (not the copy's path)
    expect(r.stderr).toMatch(/^fleet\/federate-inputs\/web-deployment\.yaml:3:7 - warning FEDC2009: Deployment shop\/web is a plain Kubernetes object/m);
  });

  it('finds the federation root above the app path, and takes the cluster from the plugin parameter too', () => {
    const fromParam = generate('fleet/apps', { PARAM_CLUSTER: 'eks.us-east-1' });
    expect(fromParam.code).toBe(0);
    expect(fromParam.stderr).toMatch(/^fleet\/federate-inputs\/web-deployment\.yaml:3:7 - warning FEDC2009:/m);
    expect([...objects(fromParam.stdout).keys()]).toEqual(['Namespace//shop', 'Service/shop/web', 'Deployment/shop/web', 'Ingress/shop/web', 'Widget/shop/blue']);
    // an Application's FEDC_CLUSTER left empty does not hide the parameter
    const blank = generate('fleet/apps', { PARAM_CLUSTER: 'eks.us-east-1', ARGOCD_ENV_FEDC_CLUSTER: ' ' });
    expect([blank.code, blank.stdout]).toEqual([0, fromParam.stdout]);
  });

  it('fails, with nothing on stdout, for a cluster that would get no object, an unknown cluster and no cluster', () => {
    writeFileSync(path.join(repo, 'fleet/clusters/empty.yaml'), 'apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: empty, namespace: kube-federation-system, labels: {cloud: none, topology.kubernetes.io/region: nowhere, topology.kubernetes.io/zone: nowhere-1}}\nspec: {apiEndpoint: https://empty.example.com, secretRef: {name: empty}}\n');
    // only the FederatedNamespace and the Widget select every cluster; narrow them so empty gets nothing
    const ns = path.join(repo, 'fleet/shop/namespace.yaml');
    writeFileSync(ns, 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata:\n  name: shop\nspec:\n  placement:\n    clusterSelector:\n      matchExpressions: [{key: cloud, operator: In, values: [aws, azure, gcp]}]\n');
    const empty = generate('fleet', { ARGOCD_ENV_FEDC_CLUSTER: 'empty' });
    expect([empty.code, empty.stdout]).toEqual([1, '']);
    expect(empty.stderr).toContain('error FEDC5002: cluster empty gets no object\n  hint: an empty stream would make Argo CD prune everything on that cluster, so the plugin never prints one: place an object on the cluster, or remove its Application\n');
    const unknown = generate('fleet', { ARGOCD_ENV_FEDC_CLUSTER: 'nope' });
    expect([unknown.code, unknown.stdout]).toEqual([1, '']);
    expect(unknown.stderr).toContain('error FEDC5004: FEDC_CLUSTER nope: no KubeFedCluster named nope');
    expect(generate('fleet', { PARAM_CLUSTER: 'nope' }).stderr).toContain('error FEDC5004: the parameter cluster nope: no KubeFedCluster named nope');
    const none = generate('fleet', {});
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('no member cluster: set FEDC_CLUSTER');
  });
});
