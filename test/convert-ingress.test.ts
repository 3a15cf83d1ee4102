/**
 * FederatedIngress bodies written for extensions/v1beta1 (as KubeFed's examples write them) are
 * converted to networking.k8s.io/v1 as the API server converts them, after overrides.
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { convertIngressToV1, describeChanges, isV1Ingress } from '../src/render/convert-ingress.js';
import { clusterYaml, files, renderTree } from './helpers.js';

type Obj = Record<string, unknown>;

/** Deep-freezes a value, so that any mutation throws. */
function frozen<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) frozen(x);
    Object.freeze(v);
  }
  return v;
}

function ingress(spec: unknown): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'web' }, spec };
}

describe('convertIngressToV1', () => {
  it('converts serviceName and an integer servicePort into service.name and service.port.number, where they were', () => {
    const input = frozen(ingress({
      rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { serviceName: 'web', servicePort: 80 } }] } }],
    }));
    const { object, changes, problems } = convertIngressToV1(input);
    expect(problems).toEqual([]);
    expect(object).toEqual(ingress({
      rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    }));
    expect(changes).toEqual([
      { kind: 'serviceName', path: ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'serviceName'] },
      { kind: 'servicePortNumber', path: ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'servicePort'] },
    ]);
  });

  it('converts a string servicePort into service.port.name (an IntOrString keeps its type)', () => {
    const { object, changes } = convertIngressToV1(frozen(ingress({
      rules: [{ http: { paths: [{ path: '/', pathType: 'Exact', backend: { servicePort: 'http', serviceName: 'web' } }] } }],
    })));
    const backend = ((object.spec as Obj).rules as Obj[])[0]!.http as Obj;
    expect(backend.paths).toEqual([{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { name: 'http' } } } }]);
    expect(changes.map((c) => c.kind)).toEqual(['servicePortName', 'serviceName']);
  });

  it('renames spec.backend to spec.defaultBackend in its place and converts it', () => {
    const { object, changes } = convertIngressToV1(frozen(ingress({
      ingressClassName: 'nginx',
      backend: { serviceName: 'default', servicePort: 8080 },
      tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
    })));
    expect(object.spec).toEqual({
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'default', port: { number: 8080 } } },
      tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
    });
    expect(Object.keys(object.spec as Obj)).toEqual(['ingressClassName', 'defaultBackend', 'tls']);
    expect(changes).toEqual([
      { kind: 'defaultBackend', path: ['spec', 'backend'] },
      { kind: 'serviceName', path: ['spec', 'backend', 'serviceName'] },
      { kind: 'servicePortNumber', path: ['spec', 'backend', 'servicePort'] },
    ]);
  });

  it('adds pathType ImplementationSpecific where it is missing: after path, in place of null, or first', () => {
    const svc = { service: { name: 'web', port: { number: 80 } } };
    const { object, changes } = convertIngressToV1(frozen(ingress({
      rules: [{ http: { paths: [
        { path: '/a', backend: svc },
        { backend: svc, path: '/b', pathType: null },
        { backend: svc },
        { path: '/d', pathType: 'Prefix', backend: svc },
      ] } }],
    })));
    const paths = (((object.spec as Obj).rules as Obj[])[0]!.http as Obj).paths as Obj[];
    expect(paths.map((p) => Object.entries(p).map(([k, v]) => (k === 'backend' ? k : `${k}=${String(v)}`)))).toEqual([
      ['path=/a', 'pathType=ImplementationSpecific', 'backend'],
      ['backend', 'path=/b', 'pathType=ImplementationSpecific'],
      ['pathType=ImplementationSpecific', 'backend'],
      ['path=/d', 'pathType=Prefix', 'backend'],
    ]);
    expect(changes).toEqual([0, 1, 2].map((j) => ({ kind: 'pathType', path: ['spec', 'rules', 0, 'http', 'paths', j] })));
  });

  it('leaves resource backends as they are', () => {
    const resource = { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' };
    const input = frozen(ingress({
      defaultBackend: { resource },
      rules: [{ http: { paths: [{ path: '/static', pathType: 'Prefix', backend: { resource } }] } }],
    }));
    const result = convertIngressToV1(input);
    expect(result).toEqual({ object: input, changes: [], problems: [] });
    expect(result.object).toBe(input);
  });

  it('is idempotent: a v1 body comes back as the same object', () => {
    const v1beta1 = frozen(ingress({
      backend: { serviceName: 'default', servicePort: 80 },
      rules: [
        { host: 'a.example.com', http: { paths: [{ backend: { serviceName: 'a', servicePort: 'http' } }] } },
        { host: 'b.example.com' },
      ],
    }));
    const once = convertIngressToV1(v1beta1);
    expect(once.changes.length).toBeGreaterThan(0);
    const twice = convertIngressToV1(frozen(once.object));
    expect(twice.changes).toEqual([]);
    expect(twice.object).toBe(once.object);
  });

  it('never mutates its input and shares what it does not change', () => {
    const untouched = { host: 'b.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'b', port: { number: 80 } } } }] } };
    const input = ingress({ rules: [{ http: { paths: [{ backend: { serviceName: 'a', servicePort: 80 } }] } }, untouched] });
    const before = structuredClone(input);
    const { object } = convertIngressToV1(input);
    expect(input).toEqual(before);
    expect(object).not.toBe(input);
    expect(object.metadata).toBe(input.metadata);
    expect(((object.spec as Obj).rules as Obj[])[1]).toBe(untouched);
  });

  it('leaves a body alone when nothing is an Ingress spec', () => {
    for (const spec of [undefined, null, 'x', { rules: 'x' }, { rules: [null, { http: null }, { http: { paths: [null, 'x'] } }] }]) {
      const input = ingress(spec);
      expect(convertIngressToV1(input)).toEqual({ object: input, changes: [], problems: [] });
    }
  });

  it('reports what no API server accepts, and leaves it as written', () => {
    const cases: [unknown, string, string[]][] = [
      [{ backend: { serviceName: 'a', servicePort: 80 }, defaultBackend: { service: { name: 'b', port: { number: 80 } } } },
        'spec has both backend (extensions/v1beta1) and defaultBackend (networking.k8s.io/v1): a networking.k8s.io/v1 API server rejects backend as an unknown field, or drops it',
        ['spec', 'backend']],
      [{ defaultBackend: { service: { name: 'b', port: { number: 80 } }, servicePort: 80 } },
        'a backend has both service (networking.k8s.io/v1) and servicePort (extensions/v1beta1): a networking.k8s.io/v1 API server rejects servicePort as an unknown field, or drops it',
        ['spec', 'defaultBackend', 'servicePort']],
      [{ defaultBackend: { resource: { kind: 'Bucket', name: 'x' }, serviceName: 'a', servicePort: 80 } },
        'a backend has both resource and serviceName/servicePort: the API server accepts one of them, not both',
        ['spec', 'defaultBackend', 'serviceName']],
      [{ defaultBackend: { serviceName: 'a', servicePort: '80' } },
        'servicePort "80" is a string, so the API server reads it as a port name, and a port name must contain a letter',
        ['spec', 'defaultBackend', 'servicePort']],
      [{ defaultBackend: { serviceName: 'a', servicePort: 80.5 } },
        'servicePort must be a port number or a port name, not 80.5',
        ['spec', 'defaultBackend', 'servicePort']],
      [{ defaultBackend: { serviceName: 'a' } },
        'backend of service a has no servicePort: the API server requires the port',
        ['spec', 'defaultBackend', 'serviceName']],
      [{ defaultBackend: { serviceName: 'a', servicePort: 0 } },
        'servicePort 0 is not a port: the API server requires a port number or name',
        ['spec', 'defaultBackend', 'servicePort']],
      [{ defaultBackend: { servicePort: 80 } },
        'a backend has a servicePort but no serviceName: the API server requires the service name',
        ['spec', 'defaultBackend', 'servicePort']],
    ];
    for (const [spec, message, path] of cases) {
      const input = frozen(ingress(spec));
      const { object, problems } = convertIngressToV1(input);
      expect(problems.map((p) => [p.message, p.path])).toEqual([[message, path]]);
      expect(object.spec).toEqual(spec);
    }
  });

  it('describes what it converted in one fixed order', () => {
    expect(describeChanges(['pathType', 'servicePortNumber', 'serviceName', 'defaultBackend'])).toBe(
      'spec.backend -> spec.defaultBackend, backend.serviceName/servicePort -> backend.service.name/port.number, pathType ImplementationSpecific added',
    );
    expect(describeChanges(['servicePortName'])).toBe('backend.servicePort -> backend.service.port.name');
    expect(describeChanges(['servicePortName', 'servicePortNumber'])).toBe('backend.servicePort -> backend.service.port');
  });

  it('applies to networking.k8s.io/v1 Ingresses only', () => {
    expect(isV1Ingress({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' })).toBe(true);
    expect(isV1Ingress({ apiVersion: 'extensions/v1beta1', kind: 'Ingress' })).toBe(false);
    expect(isV1Ingress({ apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress' })).toBe(false);
    expect(isV1Ingress({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Through compile(): a repo with clusters a, b and c, namespace web federated to all of them.

const NS = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: web
  namespace: web
spec:
  placement:
    clusterSelector: {}
`;

const BASE = {
  'clusters.yaml': [clusterYaml('a'), clusterYaml('b'), clusterYaml('c')].join('---\n'),
  'ns.yaml': NS,
};

/** A FederatedIngress as KubeFed's examples write it (extensions/v1beta1): lines 1-23, then `rest`. */
function v1beta1Ingress(rest = '', apiVersion = ''): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata:
  name: web
  namespace: web
spec:
  template:
${apiVersion}    spec:
      backend:
        serviceName: default
        servicePort: 8080
      rules:
      - host: web.example.com
        http:
          paths:
          - backend:
              serviceName: web
              servicePort: 80
  placement:
    clusters:
    - name: a
    - name: b
    - name: c
${rest}`;
}

/** The networking.k8s.io/v1 Ingress the API server makes of v1beta1Ingress() on every cluster. */
const V1_INGRESS = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'web', labels: { 'kubefed.io/managed': 'true' } },
  spec: {
    defaultBackend: { service: { name: 'default', port: { number: 8080 } } },
    rules: [{
      host: 'web.example.com',
      http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] },
    }],
  },
};

function where(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col}`;
}

function ingressOf(result: CompileResult, cluster: string): Obj {
  const o = result.clusters.find((c) => c.name === cluster)!.objects.find((x) => x.kind === 'Ingress');
  expect(o, `an Ingress on ${cluster}`).toBeDefined();
  return o!.object;
}

/** The source text from a diagnostic's line and column to the end of that line. */
function textAt(src: Record<string, string>, d: Diagnostic): string {
  return src[d.file]!.split('\n')[d.line - 1]!.slice(d.col - 1);
}

describe('FederatedIngress written for extensions/v1beta1', () => {
  it('renders a valid networking.k8s.io/v1 Ingress on every cluster, with one FEDC4010 at the template', () => {
    const src = { ...BASE, 'ing.yaml': v1beta1Ingress() };
    const result = compile(files(src));
    expect(result.failed).toBe(false);
    for (const c of ['a', 'b', 'c']) expect(ingressOf(result, c)).toEqual(V1_INGRESS);
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:9:7']);
    const d = result.diagnostics[0]!;
    expect(textAt(src, d)).toBe('backend:');
    expect(d.path).toBe('spec.template.spec.backend');
    expect(d.message).toBe(
      'FederatedIngress web: converted from extensions/v1beta1 to networking.k8s.io/v1 as the API server would: '
      + 'spec.backend -> spec.defaultBackend, backend.serviceName/servicePort -> backend.service.name/port.number, pathType ImplementationSpecific added',
    );
    expect(d.hint).toMatch(/^write the networking\.k8s\.io\/v1 form/);
  });

  it('keeps fedc key order in the emitted file: apiVersion, kind, metadata, then the template order with converted keys in place', () => {
    const { tree } = renderTree(files({ ...BASE, 'ing.yaml': v1beta1Ingress() }));
    expect(tree.files.get('clusters/a/namespaces/web/ingress-web.yaml')!.replace(/^#.*\n/, '')).toBe(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: web
  labels:
    kubefed.io/managed: "true"
spec:
  defaultBackend:
    service:
      name: default
      port:
        number: 8080
  rules:
  - host: web.example.com
    http:
      paths:
      - pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              number: 80
`);
  });

  it('points at the first converted backend field when the template has no spec.backend', () => {
    const src = {
      ...BASE,
      'ing.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata:
  name: web
  namespace: web
spec:
  template:
    spec:
      rules:
      - http:
          paths:
          - path: /
            backend:
              serviceName: web
              servicePort: http
  placement:
    clusters: [{name: a}]
`,
    };
    const result = compile(files(src));
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:14:15']);
    expect(result.diagnostics[0]!.path).toBe('spec.template.spec.rules[0].http.paths[0].backend.serviceName');
    expect(textAt(src, result.diagnostics[0]!)).toBe('serviceName: web');
    expect(result.diagnostics[0]!.message).toMatch(/: backend\.serviceName\/servicePort -> backend\.service\.name\/port\.name, pathType ImplementationSpecific added$/);
    expect((ingressOf(result, 'a').spec as Obj).rules).toEqual([
      { http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { name: 'http' } } } }] } },
    ]);
  });

  it('clusters without overrides still share one object instance', () => {
    const src = {
      ...BASE,
      'ing.yaml': v1beta1Ingress(`  overrides:
  - clusterName: c
    clusterOverrides:
    - path: /spec/rules/0/host
      value: c.example.com
`),
    };
    const result = compile(files(src));
    expect(result.failed).toBe(false);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => ingressOf(result, n));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toEqual(V1_INGRESS);
    expect(((c!.spec as Obj).rules as Obj[])[0]!.host).toBe('c.example.com');
    // the template conversion is reported once, not once per cluster
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:9:7']);
  });

  it('an override that sets servicePort for one cluster is converted there, with its own FEDC4010 at the override', () => {
    const src = {
      ...BASE,
      'ing.yaml': v1beta1Ingress(`  overrides:
  - clusterName: b
    clusterOverrides:
    - path: /spec/rules/0/http/paths/0/backend/servicePort
      value: 8443
`),
    };
    const result = compile(files(src));
    expect(result.failed).toBe(false);
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:9:7', 'info FEDC4010 ing.yaml:28:14']);
    const d = result.diagnostics[1]!;
    expect(d.path).toBe('spec.overrides[0].clusterOverrides[0].value');
    expect(textAt(src, d)).toBe('8443');
    expect(d.message).toBe(
      'FederatedIngress web: the override /spec/rules/0/http/paths/0/backend/servicePort for cluster "b" sets extensions/v1beta1 fields; '
      + 'converted to networking.k8s.io/v1 as the API server would: backend.servicePort -> backend.service.port.number',
    );
    const port = (o: Obj) => ((((o.spec as Obj).rules as Obj[])[0]!.http as Obj).paths as Obj[])[0]!.backend;
    expect(port(ingressOf(result, 'a'))).toEqual({ service: { name: 'web', port: { number: 80 } } });
    expect(port(ingressOf(result, 'b'))).toEqual({ service: { name: 'web', port: { number: 8443 } } });
  });

  it('an override that brings a v1beta1 backend into a v1 template is reported at the override only', () => {
    const src = {
      ...BASE,
      'ing.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata:
  name: web
  namespace: web
spec:
  template:
    spec:
      rules:
      - http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {number: 80}}
  placement:
    clusters: [{name: a}, {name: b}]
  overrides:
  - clusterName: b
    clusterOverrides:
    - path: /spec/rules/0/http/paths/0/backend
      value: {serviceName: canary, servicePort: http}
`,
    };
    const result = compile(files(src));
    expect(result.failed).toBe(false);
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:22:14']);
    expect(result.diagnostics[0]!.message).toMatch(
      /^FederatedIngress web: the override \/spec\/rules\/0\/http\/paths\/0\/backend for cluster "b" sets extensions\/v1beta1 fields; .*: backend\.serviceName\/servicePort -> backend\.service\.name\/port\.name$/,
    );
    const backend = (o: Obj) => ((((o.spec as Obj).rules as Obj[])[0]!.http as Obj).paths as Obj[])[0]!.backend;
    expect(backend(ingressOf(result, 'b'))).toEqual({ service: { name: 'canary', port: { name: 'http' } } });
    expect(backend(ingressOf(result, 'a'))).toEqual({ service: { name: 'web', port: { number: 80 } } });
  });

  it('an override that removes a pathType from a v1 template gets it back, reported at that override', () => {
    const src = {
      ...BASE,
      'ing.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata:
  name: web
  namespace: web
spec:
  template:
    spec:
      rules:
      - http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {number: 80}}
  placement:
    clusters: [{name: a}]
  overrides:
  - clusterName: a
    clusterOverrides:
    - op: remove
      path: /spec/rules/0/http/paths/0/pathType
`,
    };
    const result = compile(files(src));
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:22:13']);
    expect(textAt(src, result.diagnostics[0]!)).toBe('/spec/rules/0/http/paths/0/pathType');
    expect(result.diagnostics[0]!.message).toMatch(/: pathType ImplementationSpecific added$/);
    const paths = (((ingressOf(result, 'a').spec as Obj).rules as Obj[])[0]!.http as Obj).paths;
    expect(paths).toEqual([{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }]);
  });

  it('a FederatedTypeConfig that targets extensions/v1beta1 keeps the body as written', () => {
    const ftc = `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata:
  name: ingresses.extensions
  namespace: kube-federation-system
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedIngress, pluralName: federatedingresses, scope: Namespaced, version: v1beta1}
  targetType: {group: extensions, kind: Ingress, pluralName: ingresses, scope: Namespaced, version: v1beta1}
  propagation: Enabled
`;
    // On Kubernetes 1.21, which still serves it (deprecated: FEDC7004 at the type's target version).
    const result = compile(files({ ...BASE, 'ftc.yaml': ftc, 'ing.yaml': v1beta1Ingress() }), { kubernetesVersion: '1.21' });
    expect(result.failed).toBe(false);
    expect(result.diagnostics.map(where)).toEqual(['info FEDC2008 ftc.yaml:7:50', 'warning FEDC7004 ftc.yaml:8:101']);
    expect(textAt({ 'ftc.yaml': ftc }, result.diagnostics[1]!)).toBe('v1beta1}');
    expect(result.diagnostics[1]!.message).toBe('FederatedIngress (as declared here): extensions/v1beta1 Ingress is deprecated since Kubernetes 1.14 and removed in 1.22, so clusters a, b and c (Kubernetes 1.21) warn about it: use networking.k8s.io/v1 Ingress');
    const o = ingressOf(result, 'a');
    expect(o.apiVersion).toBe('extensions/v1beta1');
    expect(o.spec).toEqual({
      backend: { serviceName: 'default', servicePort: 8080 },
      rules: [{ host: 'web.example.com', http: { paths: [{ backend: { serviceName: 'web', servicePort: 80 } }] } }],
    });
  });

  it('a template apiVersion of networking.k8s.io/v1beta1 wins, and the body is kept', () => {
    const result = compile(files({ ...BASE, 'ing.yaml': v1beta1Ingress('', '    apiVersion: networking.k8s.io/v1beta1\n') }), { kubernetesVersion: '1.21' });
    expect(result.diagnostics.map(where)).toEqual(['warning FEDC7004 ing.yaml:8:17']);
    const o = ingressOf(result, 'a');
    expect(o.apiVersion).toBe('networking.k8s.io/v1beta1');
    expect((o.spec as Obj).backend).toEqual({ serviceName: 'default', servicePort: 8080 });
  });

  it('an override of apiVersion decides per cluster', () => {
    const src = {
      ...BASE,
      'ing.yaml': v1beta1Ingress(`  overrides:
  - clusterName: c
    clusterOverrides:
    - path: /apiVersion
      value: extensions/v1beta1
`),
    };
    const result = compile(files(src));
    // Kubernetes 1.36, the default, no longer serves extensions/v1beta1: reported at that override.
    expect(result.diagnostics.map(where)).toEqual(['info FEDC4010 ing.yaml:9:7', 'error FEDC7003 ing.yaml:28:14']);
    expect(textAt(src, result.diagnostics[1]!)).toBe('extensions/v1beta1');
    expect(ingressOf(result, 'a')).toEqual(V1_INGRESS);
    const c = ingressOf(result, 'c');
    expect(c.apiVersion).toBe('extensions/v1beta1');
    expect((c.spec as Obj).backend).toEqual({ serviceName: 'default', servicePort: 8080 });
  });

  it('an override that makes a v1beta1 template networking.k8s.io/v1 is reported at that override', () => {
    const src = {
      ...BASE,
      'ing.yaml': v1beta1Ingress(`  overrides:
  - clusterName: c
    clusterOverrides:
    - path: /apiVersion
      value: networking.k8s.io/v1
`, '    apiVersion: extensions/v1beta1\n'),
    };
    const result = compile(files(src));
    expect(result.diagnostics.map(where)).toEqual(['error FEDC7003 ing.yaml:8:17', 'info FEDC4010 ing.yaml:29:14']);
    expect(result.diagnostics[0]!.message).toMatch(/^FederatedIngress web: extensions\/v1beta1 Ingress is no longer served by Kubernetes 1.22 and later, so clusters a and b \(Kubernetes 1.36\) refuse it/);
    expect(result.diagnostics[1]!.message).toBe(
      'FederatedIngress web: the override /apiVersion for cluster "c" makes the object networking.k8s.io/v1; its extensions/v1beta1 fields are converted as the API server would: '
      + 'spec.backend -> spec.defaultBackend, backend.serviceName/servicePort -> backend.service.name/port.number, pathType ImplementationSpecific added',
    );
    expect(ingressOf(result, 'a').apiVersion).toBe('extensions/v1beta1');
    expect(ingressOf(result, 'c')).toEqual(V1_INGRESS);
  });

  it('spec.backend beside spec.defaultBackend fails the object at the template', () => {
    const src = {
      ...BASE,
      'ing.yaml': v1beta1Ingress().replace('      rules:\n', '      defaultBackend:\n        service: {name: other, port: {number: 80}}\n      rules:\n'),
    };
    const result = compile(files(src));
    expect(result.failed).toBe(true);
    expect(result.diagnostics.map(where)).toEqual(['error FEDC2001 ing.yaml:9:7']);
    expect(result.diagnostics[0]!.message).toBe(
      'FederatedIngress web: spec has both backend (extensions/v1beta1) and defaultBackend (networking.k8s.io/v1): '
      + 'a networking.k8s.io/v1 API server rejects backend as an unknown field, or drops it',
    );
    expect(result.diagnostics[0]!.hint).toBe('keep only defaultBackend');
    expect(result.clusters.every((c) => c.objects.every((o) => o.kind !== 'Ingress'))).toBe(true);
  });

  it('a quoted numeric servicePort in an override fails the object at that override', () => {
    const src = {
      ...BASE,
      'ing.yaml': v1beta1Ingress(`  overrides:
  - clusterName: b
    clusterOverrides:
    - path: /spec/rules/0/http/paths/0/backend/servicePort
      value: "8443"
`),
    };
    const result = compile(files(src));
    expect(result.failed).toBe(true);
    expect(result.diagnostics.map(where)).toEqual(['error FEDC2001 ing.yaml:28:14']);
    expect(result.diagnostics[0]!.message).toBe(
      'FederatedIngress web (override /spec/rules/0/http/paths/0/backend/servicePort for cluster "b"): '
      + 'servicePort "8443" is a string, so the API server reads it as a port name, and a port name must contain a letter',
    );
    expect(result.diagnostics[0]!.hint).toBe('write the number without quotes: servicePort: 8443');
  });

  it('a v1 FederatedIngress is rendered as written, without a diagnostic', () => {
    const src = {
      ...BASE,
      'ing.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata:
  name: web
  namespace: web
spec:
  template:
    spec:
      defaultBackend:
        service: {name: default, port: {number: 8080}}
      rules:
      - host: web.example.com
        http:
          paths:
          - pathType: ImplementationSpecific
            backend:
              service: {name: web, port: {number: 80}}
  placement:
    clusters: [{name: a}, {name: b}, {name: c}]
`,
    };
    const result = compile(files(src));
    expect(result.diagnostics).toEqual([]);
    expect(ingressOf(result, 'a')).toEqual(V1_INGRESS);
    expect(ingressOf(result, 'a')).toBe(ingressOf(result, 'c'));
  });
});
