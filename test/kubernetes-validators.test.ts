/**
 * scripts/kubernetes-validators.mjs passes the Kubernetes validators' context positionally rather
 * than as ajv's objects. That must change no answer and no error: each kind's validators are built
 * from the package's modules both ways and run on real objects and on random damage done to them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCommonJs } from '../scripts/kubernetes-validators.mjs';
import { KUBERNETES_FORMATS } from '../src/validate/kubernetes-formats.js';
import { ROOT } from './helpers.js';

const RUNS = Number(process.env.FEDC_PROPERTY_RUNS ?? 300);

type Validate = ((data: unknown, ...context: unknown[]) => boolean) & { errors?: unknown[] | null };

/** A loader of the package's validators, as src/validate/builtin-schemas.ts loads the bundle's. */
function validators(positional: boolean): (id: string) => { validate: Validate } {
  const defs = new Map<string, { validate: Validate }>();
  const file = (id: string) => [
    path.join(ROOT, 'node_modules/kubernetes-models/_schemas', `${id}.js`),
    path.join(ROOT, 'node_modules/@kubernetes-models/apimachinery/_schemas', `${id}.js`),
  ].find((f) => existsSync(f))!;
  const load = (id: string) => {
    let d = defs.get(id);
    if (d) return d;
    d = {} as { validate: Validate };
    defs.set(id, d);
    const body = toCommonJs(id, readFileSync(file(id), 'utf8'), { positional });
    new Function('exports', 'load', 'formats', `"use strict";${body}`)(d, load, KUBERNETES_FORMATS);
    return d;
  };
  return load;
}

const KINDS: [id: string, object: Record<string, unknown>][] = [
  ['IoK8sApiAppsV1Deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { a: 'b' } },
    spec: {
      replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [{ name: 'A', value: 'b' }, { name: 'P', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '1Gi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          }],
          volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'web', items: [{ key: 'k', path: 'p' }] } }],
          securityContext: { runAsNonRoot: true, runAsUser: 10001 }, tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
    },
  }],
  ['IoK8sApiCoreV1Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }],
  ['IoK8sApiNetworkingV1Ingress', {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' },
    spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a.example.com'], secretName: 't' }], rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  }],
  ['IoK8sApiBatchV1CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', args: ['date'] }] } } } } } }],
  ['IoK8sApiCoreV1ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: '2026-01-01T00:00:00Z' }, data: { a: 'b' }, binaryData: { b: 'aGk=' } }],
];

const objectContext = validators(false);
const positionalContext = validators(true);

/** Both ways' answer and errors on a value. */
function both(id: string, value: unknown) {
  const a = objectContext(id).validate;
  const b = positionalContext(id).validate;
  const ra = a(value);
  const rb = b(value);
  return [{ valid: ra, errors: a.errors ?? null }, { valid: rb, errors: b.errors ?? null }];
}

/** Every path to a node of the value. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function withValue(root: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node?.[k] as Record<string | number, unknown>;
  if (node === null || typeof node !== 'object') return root; // an earlier edit replaced the way there
  const last = at[at.length - 1]!;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

const damage = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(2 ** 31, -1, 1.5, '1Gi', 'x', '', 'TCP', '2026-13-45T00:00:00Z', 'aGk'),
  fc.string(), fc.array(fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.string())), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('name', 'port', 'value', 'x', 'key', 'type'), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
);

describe('positional validator context (scripts/kubernetes-validators.mjs)', () => {
  it('rewrites every context ajv wrote: none is left as an object', () => {
    const body = toCommonJs('IoK8sApiCoreV1PodSpec',
      readFileSync(path.join(ROOT, 'node_modules/kubernetes-models/_schemas/IoK8sApiCoreV1PodSpec.js'), 'utf8'));
    expect(body).not.toMatch(/parentDataProperty:|\{instancePath="/);
    expect(body).toMatch(/instancePath="",parentData,parentDataProperty,rootData=data\)/);
  });

  it('gives the same answers and errors as ajv\'s context objects, on real objects and random damage', () => {
    for (const [id, object] of KINDS) {
      const [a, b] = both(id, object);
      expect(b, id).toEqual(a);
      expect(a!.valid, `${id} as written is valid`).toBe(true);
      const all = paths(object);
      fc.assert(fc.property(fc.array(fc.tuple(fc.nat(all.length - 1), damage), { minLength: 1, maxLength: 3 }), (edits) => {
        let v: unknown = object;
        for (const [i, value] of edits) v = withValue(v, all[i]!, value);
        const [x, y] = both(id, v);
        expect(y).toEqual(x);
      }), { numRuns: RUNS });
    }
  });

  it('an object\'s metadata, checked with the context validate-rendered.ts passes, errs at the same paths', () => {
    const id = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';
    const obj = { metadata: { name: 1, labels: { a: 2 }, ownerReferences: [{ kind: 'x' }] } };
    const a = objectContext(id).validate;
    const b = positionalContext(id).validate;
    expect(a(obj.metadata, { instancePath: '/metadata', parentData: obj, parentDataProperty: 'metadata', rootData: obj })).toBe(false);
    expect(b(obj.metadata, '/metadata', obj, 'metadata', obj)).toBe(false);
    expect(b.errors).toEqual(a.errors);
    expect((b.errors as { instancePath: string }[]).map((e) => e.instancePath)).toContain('/metadata/name');
  });
});
