#!/usr/bin/env node
// floors.mjs: what fedc's benchmark measures fedc against. Each floor is the least work a
// renderer of the same output could do; `npm run bench` times them in the same run as fedc.
//
//   node bench/floors.mjs yaml REPO OUT [--layout files|stream]
//       A minimal JS renderer: parse every input file with `yaml` (YAML 1.1, as fedc and Kubernetes
//       read it), place each federated object (clusters list, else clusterSelector with matchLabels
//       and matchExpressions, then the FederatedNamespace gate), turn its template into the object,
//       and stringify every placed document with `yaml`, once per cluster it lands on, with the
//       options fedc prints with; write one file per object (files, as fedc's default layout) or
//       one manifest.yaml per cluster (stream). Nothing else: no schemas, no diagnostics, no
//       positions, no overrides (they change about 3% of the placed copies), no sharing of equal
//       documents, no check of what is already on disk.
//   node bench/floors.mjs yaml REPO --stdout --cluster NAME
//       The same for one cluster, printed as one stream: the floor of `fedc render --stdout`.
//   node bench/floors.mjs hash REPO [DIGESTS]
//       Read every input file and sha256 it; with DIGESTS, compare with the digests stored there by
//       the previous run and store the new ones: the floor of a run that finds nothing changed.
//
// The third floor, writing the files of a rendered tree, is `cp -R` of one (run by the bench).
// Input files are those fedc reads in the workload: every *.yaml/*.yml under the directories that
// REPO/fedc.yaml includes as `dir/**` (the whole repo without a fedc.yaml). Depends on `yaml` only.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse, stringify } from 'yaml';

function usage(message) {
  console.error(`floors: ${message}
usage: node bench/floors.mjs yaml REPO OUT [--layout files|stream]
       node bench/floors.mjs yaml REPO --stdout --cluster NAME
       node bench/floors.mjs hash REPO [DIGESTS]`);
  process.exit(2);
}

/** Input files of the repo, relative paths, sorted. */
function inputFiles(repo) {
  let roots = [''];
  const settings = path.join(repo, 'fedc.yaml');
  if (fs.existsSync(settings)) {
    const include = parse(fs.readFileSync(settings, 'utf8'))?.include;
    if (Array.isArray(include)) {
      roots = include.map((g) => {
        if (!g.endsWith('/**') || /[*?[{]/.test(g.slice(0, -3))) usage(`fedc.yaml include ${g}: only "dir/**" globs are understood here`);
        return g.slice(0, -3);
      });
    }
  }
  const out = [];
  const walk = (rel) => {
    const dir = path.join(repo, rel);
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (/\.ya?ml$/.test(e.name) && r !== 'fedc.yaml') out.push(r);
    }
  };
  for (const r of roots) walk(r);
  return [...new Set(out)].sort();
}

// ---------------------------------------------------------------- hash
function hashFloor(repo, digestsFile) {
  const before = digestsFile && fs.existsSync(digestsFile) ? JSON.parse(fs.readFileSync(digestsFile, 'utf8')) : {};
  const after = {};
  let changed = 0;
  for (const f of inputFiles(repo)) {
    after[f] = createHash('sha256').update(fs.readFileSync(path.join(repo, f))).digest('hex');
    if (before[f] !== after[f]) changed++;
  }
  for (const f of Object.keys(before)) if (!(f in after)) changed++;
  if (digestsFile) fs.writeFileSync(digestsFile, JSON.stringify(after));
  console.log(JSON.stringify({ files: Object.keys(after).length, changed }));
}

// ---------------------------------------------------------------- yaml
// federated kind -> [target apiVersion, kind]; the kinds the workload uses and a few more.
const TARGETS = {
  FederatedNamespace: ['v1', 'Namespace'],
  FederatedDeployment: ['apps/v1', 'Deployment'],
  FederatedService: ['v1', 'Service'],
  FederatedConfigMap: ['v1', 'ConfigMap'],
  FederatedSecret: ['v1', 'Secret'],
  FederatedIngress: ['networking.k8s.io/v1', 'Ingress'],
  FederatedServiceAccount: ['v1', 'ServiceAccount'],
  FederatedJob: ['batch/v1', 'Job'],
  FederatedReplicaSet: ['apps/v1', 'ReplicaSet'],
  FederatedClusterRole: ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole']);
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-federation-system']);
const print = (v) => stringify(v, { version: '1.1', indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });

function matches(selector, labels) {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const ok = operator === 'In' ? has && values.includes(labels[key])
      : operator === 'NotIn' ? !has || !values.includes(labels[key])
        : operator === 'Exists' ? has : !has;
    if (!ok) return false;
  }
  return true;
}

function placement(spec, clusters) {
  const p = spec?.placement ?? {};
  if (Array.isArray(p.clusters)) {
    const wanted = new Set(p.clusters.map((c) => c.name));
    return clusters.filter((c) => wanted.has(c.name)).map((c) => c.name);
  }
  if (!p.clusterSelector) return [];
  return clusters.filter((c) => matches(p.clusterSelector, c.labels)).map((c) => c.name);
}

function yamlFloor(repo, opts) {
  const clusters = [];
  const federated = [];
  for (const f of inputFiles(repo)) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(repo, f), 'utf8'), { version: '1.1' })) {
      const v = doc.toJS();
      if (!v || typeof v !== 'object') continue;
      if (v.kind === 'KubeFedCluster') clusters.push({ name: v.metadata.name, labels: v.metadata.labels ?? {} });
      else if (TARGETS[v.kind]) federated.push(v);
    }
  }
  clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const gates = new Map();
  for (const v of federated) {
    if (v.kind === 'FederatedNamespace' && v.metadata.name === v.metadata.namespace) gates.set(v.metadata.name, new Set(placement(v.spec, clusters)));
  }

  const only = opts.cluster;
  const streams = new Map(); // cluster -> documents, for --layout stream and --stdout
  const made = new Set();
  let docs = 0;
  for (const v of federated) {
    const [apiVersion, kind] = TARGETS[v.kind];
    const { name, namespace } = v.metadata;
    if (kind === 'Namespace' && SYSTEM_NAMESPACES.has(name)) continue;
    let on = placement(v.spec, clusters);
    if (kind !== 'Namespace' && !CLUSTER_SCOPED.has(kind)) {
      const gate = gates.get(namespace);
      on = gate ? on.filter((c) => gate.has(c)) : [];
    }
    if (only) on = on.filter((c) => c === only);
    if (on.length === 0) continue;
    const { metadata: tm = {}, apiVersion: ta, kind: _k, ...rest } = v.spec?.template ?? {};
    const { annotations: _a, finalizers: _f, ...meta } = tm;
    const object = {
      apiVersion: ta ?? apiVersion,
      kind,
      metadata: { name, ...(CLUSTER_SCOPED.has(kind) ? {} : { namespace }), ...meta, labels: { ...meta.labels, 'kubefed.io/managed': 'true' } },
      ...rest,
    };
    object.metadata.name = name;
    const file = CLUSTER_SCOPED.has(kind) ? `cluster/${kind.toLowerCase()}-${name}.yaml` : `namespaces/${namespace}/${kind.toLowerCase()}-${name}.yaml`;
    for (const c of on) {
      const text = print(object); // once per placed copy: that is the floor's work
      docs++;
      if (opts.stdout || opts.layout === 'stream') {
        if (!streams.has(c)) streams.set(c, []);
        streams.get(c).push(text);
        continue;
      }
      const target = path.join(opts.out, 'clusters', c, file);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(target, text);
    }
  }
  if (opts.stdout) {
    process.stdout.write((streams.get(only) ?? []).map((t) => `---\n${t}`).join(''));
    return;
  }
  for (const [c, texts] of streams) {
    fs.mkdirSync(path.join(opts.out, 'clusters', c), { recursive: true });
    fs.writeFileSync(path.join(opts.out, 'clusters', c, 'manifest.yaml'), texts.map((t) => `---\n${t}`).join(''));
  }
  console.log(JSON.stringify({ clusters: clusters.length, federated: federated.length, docs }));
}

// ---------------------------------------------------------------- command line
const [mode, ...rest] = process.argv.slice(2);
if (mode === 'hash') {
  if (rest.length < 1 || rest.length > 2) usage('hash wants REPO [DIGESTS]');
  hashFloor(rest[0], rest[1]);
} else if (mode === 'yaml') {
  const opts = { layout: 'files', stdout: false, cluster: undefined, out: undefined };
  const positional = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--layout') opts.layout = rest[++i];
    else if (a === '--stdout') opts.stdout = true;
    else if (a === '--cluster') opts.cluster = rest[++i];
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else positional.push(a);
  }
  if (!['files', 'stream'].includes(opts.layout)) usage(`--layout ${opts.layout}: files or stream`);
  if (opts.stdout !== (opts.cluster !== undefined)) usage('--stdout and --cluster go together');
  if (positional.length !== (opts.stdout ? 1 : 2)) usage(opts.stdout ? 'yaml --stdout wants REPO' : 'yaml wants REPO OUT');
  opts.out = positional[1];
  yamlFloor(positional[0], opts);
} else {
  usage(mode ? `unknown floor ${mode}` : 'which floor?');
}
