import { describe, expect, it } from 'vitest';
import { compile } from '../src/compile.js';
import { compileSelector } from '../src/plan/label-selector.js';
import { clusterYaml, files } from './helpers.js';

const cluster = clusterYaml;

const CLUSTERS = cluster('a', { env: 'prod', region: 'eu' }) + '---\n' + cluster('b', { env: 'dev', region: 'eu' }) + '---\n' + cluster('c', { env: 'prod' });

/** Which clusters get a ClusterRole (cluster-scoped: no namespace gate) with this placement. */
function placedOn(placement: string): string[] {
  const r = compile(files({
    'clusters.yaml': CLUSTERS,
    'role.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedClusterRole
metadata: {name: reader}
spec:
  template: {rules: []}
  ${placement}
`,
  }));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.clusters.filter((c) => c.objects.length > 0).map((c) => c.name);
}

describe('placement (KubeFed TestSelectedClusterNames)', () => {
  it('no clusters and no selector: no cluster', () => {
    expect(placedOn('placement: {}')).toEqual([]);
    expect(placedOn('placement: {clusters: null, clusterSelector: null}')).toEqual([]);
  });
  it('an empty selector selects every cluster', () => {
    expect(placedOn('placement: {clusterSelector: {}}')).toEqual(['a', 'b', 'c']);
    expect(placedOn('placement: {clusterSelector: {matchLabels: {}}}')).toEqual(['a', 'b', 'c']);
  });
  it('a clusters list wins over the selector, even when empty', () => {
    expect(placedOn('placement: {clusters: [{name: b}], clusterSelector: {matchLabels: {env: prod}}}')).toEqual(['b']);
    expect(placedOn('placement: {clusters: [], clusterSelector: {}}')).toEqual([]);
  });
  it('unknown names are dropped and duplicates collapse', () => {
    expect(placedOn('placement: {clusters: [{name: c}, {name: zz}, {name: c}]}')).toEqual(['c']);
  });
  it('matchLabels and matchExpressions are ANDed', () => {
    expect(placedOn('placement: {clusterSelector: {matchLabels: {env: prod}}}')).toEqual(['a', 'c']);
    expect(placedOn('placement: {clusterSelector: {matchLabels: {env: prod}, matchExpressions: [{key: region, operator: Exists}]}}')).toEqual(['a']);
    expect(placedOn('placement: {clusterSelector: {matchExpressions: [{key: region, operator: NotIn, values: [eu]}]}}')).toEqual(['c']);
    expect(placedOn('placement: {clusterSelector: {matchExpressions: [{key: region, operator: DoesNotExist}]}}')).toEqual(['c']);
    expect(placedOn('placement: {clusterSelector: {matchExpressions: [{key: env, operator: In, values: [dev, qa]}]}}')).toEqual(['b']);
  });
});

describe('compileSelector', () => {
  it('nil selects nothing, empty selects everything', () => {
    expect(compileSelector(null).matcher({ a: 'b' })).toBe(false);
    expect(compileSelector({}).matcher({})).toBe(true);
  });
  it('does not match inherited object properties', () => {
    expect(compileSelector({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }).matcher({})).toBe(false);
    expect(compileSelector({ matchLabels: { toString: 'x' } }).matcher({})).toBe(false);
  });
  it('reports invalid operators and value counts', () => {
    const { problems } = compileSelector({
      matchExpressions: [
        { key: 'a', operator: 'in', values: ['x'] },
        { key: 'a', operator: 'In', values: [] },
        { key: 'a', operator: 'Exists', values: ['x'] },
      ],
    });
    expect(problems.map((p) => p.path.join('.'))).toEqual(['matchExpressions.0.operator', 'matchExpressions.1.values', 'matchExpressions.2.values']);
  });
});

describe('namespace gate (ComputeNamespacedPlacement)', () => {
  const ns = (placement: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: team, namespace: team}
spec:
  placement: ${placement}
`;
  const cm = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cfg, namespace: team}
spec:
  template: {data: {k: v}}
  placement: {clusterSelector: {}}
`;
  const where = (r: ReturnType<typeof compile>, kind: string) =>
    r.clusters.filter((c) => c.objects.some((o) => o.kind === kind)).map((c) => c.name);

  it('a namespaced object goes only where its FederatedNamespace is placed', () => {
    const r = compile(files({ 'c.yaml': CLUSTERS, 'ns.yaml': ns('{clusters: [{name: a}, {name: b}]}'), 'cm.yaml': cm }));
    expect(where(r, 'ConfigMap')).toEqual(['a', 'b']);
    expect(where(r, 'Namespace')).toEqual(['a', 'b']);
  });

  it('without a FederatedNamespace it goes nowhere, with a warning', () => {
    const r = compile(files({ 'c.yaml': CLUSTERS, 'cm.yaml': cm }));
    expect(where(r, 'ConfigMap')).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.col])).toEqual([['FEDC3003', 'warning', 3, 34]]);
  });

  it('system namespaces are never propagated but still gate', () => {
    const sys = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: default, namespace: default}
spec: {placement: {clusters: [{name: c}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cfg, namespace: default}
spec: {template: {}, placement: {clusterSelector: {}}}
`;
    const r = compile(files({ 'c.yaml': CLUSTERS, 'sys.yaml': sys }));
    expect(where(r, 'Namespace')).toEqual([]);
    expect(where(r, 'ConfigMap')).toEqual(['c']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['FEDC3005']);
  });
});
