/**
 * What KubeFed users keep in git beside their federated objects, through the pure core: each case
 * pins the exact code, severity, file, line and column, and what renders. The fixture
 * fixtures/real-world-mix holds all of it at once, with golden output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompileOptions } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { cleanup, clusterYaml, fedc, files, tempDir } from './helpers.js';

type Src = Record<string, string>;

const where = (d: Diagnostic) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col}`;
const run = (src: Src, options: CompileOptions = {}) => compile(files(src), options);
const textAt = (src: Src, d: Diagnostic) => src[d.file]!.split('\n')[d.line - 1]!.slice(d.col - 1);
const objectsOf = (r: ReturnType<typeof run>) => Object.fromEntries(r.clusters.map((c) => [c.name, c.objects.map((o) => `${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}`)]));

const CLUSTERS: Src = {
  'clusters.yaml': clusterYaml('aws', { cloud: 'aws' }) + '---\n' + clusterYaml('gke', { cloud: 'gcp' }),
};
const NS = (ns: string, namespace: string | null = ns) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: ${ns}
${namespace === null ? '' : `  namespace: ${namespace}\n`}spec:
  placement:
    clusterSelector: {}
`;
const CONFIGMAP = (name: string, namespace: string | null, placement = '    clusterSelector: {}\n', group = 'types.kubefed.io') => `apiVersion: ${group}/v1beta1
kind: FederatedConfigMap
metadata:
  name: ${name}
${namespace === null ? '' : `  namespace: ${namespace}\n`}spec:
  template:
    data:
      k: v
  placement:
${placement}`;

describe('List documents', () => {
  it('are expanded into their items, each rendered, each diagnosed at its own position', () => {
    const src: Src = {
      'clusters.yaml': `apiVersion: v1
kind: List
items:
- ${clusterYaml('aws', { cloud: 'aws' }).trimEnd().replace(/\n/g, '\n  ')}
- ${clusterYaml('Bad_Name').trimEnd().replace(/\n/g, '\n  ')}
`,
      'ns.yaml': NS('web'),
      'cms.yaml': `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMapList
items:
- ${CONFIGMAP('one', 'web').trimEnd().replace(/\n/g, '\n  ')}
- ${CONFIGMAP('two', 'web', '    clusters: aws\n').trimEnd().replace(/\n/g, '\n  ')}
- just a string
`,
    };
    const r = run(src);
    expect(r.diagnostics.map((d) => `${where(d)} ${d.path ?? ''}`)).toEqual([
      'error FEDC2003 clusters.yaml:16:11 items[1].metadata.name',
      'error FEDC2001 cms.yaml:25:17 items[1].spec.placement.clusters',
      'error FEDC1005 cms.yaml:26:3 items[2]',
    ]);
    expect(textAt(src, r.diagnostics[0]!)).toBe('Bad_Name');
    expect(textAt(src, r.diagnostics[1]!)).toBe('aws');
    expect(r.diagnostics[2]!.message).toBe('this List item is a string ("just a string"), not a Kubernetes object');
    expect(objectsOf(run({ ...src, 'cms.yaml': src['cms.yaml']!.split('\n- ').slice(0, 2).join('\n- ') + '\n', 'clusters.yaml': src['clusters.yaml']!.split('\n- ').slice(0, 2).join('\n- ') + '\n' }))).toEqual({
      aws: ['Namespace/web', 'ConfigMap/web/one'],
    });
  });

  it('plain objects inside a List are warned about one by one', () => {
    const src: Src = {
      ...CLUSTERS,
      'get.yaml': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a, namespace: web}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b, namespace: web}\n',
    };
    expect(run(src).diagnostics.map(where)).toEqual(['warning FEDC2009 get.yaml:5:9', 'warning FEDC2009 get.yaml:8:9']);
  });

  it('a List with no items (kubectl get of nothing: items null, or none) is an empty list', () => {
    for (const items of ['items: null\n', 'items: []\n', '']) {
      expect(run({ ...CLUSTERS, 'get.yaml': `apiVersion: v1\nkind: List\nmetadata: {resourceVersion: ""}\n${items}` }).diagnostics, items).toEqual([]);
    }
  });
});

describe('a default namespace (fedc.yaml defaultNamespace)', () => {
  it('without it, a namespaced object without a namespace is an error whose hint names the setting', () => {
    const src: Src = { ...CLUSTERS, 'ns.yaml': NS('web'), 'cm.yaml': CONFIGMAP('cfg', null) };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['error FEDC2001 cm.yaml:3:1']);
    expect(r.diagnostics[0]!.message).toBe('FederatedConfigMap cfg is namespaced but has no metadata.namespace');
    expect(r.diagnostics[0]!.hint).toBe('add metadata.namespace, or set defaultNamespace in fedc.yaml (the namespace `kubectl apply -n` would have given it)');
  });

  it('with it, such objects (the FederatedNamespace too) get that namespace, as `kubectl apply -n` gives them', () => {
    const r = run({ ...CLUSTERS, 'ns.yaml': NS('web', null), 'cm.yaml': CONFIGMAP('cfg', null), 'other.yaml': CONFIGMAP('kept', 'web') }, { defaultNamespace: 'web' });
    expect(r.diagnostics).toEqual([]);
    expect(objectsOf(r)).toEqual({ aws: ['Namespace/web', 'ConfigMap/web/cfg', 'ConfigMap/web/kept'], gke: ['Namespace/web', 'ConfigMap/web/cfg', 'ConfigMap/web/kept'] });
  });
});

describe('older KubeFed API groups', () => {
  it('KubeFed v0.1 groups are read as today\'s, with one warning per file', () => {
    const v01 = (s: string) => s.replace(/kubefed\.io\//g, 'kubefed.k8s.io/');
    const src: Src = {
      'clusters.yaml': v01(CLUSTERS['clusters.yaml']!),
      'ns.yaml': v01(NS('web')),
      'cms.yaml': v01(CONFIGMAP('a', 'web')) + '---\n' + v01(CONFIGMAP('b', 'web')),
    };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['warning FEDC2010 clusters.yaml:1:13', 'warning FEDC2010 cms.yaml:1:13', 'warning FEDC2010 ns.yaml:1:13']);
    expect(r.diagnostics[1]!.message).toBe("cms.yaml uses KubeFed v0.1's API group types.kubefed.k8s.io; read as types.kubefed.io, as KubeFed v0.2 renamed them");
    expect(objectsOf(r)).toEqual({ aws: ['Namespace/web', 'ConfigMap/web/a', 'ConfigMap/web/b'], gke: ['Namespace/web', 'ConfigMap/web/a', 'ConfigMap/web/b'] });
  });

  it('a v0.1 FederatedTypeConfig names its federated group in the old form too', () => {
    const ftc = `apiVersion: core.kubefed.k8s.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: widgets.example.com, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.k8s.io, kind: FederatedWidget, pluralName: federatedwidgets, scope: Namespaced, version: v1beta1}
  targetType: {group: example.com, kind: Widget, pluralName: widgets, scope: Namespaced, version: v1}
  propagation: Enabled
`;
    const widget = CONFIGMAP('w', 'web').replace('FederatedConfigMap', 'FederatedWidget').replace('types.kubefed.io', 'types.kubefed.k8s.io');
    const r = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'ftc.yaml': ftc, 'w.yaml': widget });
    // No CustomResourceDefinition gives Widget a schema: one info at the type's target (FEDC7005).
    expect(r.diagnostics.map((d) => d.code)).toEqual(['FEDC2010', 'FEDC7005', 'FEDC2010']);
    expect(r.clusters[0]!.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['v1 Namespace', 'example.com/v1 Widget']);
  });

  it('a FederatedTypeConfig without targetType.group takes it from its name, as KubeFed defaults it', () => {
    const ftc = (group: string) => `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: widgets.shop.example.com, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedWidget, pluralName: federatedwidgets, scope: Namespaced, version: v1beta1}
  targetType: {${group}kind: Widget, pluralName: widgets, scope: Namespaced, version: v1}
  propagation: Enabled
`;
    const widget = CONFIGMAP('w', 'web').replace('FederatedConfigMap', 'FederatedWidget');
    for (const group of ['', 'group: "", ', 'group: shop.example.com, ']) {
      const r = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'ftc.yaml': ftc(group), 'w.yaml': widget });
      expect(r.diagnostics.map((d) => d.code), group).toEqual(['FEDC7005']); // no CRD: not checked, but propagated
      expect(r.clusters[0]!.objects.map((o) => `${o.apiVersion} ${o.kind}`), group).toEqual(['v1 Namespace', 'shop.example.com/v1 Widget']);
    }
  });

  it('federation v2 alpha objects get one error per file naming the release and what replaced them', () => {
    const alpha = `apiVersion: types.federation.k8s.io/v1alpha1
kind: FederatedDeploymentPlacement
metadata: {name: web, namespace: web}
spec:
  clusterNames: [aws]
---
apiVersion: types.federation.k8s.io/v1alpha1
kind: FederatedDeploymentOverride
metadata: {name: web, namespace: web}
`;
    const r = run({ ...CLUSTERS, 'alpha.yaml': alpha });
    expect(r.diagnostics.map(where)).toEqual(['error FEDC2011 alpha.yaml:1:13']);
    expect(r.diagnostics[0]!.message).toBe("alpha.yaml is written for federation v2's alpha (types.federation.k8s.io/v1alpha1, 2018), before KubeFed v0.1; fedc reads KubeFed v0.1 and later");
    expect(r.diagnostics[0]!.hint).toContain('placement.clusterNames became placement.clusters[].name');
    expect(r.failed).toBe(true);
  });
});

describe("KubeFed's configuration", () => {
  const config = (scope: string, namespace = 'kube-federation-system') => `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedConfig
metadata:
  name: kubefed
  namespace: ${namespace}
spec:
  scope: ${scope}
`;

  it('scope: Namespaced federates the KubeFed namespace only, and needs no FederatedNamespace there', () => {
    const role = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedClusterRole
metadata:
  name: reader
spec:
  template:
    rules: []
  placement:
    clusterSelector: {}
`;
    const src: Src = {
      ...CLUSTERS,
      'config.yaml': config('Namespaced'),
      'own.yaml': CONFIGMAP('own', 'kube-federation-system', '    clusters:\n    - name: gke\n'),
      'ns.yaml': NS('web'),
      'elsewhere.yaml': CONFIGMAP('elsewhere', 'web'),
      'role.yaml': role,
    };
    const r = run(src);
    expect(r.diagnostics.map(where)).toEqual(['warning FEDC2012 elsewhere.yaml:5:14', 'warning FEDC2012 ns.yaml:5:14', 'warning FEDC2012 role.yaml:2:7']);
    expect(r.diagnostics[0]!.message).toBe("FederatedConfigMap elsewhere is in namespace web; KubeFed's namespace-scoped control plane (KubeFedConfig scope: Namespaced) watches only kube-federation-system, so it is propagated to no cluster");
    expect(r.diagnostics[0]!.hint).toBe('move it to namespace kube-federation-system, or make the control plane cluster-scoped (KubeFedConfig spec.scope: Cluster)');
    // a cluster-scoped object cannot move into a namespace
    expect(r.diagnostics[2]!.hint).toBe('make the control plane cluster-scoped (KubeFedConfig spec.scope: Cluster)');
    expect(objectsOf(r)).toEqual({ aws: [], gke: ['ConfigMap/kube-federation-system/own'] });
    // the default, and scope: Cluster, need the FederatedNamespace
    const cluster = run({ ...src, 'config.yaml': config('Cluster') });
    expect(cluster.diagnostics.map((d) => d.code)).toEqual(['FEDC3003']);
  });

  it("scope: Namespaced: intersectWithClusterSelector still needs the FederatedNamespace, as KubeFed's scheduler reads it first", () => {
    const deployment = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedDeployment
metadata: {name: web, namespace: kube-federation-system}
spec:
  template:
    spec:
      replicas: 3
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
  placement:
    clusters: [{name: aws}]
    clusterSelector: {}
`;
    const rsp = `apiVersion: scheduling.kubefed.io/v1alpha1
kind: ReplicaSchedulingPreference
metadata: {name: web, namespace: kube-federation-system}
spec: {targetKind: FederatedDeployment, totalReplicas: 10, intersectWithClusterSelector: true}
`;
    const r = run({ ...CLUSTERS, 'config.yaml': config('Namespaced'), 'd.yaml': deployment, 'rsp.yaml': rsp });
    expect(r.diagnostics.map(where)).toEqual(['warning FEDC3107 rsp.yaml:4:90']);
    expect(r.diagnostics[0]!.message).toBe('intersectWithClusterSelector needs the FederatedNamespace of kube-federation-system, and there is none; KubeFed schedules nothing');
    // left as written: the object's own placement and replicas
    expect(objectsOf(r)).toEqual({ aws: ['Deployment/kube-federation-system/web'], gke: [] });
    const replicas = r.clusters.find((c) => c.name === 'aws')!.objects[0]!.object.spec as { replicas: number };
    expect(replicas.replicas).toBe(3);
  });

  it('a KubeFedConfig is schema-checked, and one outside the KubeFed namespace is ignored', () => {
    const bad = run({ ...CLUSTERS, 'config.yaml': config('Global') });
    expect(bad.diagnostics.map(where)).toEqual(['error FEDC2001 config.yaml:7:10']);
    expect(bad.diagnostics[0]!.message).toBe('KubeFedConfig kubefed: spec.scope must be one of "Cluster", "Namespaced", not "Global"');
    const away = run({ ...CLUSTERS, 'config.yaml': config('Namespaced', 'kubefed') });
    expect(away.diagnostics.map(where)).toEqual(['warning FEDC2007 config.yaml:5:14']);
  });

  const directive = (name: string, spec = '') => `apiVersion: core.kubefed.io/v1beta1
kind: EnableTypeDirective
metadata:
  name: ${name}
${spec}`;

  it('an EnableTypeDirective is read as the FederatedTypeConfig kubefedctl enable generates', () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
  scope: Namespaced
  versions:
  - {name: v1beta1, served: true, storage: false}
  - {name: v1, served: true, storage: true}
`;
    const widget = CONFIGMAP('w', 'web').replace('FederatedConfigMap', 'FederatedWidget');
    const r = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'crd.yaml': crd, 'enable.yaml': directive('wd'), 'w.yaml': widget });
    // The CRD gives no schema, so Widgets are not checked: one info (FEDC7005) at the directive.
    expect(r.diagnostics.map(where)).toEqual(['info FEDC7005 enable.yaml:4:9']);
    expect(r.clusters[0]!.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['v1 Namespace', 'example.com/v1 Widget']);
    const pinned = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'crd.yaml': crd, 'enable.yaml': directive('widgets.example.com', 'spec:\n  targetVersion: v1beta1\n'), 'w.yaml': widget });
    expect(pinned.clusters[0]!.objects.map((o) => o.apiVersion)).toEqual(['v1', 'example.com/v1beta1']);
  });

  it('a directive for a built-in type replaces fedc\'s built-in, and one nothing matches is an error', () => {
    const r = run({ ...CLUSTERS, 'enable.yaml': directive('deploy') });
    expect(r.diagnostics.map(where)).toEqual(['info FEDC2008 enable.yaml:4:9']);
    expect(r.diagnostics[0]!.message).toBe("this EnableTypeDirective replaces fedc's built-in FederatedDeployment");
    const none = run({ ...CLUSTERS, 'enable.yaml': directive('gizmos') });
    expect(none.diagnostics.map(where)).toEqual(['error FEDC2013 enable.yaml:4:9']);
    expect(none.diagnostics[0]!.message).toBe("EnableTypeDirective gizmos: no such resource type among Kubernetes' built-in types and the repo's CustomResourceDefinitions");
  });
});

describe('cluster names', () => {
  it('that are invalid are quoted with control characters escaped, never printed raw', () => {
    const r = run({ 'c.yaml': clusterYaml('x').replace('name: x', 'name: "a\\0b\\x1b[31m"') });
    expect(r.diagnostics.map(where)).toEqual(['error FEDC2003 c.yaml:4:9']);
    expect(r.diagnostics[0]!.message.startsWith('cluster name "a\\u0000b\\u001b[31m" must be')).toBe(true);
    expect(r.diagnostics[0]!.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('may be DNS-1123 subdomains, as Kubernetes and KubeFed allow', () => {
    const r = run({ 'c.yaml': clusterYaml('eks.us-east-1'), 'ns.yaml': NS('web'), 'cm.yaml': CONFIGMAP('cfg', 'web') });
    expect(r.diagnostics).toEqual([]);
    expect(objectsOf(r)).toEqual({ 'eks.us-east-1': ['Namespace/web', 'ConfigMap/web/cfg'] });
  });
});

describe('all independent problems in one run', () => {
  it('a schema error does not hide a wrong apiVersion or a bad override path in the same document, nor errors elsewhere', () => {
    const doc = `apiVersion: types.kubefed.io/v1alpha1
kind: FederatedConfigMap
metadata:
  name: cfg
  namespace: web
spec:
  template: {data: {k: v}}
  placement:
    clusters: aws
  overrides:
  - clusterName: aws
    clusterOverrides:
    - path: spec.replicas
      value: 1
`;
    const src: Src = { ...CLUSTERS, 'ns.yaml': NS('web'), 'a.yaml': doc, 'b.yaml': CONFIGMAP('other', 'web', '    clusterSelector:\n      matchLabels: {cloud: [aws]}\n') };
    const r = run(src);
    expect(textAt(src, r.diagnostics.at(-1)!)).toBe('[aws]}');
    expect(r.diagnostics.map((d) => `${where(d)} ${d.path}`)).toEqual([
      'error FEDC2001 a.yaml:1:13 apiVersion',
      'error FEDC2001 a.yaml:9:15 spec.placement.clusters',
      'error FEDC4001 a.yaml:13:13 spec.overrides[0].clusterOverrides[0].path',
      'error FEDC2001 b.yaml:12:28 spec.placement.clusterSelector.matchLabels.cloud',
    ]);
  });

  it('an add below a list that does not exist suggests adding the list', () => {
    const src: Src = {
      ...CLUSTERS,
      'ns.yaml': NS('web'),
      'a.yaml': CONFIGMAP('cfg', 'web') + '  overrides:\n  - clusterName: aws\n    clusterOverrides:\n    - op: add\n      path: /data/list/0\n      value: x\n',
    };
    const d = run(src).diagnostics[0]!;
    expect(where(d)).toBe('error FEDC4005 a.yaml:16:13');
    expect(textAt(src, d)).toBe('/data/list/0');
    expect(d.hint).toBe('add the whole list instead: {op: add, path: /data/list, value: [...]}');
  });
});

describe('Helm templates and other templated YAML', () => {
  it('a null map key (null:, ~:, an empty key) is FEDC1012: Kubernetes reads YAML as JSON and refuses it; a quoted "null" is a name', () => {
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\n${data}\n`;
    for (const [data, at] of [['data: {null: "f"}', 'n.yaml:4:8'], ['data:\n  ~: f', 'n.yaml:5:3'], ['data:\n  Null: f', 'n.yaml:5:3'], ['data:\n  : f', 'n.yaml:5:3']] as const) {
      const r = run({ ...CLUSTERS, 'n.yaml': cm(data) });
      expect([data, r.diagnostics.map(where)]).toEqual([data, [`error FEDC1012 ${at}`]]);
    }
    expect(run({ ...CLUSTERS, 'n.yaml': cm('data:\n  "null": f') }).diagnostics.filter((d) => d.code === 'FEDC1012')).toEqual([]);
  });

  it('a file YAML refuses is a template only when it parses without its actions: {{ }} as data beside a real mistake is that mistake (FEDC1001)', () => {
    const alert = (extra: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: alerts, namespace: web}
spec:
  template:
    data:
      summary: "Instance {{ $labels.instance }} down"
${extra}  placement: {clusters: [{name: aws}]}
`;
    const dup = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'a.yaml': alert('      summary: "dup key"\n') });
    expect(dup.diagnostics.filter((d) => d.severity === 'error').map((d) => `${where(d)} ${d.message}`)).toEqual([expect.stringMatching(/^error FEDC1001 a\.yaml:8:7 /)]);
    const comment = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'c.yaml': '# owner: {{ .Values.owner }}\na: b: c\n' });
    expect(comment.diagnostics.map(where)).toEqual([expect.stringMatching(/^error FEDC1001 c\.yaml:2:/)]);
    const block = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  slack.tmpl: |\n    {{ define "slack.text" }}x{{ end }}\n   bad: indentation\n' });
    expect(block.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['FEDC1001']);
    // the same data without the mistake is read, templates and all
    const fine = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'a.yaml': alert('') });
    expect([fine.failed, fine.diagnostics.filter((d) => d.code === 'FEDC1010')]).toEqual([false, []]);
    // a real template with control structures on their own lines still is one
    const tpl = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\ndata:\n  {{- if .Values.debug }}\n  debug: "true"\n  {{- end }}\n  a: {{ .Values.a | quote }}\n';
    expect(run({ ...CLUSTERS, 't.yaml': tpl }).diagnostics.map(where)).toEqual(['warning FEDC1010 t.yaml:4:9']);
  });

  it('a Go template outside a chart is skipped with one warning at its first action; a map key that is a map otherwise is an error', () => {
    const tpl = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {{ .Release.Namespace }}\n';
    const r = run({ ...CLUSTERS, 'tpl.yaml': tpl });
    expect(r.diagnostics.map(where)).toEqual(['warning FEDC1010 tpl.yaml:5:14']);
    expect(r.diagnostics[0]!.message).toBe('tpl.yaml is a Go template (a Helm template?), not YAML that Kubernetes reads; it is skipped');
    const key = run({ ...CLUSTERS, 'k.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? [a, b]\n  : c\n' });
    expect(key.diagnostics.map(where)).toEqual(['error FEDC1012 k.yaml:6:5']);
  });

  it('template text inside a string value is data, not a template', () => {
    const alerts = CONFIGMAP('alerts', 'web').replace('      k: v\n', '      k: v\n      template.tmpl: |\n        {{ range .Alerts }}{{ .Labels.alertname }}\n        {{ end }}\n');
    const r = run({ ...CLUSTERS, 'ns.yaml': NS('web'), 'alerts.yaml': alerts });
    expect(r.diagnostics).toEqual([]);
    expect((r.clusters[0]!.objects[1]!.object.data as Record<string, string>)['template.tmpl']).toBe('{{ range .Alerts }}{{ .Labels.alertname }}\n{{ end }}\n');
  });

  it('no raw runtime warning reaches stderr, and JSON manifests are read like YAML', () => {
    const dir = tempDir('fedc-real-');
    try {
      const write = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      };
      write('clusters.yaml', CLUSTERS['clusters.yaml']!);
      write('ns.json', JSON.stringify({ apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedNamespace', metadata: { name: 'web', namespace: 'web' }, spec: { placement: { clusterSelector: {} } } }, null, 2));
      write('chart/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n  labels: {{ toYaml .Values.labels | nindent 4 }}\n');
      const r = fedc(['render', dir, '--stdout', '--cluster', 'aws']);
      expect(r.stderr).toBe(`${dir}/chart/templates/cm.yaml:4:9 - warning FEDC1010: chart/templates/cm.yaml is a Go template (a Helm template?), not YAML that Kubernetes reads; it is skipped\n`
        + '  hint: fedc does not run Helm: render the chart with `helm template` into federated objects, or exclude it in fedc.yaml (exclude: ["chart/templates/cm.yaml"])\n0 errors, 1 warning\n');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('kind: Namespace\nmetadata:\n  name: web\n');
    } finally {
      cleanup(dir);
    }
  });
});
