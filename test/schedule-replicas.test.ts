import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, type CompileOptions } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { cleanup, clusterYaml, fedc, files, ROOT, tempDir } from './helpers.js';

const cluster = clusterYaml;

const NS = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: web, namespace: web}
spec:
  placement:
    clusterSelector: {}
`;

const deployment = (placement = '{clusterSelector: {}}', overrides = '') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata:
  name: app
  namespace: web
spec:
  template:
    spec:
      replicas: 1
      selector: {matchLabels: {app: app}}
      template:
        metadata: {labels: {app: app}}
        spec: {containers: [{name: app, image: nginx}]}
  placement: ${placement}
${overrides}`;

const rsp = (spec: string) => `apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata:
  name: app
  namespace: web
spec:
${spec}`;

const ABC = [cluster('a', { tier: 'gold' }), cluster('b', { tier: 'gold' }), cluster('c')].join('---\n');

function run(src: Record<string, string>, options: CompileOptions = {}) {
  const result = compile(files(src), options);
  const replicas = Object.fromEntries(
    result.clusters.flatMap((c) => c.objects.filter((o) => o.kind === 'Deployment').map((o) => [c.name, (o.object.spec as any).replicas])),
  );
  return { result, replicas, where: result.diagnostics.map((d: Diagnostic) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col}`) };
}

describe('applying a ReplicaSchedulingPreference', () => {
  it('splits totalReplicas and places the object on every available cluster, including those planned 0', () => {
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment('{clusters: [{name: a}]}'), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 9\n  clusters:\n    a: {weight: 1}\n    b: {weight: 2}\n') });
    expect(r.where).toEqual([]);
    expect(r.replicas).toEqual({ a: 3, b: 6, c: 0 });
    expect(r.result.clusters.find((c) => c.name === 'a')!.objects.find((o) => o.kind === 'Deployment')!.scheduledBy?.file).toBe('rsp.yaml');
  });

  it('clusters named like what every object has (constructor, tostring, hasownproperty) are scheduled as any other', () => {
    const names = ['constructor', 'tostring', 'hasownproperty'];
    const src = { 'c.yaml': names.map((n) => cluster(n)).join('---\n'), 'ns.yaml': NS, 'd.yaml': deployment() };
    expect(run({ ...src, 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 9\n') }).replicas)
      .toEqual({ constructor: 3, tostring: 3, hasownproperty: 3 });
    // without a preference of its own, constructor takes the "*" one
    const r = run({ ...src, 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 9\n  clusters:\n    "*": {minReplicas: 4, weight: 1}\n    tostring: {weight: 1}\n') });
    expect([r.where, r.replicas]).toEqual([[], { constructor: 4, tostring: 1, hasownproperty: 4 }]);
  });

  it('an empty clusters map spreads evenly', () => {
    expect(run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 50\n') }).replicas)
      .toEqual({ a: 16, b: 17, c: 17 }); // the hash with key web/app decides who gets the rounding surplus
  });

  it("wins over the user's replica override (keeping its op) and keeps the other overrides", () => {
    const overrides = `  overrides:
  - clusterName: b
    clusterOverrides:
    - op: add
      path: /spec/replicas
      value: 99
    - path: /metadata/labels
      value: {canary: "true"}
`;
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment('{clusterSelector: {}}', overrides), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 6\n') });
    expect(r.replicas).toEqual({ a: 2, b: 2, c: 2 });
    const b = r.result.clusters.find((c) => c.name === 'b')!.objects.find((o) => o.kind === 'Deployment')!.object as any;
    expect(b.metadata.labels).toEqual({ canary: 'true', 'kubefed.io/managed': 'true' });
  });

  it('leaves out clusters that are not Ready', () => {
    const clusters = [cluster('a'), cluster('b', {}, false), cluster('c')].join('---\n');
    const r = run({ 'c.yaml': clusters, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 10\n') });
    expect(r.replicas).toEqual({ a: 5, c: 5 });
  });

  it('the FederatedNamespace still gates what the scheduler placed', () => {
    const ns = NS.replace('clusterSelector: {}', 'clusters: [{name: a}, {name: c}]');
    const r = run({ 'c.yaml': ABC, 'ns.yaml': ns, 'd.yaml': deployment(), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 9\n') });
    expect(r.replicas).toEqual({ a: 3, c: 3 }); // b's 3 replicas are planned but never propagated, as in KubeFed
    expect(r.where).toEqual(['warning FEDC3108 rsp.yaml:8:18']); // and fedc says so
  });

  it('intersectWithClusterSelector uses only the selectors of the object and its FederatedNamespace', () => {
    const d = deployment('{clusters: [{name: c}], clusterSelector: {matchLabels: {tier: gold}}}');
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': d, 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 8\n  intersectWithClusterSelector: true\n') });
    expect(r.replicas).toEqual({ a: 4, b: 4 });
  });

  it('without rebalance, previous replicas stay where they are; adding a cluster moves none', () => {
    const previous = { a: 16, b: 17, c: 17 } as Record<string, number>;
    const previousReplicas = (c: string, o: { kind: string; namespace: string; name: string }) =>
      o.kind === 'Deployment' && o.namespace === 'web' && o.name === 'app' ? previous[c] : undefined;
    const four = ABC + '---\n' + cluster('d');
    const spec = (rebalance: boolean) => rsp(`  targetKind: FederatedDeployment\n  totalReplicas: 50\n  rebalance: ${rebalance}\n`);
    expect(run({ 'c.yaml': four, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': spec(false) }, { previousReplicas }).replicas).toEqual({ a: 16, b: 17, c: 17, d: 0 });
    expect(run({ 'c.yaml': four, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': spec(true) }, { previousReplicas }).replicas).toEqual({ a: 13, b: 13, c: 13, d: 11 }); // ceil rounds: 13 each, the rest to the last
    // scaling up spreads the new replicas by weight on top of what runs
    const more = rsp('  targetKind: FederatedDeployment\n  totalReplicas: 62\n');
    expect(run({ 'c.yaml': four, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': more }, { previousReplicas }).replicas).toEqual({ a: 16, b: 17, c: 17, d: 12 });
  });
});

describe('ReplicaSchedulingPreference diagnostics', () => {
  it('no target object, with a hint at the other schedulable kind', () => {
    const rs = deployment().replace('FederatedDeployment', 'FederatedReplicaSet');
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': rs, 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 3\n') });
    expect(r.where).toEqual(['warning FEDC3101 rsp.yaml:7:15']);
    expect(r.result.diagnostics[0]!.hint).toBe('did you mean targetKind: FederatedReplicaSet?');
  });

  it('a targetKind KubeFed does not schedule is an error', () => {
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': rsp('  targetKind: FederatedStatefulSet\n  totalReplicas: 3\n') });
    expect(r.where).toEqual(['error FEDC3102 rsp.yaml:7:15']);
    expect(r.result.failed).toBe(true);
  });

  it('unknown clusters, min above max, mins above the total', () => {
    const spec = `  targetKind: FederatedDeployment
  totalReplicas: 20
  clusters:
    a: {minReplicas: 8, maxReplicas: 8, weight: 1}
    b: {minReplicas: 9, maxReplicas: 4}
    c: {minReplicas: 4, maxReplicas: 4}
    zz: {weight: 5}
`;
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': rsp(spec) });
    expect(r.where).toEqual(['warning FEDC3104 rsp.yaml:8:18', 'warning FEDC3105 rsp.yaml:11:22', 'warning FEDC3103 rsp.yaml:13:5']);
    expect(r.result.diagnostics.map((d) => d.message)).toEqual([
      'minReplicas add up to 21 over the available clusters, more than totalReplicas 20; the heaviest clusters get their minimum first',
      'minReplicas 9 is above maxReplicas 4: KubeFed grants the minimum first and applies the maximum only when it adds more, so b may get more than 4',
      'preference for cluster "zz", which is not a declared KubeFedCluster; it is ignored',
    ]);
    // as KubeFed: a (weight 1) takes its minimum first, then c and b (weight 0, in hash order)
    // take theirs from what is left; no round runs after that, so nothing caps b at its max
    expect(r.replicas).toEqual({ a: 8, b: 8, c: 4 });
  });

  it('replicas that cannot all be placed', () => {
    const spec = '  targetKind: FederatedDeployment\n  totalReplicas: 20\n  clusters:\n    a: {maxReplicas: 5, weight: 1}\n    b: {maxReplicas: 5, weight: 1}\n';
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment(), 'rsp.yaml': rsp(spec) });
    expect(r.where).toEqual(['warning FEDC3106 rsp.yaml:8:18']);
    expect(r.result.diagnostics[0]!.message).toBe('only 10 of 20 replicas can be placed: every cluster that may take replicas is at its maxReplicas (or has weight 0)');
    expect(r.replicas).toEqual({ a: 5, b: 5, c: 0 });
  });

  it('intersectWithClusterSelector without a FederatedNamespace schedules nothing', () => {
    const r = run({ 'c.yaml': ABC, 'd.yaml': deployment(), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 3\n  intersectWithClusterSelector: true\n') });
    expect(r.where).toEqual(['warning FEDC3003 d.yaml:5:14', 'warning FEDC3107 rsp.yaml:9:33']);
  });

  it('intersectWithClusterSelector whose selectors select no cluster says so, not that no cluster is Ready', () => {
    // the object is placed by a list: with selectorOnly, KubeFed reads its (absent) selector, which selects none
    const r = run({ 'c.yaml': ABC, 'ns.yaml': NS, 'd.yaml': deployment('{clusters: [{name: a}]}'), 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: 7\n  intersectWithClusterSelector: true\n') });
    expect(r.where).toEqual(['warning FEDC3107 rsp.yaml:9:33']);
    expect(r.result.diagnostics[0]!.message).toBe('with intersectWithClusterSelector, no Ready cluster to schedule web/app on: the clusterSelector of FederatedDeployment app and that of the FederatedNamespace web select none (a placement.clusters list does not count); KubeFed leaves it as it is');
  });

  it('replicas planned to a cluster the FederatedNamespace leaves out run nowhere, and are warned of', () => {
    const gold = NS.replace('clusterSelector: {}', 'clusterSelector: {matchLabels: {tier: gold}}');
    const spec = '  targetKind: FederatedDeployment\n  totalReplicas: 9\n';
    const r = run({ 'c.yaml': ABC, 'ns.yaml': gold, 'd.yaml': deployment(), 'rsp.yaml': rsp(spec) });
    expect(r.where).toEqual(['warning FEDC3108 rsp.yaml:8:18']);
    expect(r.result.diagnostics[0]!.message).toBe('3 replicas of FederatedDeployment web/app are scheduled to cluster c (3), where the FederatedNamespace web does not place it: they run on no cluster');
    expect(r.result.diagnostics[0]!.hint).toBe('place the FederatedNamespace web on that cluster, or keep the preference off it (maxReplicas: 0, or intersectWithClusterSelector with a clusterSelector on both objects)');
    expect(r.replicas).toEqual({ a: 3, b: 3 });
    // a cluster planned 0 loses nothing; nor does one the preference keeps off
    const off = run({ 'c.yaml': ABC, 'ns.yaml': gold, 'd.yaml': deployment(), 'rsp.yaml': rsp(spec + '  clusters:\n    a: {weight: 1}\n    b: {weight: 1}\n') });
    expect(off.where).toEqual([]);
    expect(off.replicas).toEqual({ a: 4, b: 5 });
    // with intersectWithClusterSelector the plan is over the namespace's clusters only
    const inter = run({ 'c.yaml': ABC, 'ns.yaml': gold, 'd.yaml': deployment(), 'rsp.yaml': rsp(spec + '  intersectWithClusterSelector: true\n') });
    expect(inter.where).toEqual([]);
    expect(Object.values(inter.replicas).reduce((a: number, b) => a + (b as number), 0)).toBe(9);
  });

  it('a preference is schema-validated', () => {
    const r = run({ 'c.yaml': ABC, 'rsp.yaml': rsp('  targetKind: FederatedDeployment\n  totalReplicas: -1\n  clusters:\n    a: {wieght: 1}\n') });
    expect(r.where).toEqual(['error FEDC2001 rsp.yaml:8:18', 'error FEDC2001 rsp.yaml:10:9']);
    expect(r.result.diagnostics[1]!.hint).toBe('did you mean "weight"?');
  });
});

describe('stable re-renders through the CLI', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(cleanup));

  it('re-rendering keeps replicas where they are; adding a cluster moves none', () => {
    const dir = tempDir('fedc-rsp-');
    dirs.push(dir);
    cpSync(path.join(ROOT, 'fixtures/seed-002-replica-scheduling/input'), path.join(dir, 'in'), { recursive: true });
    expect(fedc(['render', 'in', '-o', 'out'], dir).code).toBe(0);
    const again = fedc(['render', 'in', '-o', 'out'], dir);
    expect(again.stdout).toContain('out: 0 added, 0 changed, 0 removed, 20 unchanged');
    const clusterFile = path.join(dir, 'in/clusters/cluster-europe-west1-b.yaml');
    writeFileSync(path.join(dir, 'in/clusters/cluster-me-west1-a.yaml'), readFileSync(clusterFile, 'utf8').replaceAll('europe-west1-b', 'me-west1-a').replaceAll('europe-west1', 'me-west1'));
    const added = fedc(['render', 'in', '-o', 'out'], dir);
    expect(added.code).toBe(0);
    const rs = (c: string) => readFileSync(path.join(dir, `out/clusters/${c}/namespaces/k8shserver/replicaset-k8shserver.yaml`), 'utf8').match(/^  replicas: (\d+)$/m)![1];
    expect(['europe-west1-b', 'asia-east1-a', 'us-east1-b', 'us-central1-a', 'australia-southeast1-a'].map((z) => rs(`cluster-${z}`))).toEqual(['200', '200', '200', '200', '200']);
    expect(rs('cluster-me-west1-a')).toBe('0');
    // with rebalance the new cluster gets its share
    const rsFile = path.join(dir, 'in/k8shserver/replicaset-k8shserver.yaml');
    writeFileSync(rsFile, readFileSync(rsFile, 'utf8').replace('  totalReplicas: 1000\n', '  totalReplicas: 1000\n  rebalance: true\n'));
    expect(fedc(['render', 'in', '-o', 'out'], dir).code).toBe(0);
    expect(rs('cluster-me-west1-a')).not.toBe('0');
  });
});
