/**
 * A corpus of bad inputs for the pure core: every case pins the exact diagnostic code, severity,
 * file, line and column, and checks that the position points at the offending node (the text at
 * file:line:col), not just at the start of the document.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { safeJoin } from '../src/emit/write-tree.js';
import { parseSettings } from '../src/read/load-settings.js';
import { cleanup, fedc, files, tempDir } from './helpers.js';

type Src = Record<string, string>;

interface Compiled {
  result: CompileResult;
  src: Src;
}

function run(src: Src, options: Parameters<typeof compile>[1] = {}): Compiled {
  return { result: compile(files(src), options), src };
}

/** code, severity and where: the part of a diagnostic that every case pins. */
function where(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col}`;
}

/** The source text from the diagnostic's line and column to the end of that line. */
function textAt(src: Src, d: Diagnostic): string {
  const line = src[d.file]!.split('\n')[d.line - 1];
  if (line === undefined) throw new Error(`${d.file} has no line ${d.line}`);
  return line.slice(d.col - 1);
}

/** The one diagnostic of a run; fails when there are more or fewer. */
function only({ result }: Compiled): Diagnostic {
  expect(result.diagnostics.map(where)).toHaveLength(1);
  return result.diagnostics[0]!;
}

// Two member clusters, aws (cloud=aws) and gke (cloud=gcp): lines 1-11 and 13-23.
const CLUSTERS = `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: aws
  namespace: kube-federation-system
  labels:
    cloud: aws
spec:
  apiEndpoint: https://aws.example.com
  secretRef:
    name: aws
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: gke
  namespace: kube-federation-system
  labels:
    cloud: gcp
spec:
  apiEndpoint: https://gke.example.com
  secretRef:
    name: gke
`;

// The FederatedNamespace that lets objects in namespace web be propagated everywhere.
const NS = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: web
  namespace: web
spec:
  placement:
    clusterSelector: {}
`;

const BASE: Src = { 'clusters.yaml': CLUSTERS, 'ns.yaml': NS };

/** A FederatedDeployment in web (lines 1-18), followed by `rest` from line 19 on. */
function deployment(rest: string): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: app
  namespace: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template:
        spec:
          containers:
          - name: web
            image: nginx
  placement:
${rest}`;
}

/** A deployment placed on aws and gke (lines 1-21), then `overrides:` on line 22 and `items` from line 23. */
function withOverrides(items: string): string {
  return deployment(`    clusters:
    - name: aws
    - name: gke
  overrides:
${items}`);
}

describe('the inputs are well formed', () => {
  it('a clean repo compiles without diagnostics', () => {
    const { result } = run({ ...BASE, 'd.yaml': deployment('    clusterSelector: {}\n') });
    expect(result.diagnostics).toEqual([]);
    expect(result.failed).toBe(false);
    expect(result.clusters.map((c) => [c.name, c.objects.map((o) => `${o.kind}/${o.name}`)])).toEqual([
      ['aws', ['Namespace/web', 'Deployment/app']],
      ['gke', ['Namespace/web', 'Deployment/app']],
    ]);
  });
});

describe('YAML syntax (FEDC1001)', () => {
  it('a mapping key indented less than its siblings', () => {
    const c = run({
      'a.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: cfg
 namespace: web
`,
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:5:1');
    expect(d.message).toBe('YAML: All mapping items must start at the same column');
    expect(textAt(c.src, d)).toBe(' namespace: web');
    expect(c.result.failed).toBe(true);
  });

  it('a mapping key indented more than its siblings points at that key', () => {
    const c = run({
      'a.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: x
   namespace: y
`,
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:5:4');
    expect(d.message).toBe('YAML: this key is indented more than the keys above it, so it reads as part of the value on the line before');
    expect(textAt(c.src, d)).toBe('namespace: y');
  });

  it('an unclosed flow map is reported where the closing brace was due', () => {
    const c = run({
      'a.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cfg, namespace: web
spec:
  placement: {}
`,
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:4:1');
    expect(d.message).toBe('YAML: Flow map in block collection must be sufficiently indented and end with a }');
    expect(textAt(c.src, d)).toBe('spec:');
    expect(c.result.failed).toBe(true);
  });

  it('a tab used as indentation', () => {
    const c = run({
      'a.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: cfg
  labels:
  \tapp: web
`,
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:6:3');
    expect(d.message).toBe('YAML: Tabs are not allowed as indentation');
    expect(textAt(c.src, d)).toBe('\tapp: web');
    expect(c.result.failed).toBe(true);
  });

  it('a duplicate map key points at the second key', () => {
    const c = run({
      'a.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: cfg
  namespace: web
  name: other
`,
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:6:3');
    expect(d.message).toBe('YAML: map key name is given twice in this map; map keys must be unique');
    expect(textAt(c.src, d)).toBe('name: other');
    expect(c.result.failed).toBe(true);
  });

  it('control characters a name brings into a message are escaped in text and github output', () => {
    const dir = tempDir('fedc-ctl-');
    try {
      writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "ab\\x01\\e[31mred", namespace: default}\n');
      for (const format of ['text', 'github']) {
        const r = fedc(['validate', dir, '--format', format]);
        expect(r.stdout + r.stderr).not.toMatch(/[\u0001\u001b]/);
        expect(r.stdout + r.stderr).toContain('ConfigMap default/ab\\u0001\\u001b[31mred is a plain Kubernetes object');
      }
    } finally {
      cleanup(dir);
    }
  });

  it('a tab in the indentation is named where it is', () => {
    const c = run({ ...BASE, 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n  namespace: default\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:4:1');
    expect([d.message, d.hint]).toEqual(['YAML: Tabs are not allowed as indentation', 'indent with spaces']);
  });

  it.each([
    ['"1": a', '1: b'], ['1: a', '"1": b'], ['true: a', '"true": b'], ['yes: a', '"true": b'], ['0x10: a', '"16": b'],
  ])('keys Kubernetes makes one string of are duplicates too: %s beside %s', (first, second) => {
    const c = run({ ...BASE, 'a.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\ndata:\n  ${first}\n  ${second}\n` });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:6:3');
    expect(d.message).toBe(`YAML: map key ${second.slice(0, second.lastIndexOf(':'))} is given twice in this map; map keys must be unique`);
  });

  it('a syntax error in one document leaves the other documents of the file checked', () => {
    const c = run({
      ...BASE,
      'a.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
\tname: cfg
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMapp
metadata:
  name: cfg2
  namespace: web
`,
    });
    expect(c.result.diagnostics.map(where)).toEqual(['error FEDC1001 a.yaml:4:1', 'error FEDC2002 a.yaml:7:7']);
  });
});

describe('YAML that is not a Kubernetes object: skipped with a warning (FEDC1009), or an error when half of one (FEDC1005)', () => {
  it('a document that is a list', () => {
    const c = run({ 'a.yaml': '# a list of names\n- aws\n- gke\n' });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC1009 a.yaml:2:1');
    expect(d.message).toBe('a.yaml looks like a YAML list, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped');
    expect(d.hint).toBe('exclude it in fedc.yaml (exclude: ["a.yaml"]) to silence this');
    expect(c.result.failed).toBe(false);
  });

  it('a document that is a scalar', () => {
    const c = run({ 'a.yaml': 'just a string\n' });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC1009 a.yaml:1:1');
    expect(d.message).toBe('a.yaml looks like a plain value, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped');
  });

  it('the second document of a file is a list', () => {
    const c = run({ ...BASE, 'a.yaml': NS.replace(/web/g, 'api') + '---\n- a\n' });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC1009 a.yaml:10:1');
    expect(d.message).toBe('document 2 of a.yaml looks like a YAML list, with neither apiVersion nor kind: not Kubernetes objects, so skipped');
    expect(c.result.clusters[0]!.objects.map((o) => o.name)).toContain('api');
  });

  it('an Ansible playbook, Helm values and a GitHub workflow say what they look like, once per file', () => {
    const c = run({
      'site.yml': '- hosts: all\n  tasks:\n  - name: ping\n    ping: {}\n---\n- hosts: db\n  tasks: []\n',
      'chart-values/values.yaml': 'replicaCount: 1\nimage:\n  repository: nginx\n',
      'ci/build.yaml': 'on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n',
    });
    expect(c.result.diagnostics.map((d) => `${where(d)} ${d.message}`)).toEqual([
      'warning FEDC1009 chart-values/values.yaml:1:1 chart-values/values.yaml looks like Helm values, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped',
      'warning FEDC1009 ci/build.yaml:1:1 ci/build.yaml looks like a GitHub Actions workflow, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped',
      'warning FEDC1009 site.yml:1:1 site.yml looks like an Ansible playbook, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped',
    ]);
    expect(c.result.failed).toBe(false);
    expect(compile(files(c.src), { strict: true }).failed).toBe(true);
  });

  it('a document without apiVersion is an error at its kind', () => {
    const c = run({ 'a.yaml': 'kind: FederatedDeployment\nmetadata:\n  name: app\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1005 a.yaml:1:1');
    expect(d.message).toBe('document 1 has a kind but no apiVersion; it is not a Kubernetes object');
    expect(textAt(c.src, d)).toBe('kind: FederatedDeployment');
    expect(c.result.failed).toBe(true);
  });

  it('a document without kind is an error at its apiVersion, after comments', () => {
    const c = run({ 'a.yaml': '# app\n\napiVersion: types.kubefed.io/v1beta1\nmetadata:\n  name: app\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1005 a.yaml:3:1');
    expect(d.message).toBe('document 1 has an apiVersion but no kind; it is not a Kubernetes object');
  });

  it('a document with neither is skipped', () => {
    const c = run({ 'a.yaml': 'metadata:\n  name: app\n' });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC1009 a.yaml:1:1');
    expect(d.message).toBe('a.yaml looks like YAML of another tool, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped');
  });

  it('empty documents and a trailing --- are not errors', () => {
    const c = run({ ...BASE, 'a.yaml': '---\n# nothing\n---\n', 'b.yaml': '' });
    expect(c.result.diagnostics).toEqual([]);
  });
});

describe('schema: wrong types and unknown fields (FEDC2001)', () => {
  it('spec.placement.clusters is a string', () => {
    const c = run({ ...BASE, 'd.yaml': deployment('    clusters: "aws"\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 d.yaml:19:15');
    expect(d.path).toBe('spec.placement.clusters');
    expect(d.message).toBe('FederatedDeployment app: spec.placement.clusters must be a list, not string "aws"');
    expect(textAt(c.src, d)).toBe('"aws"');
    expect(c.result.failed).toBe(true);
  });

  it('clusterName is a number', () => {
    const c = run({ ...BASE, 'd.yaml': withOverrides('  - clusterName: 3\n    clusterOverrides: []\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 d.yaml:23:18');
    expect(d.path).toBe('spec.overrides[0].clusterName');
    expect(d.message).toBe('FederatedDeployment app: spec.overrides[0].clusterName must be a string, not number 3');
    expect(textAt(c.src, d)).toBe('3');
    expect(c.result.failed).toBe(true);
  });

  it('an unknown field in spec points at the key and suggests the right one', () => {
    const src = deployment('    clusterSelector: {}\n').replace('  placement:', '  placment:');
    const c = run({ ...BASE, 'd.yaml': src });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 d.yaml:18:3');
    expect(d.path).toBe('spec.placment');
    expect(d.message).toBe('FederatedDeployment app: unknown field "placment"');
    expect(d.hint).toBe('did you mean "placement"?');
    expect(textAt(c.src, d)).toBe('placment:');
    expect(c.result.failed).toBe(true);
  });

  it('an unknown field beside spec is one too: the API server drops it (and kubectl refuses it), as it does spec.placment', () => {
    const src = deployment('    clusterSelector: {}\n').replace('spec:\n', 'spek:\n  replicas: 2\nspec:\n');
    const c = run({ ...BASE, 'd.yaml': src });
    const d = only(c);
    expect([where(d), d.message, d.hint, textAt(c.src, d)]).toEqual(['error FEDC2001 d.yaml:6:1', 'FederatedDeployment app: unknown field "spek"', 'did you mean "spec"?', 'spek:']);
  });

  it('a federated object without metadata', () => {
    const c = run({ ...BASE, 'a.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nspec: {}\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 a.yaml:1:1');
    expect(d.message).toBe('FederatedConfigMap: missing required field "metadata"');
  });

  it('a federated object with the wrong apiVersion', () => {
    const c = run({ ...BASE, 'd.yaml': deployment('    clusterSelector: {}\n').replace('types.kubefed.io/v1beta1', 'types.kubefed.io/v1') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 d.yaml:1:13');
    expect(d.message).toBe('FederatedDeployment must have apiVersion types.kubefed.io/v1beta1, not types.kubefed.io/v1');
    expect(textAt(c.src, d)).toBe('types.kubefed.io/v1');
  });

  it('an override op outside add, remove, replace', () => {
    const c = run({ ...BASE, 'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - op: move\n      path: /spec/replicas\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 d.yaml:25:11');
    expect(d.path).toBe('spec.overrides[0].clusterOverrides[0].op');
    expect(d.message).toBe('FederatedDeployment app: spec.overrides[0].clusterOverrides[0].op must be add, remove or replace (or left out: replace), not "move"');
  });
});

describe('unknown kinds (FEDC2002)', () => {
  it('a misspelt federated kind', () => {
    const src = deployment('    clusterSelector: {}\n').replace('kind: FederatedDeployment', 'kind: FederatedDeploymnet');
    const c = run({ ...BASE, 'd.yaml': src });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2002 d.yaml:2:7');
    expect(d.path).toBe('kind');
    expect(d.message).toBe('unknown kind FederatedDeploymnet (apiVersion types.kubefed.io/v1beta1)');
    expect(d.hint).toBe('did you mean FederatedDeployment?');
    expect(textAt(c.src, d)).toBe('FederatedDeploymnet');
    expect(c.result.failed).toBe(true);
  });

  it('a plain Deployment is a warning (KubeFed propagates it nowhere) with a hint about wrapping it', () => {
    const c = run({ ...BASE, 'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: web\nspec:\n  replicas: 1\n' });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC2009 deploy.yaml:2:7');
    expect(d.message).toBe('Deployment web/app is a plain Kubernetes object, not a federated one: KubeFed leaves it in the host cluster and propagates it to no member cluster');
    expect(d.hint).toBe(
      'to propagate it, make it a FederatedDeployment (this object under spec.template, plus a placement: `kubefedctl federate` writes one); otherwise exclude the file in fedc.yaml',
    );
    expect(c.result.failed).toBe(false);
    expect(compile(files(c.src), { strict: true }).diagnostics.map(where)).toEqual(['error FEDC2009 deploy.yaml:2:7']);
  });

  it('a plain object of a kind nothing federates', () => {
    const c = run({ 'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n' });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC2009 w.yaml:2:7');
    expect(d.hint).toBe('to propagate it, declare a FederatedTypeConfig for Widget and wrap it in a FederatedWidget; otherwise exclude the file in fedc.yaml');
  });

  it('a Federated kind nothing declares suggests a FederatedTypeConfig', () => {
    const c = run({ 'w.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedWidget\nmetadata:\n  name: w\n  namespace: web\nspec: {}\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2002 w.yaml:2:7');
    expect(d.hint).toBe('declare the type with a FederatedTypeConfig (or an EnableTypeDirective) for Widget');
  });

  it('an unknown kind of a KubeFed group lists the kinds fedc reads, not a FederatedTypeConfig', () => {
    const c = run({ 'w.yaml': 'apiVersion: core.kubefed.io/v1beta1\nkind: ClusterThing\nmetadata:\n  name: w\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2002 w.yaml:2:7');
    expect(d.hint).toBe("KubeFed's kinds that fedc reads: KubeFedCluster, FederatedTypeConfig, KubeFedConfig, EnableTypeDirective, ReplicaSchedulingPreference, Domain, ServiceDNSRecord, IngressDNSRecord");
  });
});

describe('label selectors', () => {
  const selector = (exprs: string) => deployment(`    clusterSelector:\n      matchExpressions:\n${exprs}`);

  it('operator "in" in lower case is a schema error on the operator', () => {
    const c = run({ ...BASE, 'd.yaml': selector('      - key: cloud\n        operator: in\n        values: [aws]\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2001 d.yaml:22:19');
    expect(d.path).toBe('spec.placement.clusterSelector.matchExpressions[0].operator');
    expect(d.message).toBe('FederatedDeployment app: spec.placement.clusterSelector.matchExpressions[0].operator must be one of "In", "NotIn", "Exists", "DoesNotExist", not "in"');
    expect(textAt(c.src, d)).toBe('in');
    expect(c.result.failed).toBe(true);
  });

  it('In with an empty values list (FEDC3001)', () => {
    const c = run({ ...BASE, 'd.yaml': selector('      - key: cloud\n        operator: In\n        values: []\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:23:17');
    expect(d.path).toBe('spec.placement.clusterSelector.matchExpressions[0].values');
    expect(d.message).toBe('invalid clusterSelector: operator In needs at least one value');
    expect(textAt(c.src, d)).toBe('[]');
    expect(c.result.failed).toBe(true);
    // KubeFed fails placement for the whole object: it goes nowhere.
    expect(c.result.clusters.flatMap((cl) => cl.objects.map((o) => o.kind))).not.toContain('Deployment');
  });

  it('NotIn without values points at the operator that needs them', () => {
    const c = run({ ...BASE, 'd.yaml': selector('      - key: cloud\n        operator: NotIn\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:22:19');
    expect(d.message).toBe('invalid clusterSelector: operator NotIn needs at least one value');
    expect(textAt(c.src, d)).toBe('NotIn');
  });

  it('Exists with values', () => {
    const c = run({ ...BASE, 'd.yaml': selector('      - key: cloud\n        operator: Exists\n        values: [aws]\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:23:17');
    expect(d.message).toBe('invalid clusterSelector: operator Exists takes no values');
    expect(textAt(c.src, d)).toBe('[aws]');
    expect(c.result.failed).toBe(true);
  });

  it('an invalid label key in an expression', () => {
    const c = run({ ...BASE, 'd.yaml': selector('      - key: -cloud_\n        operator: Exists\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:21:14');
    expect(d.path).toBe('spec.placement.clusterSelector.matchExpressions[0].key');
    expect(d.message).toMatch(/^invalid clusterSelector: label key "-cloud_" must be at most 63 characters/);
    expect(textAt(c.src, d)).toBe('-cloud_');
    expect(c.result.failed).toBe(true);
  });

  it('an invalid label key prefix in an expression', () => {
    const c = run({ ...BASE, 'd.yaml': selector('      - key: Example.COM/cloud\n        operator: Exists\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:21:14');
    expect(d.message).toBe('invalid clusterSelector: label key prefix "Example.COM" must be a DNS-1123 subdomain');
  });

  it('an invalid label value in matchLabels', () => {
    const c = run({ ...BASE, 'd.yaml': deployment('    clusterSelector:\n      matchLabels:\n        cloud: "-aws-"\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:21:16');
    expect(d.path).toBe('spec.placement.clusterSelector.matchLabels.cloud');
    expect(textAt(c.src, d)).toBe('"-aws-"');
  });

  it('an invalid label key in matchLabels points at the key', () => {
    const c = run({ ...BASE, 'd.yaml': deployment('    clusterSelector:\n      matchLabels:\n        "bad key": x\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC3001 d.yaml:21:9');
  });
});

describe('override paths', () => {
  it('a dotted path (FEDC4001) with the JSON pointer it meant', () => {
    const c = run({ ...BASE, 'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - path: spec.replicas\n      value: 3\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4001 d.yaml:25:13');
    expect(d.path).toBe('spec.overrides[0].clusterOverrides[0].path');
    expect(d.message).toBe('override path "spec.replicas" is not a JSON pointer');
    expect(d.hint).toBe('paths start with "/" and use "/" between fields: /spec/replicas');
    expect(textAt(c.src, d)).toBe('spec.replicas');
    expect(c.result.failed).toBe(true);
  });

  it('an empty path (FEDC4001)', () => {
    const c = run({ ...BASE, 'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - path: ""\n      value: 3\n') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4001 d.yaml:25:13');
    expect(d.message).toBe('override path is empty: it would replace the whole object, which KubeFed refuses');
    expect(d.hint).toBe('name a field, for example /spec/replicas');
    expect(textAt(c.src, d)).toBe('""');
    expect(c.result.failed).toBe(true);
  });

  it('protected paths (FEDC4002); /apiVersion is allowed', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides(`  - clusterName: aws
    clusterOverrides:
    - path: /metadata/name
      value: other
    - path: /apiVersion
      value: apps/v1beta2
    - path: /kind
      value: StatefulSet
`),
    });
    expect(c.result.diagnostics.map(where)).toEqual(['error FEDC4002 d.yaml:25:13', 'error FEDC4002 d.yaml:29:13']);
    const [a, b] = c.result.diagnostics;
    expect(a!.message).toBe('override path "/metadata/name" is protected: KubeFed does not allow overriding it');
    expect(textAt(c.src, a!)).toBe('/metadata/name');
    expect(b!.message).toBe('override path "/kind" is protected: KubeFed does not allow overriding it');
    expect(textAt(c.src, b!)).toBe('/kind');
    expect(c.result.failed).toBe(true);
  });

  it('/apiVersion alone renders (and an apiVersion the cluster no longer serves is reported at the override)', () => {
    const c = run({ ...BASE, 'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - path: /apiVersion\n      value: apps/v1beta2\n') });
    expect(c.result.diagnostics.map(where)).toEqual(['error FEDC7003 d.yaml:26:14']);
    expect(textAt(c.src, c.result.diagnostics[0]!)).toBe('apps/v1beta2');
    const aws = c.result.clusters.find((cl) => cl.name === 'aws')!;
    expect(aws.objects.find((o) => o.kind === 'Deployment')!.apiVersion).toBe('apps/v1beta2');
  });

  it('/metadata/namespace and /metadata/generateName are protected too', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides(`  - clusterName: gke
    clusterOverrides:
    - path: /metadata/namespace
      value: other
    - path: /metadata/generateName
      value: app-
`),
    });
    expect(c.result.diagnostics.map(where)).toEqual(['error FEDC4002 d.yaml:25:13', 'error FEDC4002 d.yaml:27:13']);
  });

  it('the same cluster twice (FEDC4003) points at the second clusterName', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides(`  - clusterName: aws
    clusterOverrides:
    - path: /spec/replicas
      value: 2
  - clusterName: gke
    clusterOverrides: []
  - clusterName: aws
    clusterOverrides:
    - path: /spec/replicas
      value: 3
`),
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4003 d.yaml:29:18');
    expect(d.path).toBe('spec.overrides[2].clusterName');
    expect(d.message).toBe('cluster "aws" appears more than once in overrides');
    expect(d.hint).toBe('merge it into overrides[0]');
    expect(textAt(c.src, d)).toBe('aws');
    expect(c.result.failed).toBe(true);
    // object-wide, as in KubeFed: the object renders in no cluster
    expect(c.result.clusters.flatMap((cl) => cl.objects.map((o) => o.kind))).toEqual(['Namespace', 'Namespace']);
  });

  it('the same path twice for one cluster (FEDC4004) points at the second path', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides(`  - clusterName: aws
    clusterOverrides:
    - path: /spec/replicas
      value: 2
    - op: replace
      path: /spec/replicas
      value: 3
`),
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4004 d.yaml:28:13');
    expect(d.message).toBe('path "/spec/replicas" appears more than once for cluster "aws"');
    expect(d.hint).toBe('see clusterOverrides[0]');
    expect(textAt(c.src, d)).toBe('/spec/replicas');
    expect(c.result.failed).toBe(true);
  });
});

describe('overrides that change what KubeFed finds the object by (FEDC4011)', () => {
  it('an override of /metadata as a whole that drops the namespace or renames the object', () => {
    const meta = (value: string) => run({ ...BASE, 'd.yaml': withOverrides(`  - clusterName: aws\n    clusterOverrides:\n    - path: /metadata\n      value: ${value}\n`) });
    const renamed = meta('{name: other, labels: {q: r}}');
    const d = only(renamed);
    expect(where(d)).toBe('error FEDC4011 d.yaml:25:13');
    expect(d.path).toBe('spec.overrides[0].clusterOverrides[0].path');
    expect(d.message).toBe('override /metadata for cluster "aws" changes the object\'s name app to other and its namespace web to none: KubeFed creates and finds the object by the name and namespace of FederatedDeployment app, so it could not manage it there');
    expect(renamed.result.failed).toBe(true);
    expect(renamed.result.clusters.find((c) => c.name === 'aws')!.objects.map((o) => o.name)).toEqual(['web']); // the Namespace only
    // the same name and namespace written out: only the labels change
    const same = meta('{name: app, namespace: web, labels: {q: r}}');
    expect(same.result.diagnostics).toEqual([]);
    expect(same.result.clusters.find((c) => c.name === 'aws')!.objects[1]!.object.metadata).toEqual({ name: 'app', namespace: 'web', labels: { q: 'r', 'kubefed.io/managed': 'true' } });
  });
});

describe('overrides that cannot be applied (FEDC4005)', () => {
  it('does not hide the other problems of the object: its template, the other cluster\'s override', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - op: add\n      path: /metadata/annotations/foo\n      value: bar\n'
        + '  - clusterName: gke\n    clusterOverrides:\n    - path: /spec/replicas\n      value: many\n').replace('      replicas: 1\n', '      replicas: 1\n      paused: maybe\n'),
    });
    expect(c.result.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:12:15', 'error FEDC4005 d.yaml:27:13', 'error FEDC7001 d.yaml:32:14']);
    expect(c.result.failed).toBe(true);
  });

  it('add below a map that does not exist', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - op: add\n      path: /metadata/annotations/foo\n      value: bar\n'),
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4005 d.yaml:26:13');
    expect(d.path).toBe('spec.overrides[0].clusterOverrides[0].path');
    expect(d.message).toBe(
      `override for cluster "aws" cannot be applied: add /metadata/annotations/foo: /metadata/annotations does not exist; KubeFed's add does not create missing parents`,
    );
    expect(d.hint).toBe('add the whole map instead: {op: add, path: /metadata/annotations, value: {foo: ...}}');
    expect(textAt(c.src, d)).toBe('/metadata/annotations/foo');
    expect(c.result.failed).toBe(true);
  });

  it('an empty annotations map or finalizers list in the template stays, as in KubeFed, so an add below it applies', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - op: add\n      path: /metadata/annotations/owner\n      value: team-a\n'
        + '    - op: add\n      path: /metadata/finalizers/-\n      value: example.com/keep\n').replace('      labels: {app: web}\n', '      labels: {app: web}\n      annotations: {}\n      finalizers: []\n'),
    });
    expect(c.result.diagnostics).toEqual([]);
    const meta = (cluster: string) => c.result.clusters.find((x) => x.name === cluster)!.objects[1]!.object.metadata;
    expect(meta('aws')).toEqual({ name: 'app', namespace: 'web', labels: { app: 'web', 'kubefed.io/managed': 'true' }, annotations: { owner: 'team-a' }, finalizers: ['example.com/keep'] });
    expect(meta('gke')).toEqual({ name: 'app', namespace: 'web', labels: { app: 'web', 'kubefed.io/managed': 'true' }, annotations: {}, finalizers: [] });
  });

  it('remove of a key that is not there, as the second op of a cluster', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides(`  - clusterName: gke
    clusterOverrides:
    - path: /spec/replicas
      value: 2
    - op: remove
      path: /metadata/labels/tier
`),
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4005 d.yaml:28:13');
    expect(d.path).toBe('spec.overrides[0].clusterOverrides[1].path');
    expect(d.message).toBe('override for cluster "gke" cannot be applied: remove /metadata/labels/tier: there is no tier to remove');
    expect(textAt(c.src, d)).toBe('/metadata/labels/tier');
    expect(c.result.failed).toBe(true);
  });

  it('replace at an index past the end of a list', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides(`  - clusterName: aws
    clusterOverrides:
    - op: replace
      path: /spec/template/spec/containers/1
      value: {name: sidecar, image: envoy}
`),
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4005 d.yaml:26:13');
    expect(d.message).toBe(
      'override for cluster "aws" cannot be applied: replace /spec/template/spec/containers/1: index 1 is out of range for a list of 1',
    );
    expect(textAt(c.src, d)).toBe('/spec/template/spec/containers/1');
    expect(c.result.failed).toBe(true);
  });

  it('replace below an index past the end of a list', () => {
    const c = run({
      ...BASE,
      'd.yaml': withOverrides('  - clusterName: aws\n    clusterOverrides:\n    - path: /spec/template/spec/containers/3/image\n      value: nginx:2\n'),
    });
    const d = only(c);
    expect(where(d)).toBe('error FEDC4005 d.yaml:25:13');
    expect(d.message).toBe(
      'override for cluster "aws" cannot be applied: replace /spec/template/spec/containers/3/image: /spec/template/spec/containers/3 does not exist',
    );
    expect(textAt(c.src, d)).toBe('/spec/template/spec/containers/3/image');
  });
});

describe('duplicate objects (FEDC2004)', () => {
  const cm = (name: string, ns = 'web') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  template:
    data:
      a: b
  placement:
    clusterSelector: {}
`;

  it('the same kind/namespace/name twice in one file', () => {
    const c = run({ ...BASE, 'a.yaml': cm('cfg') + '---\n' + cm('cfg') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2004 a.yaml:16:9');
    expect(d.message).toBe('FederatedConfigMap web/cfg is defined twice');
    expect(d.hint).toBe('first defined at a.yaml:4:9');
    expect(textAt(c.src, d)).toBe('cfg');
    expect(c.result.failed).toBe(true);
  });

  it('a duplicate beside a kustomization (a kustomize patch) gets a hint to leave the overlay out', () => {
    const c = run({ ...BASE, 'a.yaml': cm('cfg'), 'overlays/prod/patch.yaml': cm('cfg'), 'overlays/prod/kustomization.yaml': 'resources: [../../a.yaml]\npatches: [{path: patch.yaml}]\n' });
    const d = c.result.diagnostics.find((x) => x.code === 'FEDC2004')!;
    expect(where(d)).toBe('error FEDC2004 overlays/prod/patch.yaml:4:9');
    expect(d.hint).toBe('first defined at a.yaml:4:9; overlays/prod/patch.yaml lies beside a kustomization, so it may be a kustomize patch, which fedc reads as an object: to leave the overlay out, exclude: ["overlays/prod/**"] in fedc.yaml');
  });

  it('the same object in two files points at the later file', () => {
    const c = run({ ...BASE, 'a.yaml': cm('cfg'), 'b.yaml': '# copy\n' + cm('cfg') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2004 b.yaml:5:9');
    expect(d.hint).toBe('first defined at a.yaml:4:9');
    expect(c.result.failed).toBe(true);
  });

  it('the same name in two namespaces is not a duplicate', () => {
    const other = NS.replace(/web/g, 'api');
    const c = run({ ...BASE, 'api.yaml': other, 'a.yaml': cm('cfg'), 'b.yaml': cm('cfg', 'api') });
    expect(c.result.diagnostics).toEqual([]);
  });

  it('the same KubeFedCluster twice', () => {
    const c = run({ 'clusters.yaml': CLUSTERS, 'more.yaml': CLUSTERS.split('---\n')[1]! });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2004 more.yaml:4:9');
    expect(d.message).toBe('KubeFedCluster gke is defined twice');
    expect(d.hint).toBe('first defined at clusters.yaml:16:9');
  });
});

describe('invalid names (FEDC2003)', () => {
  const cm = (name: string, ns = 'web') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  placement:
    clusterSelector: {}
`;
  const SUBDOMAIN = 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';

  it.each([
    ['upper case', 'MyConfig', `FederatedConfigMap name "MyConfig" ${SUBDOMAIN}`],
    ['a slash', 'a/b', `FederatedConfigMap name "a/b" ${SUBDOMAIN}`],
    ['dot dot', '".."', `FederatedConfigMap name ".." ${SUBDOMAIN}`],
    ['254 characters', 'a'.repeat(254), `FederatedConfigMap name "${'a'.repeat(40)}..." (254 characters) must be no more than 253 characters`],
  ])('an object name with %s', (_what, name, message) => {
    const c = run({ ...BASE, 'a.yaml': cm(name) });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2003 a.yaml:4:9');
    expect(d.path).toBe('metadata.name');
    expect(d.message).toBe(message);
    expect(textAt(c.src, d)).toBe(name);
    expect(c.result.failed).toBe(true);
    expect(c.result.clusters.every((cl) => cl.objects.every((o) => o.kind !== 'ConfigMap'))).toBe(true);
  });

  it('253 characters is still a valid name', () => {
    const c = run({ ...BASE, 'a.yaml': cm('a'.repeat(253)) });
    expect(c.result.diagnostics).toEqual([]);
  });

  it('an invalid namespace', () => {
    const c = run({ ...BASE, 'a.yaml': cm('cfg', 'Web') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2003 a.yaml:5:14');
    expect(d.message).toBe('namespace "Web" must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');
  });

  it('RBAC names may hold ":", but not "/" or be ".."', () => {
    const role = (name: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedClusterRole
metadata:
  name: ${name}
spec:
  placement:
    clusterSelector: {}
`;
    const c = run({ ...BASE, 'r.yaml': [role('"system:reader"'), role('".."'), role('a/b')].join('---\n') });
    expect(c.result.diagnostics.map(where)).toEqual(['error FEDC2003 r.yaml:12:9', 'error FEDC2003 r.yaml:20:9']);
    expect(c.result.diagnostics.map((d) => d.message)).toEqual([
      'FederatedClusterRole name ".." must not be ".."',
      'FederatedClusterRole name "a/b" must not contain "/", "\\", "%" or NUL',
    ]);
  });

  const cluster = (name: string) => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: ${name}
  namespace: kube-federation-system
spec:
  apiEndpoint: https://example.com
  secretRef:
    name: s
`;

  it.each([['../evil'], ['a/b'], ['"../../etc"'], ['Prod'], ['.hidden'], ['a..b']])('a KubeFedCluster named %s cannot become a directory', (name) => {
    const c = run({ 'c.yaml': cluster(name) });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2003 c.yaml:4:9');
    expect(d.message).toBe(
      `cluster name "${name.replace(/"/g, '')}" must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`,
    );
    expect(d.hint).toBe('a cluster name becomes a directory name in the output');
    expect(textAt(c.src, d)).toBe(name);
    expect(c.result.failed).toBe(true);
    expect(c.result.clusters).toEqual([]);
  });
});

describe('bounded inputs', () => {
  const laughs = `# billion laughs
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: lol
  namespace: web
spec:
  template:
    data:
      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
      b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
      c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
      d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
      e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
      f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
      g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
      h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
      i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

  it('an alias with no anchor is FEDC1001 at the alias, not an alias bomb', () => {
    const c = run({ ...BASE, 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\ndata:\n  k: *nosuch\n' });
    const d = only(c);
    expect(where(d)).toBe('error FEDC1001 a.yaml:5:6');
    expect([d.message, d.hint]).toEqual(['alias *nosuch has no anchor: no &nosuch comes before it in this document', 'define &nosuch on the value before the alias, or write the value out']);
  });

  it('a YAML alias bomb is refused, before it expands (FEDC1003)', () => {
    // 9^9 expansions unrefused: this test would then run out of time or memory, not slow down
    const c = run({ ...BASE, 'lol.yaml': laughs });
    const d = only(c);
    // the refused document, where it starts (after the comment)
    expect(where(d)).toBe('error FEDC1003 lol.yaml:2:1');
    expect(d.message).toBe("document 1 is an alias bomb: its aliases would make most of what it holds, which Kubernetes' YAML reader refuses too; refusing to expand it");
    expect(d.hint).toBe('write the repeated values out, or use fewer anchors');
    expect(c.result.failed).toBe(true);
  });

  it('aliases are limited as Kubernetes\' YAML reader limits them: a value or a map merged in hundreds of times is fine, a document made mostly of aliases is not', () => {
    const doc = (n: number, anchor: string, alias: (i: number) => string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: many, namespace: web}
spec:
  template:
    metadata:
      labels: &x ${anchor}
    data:
${Array.from({ length: n }, (_, i) => `      ${alias(i)}\n`).join('')}  placement:
    clusterSelector: {}
`;
    // 300 aliases of one value, and a map merged into 300 others: as go-yaml, no limit reached
    expect(run({ ...BASE, 'a.yaml': doc(300, 'v', (i) => `k${i}: *x`) }).result.diagnostics.filter((d) => d.code === 'FEDC1003')).toEqual([]);
    const merged = doc(300, '{app: web, tier: front}', (i) => `k${i}: {<<: *x, n: "${i}"}`).replace('    data:\n', '    spec:\n');
    expect(run({ ...BASE, 'a.yaml': merged }).result.diagnostics.filter((d) => d.code === 'FEDC1003')).toEqual([]);
    // a list of 2,000 aliases of a 2-item list: 6,000 of its 8,000 nodes through aliases is fine too
    expect(run({ ...BASE, 'a.yaml': doc(2000, '[a, b]', () => '- *x').replace('    data:\n', '    list:\n') }).result.diagnostics.filter((d) => d.code === 'FEDC1003')).toEqual([]);
    // a node that aliases itself is refused, not followed forever
    const loop = run({ ...BASE, 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: &a {self: *a}\n' });
    expect(loop.result.diagnostics.map((d) => d.code)).toContain('FEDC1003');
  });

  it('a few aliases are fine', () => {
    const src = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: small
  namespace: web
  labels: &l {app: web}
spec:
  template:
    metadata:
      labels: *l
  placement:
    clusterSelector: {}
`;
    const c = run({ ...BASE, 'a.yaml': src });
    expect(c.result.diagnostics).toEqual([]);
  });
});

describe('FederatedTypeConfig conflicts (FEDC2005)', () => {
  const ftc = (name: string) => `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata:
  name: ${name}
  namespace: kube-federation-system
spec:
  federatedType:
    group: types.kubefed.io
    kind: FederatedWidget
    pluralName: federatedwidgets
    scope: Namespaced
    version: v1beta1
  propagation: Enabled
  targetType:
    group: example.com
    kind: Widget
    pluralName: widgets
    scope: Namespaced
    version: v1
`;

  it('the same federated kind declared twice points at the second declaration', () => {
    const c = run({ 'a.yaml': ftc('widgets.example.com'), 'b.yaml': ftc('widgets-again.example.com') });
    const d = only(c);
    expect(where(d)).toBe('error FEDC2005 b.yaml:9:11');
    expect(d.path).toBe('spec.federatedType.kind');
    expect(d.message).toBe('FederatedWidget is declared twice (by a FederatedTypeConfig or an EnableTypeDirective)');
    expect(d.hint).toBe('the other is at a.yaml:9:11');
    expect(textAt(c.src, d)).toBe('FederatedWidget');
    expect(c.result.failed).toBe(true);
  });
});

describe('fedc.yaml (FEDC1006)', () => {
  it('an unknown key, with a suggestion', () => {
    const { diagnostics, settings } = parseSettings('output: out\noutptu: x\n');
    expect(diagnostics.map(where)).toEqual(['error FEDC1006 fedc.yaml:2:1']);
    expect(diagnostics[0]!.message).toBe('fedc.yaml: unknown field "outptu"');
    expect(diagnostics[0]!.hint).toBe('did you mean "output"?');
    // an invalid fedc.yaml is not half applied
    expect(settings.output).toBe('rendered');
  });

  it('a layout that does not exist', () => {
    const { diagnostics } = parseSettings('layout: manifests\n');
    expect(diagnostics.map(where)).toEqual(['error FEDC1006 fedc.yaml:1:9']);
    expect(diagnostics[0]!.message).toBe('fedc.yaml: layout must be one of "object", "manifest", not "manifests"');
  });

  it('a value ajv words the error of names its field (minItems, minLength)', () => {
    expect(parseSettings('dns: {nameServers: []}\n').diagnostics.map((d) => d.message)).toEqual(['fedc.yaml: dns.nameServers must NOT have fewer than 1 items']);
    expect(parseSettings('kubefedNamespace: ""\n').diagnostics.map((d) => d.message)).toEqual(['fedc.yaml: kubefedNamespace must NOT have fewer than 1 characters']);
  });

  it('dns.nameServers are host names, as a Domain\'s nameServer; dns.hostmaster has no empty label (named-checkzone refuses both)', () => {
    const fields = (yaml: string) => parseSettings(yaml).diagnostics.map((d) => `${where(d)} ${d.message}`);
    const host = 'must be a host name (letters, digits and "-" in labels between dots; no IP address)';
    expect(fields('dns: {nameServers: [ns_1.example.net, 192.0.2.53, ns.example.123., ns1.example.net, ns-2.example.net.]}\n')).toEqual([
      `error FEDC1006 fedc.yaml:1:21 fedc.yaml: dns.nameServers[0] ${host}, not "ns_1.example.net"`,
      `error FEDC1006 fedc.yaml:1:39 fedc.yaml: dns.nameServers[1] ${host}, not "192.0.2.53"`,
      `error FEDC1006 fedc.yaml:1:51 fedc.yaml: dns.nameServers[2] ${host}, not "ns.example.123."`,
    ]);
    // the pattern is said in words (x-fedc-means), not as its regular expression
    expect(fields('dns: {hostmaster: a..example.com}\n')).toEqual(['error FEDC1006 fedc.yaml:1:19 fedc.yaml: dns.hostmaster must be an email address (hostmaster@example.com) or its DNS form (hostmaster.example.com), without empty labels, not "a..example.com"']);
    for (const ok of ['first.last@example.com', 'dns+ops@example.com', 'hostmaster.example.com.']) {
      expect([ok, fields(`dns: {hostmaster: '${ok}'}\n`)]).toEqual([ok, []]);
    }
  });

  it('two documents', () => {
    const { diagnostics } = parseSettings('output: a\n---\noutput: b\n');
    expect(diagnostics.map(where)).toEqual(['error FEDC1006 fedc.yaml:3:1']);
    expect(diagnostics[0]!.message).toBe('fedc.yaml must hold one document');
  });

  it('valid settings are applied', () => {
    const { diagnostics, settings } = parseSettings('output: out\nexclude: ["base/**"]\nlayout: manifest\n');
    expect(diagnostics).toEqual([]);
    expect(settings).toMatchObject({ output: 'out', exclude: ['base/**'], layout: 'manifest' });
  });
});

describe('warnings, and --strict', () => {
  // One repo with one of each warning.
  const src: Src = {
    ...BASE,
    'd.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: app
  namespace: web
spec:
  template:
    metadata:
      annotations:
        team: web
    spec:
      {replicas: 1, selector: {matchLabels: {app: web}}, template: {spec: {containers: [{name: web, image: nginx}]}}}
  placement:
    clusters:
    - name: aws
    - name: azure
  overrides:
  - clusterName: gke
    clusterOverrides:
    - path: /spec/replicas
      value: 2
`,
    'orphan.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: cfg
  namespace: orphan
spec:
  placement:
    clusterSelector: {}
`,
    'nowhere.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: nowhere
  namespace: web
spec:
  placement: {}
`,
  };

  it('each warning is reported at its node and nothing fails', () => {
    const c = run(src);
    expect(c.result.diagnostics.map(where)).toEqual([
      'warning FEDC4007 d.yaml:9:7',
      'warning FEDC3002 d.yaml:16:13',
      'warning FEDC4006 d.yaml:18:18',
      'warning FEDC3006 nowhere.yaml:7:3',
      'warning FEDC3003 orphan.yaml:5:14',
    ]);
    const [annotations, unknown, notPlaced, noPlacement, notFederated] = c.result.diagnostics;
    expect(annotations!.path).toBe('spec.template.metadata.annotations');
    expect(annotations!.message).toBe('annotations in a template are dropped (KubeFed does not propagate them)');
    expect(textAt(src, annotations!)).toBe('annotations:');
    expect(unknown!.message).toBe('placement names cluster "azure", which is not a declared KubeFedCluster; KubeFed skips it');
    expect(unknown!.hint).toBe('declared clusters: aws, gke');
    expect(textAt(src, unknown!)).toBe('azure');
    expect(notPlaced!.message).toBe('override for cluster "gke", which FederatedDeployment app is not propagated to; it has no effect');
    expect(textAt(src, notPlaced!)).toBe('gke');
    expect(noPlacement!.message).toBe(
      'FederatedConfigMap nowhere has neither placement.clusters nor placement.clusterSelector, so KubeFed propagates it to no cluster',
    );
    expect(textAt(src, noPlacement!)).toBe('placement: {}');
    expect(notFederated!.message).toBe('namespace orphan has no FederatedNamespace, so KubeFed propagates FederatedConfigMap cfg to no cluster');
    expect(notFederated!.hint).toBe('add a FederatedNamespace named orphan in namespace orphan');
    expect(textAt(src, notFederated!)).toBe('orphan');
    expect(c.result.failed).toBe(false);
    // what is placed still renders: the deployment on aws only, without the annotation
    const objects = Object.fromEntries(c.result.clusters.map((cl) => [cl.name, cl.objects.map((o) => `${o.kind}/${o.name}`)]));
    expect(objects).toEqual({ aws: ['Namespace/web', 'Deployment/app'], gke: ['Namespace/web'] });
    const dep = c.result.clusters[0]!.objects[1]!.object as { metadata: Record<string, unknown> };
    expect(dep.metadata.annotations).toBeUndefined();
  });

  it('strict turns every warning into an error at the same place', () => {
    const loose = run(src).result;
    const strict = run(src, { strict: true }).result;
    expect(strict.failed).toBe(true);
    expect(strict.diagnostics.map(where)).toEqual(loose.diagnostics.map(where).map((w) => w.replace(/^warning/, 'error')));
  });

  it('no placement at all (FEDC3006) is reported at the spec, and strict fails it', () => {
    const nowhere = { ...BASE, 'a.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata:\n  name: cfg\n  namespace: web\nspec:\n  template:\n    data: {a: b}\n' };
    const loose = run(nowhere);
    const d = only(loose);
    // placement is missing: the position is the key of the spec map that lacks it
    expect(where(d)).toBe('warning FEDC3006 a.yaml:6:1');
    expect(d.hint).toBe('add placement.clusterSelector: {} to select every cluster, or list the clusters');
    expect(loose.result.failed).toBe(false);
    const strict = run(nowhere, { strict: true }).result;
    expect(strict.diagnostics.map(where)).toEqual(['error FEDC3006 a.yaml:6:1']);
    expect(strict.failed).toBe(true);
  });

  it('an unknown cluster that differs only in case gets a did-you-mean', () => {
    const c = run({ ...BASE, 'd.yaml': deployment('    clusters:\n    - name: AWS\n') });
    const d = only(c);
    expect(where(d)).toBe('warning FEDC3002 d.yaml:20:13');
    expect(d.hint).toBe('did you mean aws?');
  });

  it('strict leaves infos alone: a cluster that is not Ready (FEDC3007)', () => {
    const notReady = CLUSTERS.replace('    name: gke\n', '    name: gke\nstatus:\n  conditions:\n  - type: Ready\n    status: "False"\n');
    const c = run({ 'clusters.yaml': notReady }, { strict: true });
    const d = only(c);
    expect(where(d)).toBe('info FEDC3007 clusters.yaml:26:3');
    expect(d.path).toBe('status.conditions');
    expect(c.result.failed).toBe(false);
    expect(c.result.clusters.map((cl) => [cl.name, cl.ready])).toEqual([['aws', true], ['gke', false]]);
  });

  it('Ready as KubeFed reads it: only a Ready condition that is "True"; a cluster without conditions (as kept in git) is Ready', () => {
    const withStatus = (status: string) => CLUSTERS.replace('    name: gke\n', `    name: gke\n${status}`);
    const readiness = (status: string) => run({ 'clusters.yaml': withStatus(status) }).result.clusters.map((cl) => [cl.name, cl.ready]);
    // what KubeFed's cluster controller writes for a cluster it cannot reach: Offline, and no Ready
    expect(readiness('status:\n  conditions:\n  - type: Offline\n    status: "True"\n    reason: ClusterNotReachable\n')).toEqual([['aws', true], ['gke', false]]);
    expect(readiness('status:\n  conditions: []\n')).toEqual([['aws', true], ['gke', false]]);
    expect(readiness('status:\n  conditions:\n  - type: Ready\n    status: Unknown\n')).toEqual([['aws', true], ['gke', false]]);
    expect(readiness('status:\n  conditions:\n  - type: Offline\n    status: "False"\n  - type: Ready\n    status: "True"\n')).toEqual([['aws', true], ['gke', true]]);
    expect(readiness('status:\n  region: us-east1\n')).toEqual([['aws', true], ['gke', true]]);
  });

  it('federated objects without a KubeFedCluster are FEDC3008; no input at all is FEDC1018; both errors with --strict', () => {
    const noClusters = run({ 'ns.yaml': NS });
    expect(noClusters.result.diagnostics.map(where)).toEqual(['warning FEDC3008 ns.yaml:2:7']);
    expect(noClusters.result.diagnostics[0]!.message).toBe('no KubeFedCluster is declared, so the federated object of the repo goes to no cluster, and a render removes the output of every cluster rendered before');
    expect(run({ 'ns.yaml': NS }, { strict: true }).result.failed).toBe(true);
    const nothing = run({});
    expect(nothing.result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual(['warning FEDC1018 ']);
    expect(run({}, { strict: true }).result.failed).toBe(true);
    // clusters declared but none read (here: outside the KubeFed namespace, each FEDC2007)
    const elsewhere = run({ 'clusters.yaml': CLUSTERS.replaceAll('namespace: kube-federation-system', 'namespace: elsewhere'), 'ns.yaml': NS });
    expect(elsewhere.result.diagnostics.map((d) => d.code)).toEqual(['FEDC2007', 'FEDC2007', 'FEDC3008']);
    expect(elsewhere.result.diagnostics[2]!.message).toBe('none of the 2 KubeFedClusters declared is read (see their diagnostics), so the federated object of the repo goes to no cluster, and a render removes the output of every cluster rendered before');
    // clusters and nothing to place, or a repo of clusters only, is no mistake
    expect(run({ 'clusters.yaml': CLUSTERS }).result.diagnostics).toEqual([]);
  });

  // A cluster that is only down is still placed: an override for it is not FEDC4006, so --strict
  // does not fail while a cluster is down.
  it('an override for a placed cluster that is not Ready is not FEDC4006', () => {
    const notReady = CLUSTERS.replace('    name: gke\n', '    name: gke\nstatus:\n  conditions:\n  - type: Ready\n    status: "False"\n');
    const c = run({
      'clusters.yaml': notReady,
      'ns.yaml': NS,
      'd.yaml': withOverrides('  - clusterName: gke\n    clusterOverrides:\n    - path: /spec/replicas\n      value: 2\n'),
    });
    expect(c.result.diagnostics.map(where)).toEqual(['info FEDC3007 clusters.yaml:26:3']);
  });
});

describe('later fixes', () => {
  it('fedc.yaml output must stay inside the repository', () => {
    for (const out of ['../elsewhere', '/tmp/x', 'a/../../b']) {
      const r = parseSettings(`output: ${out}\n`);
      expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
        ['FEDC1006', 1, 9, `fedc.yaml: output "${out}" leaves the repository`],
      ]);
    }
    expect(parseSettings('output: deploy/rendered\n').settings.output).toBe('deploy/rendered');
    // a name that starts with two dots is inside
    for (const out of ['..rendered', 'x/..y', 'a/../b']) expect(parseSettings(`output: ${out}\n`).diagnostics).toEqual([]);
  });

  it('an output directory at the file system root is one like any other (-o /)', () => {
    expect(safeJoin('/', 'clusters')).toBe('/clusters');
    expect(safeJoin('/', 'clusters/a/manifest.yaml')).toBe('/clusters/a/manifest.yaml');
    expect(() => safeJoin('/srv/out', '../etc/passwd')).toThrow('refusing to write outside /srv/out: ../etc/passwd');
    expect(() => safeJoin('/srv/out', '/etc/passwd')).toThrow('refusing to write outside /srv/out');
  });

  it('a kind that is not a string is a schema error at the kind', () => {
    const r = compile(files({ 'a.yaml': 'apiVersion: v1\nkind: 3\nmetadata: {name: x}\n' }));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([['FEDC2001', 2, 7, 'kind must be a string, not 3']]);
  });

  it('a FederatedTypeConfig that replaces a built-in type says so', () => {
    const ftc = `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: deployments.apps, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedDeployment, pluralName: federateddeployments, scope: Namespaced, version: v1beta1}
  targetType: {group: apps, kind: Deployment, pluralName: deployments, scope: Namespaced, version: v1}
  propagation: Disabled
`;
    const r = compile(files({ 'ftc.yaml': ftc }));
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.col])).toEqual([['FEDC2008', 'info', 5, 50]]);
  });
});

describe('integers beyond 2^53', () => {
  it('are refused with their position rather than rounded', () => {
    const r = compile(files({ 'a.yaml': 'apiVersion: v1\nkind: X\nmetadata:\n  name: x\n  uid: 9007199254740993\nsafe: 9007199254740991\n' }));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['FEDC1008', 5, 8, 'integer beyond 2^53: it would not be kept exactly'],
    ]);
  });

  it('never repeat a secret value', () => {
    const secret = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata: {name: db, namespace: web}
spec:
  template:
    stringData:
      pin: 98765432109876543
  placement: {clusterSelector: {}}
`;
    const r = compile(files({ 's.yaml': secret }));
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['FEDC1008', 7, 12]]);
    expect(JSON.stringify(r.diagnostics)).not.toContain('98765432109876543');
  });
});
