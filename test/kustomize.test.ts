import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonical, cleanup, clusterYaml, fedc, readTree, ROOT, tempDir } from './helpers.js';

/** kubectl kustomize must build every rendered cluster directory into exactly its objects. */
const FIXTURES = path.join(ROOT, 'fixtures');
const dirs: string[] = [];
for (const name of readdirSync(FIXTURES).sort()) {
  const clusters = path.join(FIXTURES, name, 'expected', 'clusters');
  if (!existsSync(clusters)) continue;
  for (const c of readdirSync(clusters).sort()) dirs.push(path.join(name, 'expected', 'clusters', c));
}

const key = (o: Record<string, any>) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

function objectsOf(yamlText: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of parseAllDocuments(yamlText, { version: '1.1' }) as any[]) {
    const v = d.toJS();
    if (v) out.set(key(v), JSON.stringify(canonical(v)));
  }
  return out;
}

describe('kubectl kustomize on the rendered tree', () => {
  it('has fixtures to check', () => expect(dirs.length).toBeGreaterThanOrEqual(7));

  it.each(dirs)('%s', (dir) => {
    const full = path.join(FIXTURES, dir);
    const r = spawnSync('kubectl', ['kustomize', full], { encoding: 'utf8' });
    expect(r.error, 'kubectl must be installed').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const built = objectsOf(r.stdout);
    const files = readTree(full);
    files.delete('kustomization.yaml');
    const rendered = objectsOf([...files.values()].join('\n---\n'));
    expect([...built.keys()].sort()).toEqual([...rendered.keys()].sort());
    for (const [k, v] of rendered) expect(built.get(k), k).toBe(v);
  });
});

describe('strings Kubernetes would read as something else are written quoted', () => {
  // Go's prefixed integers (go-yaml reads them with strconv base 0) and the merge key `<<`: the
  // YAML 1.1 schema reads them as strings, kubectl and kustomize do not
  const strings = ['0o12', '0O7', '0B1', '0X1f', '+0o12', '-0o12', '0o1_2', '<<', '0x1F', '0b101', '1_000', '0755'];
  it('and kubectl kustomize reads back each string fedc rendered', () => {
    const dir = tempDir('fedc-quote-');
    try {
      cpSync(path.join(FIXTURES, 'seed-000-microbot/input'), path.join(dir, 'in'), { recursive: true });
      const file = path.join(dir, 'in/test-ns/configmap-test-configmap.yaml');
      const data = strings.map((v, i) => `      ${JSON.stringify(v)}: ${JSON.stringify(v)}\n      k${i}: ${JSON.stringify(v)}\n`).join('');
      writeFileSync(file, readFileSync(file, 'utf8').replace('      content: ItSeemsToWork\n', data)
        .replace('  template:\n', '  template:\n    metadata:\n      labels: {a: "0o12", b: "0X0A"}\n'));
      const r = fedc(['render', 'in', '-o', 'out'], dir);
      expect(r.code, r.stderr).toBe(0);
      const cm = readFileSync(path.join(dir, 'out/clusters/aws/namespaces/test-ns/configmap-test-configmap.yaml'), 'utf8');
      for (const v of ['0o12', '0X1f', '<<']) expect(cm).toContain(`"${v}": "${v}"\n`);
      const k = spawnSync('kubectl', ['kustomize', path.join(dir, 'out/clusters/aws')], { encoding: 'utf8' });
      expect(k.stderr).toBe('');
      expect(k.status).toBe(0);
      const built = parseAllDocuments(k.stdout, { version: '1.1' }).map((d) => d.toJS() as Record<string, any>).find((o) => o.kind === 'ConfigMap')!;
      // kustomize (kyaml) drops a `<<` key even quoted, where kubectl apply (go-yaml v2) keeps it
      expect(built.data).toEqual(Object.fromEntries(strings.flatMap((v, i) => [...(v === '<<' ? [] : [[v, v]]), [`k${i}`, v]])));
      expect(built.metadata.labels).toMatchObject({ a: '0o12', b: '0X0A' });
    } finally {
      cleanup(dir);
    }
  });
});

describe("the apply order is kustomize's", () => {
  const ftc = (kind: string, group: string, plural: string) => `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: ${plural}${group ? `.${group}` : ''}, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: Federated${kind}, pluralName: federated${plural}, scope: Namespaced, version: v1beta1}
  propagation: Enabled
  targetType: {${group ? `group: ${group}, ` : ''}kind: ${kind}, pluralName: ${plural}, scope: Namespaced, version: v1}
`;
  const federated = (kind: string, name: string, namespace: string, template: string) => `apiVersion: types.kubefed.io/v1beta1
kind: Federated${kind}
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  template: ${template}
  placement: {clusterSelector: {}}
`;
  const namespace = (name: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: ${name}, namespace: ${name}}
spec:
  placement: {clusterSelector: {}}
`;

  it('core kinds outside its list after grouped ones, namespaces compared as "namespace|name": fedc lists objects as kubectl kustomize builds them', () => {
    const dir = tempDir('fedc-order-');
    try {
      const pod = '{spec: {containers: [{name: c, image: nginx}]}}';
      const files: Record<string, string> = {
        'clusters.yaml': clusterYaml('a'),
        'types.yaml': [ftc('Pod', '', 'pods'), ftc('Schedule', 'velero.io', 'schedules'), ftc('Widget', 'apps2.x', 'widgets')].join('---\n'),
        'namespaces.yaml': [namespace('team'), namespace('team-a')].join('---\n'),
        'objects.yaml': [
          federated('ConfigMap', 'z', 'team', '{data: {k: v}}'),
          federated('ConfigMap', 'a', 'team-a', '{data: {k: v}}'),
          federated('Pod', 'p', 'team', pod),
          federated('Pod', 'p', 'team-a', pod),
          federated('Job', 'j', 'team', `{spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: nginx}]}}}}`),
          federated('Schedule', 's', 'team', '{spec: {schedule: "@daily"}}'),
          federated('Widget', 'w', 'team', '{spec: {}}'),
        ].join('---\n'),
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(path.join(dir, 'in'), { recursive: true });
        writeFileSync(path.join(dir, 'in', f), text);
      }
      expect(fedc(['render', 'in', '-o', 'objects'], dir).code).toBe(0);
      expect(fedc(['render', 'in', '-o', 'manifest', '--layout', 'manifest'], dir).code).toBe(0);
      const ids = (text: string) => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as Record<string, any>).filter(Boolean).map(key);
      const k = spawnSync('kubectl', ['kustomize', path.join(dir, 'objects/clusters/a')], { encoding: 'utf8' });
      expect([k.status, k.stderr]).toEqual([0, '']);
      const built = ids(k.stdout);
      expect(built).toEqual([
        'Namespace//team', 'Namespace//team-a', 'ConfigMap/team-a/a', 'ConfigMap/team/z',
        'Widget/team/w', 'Job/team/j', 'Schedule/team/s', 'Pod/team-a/p', 'Pod/team/p',
      ]);
      expect(ids(readFileSync(path.join(dir, 'manifest/clusters/a/manifest.yaml'), 'utf8'))).toEqual(built);
      const listed = (readFileSync(path.join(dir, 'objects/clusters/a/kustomization.yaml'), 'utf8').match(/^- .*$/gm) ?? []).map((l) => l.slice(2));
      expect(listed.map((f) => ids(readFileSync(path.join(dir, 'objects/clusters/a', f), 'utf8'))[0])).toEqual(built);
    } finally {
      cleanup(dir);
    }
  });
});
