/**
 * Rendered objects checked against Kubernetes' own schemas (src/validate/), through the pure core
 * and the CLI: each case pins the exact code, severity, file, line and column, and that the
 * position points at the text the user wrote (the template's node, or the override's value).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, type CompileOptions } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { loadSettings } from '../src/read/load-settings.js';
import { readRepo } from '../src/read/read-repo.js';
import { builtinKind, definition } from '../src/validate/builtin-schemas.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../src/validate/kubernetes-versions.js';
import { CLI, cleanup, clusterYaml, files, ROOT, tempDir } from './helpers.js';

type Src = Record<string, string>;

const where = (d: Diagnostic) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col}`;
const run = (src: Src, options: CompileOptions = {}) => compile(files(src), options);
const textAt = (src: Src, d: Diagnostic) => src[d.file]!.split('\n')[d.line - 1]!.slice(d.col - 1);
const k8s = (r: ReturnType<typeof run>) => r.diagnostics.filter((d) => d.code.startsWith('FEDC7'));

// aws (1.36, the default) and gke, both in namespace web.
const BASE: Src = {
  'clusters.yaml': clusterYaml('aws', { cloud: 'aws' }) + '---\n' + clusterYaml('gke', { cloud: 'gcp' }),
  'ns.yaml': 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata: {name: web, namespace: web}\nspec:\n  placement:\n    clusterSelector: {}\n',
};

/** A FederatedDeployment (lines 1-22), `container` fields of its one container from line 21, then `rest`. */
const deployment = (container = '', rest = '', spec = '      replicas: 2\n') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: web
  namespace: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
${spec}      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: web
            image: nginx:1.27
${container}  placement:
    clusterSelector: {}
${rest}`;

describe('built-in kinds: the template', () => {
  it('replicas: "3" is one error at the template, however many clusters get the object', () => {
    const src = { ...BASE, 'd.yaml': deployment('', `  overrides:
  - clusterName: gke
    clusterOverrides:
    - path: /spec/template/metadata/labels
      value: {app: web, canary: "true"}
`, '      replicas: "3"\n') };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:11:17']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('"3"');
    expect(r.diagnostics[0]!.message).toBe('FederatedDeployment web: spec.replicas must be an integer, not string "3"');
    expect(r.diagnostics[0]!.hint).toBe('write the number without quotes');
    expect(r.diagnostics[0]!.path).toBe('spec.template.spec.replicas');
    expect(r.failed).toBe(true);
  });

  it('an env value that is a number, an enum value the API does not have, a missing required field', () => {
    const src = { ...BASE, 'd.yaml': deployment(`            imagePullPolicy: Sometimes
            env:
            - name: WORKERS
              value: 5
            ports:
            - protocol: TCP
`) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:21:30', 'error FEDC7001 d.yaml:24:22', 'error FEDC7001 d.yaml:26:15']);
    const [pull, env, port] = r.diagnostics;
    expect(textAt(src, pull!)).toBe('Sometimes');
    expect(pull!.message).toBe('FederatedDeployment web: spec.template.spec.containers[0].imagePullPolicy must be one of "Always", "IfNotPresent", "Never", not "Sometimes"');
    expect(textAt(src, env!)).toBe('5');
    expect(env!.message).toBe('FederatedDeployment web: spec.template.spec.containers[0].env[0].value must be a string, not number 5');
    // the list item that lacks containerPort
    expect(textAt(src, port!)).toBe('protocol: TCP');
    expect(port!.message).toBe('FederatedDeployment web: spec.template.spec.containers[0].ports[0].containerPort is required');
  });

  it('a misspelt field is a warning at its key, with a did-you-mean; an error with --strict', () => {
    const src = { ...BASE, 'd.yaml': deployment('            imagePullPolicy: Always\n            resoruces: {limits: {cpu: 500m}}\n') };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['warning FEDC7002 d.yaml:22:13']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('resoruces: {limits: {cpu: 500m}}');
    expect(r.diagnostics[0]!.message).toBe('FederatedDeployment web: unknown field "spec.template.spec.containers[0].resoruces"; the API server drops it (kubectl\'s field validation reports it)');
    expect(r.diagnostics[0]!.hint).toBe('did you mean "resources"?');
    expect(r.failed).toBe(false);
    expect(run(src, { strict: true }).diagnostics.map(where)).toEqual(['error FEDC7002 d.yaml:22:13']);
  });

  it('a quantity that does not parse, an int32 out of range, and IntOrString', () => {
    const src = { ...BASE, 'd.yaml': deployment(`            resources:
              limits: {memory: 5Gb, cpu: 2}
            livenessProbe:
              httpGet: {path: /healthz, port: 80.5}
              periodSeconds: 3000000000
`) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:22:32', 'error FEDC7001 d.yaml:24:47', 'error FEDC7001 d.yaml:25:30']);
    const [memory, port, period] = r.diagnostics;
    expect(textAt(src, memory!)).toBe('5Gb, cpu: 2}');
    expect(memory!.message).toMatch(/resources\.limits\.memory must be a quantity, such as 500m, 2Gi, 1\.5 or 1e3, not string "5Gb"$/);
    expect(textAt(src, port!)).toBe('80.5}');
    expect(port!.message).toMatch(/httpGet\.port must be a string or an integer, not number 80\.5$/);
    expect(textAt(src, period!)).toBe('3000000000');
    expect(period!.message).toMatch(/periodSeconds must be a 32-bit integer/);
  });
});

describe('values in messages', () => {
  it('.inf, -.inf and .nan are named as YAML writes them, not as JSON\'s null', () => {
    const src = { ...BASE, 'd.yaml': deployment('            workingDir: .inf\n', '', '      replicas: .nan\n') };
    const messages = k8s(run(src)).map((d) => d.message.replace(/^FederatedDeployment web: /, ''));
    expect(messages).toEqual(['spec.replicas must be an integer, not number .nan', 'spec.template.spec.containers[0].workingDir must be a string, not number .inf']);
  });
});

describe('what the API server checks beyond the schema', () => {
  it("a Service's externalIPs and clusterIP must be IP addresses (ValidateService), where they are written", () => {
    const svc = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedService
metadata: {name: web, namespace: web}
spec:
  template:
    spec:
      clusterIP: None
      externalIPs: [192.0.2.1, 300.1.1.1, "2001:db8::1"]
      ports: [{port: 80}]
  placement:
    clusterSelector: {}
  overrides:
  - clusterName: gke
    clusterOverrides:
    - path: /spec/clusterIP
      value: 10.0.0.x
`;
    const src = { ...BASE, 's.yaml': svc };
    const r = run(src);
    expect(k8s(r).map((d) => [where(d), d.message, textAt(src, d)])).toEqual([
      ['error FEDC7001 s.yaml:8:32', 'FederatedService web: spec.externalIPs[1] must be an IP address, not "300.1.1.1"', '300.1.1.1, "2001:db8::1"]'],
      ['error FEDC7001 s.yaml:16:14', 'FederatedService web (override /spec/clusterIP for cluster "gke"): spec.clusterIP must be an IP address, not "10.0.0.x"', '10.0.0.x'],
    ]);
  });
});

describe('built-in kinds: overrides', () => {
  it('containerPort: eighty set by one cluster\'s override is reported at that value, naming the cluster', () => {
    const src = { ...BASE, 'd.yaml': deployment('', `  overrides:
  - clusterName: gke
    clusterOverrides:
    - path: /spec/template/spec/containers/0/ports
      value:
      - containerPort: eighty
`) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:28:24']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('eighty');
    expect(r.diagnostics[0]!.message).toBe('FederatedDeployment web (override /spec/template/spec/containers/0/ports for cluster "gke"): spec.template.spec.containers[0].ports[0].containerPort must be an integer, not string "eighty"');
    expect(r.diagnostics[0]!.path).toBe('spec.overrides[0].clusterOverrides[0].value[0].containerPort');
  });

  it('a field an override removes is reported at its path; a misspelt override path at that path', () => {
    const src = { ...BASE, 'd.yaml': deployment('', `  overrides:
  - clusterName: aws
    clusterOverrides:
    - op: remove
      path: /spec/selector
    - path: /spec/replicaz
      value: 4
`) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:27:13', 'warning FEDC7002 d.yaml:28:13']);
    const [removed, misspelt] = r.diagnostics;
    expect(textAt(src, removed!)).toBe('/spec/selector');
    expect(removed!.message).toBe('FederatedDeployment web (override /spec/selector for cluster "aws"): spec.selector is required');
    expect(textAt(src, misspelt!)).toBe('/spec/replicaz');
    expect(misspelt!.hint).toBe('did you mean "replicas"?');
  });

  it('the template\'s problem is reported once even when every cluster\'s object is its own', () => {
    const overrides = ['aws', 'gke'].map((c) => `  - clusterName: ${c}\n    clusterOverrides:\n    - path: /metadata/labels\n      value: {app: web, cluster: ${c}}\n`).join('');
    const src = { ...BASE, 'd.yaml': deployment('            env: [{name: A, value: 1}]\n', `  overrides:\n${overrides}`) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 d.yaml:21:36']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('1}]');
    expect(r.diagnostics[0]!.message).not.toContain('cluster');
  });
});

describe('each distinct object once', () => {
  it('clusters that share an object share its validation: 5 clusters, 2 with overrides, 3 validations', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const src = {
      ...BASE,
      'clusters.yaml': names.map((n) => clusterYaml(n)).join('---\n'),
      'd.yaml': deployment('', `  overrides:\n${['b', 'd'].map((c) => `  - clusterName: ${c}\n    clusterOverrides:\n    - path: /spec/replicas\n      value: 3\n`).join('')}`),
    };
    const def = definition(builtinKind('apps/v1', 'Deployment')!);
    const original = def.validate;
    let calls = 0;
    def.validate = Object.assign((data: unknown) => {
      calls++;
      const ok = original(data);
      counted.errors = original.errors;
      return ok;
    }, { errors: null as typeof original.errors });
    const counted = def.validate;
    try {
      const r = run(src);
      expect(r.diagnostics).toEqual([]);
      expect(r.clusters.map((c) => c.objects.length)).toEqual([2, 2, 2, 2, 2]);
      expect(calls).toBe(3);
    } finally {
      def.validate = original;
    }
  });
});

describe('Secrets', () => {
  it('data that is not base64 is an error whose message never shows the value', () => {
    const src = { ...BASE, 's.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedSecret
metadata: {name: db, namespace: web}
spec:
  template:
    type: Opaque
    data:
      password: hunter2-not-base64!
      token: 42
    stringData:
      plain: hunter2-in-plain-text
  placement:
    clusterSelector: {}
  overrides:
  - clusterName: gke
    clusterOverrides:
    - path: /data/password
      value: s3cr3t-gke!
` };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 s.yaml:8:17', 'error FEDC7001 s.yaml:9:14', 'error FEDC7001 s.yaml:18:14']);
    expect(r.diagnostics[0]!.message).toBe('FederatedSecret db: data.password must be base64-encoded');
    expect(r.diagnostics[0]!.hint).toBe('data holds base64-encoded values; put plain text under stringData instead, or encode it (base64 -w0)');
    expect(r.diagnostics[1]!.message).toBe('FederatedSecret db: data.token must be a string, not a number');
    expect(r.diagnostics[2]!.message).toBe('FederatedSecret db (override /data/password for cluster "gke"): data.password must be base64-encoded');
    const all = JSON.stringify(r.diagnostics);
    for (const secret of ['hunter2', 's3cr3t', '42']) expect(all).not.toContain(secret);
  });
});

/** A federated object of a built-in type whose template sets apiVersion. */
const withApiVersion = (kind: string, apiVersion: string, spec: string) => `apiVersion: types.kubefed.io/v1beta1
kind: Federated${kind}
metadata: {name: old, namespace: web}
spec:
  template:
    apiVersion: ${apiVersion}
    spec:
${spec}  placement:
    clusterSelector: {}
`;

describe('removed and deprecated API versions', () => {
  const INGRESS = withApiVersion('Ingress', 'extensions/v1beta1', '      backend:\n        serviceName: k8shserver\n        servicePort: 80\n');

  it('seed 002\'s extensions/v1beta1 Ingress is an error at its apiVersion, naming the replacement', () => {
    const src = { ...BASE, 'i.yaml': INGRESS };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 i.yaml:6:17']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('extensions/v1beta1');
    expect(r.diagnostics[0]!.message).toBe('FederatedIngress old: extensions/v1beta1 Ingress is no longer served by Kubernetes 1.22 and later, so clusters aws and gke (Kubernetes 1.36) refuse it: use networking.k8s.io/v1 Ingress');
    expect(r.diagnostics[0]!.hint).toMatch(/^in networking\.k8s\.io\/v1 a backend is \{service: \{name: \.\.\., port: \{number: \.\.\.\}\}\}/);
  });

  it('a warning while the target still serves it; mixed fleets get both, each naming its clusters', () => {
    const src = { ...BASE, 'i.yaml': INGRESS };
    const old = run(src, { kubernetesVersion: '1.20' });
    expect(old.diagnostics.map(where)).toEqual(['warning FEDC7004 i.yaml:6:17']);
    expect(old.diagnostics[0]!.message).toBe('FederatedIngress old: extensions/v1beta1 Ingress is deprecated since Kubernetes 1.14 and removed in 1.22, so clusters aws and gke (Kubernetes 1.20) warn about it: use networking.k8s.io/v1 Ingress');
    expect(old.failed).toBe(false);
    const mixed = { ...src, 'clusters.yaml': clusterYaml('aws', { cloud: 'aws', 'fedc.dev/kubernetes-version': 'v1.21.14' }) + '---\n' + clusterYaml('gke', { cloud: 'gcp' }) };
    const r = run(mixed);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 i.yaml:6:17', 'warning FEDC7004 i.yaml:6:17']);
    expect(r.diagnostics[0]!.message).toMatch(/so cluster gke \(Kubernetes 1\.36\) refuses it/);
    expect(r.diagnostics[1]!.message).toMatch(/so cluster aws \(Kubernetes 1\.21\) warns about it/);
  });

  it.each([
    ['Deployment', 'apps/v1beta1', 'apps/v1 Deployment', 16],
    ['Deployment', 'apps/v1beta2', 'apps/v1 Deployment', 16],
    ['PodDisruptionBudget', 'policy/v1beta1', 'policy/v1 PodDisruptionBudget', 25],
    ['CronJob', 'batch/v1beta1', 'batch/v1 CronJob', 25],
    ['HorizontalPodAutoscaler', 'autoscaling/v2beta2', 'autoscaling/v2 HorizontalPodAutoscaler', 26],
    ['Ingress', 'networking.k8s.io/v1beta1', 'networking.k8s.io/v1 Ingress', 22],
  ])('%s %s: FEDC7003 naming %s', (kind, apiVersion, replacement, removed) => {
    const src = { ...BASE, 'o.yaml': withApiVersion(kind, apiVersion, '      {}\n') };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 o.yaml:6:17']);
    expect(textAt(src, r.diagnostics[0]!)).toBe(apiVersion);
    expect(r.diagnostics[0]!.message).toBe(`Federated${kind} old: ${apiVersion} ${kind} is no longer served by Kubernetes 1.${removed} and later, so clusters aws and gke (Kubernetes 1.36) refuse it: use ${replacement}`);
  });

  it('policy/v1beta1 PodSecurityPolicy, declared by a FederatedTypeConfig: at its targetType, with what replaces it', () => {
    const ftc = `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: podsecuritypolicies.policy, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedPodSecurityPolicy, pluralName: federatedpodsecuritypolicies, scope: Cluster, version: v1beta1}
  targetType:
    group: policy
    kind: PodSecurityPolicy
    pluralName: podsecuritypolicies
    scope: Cluster
    version: v1beta1
  propagation: Enabled
`;
    const psp = (name: string) => `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedPodSecurityPolicy\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec: {privileged: false}\n  placement:\n    clusterSelector: {}\n`;
    const src = { ...BASE, 'ftc.yaml': ftc, 'psp.yaml': psp('restricted') + '---\n' + psp('baseline') };
    const r = run(src);
    // once for the type, not once per object
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 ftc.yaml:11:14']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('v1beta1');
    expect(r.diagnostics[0]!.message).toBe('FederatedPodSecurityPolicy (as declared here): policy/v1beta1 PodSecurityPolicy is no longer served by Kubernetes 1.25 and later, so clusters aws and gke (Kubernetes 1.36) refuse it');
    expect(r.diagnostics[0]!.hint).toMatch(/^PodSecurityPolicy has no replacement API: use Pod Security Admission/);
  });

  it('an override of apiVersion is reported at that override; a version Kubernetes never served too', () => {
    const src = { ...BASE, 'd.yaml': deployment('', `  overrides:
  - clusterName: gke
    clusterOverrides:
    - path: /apiVersion
      value: apps/v1beta7
`) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 d.yaml:27:14']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('apps/v1beta7');
    expect(r.diagnostics[0]!.message).toBe('FederatedDeployment web (override /apiVersion for cluster "gke"): Kubernetes serves no Deployment in apps/v1beta7');
    expect(r.diagnostics[0]!.hint).toBe('Deployment is served as apps/v1');
  });

  it('a version that does not serve the stable API yet', () => {
    const src = { ...BASE, 'clusters.yaml': clusterYaml('aws', { 'fedc.dev/kubernetes-version': '1.18' }), 'i.yaml': withApiVersion('Ingress', 'networking.k8s.io/v1', '      defaultBackend: {service: {name: web, port: {number: 80}}}\n') };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 i.yaml:6:17']);
    expect(r.diagnostics[0]!.message).toBe('FederatedIngress old: networking.k8s.io/v1 Ingress is served from Kubernetes 1.19 on, so cluster aws (Kubernetes 1.18) refuses it');
  });
});

describe('target versions', () => {
  it('the default is a recent minor, the release of the bundled schemas', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe('1.36');
    expect(['1.30', 'v1.30', '1.30.2', 'v1.29.3+k3s1', 'v1.30.2-eks-1234567'].map(parseKubernetesVersion)).toEqual([30, 30, 30, 29, 30]);
    expect(['1', '2.1', '1.30.x', 'latest', ''].map(parseKubernetesVersion)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('a label that is no version is an error at the label; a version newer than the schemas an info', () => {
    const src = { ...BASE, 'clusters.yaml': clusterYaml('aws', { 'fedc.dev/kubernetes-version': 'latest' }) + '---\n' + clusterYaml('gke', { 'fedc.dev/kubernetes-version': '1.40' }) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7006 clusters.yaml:6:42', 'info FEDC7008 clusters.yaml:16:42']);
    expect(r.diagnostics[0]!.message).toBe('cluster aws: fedc.dev/kubernetes-version "latest" is not a Kubernetes version');
    expect(r.diagnostics[1]!.message).toMatch(/^Kubernetes 1\.40 is newer than fedc's schemas \(Kubernetes 1\.36, from kubernetes-models@5\.1\.0\)/);
    expect(run(BASE, { kubernetesVersion: 'one-thirty' }).diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      ['FEDC7006', '', 'kubernetesVersion "one-thirty" is not a Kubernetes version'],
    ]);
  });
});

describe('custom resources', () => {
  const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.shop.example.com}
spec:
  group: shop.example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: false
    storage: false
  - name: v1beta1
    served: true
    storage: false
    deprecated: true
    deprecationWarning: shop.example.com/v1beta1 Widget is deprecated; use shop.example.com/v1
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              color: {type: string, enum: [red, green, blue]}
              size: {type: integer, minimum: 1}
              port: {x-kubernetes-int-or-string: true}
              note: {type: string, nullable: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
  const ENABLE = 'apiVersion: core.kubefed.io/v1beta1\nkind: EnableTypeDirective\nmetadata:\n  name: widgets.shop.example.com\n';
  const widget = (name: string, spec: string, apiVersion = '') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedWidget
metadata: {name: ${name}, namespace: web}
spec:
  template:
${apiVersion}    spec:
${spec}  placement:
    clusterSelector: {}
`;

  it('are checked against the schema of a CRD listed under crds: (never rendered itself)', () => {
    const src = { ...BASE, 'enable.yaml': ENABLE, 'w.yaml': widget('a', '      color: purple\n      size: 0\n      port: http\n      note: null\n      extra: {anything: [1, 2]}\n      colour: red\n') };
    const r = compile(files(src), { crdFiles: files({ 'vendor/crds/widgets.yaml': CRD }) });
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 w.yaml:7:14', 'error FEDC7001 w.yaml:8:13', 'warning FEDC7002 w.yaml:12:7']);
    const [color, size, colour] = r.diagnostics;
    expect(color!.message).toBe('FederatedWidget a: spec.color must be one of "red", "green", "blue", not "purple"');
    expect(textAt(src, size!)).toBe('0');
    expect(size!.message).toBe('FederatedWidget a: spec.size must be at least 1, not number 0');
    expect(textAt(src, colour!)).toBe('colour: red');
    expect(colour!.hint).toBe('did you mean "color"?');
    expect(r.clusters[0]!.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['v1 Namespace', 'shop.example.com/v1 Widget']);
  });

  it('a custom resource\'s metadata is checked as every object\'s, at the path the API server names', () => {
    const w = widget('m', '      size: 1\n').replace('  template:\n', '  template:\n    metadata:\n      labels:\n        tier: 1\n');
    const src = { ...BASE, 'enable.yaml': ENABLE, 'w.yaml': w };
    const r = compile(files(src), { crdFiles: files({ 'vendor/crds/widgets.yaml': CRD }) });
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7001 w.yaml:8:15']);
    expect(r.diagnostics[0]!.message).toBe('FederatedWidget m: metadata.labels.tier must be a string, not number 1');
    expect(textAt(src, r.diagnostics[0]!)).toBe('1');
  });

  it('a CRD among the inputs counts too; its served and deprecated versions are the API server\'s', () => {
    const src = {
      ...BASE, 'crd.yaml': CRD, 'enable.yaml': ENABLE,
      'w.yaml': widget('a', '      size: 2\n') + '---\n' + widget('b', '      size: 2\n', '    apiVersion: shop.example.com/v1alpha1\n') + '---\n' + widget('c', '      whatever: 1\n', '    apiVersion: shop.example.com/v1beta1\n'),
    };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC7003 w.yaml:16:17', 'warning FEDC7004 w.yaml:27:17']);
    expect(textAt(src, r.diagnostics[0]!)).toBe('shop.example.com/v1alpha1');
    expect(textAt(src, r.diagnostics[1]!)).toBe('shop.example.com/v1beta1');
    expect(r.diagnostics[0]!.message).toBe('FederatedWidget b: the CustomResourceDefinition widgets.shop.example.com does not serve v1alpha1 (served: false); it serves v1beta1, v1');
    expect(r.diagnostics[1]!.message).toBe('FederatedWidget c: shop.example.com/v1beta1 Widget is deprecated: shop.example.com/v1beta1 Widget is deprecated; use shop.example.com/v1');
  });

  it('a required field missing, and a kind without a CRD gets one info, not an error', () => {
    const src = { ...BASE, 'crd.yaml': CRD, 'enable.yaml': ENABLE + '---\napiVersion: core.kubefed.io/v1beta1\nkind: FederatedTypeConfig\nmetadata: {name: gadgets.shop.example.com, namespace: kube-federation-system}\nspec:\n  federatedType: {group: types.kubefed.io, kind: FederatedGadget, pluralName: federatedgadgets, scope: Namespaced, version: v1beta1}\n  targetType: {group: shop.example.com, kind: Gadget, pluralName: gadgets, scope: Namespaced, version: v1}\n  propagation: Enabled\n',
      'w.yaml': widget('a', '      color: red\n') + '---\n' + widget('g1', '      x: 1\n').replace('FederatedWidget', 'FederatedGadget') + '---\n' + widget('g2', '      x: 2\n').replace('FederatedWidget', 'FederatedGadget') };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['info FEDC7005 enable.yaml:11:3', 'error FEDC7001 w.yaml:6:5']);
    expect(r.diagnostics[0]!.message).toBe('Gadget (shop.example.com/v1) has no schema: no CustomResourceDefinition for it among the inputs or in crds: of fedc.yaml, so its objects are not checked');
    expect(textAt(src, r.diagnostics[1]!)).toBe('spec:');
    expect(r.diagnostics[1]!.message).toBe('FederatedWidget a: spec.size is required');
  });

  it('a crds: file without a CustomResourceDefinition is a warning', () => {
    const r = compile(files(BASE), { crdFiles: files({ 'vendor/values.yaml': 'replicaCount: 1\n' }) });
    expect(r.diagnostics.map(where)).toEqual(['warning FEDC7007 vendor/values.yaml:1:1']);
  });
});

describe('no false alarms', () => {
  it('real-world manifests of common shapes validate clean', () => {
    const fed = (kind: string, name: string, template: string, namespaced = true) => `apiVersion: types.kubefed.io/v1beta1
kind: Federated${kind}
metadata:
  name: ${name}
${namespaced ? '  namespace: web\n' : ''}spec:
  template:
${template.replace(/^/gm, '    ').trimEnd()}
  placement:
    clusterSelector: {}
`;
    const src: Src = {
      ...BASE,
      'deploy.yaml': fed('Deployment', 'api', `metadata:
  labels: {app: api, tier: backend}
spec:
  replicas: 3
  revisionHistoryLimit: 5
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
      annotations: {prometheus.io/scrape: "true", prometheus.io/port: "9090"}
      creationTimestamp: null
    spec:
      serviceAccountName: api
      terminationGracePeriodSeconds: 30
      securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector: {matchExpressions: [{key: app, operator: In, values: [api]}]}
              topologyKey: kubernetes.io/hostname
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}]
      tolerations: [{key: dedicated, operator: Equal, value: api, effect: NoSchedule}]
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: api}}}
      initContainers:
      - name: migrate
        image: registry.example.com/api:2.4.1
        command: [/app/migrate, --up]
      containers:
      - name: api
        image: registry.example.com/api:2.4.1
        imagePullPolicy: IfNotPresent
        args: ["--port=8080", "--log-level=info"]
        ports:
        - {name: http, containerPort: 8080, protocol: TCP}
        - {name: metrics, containerPort: 9090}
        env:
        - {name: PORT, value: "8080"}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        - name: POD_IP
          valueFrom: {fieldRef: {fieldPath: status.podIP}}
        - name: MEMORY_LIMIT
          valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
        envFrom: [{configMapRef: {name: api-config}}]
        resources:
          requests: {cpu: 250m, memory: 256Mi, ephemeral-storage: 1Gi}
          limits: {cpu: "1", memory: 512Mi}
        readinessProbe:
          httpGet: {path: /ready, port: http}
          initialDelaySeconds: 5
          periodSeconds: 10
        livenessProbe:
          tcpSocket: {port: 8080}
          failureThreshold: 3
        startupProbe:
          exec: {command: [cat, /tmp/started]}
        lifecycle:
          preStop: {exec: {command: [sleep, "5"]}}
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
        volumeMounts:
        - {name: config, mountPath: /etc/api, readOnly: true}
        - {name: cache, mountPath: /var/cache/api}
        - {name: tls, mountPath: /etc/tls}
      volumes:
      - name: config
        configMap: {name: api-config, items: [{key: app.yaml, path: app.yaml}], defaultMode: 0444}
      - name: cache
        emptyDir: {medium: Memory, sizeLimit: 64Mi}
      - name: tls
        secret: {secretName: api-tls}
      - name: data
        persistentVolumeClaim: {claimName: api-data}
      - name: projected
        projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 3600, audience: vault}}]}
`),
      'sts.yaml': fed('StatefulSet', 'db', `spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: postgres
        image: postgres:16
        ports: [{containerPort: 5432, name: pg}]
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Delete}
  volumeClaimTemplates:
  - metadata: {name: data, labels: {app: db}}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: fast
      resources: {requests: {storage: 20Gi}}
`),
      'ing.yaml': fed('Ingress', 'web', `metadata:
  annotations: {cert-manager.io/cluster-issuer: letsencrypt}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com, www.shop.example.com]
    secretName: shop-tls
  defaultBackend: {service: {name: web, port: {name: http}}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: ImplementationSpecific, backend: {service: {name: api, port: {name: http}}}}
`).replace('    metadata:\n      annotations: {cert-manager.io/cluster-issuer: letsencrypt}\n', ''),
      'rbac.yaml': [
        fed('ServiceAccount', 'api', 'automountServiceAccountToken: false\nimagePullSecrets: [{name: registry}]'),
        fed('Role', 'api', 'rules:\n- apiGroups: [""]\n  resources: [configmaps, secrets]\n  resourceNames: [api-config]\n  verbs: [get, list, watch]'),
        fed('RoleBinding', 'api', 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: api}\nsubjects:\n- {kind: ServiceAccount, name: api, namespace: web}'),
        fed('ClusterRole', 'api-read', 'rules:\n- apiGroups: [apps]\n  resources: [deployments]\n  verbs: ["*"]\n- nonResourceURLs: [/healthz]\n  verbs: [get]\naggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate: "true"}}]}', false),
        fed('ClusterRoleBinding', 'api-read', 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: api-read}\nsubjects:\n- {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}', false),
      ].join('---\n'),
      'misc.yaml': [
        fed('Service', 'web', 'spec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: http, protocol: TCP}\n  - {name: https, port: 443, targetPort: 8443}\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n'),
        fed('ConfigMap', 'api-config', 'data:\n  app.yaml: |\n    port: 8080\n  LOG_LEVEL: info\n  released: 2024-05-01\nbinaryData:\n  logo.png: iVBORw0KGgo=\n'),
        fed('Secret', 'db', 'type: Opaque\ndata:\n  password: aHVudGVyMg==\n  multi: |\n    aHVudGVy\n    Mg==\nstringData:\n  user: admin\n'),
        fed('HorizontalPodAutoscaler', 'api', 'spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 300, policies: [{type: Pods, value: 1, periodSeconds: 60}]}\n'),
        fed('PodDisruptionBudget', 'api', 'spec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: api}}\n'),
        fed('CronJob', 'report', 'spec:\n  schedule: "0 3 * * *"\n  timeZone: Etc/UTC\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      ttlSecondsAfterFinished: 3600\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: report, image: "report:1", resources: {limits: {memory: 1G}}}]\n'),
        fed('NetworkPolicy', 'api', 'spec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: web}}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n    ports: [{protocol: TCP, port: 8080}]\n  egress:\n  - ports: [{protocol: UDP, port: 53}]\n'),
        fed('DaemonSet', 'agent', 'spec:\n  selector: {matchLabels: {app: agent}}\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      hostNetwork: true\n      priorityClassName: system-node-critical\n      containers: [{name: agent, image: "agent:1", securityContext: {privileged: true}}]\n'),
        fed('PersistentVolumeClaim', 'api-data', 'spec:\n  accessModes: [ReadWriteOnce]\n  volumeMode: Filesystem\n  resources: {requests: {storage: 10Gi}}\n'),
        fed('Job', 'once', 'spec:\n  completions: 1\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: once, image: "busybox:1", command: [sh, -c, "echo hi"]}]\n'),
      ].join('---\n'),
    };
    const r = run(src);
    expect(r.diagnostics).toEqual([]);
    expect(r.clusters[0]!.objects.length).toBe(19);
  });

  it('every fixture validates clean', async () => {
    const fixtures = path.join(ROOT, 'fixtures');
    for (const name of readdirSync(fixtures).filter((n) => existsSync(path.join(fixtures, n, 'input')))) {
      const input = path.join(fixtures, name, 'input');
      const { settings } = await loadSettings(input);
      const read = await readRepo(input, settings);
      const r = compile(read.files, { kubefedNamespace: settings.kubefedNamespace, ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}) });
      expect(k8s(r), name).toEqual([]);
    }
  });

  it('the generated benchmark workload validates clean', async () => {
    const dir = tempDir();
    try {
      const gen = spawnSync(process.execPath, [path.join(ROOT, 'bench/gen-workload.mjs'), dir, '--clusters', '40', '--resources', '800', '--seed', '42'], { encoding: 'utf8' });
      expect(gen.status, gen.stderr).toBe(0);
      const { settings } = await loadSettings(dir);
      const read = await readRepo(dir, settings);
      const r = compile(read.files, { kubefedNamespace: settings.kubefedNamespace });
      expect(k8s(r)).toEqual([]);
      expect(r.failed).toBe(false);
    } finally {
      cleanup(dir);
    }
  });
});

describe('fedc validate and fedc render', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(cleanup));
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, KUBE_VERSION: '', ...env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const repo = (src: Src) => {
    const dir = tempDir();
    dirs.push(dir);
    for (const [rel, text] of Object.entries(src)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  };
  const PDB = withApiVersion('PodDisruptionBudget', 'policy/v1beta1', '      minAvailable: 1\n');

  it('run it; errors stop the render and nothing is written', () => {
    const dir = repo({ ...BASE, 'd.yaml': deployment('', '', '      replicas: "3"\n') });
    const v = cli(['validate', dir]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('d.yaml:11:17 - error FEDC7001: FederatedDeployment web: spec.replicas must be an integer, not string "3"');
    const r = cli(['render', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(existsSync(path.join(dir, 'rendered'))).toBe(false);
  });

  it('kubernetesVersion and crds in fedc.yaml; KUBE_VERSION (Argo CD) wins over fedc.yaml, a cluster label over both', () => {
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.shop.example.com}\nspec:\n  group: shop.example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}\n';
    const widget = 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedWidget\nmetadata: {name: w, namespace: web}\nspec:\n  template:\n    spec: {size: big}\n  placement:\n    clusterSelector: {}\n';
    const dir = repo({
      'fedc.yaml': 'include: ["fleet/**"]\nkubernetesVersion: "1.21"\ncrds: ["vendor/**/crds/*.yaml"]\n',
      'fleet/clusters.yaml': BASE['clusters.yaml']!, 'fleet/ns.yaml': BASE['ns.yaml']!, 'fleet/pdb.yaml': PDB,
      'fleet/enable.yaml': 'apiVersion: core.kubefed.io/v1beta1\nkind: EnableTypeDirective\nmetadata:\n  name: widgets.shop.example.com\n',
      'fleet/w.yaml': widget,
      'vendor/chart/crds/widgets.yaml': crd,
    });
    const fromYaml = cli(['validate', dir, '--format', 'json']);
    const codes = (out: string) => (JSON.parse(out).diagnostics as Diagnostic[]).map(where);
    expect(codes(fromYaml.stdout)).toEqual(['warning FEDC7004 fleet/pdb.yaml:6:17', 'error FEDC7001 fleet/w.yaml:6:18']);
    const fromEnv = cli(['validate', dir, '--format', 'json'], { KUBE_VERSION: 'v1.31.2' });
    expect(codes(fromEnv.stdout)).toEqual(['error FEDC7003 fleet/pdb.yaml:6:17', 'error FEDC7001 fleet/w.yaml:6:18']);
    writeFileSync(path.join(dir, 'fleet/clusters.yaml'), clusterYaml('aws', { 'fedc.dev/kubernetes-version': '1.22' }) + '---\n' + clusterYaml('gke', {}));
    const labelled = JSON.parse(cli(['validate', dir, '--format', 'json'], { KUBE_VERSION: '1.31' }).stdout).diagnostics as Diagnostic[];
    expect(labelled.map(where)).toEqual(['error FEDC7003 fleet/pdb.yaml:6:17', 'warning FEDC7004 fleet/pdb.yaml:6:17', 'error FEDC7001 fleet/w.yaml:6:18']);
    expect(labelled[0]!.message).toMatch(/so cluster gke \(Kubernetes 1\.31\) refuses it/);
    expect(labelled[1]!.message).toMatch(/so cluster aws \(Kubernetes 1\.22\) warns about it/);
    const bad = cli(['validate', dir], { KUBE_VERSION: 'tomorrow' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('fedc - error FEDC7006: KUBE_VERSION "tomorrow" is not a Kubernetes version');
  });

  it('KUBE_VERSION is the version of the clusters a run selects (Argo CD\'s destination), not of the others', () => {
    // a policy/v1beta1 PDB placed on gke only: gone in 1.25, served with a warning in 1.22
    const pdbOnGke = PDB.replace('clusterSelector: {}', 'clusters: [{name: gke}]');
    const dir = repo({ ...BASE, 'fedc.yaml': 'kubernetesVersion: "1.22"\n', 'pdb.yaml': pdbOnGke });
    // aws's Application: KUBE_VERSION is aws's, so gke's PDB is checked against fedc.yaml's 1.22
    const aws = cli(['render', dir, '--stdout', '--cluster', 'aws', '--format', 'json'], { KUBE_VERSION: '1.31' });
    expect(aws.code, aws.stderr).toBe(0);
    const plugin = spawnSync(process.execPath, [CLI, 'argocd', 'generate'], { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBE_VERSION: '1.31', ARGOCD_ENV_FEDC_CLUSTER: 'aws' } });
    expect(plugin.status, plugin.stderr).toBe(0);
    expect(plugin.stderr).toContain('warning FEDC7004');
    // gke's: the PDB is gke's own, and 1.31 refuses it
    const gke = cli(['render', dir, '--stdout', '--cluster', 'gke'], { KUBE_VERSION: '1.31' });
    expect(gke.code).toBe(1);
    expect(gke.stderr).toMatch(/error FEDC7003: .*so cluster gke \(Kubernetes 1\.31\) refuses it/);
    // without a selection KUBE_VERSION is every unlabelled cluster's, as before
    expect(cli(['validate', dir], { KUBE_VERSION: '1.31' }).code).toBe(1);
    // a label on the selected cluster is what the repo says; KUBE_VERSION is what Argo CD measured there
    writeFileSync(path.join(dir, 'clusters.yaml'), clusterYaml('aws', {}) + '---\n' + clusterYaml('gke', { 'fedc.dev/kubernetes-version': '1.22' }));
    const stale = cli(['render', dir, '--stdout', '--cluster', 'gke', '--format', 'json'], { KUBE_VERSION: 'v1.31.4-eks-1234' });
    expect(stale.code).toBe(1);
    const found = JSON.parse(stale.stderr).diagnostics as Diagnostic[];
    expect(found.map((d) => `${d.severity} ${d.code}`)).toEqual(['info FEDC7009', 'error FEDC7003']);
    expect(found[0]!.message).toBe('cluster gke: fedc.dev/kubernetes-version says Kubernetes 1.22, but KUBE_VERSION (the version Argo CD measured) is 1.31: its objects are checked against 1.31');
    expect(found[0]!.hint).toBe('set the label to "1.31"');
    // the label still decides where the run does not select that cluster
    expect(cli(['render', dir, '--stdout', '--cluster', 'aws'], { KUBE_VERSION: '1.31' }).code).toBe(0);
  });

  it('a kubernetesVersion that is no version is an error in fedc.yaml', () => {
    const dir = repo({ 'fedc.yaml': 'kubernetesVersion: 1.30\n', ...BASE });
    const v = cli(['validate', dir]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('fedc.yaml:1:20 - error FEDC1006: fedc.yaml: kubernetesVersion must be a string, not number 1.3');
  });
});
