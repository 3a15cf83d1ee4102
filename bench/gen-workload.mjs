#!/usr/bin/env node
// gen-workload.mjs: fedc's own benchmark and conformance workload.
//
//   node bench/gen-workload.mjs OUT --clusters C --resources R [--seed S]
//
// Writes a KubeFed-style federation repo of any size, the same bytes for the same arguments:
//
//   OUT/fedc.yaml                            include: clusters/** and namespaces/** (fedc's inputs)
//   OUT/clusters/<cluster>.yaml              KubeFedCluster: topology region/zone, cloud, env, tier, ...
//   OUT/namespaces/<ns>/namespace.yaml       FederatedNamespace (everywhere, or only on some clusters)
//   OUT/namespaces/<ns>/<app>.yaml           one app: FederatedDeployment, and often FederatedService,
//                                            FederatedConfigMap, FederatedSecret, FederatedIngress
//
// and, beside it, what KubeFed would propagate, as kustomize builds it (the expectation):
//
//   OUT/base/<ns>/<kind>-<name>.yaml         the object KubeFed makes from a template (managed label on)
//   OUT/base/cluster/namespace-<ns>.yaml     the Namespace of a FederatedNamespace
//   OUT/overlays/<cluster>/kustomization.yaml  the base files placed on that cluster, and one JSON 6902
//                                            patch per overridden object
//   OUT/meta.json                            counts: clusters, resources, expectedDocs, perClusterDocs, ...
//
// `kubectl kustomize --load-restrictor LoadRestrictionsNone OUT/overlays/<cluster>` is then what fedc
// must write for that cluster. The expectation is computed here, from KubeFed's rules, with no code
// of fedc's: placement (a `clusters` list wins, even empty; else the clusterSelector's matchLabels and
// matchExpressions, `{}` selecting all), the namespace gate (a namespaced object goes only where its
// FederatedNamespace goes; `default` gates but yields no Namespace), overrides in order (op defaults to
// replace, replace on a missing key adds it, add never creates parents), and the managed label last.
// Patches are written in kustomize's JSON 6902, which refuses `replace` on a missing key: such an op
// is written as `add`, and a label map replaced by an override gets the managed label back.
//
// The mix (what a federation repo of a few teams' services looks like): about 5% FederatedNamespaces,
// then apps of a Deployment (35% of all resources), a Service (25%), a ConfigMap (20%), a Secret (10%)
// and an Ingress (5%). Placements: cluster lists, region, env and zone selectors, set-based
// expressions, `{}`, an empty list; about 30% of the objects override something on one to three
// clusters. At 100 clusters x 2000 resources (seed 42): 34,005 placed objects from 4.6 MB of input.
// No dependency but `yaml` (fedc's own), to write YAML 1.1 safely and read it back as a check; no clock,
// no Math.random.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

// ---------------------------------------------------------------- command line
function usage(message) {
  const text = 'usage: node bench/gen-workload.mjs OUT --clusters C --resources R [--seed S]';
  if (message) console.error(`gen-workload: ${message}\n${text}`);
  else console.log(text);
  process.exit(message ? 2 : 0);
}

function readArgs(argv) {
  const args = { out: undefined, clusters: undefined, resources: undefined, seed: 1 };
  const count = (flag, value, min) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) usage(`${flag} wants an integer >= ${min}, got ${value ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--clusters') args.clusters = count(a, argv[++i], 1);
    else if (a === '--resources') args.resources = count(a, argv[++i], 1);
    else if (a === '--seed') args.seed = count(a, argv[++i], 0);
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (args.out === undefined) args.out = a;
    else usage(`one output directory, not also ${a}`);
  }
  if (args.out === undefined) usage('the output directory is missing');
  if (args.clusters === undefined || args.resources === undefined) usage('--clusters and --resources are required');
  return args;
}

// ---------------------------------------------------------------- seeded random numbers
/** sfc32, its state spread from the seed by splitmix32: small, fast, and the same everywhere. */
class Rng {
  constructor(seed) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32() {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }
  /** In [0, 1). */
  float() {
    return this.u32() / 4294967296;
  }
  chance(p) {
    return this.float() < p;
  }
  /** An integer in [lo, hi], both included. */
  int(lo, hi) {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.float() * list.length)];
  }
  /** One of `choices`, an object of value -> weight (or a list of [value, weight]). */
  weighted(choices) {
    const entries = Array.isArray(choices) ? choices : Object.entries(choices);
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.float() * total;
    for (const [v, w] of entries) if ((x -= w) < 0) return v;
    return entries[entries.length - 1][0];
  }
  /** n distinct items of list, in list order. */
  some(list, n) {
    const chosen = new Set();
    while (chosen.size < Math.min(n, list.length)) chosen.add(this.int(0, list.length - 1));
    return list.filter((_, i) => chosen.has(i));
  }
  base64(bytes) {
    const b = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) b[i] = this.u32() & 0xff;
    return b.toString('base64');
  }
  hex(chars) {
    let s = '';
    while (s.length < chars) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, chars);
  }
  version() {
    return `${this.int(1, 4)}.${this.int(0, 24)}.${this.int(0, 12)}`;
  }
}

// ---------------------------------------------------------------- the fleet
const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const TIER = 'fleet.example.com/tier';
const GPU = 'fleet.example.com/gpu';
const DRAINING = 'fleet.example.com/decommissioning';
const MANAGED = 'kubefed.io/managed';
/** Written into meta.json; a directory holding it may be overwritten by the next run. */
const GENERATOR = 'fedc bench/gen-workload.mjs';
/** A name a placement may still carry after its cluster was retired: KubeFed (and fedc) drop it. */
const RETIRED_CLUSTER = 'prod-aws-us-east-1-00';

// cloud -> [share, regions as region -> weight, how a zone is named]
const CLOUDS = {
  aws: [45, { 'us-east-1': 6, 'us-west-2': 3, 'eu-west-1': 3, 'eu-central-1': 2, 'ap-southeast-1': 1, 'ap-northeast-1': 1 }, (r, g) => `${r}${g.pick(['a', 'b', 'c', 'd'])}`],
  gcp: [28, { 'us-central1': 4, 'europe-west1': 3, 'us-east4': 2, 'asia-east1': 1 }, (r, g) => `${r}-${g.pick(['a', 'b', 'c'])}`],
  azure: [19, { eastus: 3, westeurope: 3, southeastasia: 1 }, (r, g) => `${r}-${g.int(1, 3)}`],
  onprem: [8, { 'dc-fra': 1, 'dc-ams': 1 }, (r, g) => `${r}-rack${g.int(1, 4)}`],
};
const ENVS = { prod: 50, staging: 30, dev: 20 };

function makeFleet(g, n) {
  const fleet = [];
  const taken = new Map();
  for (let i = 0; i < n; i++) {
    const cloud = g.weighted(Object.entries(CLOUDS).map(([c, [share]]) => [c, share]));
    const [, regions, zoneOf] = CLOUDS[cloud];
    const region = g.weighted(regions);
    const env = g.weighted(ENVS);
    const stem = `${env}-${cloud}-${region}`;
    const nth = (taken.get(stem) ?? 0) + 1;
    taken.set(stem, nth);
    const labels = {
      [REGION]: region,
      [ZONE]: zoneOf(region, g),
      cloud,
      env,
      [TIER]: env === 'prod' ? g.weighted({ gold: 1, silver: 2 }) : 'bronze',
    };
    if (g.chance(0.15)) labels[GPU] = 'true';
    if (g.chance(0.05)) labels[DRAINING] = 'true';
    fleet.push({ name: `${stem}-${String(nth).padStart(2, '0')}`, labels });
  }
  return fleet;
}

function clusterDocument(c, g) {
  return {
    apiVersion: 'core.kubefed.io/v1beta1',
    kind: 'KubeFedCluster',
    metadata: { name: c.name, namespace: 'kube-federation-system', labels: c.labels },
    spec: {
      apiEndpoint: `https://${g.hex(10)}.${c.labels[REGION]}.k8s.example.net:6443`,
      caBundle: g.base64(120),
      secretRef: { name: `${c.name}-credentials` },
    },
  };
}

// ---------------------------------------------------------------- placement, as KubeFed computes it
/** Does a metav1.LabelSelector select these labels? (Every matchLabel and every expression holds.) */
function selects(selector, labels) {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Cluster names a placement selects, in fleet order. */
function placedOn(placement, fleet) {
  if (placement.clusters !== undefined && placement.clusters !== null) {
    const listed = new Set(placement.clusters.map((c) => c.name));
    return fleet.filter((c) => listed.has(c.name)).map((c) => c.name);
  }
  if (placement.clusterSelector === undefined || placement.clusterSelector === null) return [];
  return fleet.filter((c) => selects(placement.clusterSelector, c.labels)).map((c) => c.name);
}

function namespacePlacement(g, fleet, first) {
  if (first) return { clusterSelector: {} };
  const c = g.pick(fleet);
  switch (g.weighted({ all: 55, envs: 15, notDraining: 10, cloud: 10, notOnprem: 5, pilot: 5 })) {
    case 'all': return { clusterSelector: {} };
    case 'envs': return { clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] } };
    case 'notDraining': return { clusterSelector: { matchExpressions: [{ key: DRAINING, operator: 'DoesNotExist' }] } };
    case 'cloud': return { clusterSelector: { matchLabels: { cloud: c.labels.cloud } } };
    case 'notOnprem': return { clusterSelector: { matchExpressions: [{ key: 'cloud', operator: 'NotIn', values: ['onprem'] }, { key: TIER, operator: 'Exists' }] } };
    default: return { clusters: g.some(fleet, g.int(3, 8)).map((x) => ({ name: x.name })) };
  }
}

function objectPlacement(g, fleet) {
  const c = g.pick(fleet); // selectors are drawn from a real cluster, so most select something
  switch (g.weighted({ list: 30, region: 25, envRegion: 15, env: 10, clouds: 8, gpu: 4, all: 4, zones: 3 })) {
    case 'list': return { clusters: g.some(fleet, g.int(1, 4)).map((x) => ({ name: x.name })) };
    case 'region': return { clusterSelector: { matchLabels: { [REGION]: c.labels[REGION] } } };
    case 'envRegion': return { clusterSelector: { matchLabels: { env: c.labels.env, [REGION]: c.labels[REGION] } } };
    case 'env': return { clusterSelector: { matchLabels: { env: c.labels.env } } };
    case 'clouds': {
      const clouds = g.some(Object.keys(CLOUDS), 2);
      if (!clouds.includes(c.labels.cloud)) clouds[0] = c.labels.cloud;
      return { clusterSelector: { matchExpressions: [{ key: 'cloud', operator: 'In', values: clouds }, { key: 'env', operator: 'NotIn', values: ['dev'] }] } };
    }
    case 'gpu': return { clusterSelector: { matchLabels: { env: c.labels.env }, matchExpressions: [{ key: GPU, operator: 'Exists' }] } };
    case 'all': return { clusterSelector: {} };
    default: return { clusterSelector: { matchLabels: { cloud: c.labels.cloud }, matchExpressions: [{ key: ZONE, operator: 'In', values: [c.labels[ZONE], g.pick(fleet).labels[ZONE]] }] } };
  }
}

// ---------------------------------------------------------------- templates
const TEAMS = ['payments', 'checkout', 'search', 'identity', 'catalog', 'shipping', 'ads', 'billing', 'platform', 'data', 'growth', 'media', 'support', 'risk'];
const PARTS = ['api', 'worker', 'gateway', 'web', 'indexer', 'cache', 'scheduler', 'ingest', 'notifier', 'auth', 'ledger', 'router', 'render', 'export', 'sync', 'audit'];
const REGISTRIES = ['registry.example.com', 'ghcr.io/example-org', 'europe-docker.pkg.dev/example/apps', '210987654321.dkr.ecr.eu-west-1.amazonaws.com'];
const SIDECARS = ['otel-agent', 'log-forwarder', 'oauth2-proxy', 'cloud-sql-proxy'];

function appLabels(app, g) {
  return {
    app: app.name,
    team: app.team,
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/part-of': app.team,
    'app.kubernetes.io/version': app.version,
    'app.kubernetes.io/managed-by': g.pick(['helm', 'kustomize', 'fedc']),
  };
}

function envFor(app, g) {
  const env = [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
  const n = g.int(3, 11);
  for (let i = 0; i < n; i++) {
    const r = g.float();
    if (r < 0.15 && app.configKeys) env.push({ name: `CONFIG_${i}`, valueFrom: { configMapKeyRef: { name: `${app.name}-config`, key: g.pick(app.configKeys) } } });
    else if (r < 0.25 && app.secretKeys) env.push({ name: `SECRET_${i}`, valueFrom: { secretKeyRef: { name: `${app.name}-secrets`, key: g.pick(app.secretKeys) } } });
    else {
      const name = `${g.pick(['APP', 'HTTP', 'DB', 'CACHE', 'QUEUE', 'OTEL', 'FEATURE'])}_${g.pick(['HOST', 'PORT', 'TIMEOUT_MS', 'POOL_SIZE', 'LOG_LEVEL', 'ENDPOINT', 'ENABLED', 'RETRIES'])}_${i}`;
      const value = g.pick(['true', 'false', '8080', 'info', 'debug', `${app.name}.${app.namespace}.svc.cluster.local`, String(g.int(1, 9000)), 'http://otel-collector.observability:4318', `${g.int(1, 60)}s`]);
      env.push({ name, value });
    }
  }
  return env;
}

function deploymentTemplate(app, g) {
  const main = {
    name: app.part,
    image: `${g.pick(REGISTRIES)}/${app.team}/${app.part}:v${app.version}`,
    imagePullPolicy: 'IfNotPresent',
    args: ['--listen', `:${app.port}`, '--metrics', ':9090', ...(g.chance(0.5) ? ['--log-format', 'json'] : [])],
    ports: [
      { name: 'http', containerPort: app.port, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ],
    env: envFor(app, g),
    resources: {
      requests: { cpu: `${g.pick([50, 100, 200, 250, 500])}m`, memory: `${g.pick([64, 128, 256, 512])}Mi` },
      limits: { cpu: `${g.pick([500, 1000, 2000])}m`, memory: `${g.pick([256, 512, 1024, 2048])}Mi` },
    },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: g.int(5, 30), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, initialDelaySeconds: g.int(1, 10), periodSeconds: 5 },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const volumes = [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }];
  if (app.configKeys) {
    main.volumeMounts.push({ name: 'config', mountPath: '/etc/app', readOnly: true });
    volumes.push({ name: 'config', configMap: { name: `${app.name}-config` } });
  }
  const containers = [main];
  if (g.chance(0.3)) {
    const side = g.pick(SIDECARS);
    containers.push({
      name: side,
      image: `${g.pick(REGISTRIES)}/platform/${side}:${g.version()}`,
      args: [`--upstream=127.0.0.1:${app.port}`, `--port=${g.pick([4180, 4318, 5432, 24224])}`],
      resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
    });
  }
  const pod = {
    serviceAccountName: app.name,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    terminationGracePeriodSeconds: g.pick([30, 60]),
    containers,
    volumes,
  };
  if (g.chance(0.15)) {
    pod.initContainers = [{ name: 'migrate', image: main.image, command: ['/app/migrate', '--up'], env: [{ name: 'MIGRATE_TIMEOUT', value: '300s' }] }];
  }
  if (g.chance(0.4)) {
    pod.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: app.name } } }];
  }
  if (g.chance(0.25)) pod.tolerations = [{ key: 'workload', operator: 'Equal', value: app.team, effect: 'NoSchedule' }];
  if (g.chance(0.2)) {
    pod.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: app.name } } } }] } };
  }
  return {
    metadata: { labels: appLabels(app, g) },
    spec: {
      replicas: g.int(1, 6),
      revisionHistoryLimit: g.pick([3, 5, 10]),
      selector: { matchLabels: { app: app.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        // Annotations of the pod template are kept by KubeFed; only the object's own are dropped.
        metadata: { labels: { app: app.name, team: app.team }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } },
        spec: pod,
      },
    },
  };
}

function serviceTemplate(app, g) {
  const ports = [{ name: 'http', port: 80, targetPort: app.port, protocol: 'TCP' }];
  if (g.chance(0.5)) ports.push({ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' });
  const spec = { type: g.weighted({ ClusterIP: 80, LoadBalancer: 15, NodePort: 5 }), selector: { app: app.name }, ports };
  if (g.chance(0.2)) spec.sessionAffinity = 'ClientIP';
  return { metadata: { labels: appLabels(app, g) }, spec };
}

function configMapTemplate(app, g) {
  const data = {};
  for (let i = 0; i < app.configKeys.length; i++) {
    data[app.configKeys[i]] = g.pick(['true', 'false', 'INFO', String(g.int(1, 5000)), `https://${app.name}.${app.team}.example.com/v${g.int(1, 3)}`]);
  }
  const lines = [];
  const nLines = g.int(6, 28);
  for (let i = 0; i < nLines; i++) {
    lines.push(`${g.pick(['server', 'client', 'db', 'cache', 'queue', 'log'])}.${g.pick(['timeout', 'retries', 'pool', 'level', 'endpoint', 'buffer'])}.${i} = ${g.pick(['30s', '5', 'warn', app.name, '4096', 'true', `${app.name}.${app.namespace}.svc`])}`);
  }
  data['application.properties'] = lines.join('\n') + '\n';
  if (g.chance(0.35)) {
    data['logging.json'] = JSON.stringify({ level: g.pick(['info', 'warn']), encoding: 'json', sampling: { initial: 100, thereafter: g.int(10, 500) } }, null, 2) + '\n';
  }
  return { metadata: { labels: appLabels(app, g) }, data };
}

function secretTemplate(app, g) {
  const data = {};
  for (const k of app.secretKeys) data[k] = g.base64(g.int(12, 48));
  if (app.tls) {
    data['tls.crt'] = g.base64(g.int(700, 1000));
    data['tls.key'] = g.base64(g.int(220, 300));
  }
  return { metadata: { labels: appLabels(app, g) }, type: 'Opaque', data };
}

function ingressTemplate(app, g) {
  const host = `${app.name}.${app.team}.example.com`;
  const paths = [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.name, port: { name: 'http' } } } }];
  if (g.chance(0.3)) paths.unshift({ path: '/api', pathType: 'Prefix', backend: { service: { name: app.name, port: { number: 80 } } } });
  return {
    metadata: { labels: appLabels(app, g) },
    spec: { ingressClassName: g.pick(['nginx', 'traefik']), tls: [{ hosts: [host], secretName: `${app.name}-tls` }], rules: [{ host, http: { paths } }] },
  };
}

// federated kind -> target
const TYPES = {
  FederatedNamespace: { apiVersion: 'v1', kind: 'Namespace', file: 'namespace' },
  FederatedDeployment: { apiVersion: 'apps/v1', kind: 'Deployment', file: 'deployment', template: deploymentTemplate },
  FederatedService: { apiVersion: 'v1', kind: 'Service', file: 'service', template: serviceTemplate },
  FederatedConfigMap: { apiVersion: 'v1', kind: 'ConfigMap', file: 'configmap', template: configMapTemplate },
  FederatedSecret: { apiVersion: 'v1', kind: 'Secret', file: 'secret', template: secretTemplate },
  FederatedIngress: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', file: 'ingress', template: ingressTemplate },
};
/** Namespaces whose FederatedNamespace gates but never becomes a Namespace. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-federation-system']);

// ---------------------------------------------------------------- overrides
/** The override ops of one cluster for one object: a list of {op?, path, value?}, no path twice. */
function overrideOps(kind, obj, cluster, g) {
  const ops = [];
  const op = (path, value, explicit = g.chance(0.5) ? 'replace' : undefined) => ops.push({ ...(explicit ? { op: explicit } : {}), path, value });
  const region = cluster.labels[REGION];
  const annotate = (extra) => ops.push({ op: 'add', path: '/metadata/annotations', value: { 'fleet.example.com/override-reason': `ticket OPS-${g.int(1000, 9999)}`, ...extra } });
  if (kind === 'Deployment') {
    const pod = obj.spec.template.spec;
    if (g.chance(0.7)) op('/spec/replicas', g.int(2, 12));
    if (g.chance(0.4)) op('/spec/template/spec/containers/0/image', `registry.example.com/hotfix/${pod.containers[0].name}:v${g.version()}`);
    if (g.chance(0.2)) ops.push({ op: 'add', path: '/spec/template/spec/nodeSelector', value: { [ZONE]: cluster.labels[ZONE], 'node.kubernetes.io/instance-type': g.pick(['m6i.xlarge', 'n2-standard-4', 'Standard_D4s_v5']) } });
    if (g.chance(0.15)) ops.push({ op: 'add', path: '/spec/template/spec/containers/0/env/-', value: { name: 'CLUSTER_REGION', value: region } });
    if (g.chance(0.1)) op('/spec/template/spec/priorityClassName', 'business-critical'); // absent: replace adds it
    if (pod.tolerations && g.chance(0.3)) ops.push({ op: 'remove', path: '/spec/template/spec/tolerations' });
    if (g.chance(0.05)) op('/metadata/labels', { app: obj.metadata.name, team: obj.metadata.labels.team, 'fleet.example.com/canary': 'true' });
  } else if (kind === 'Service') {
    if (g.chance(0.4)) op('/spec/type', 'LoadBalancer');
    if (g.chance(0.5)) annotate({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' });
  } else if (kind === 'ConfigMap') {
    if (g.chance(0.6)) op('/data/key-0', `override-${region}`);
    if (g.chance(0.3)) ops.push({ op: 'add', path: '/data/region', value: region });
    if (obj.data['key-1'] !== undefined && g.chance(0.1)) ops.push({ op: 'remove', path: '/data/key-1' });
  } else if (kind === 'Secret') {
    if (g.chance(0.6)) op('/data/token-0', g.base64(24));
  } else if (kind === 'Ingress') {
    if (g.chance(0.6)) {
      const host = `${obj.metadata.name}.${region}.example.com`;
      op('/spec/rules/0/host', host);
      op('/spec/tls/0/hosts/0', host);
    }
    if (g.chance(0.5)) annotate({ 'nginx.ingress.kubernetes.io/proxy-body-size': '16m', 'cert-manager.io/cluster-issuer': 'letsencrypt' });
  } else if (kind === 'Namespace') {
    if (g.chance(0.5)) op('/metadata/labels/istio-injection', 'disabled');
  }
  if (ops.length === 0 || (!ops.some((o) => o.path === '/metadata/annotations') && g.chance(0.3))) annotate({});
  return ops;
}

/** Splits a JSON pointer into its unescaped tokens. */
const tokens = (pointer) => pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
const escapeToken = (t) => t.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * KubeFed's overrides of one cluster, applied to a copy of the object as KubeFed's JSON patch
 * library does, and the same change as ops kustomize's JSON 6902 patch accepts. Only the ops this
 * generator writes need to be handled; anything else is a bug here and throws.
 */
function kustomizeOps(object, ops, stats) {
  const doc = structuredClone(object);
  const out = [];
  for (const o of ops) {
    const t = tokens(o.path);
    let parent = doc;
    for (const k of t.slice(0, -1)) {
      parent = Array.isArray(parent) ? parent[Number(k)] : parent?.[k];
      if (parent === null || typeof parent !== 'object') throw new Error(`gen-workload: ${o.path}: a parent is missing (KubeFed's add creates none)`);
    }
    const last = t[t.length - 1];
    let op = o.op ?? 'replace';
    if (Array.isArray(parent)) {
      if (op === 'add' && last === '-') {
        parent.push(structuredClone(o.value));
        stats.appendToList++;
      }
      else if (op === 'replace' && Number(last) < parent.length) parent[Number(last)] = structuredClone(o.value);
      else throw new Error(`gen-workload: ${o.path}: unexpected list op ${op}`);
    } else if (op === 'remove') {
      if (!Object.hasOwn(parent, last)) throw new Error(`gen-workload: ${o.path}: nothing to remove`);
      delete parent[last];
    } else {
      if (op === 'replace' && !Object.hasOwn(parent, last)) {
        op = 'add'; // KubeFed's replace adds a missing key
        stats.replaceAddsKey++;
      }
      parent[last] = structuredClone(o.value);
    }
    out.push(op === 'remove' ? { op, path: o.path } : { op, path: o.path, value: o.value });
    stats[o.op ?? 'defaultReplace']++;
  }
  // KubeFed adds the managed label after the overrides: put it back where an override took it away.
  const labels = doc.metadata.labels;
  if (labels === undefined || labels === null || labels[MANAGED] !== 'true') stats.managedLabelRestored++;
  if (labels === undefined || labels === null) out.push({ op: 'add', path: '/metadata/labels', value: { [MANAGED]: 'true' } });
  else if (labels[MANAGED] !== 'true') out.push({ op: 'add', path: `/metadata/labels/${escapeToken(MANAGED)}`, value: 'true' });
  return out;
}

// ---------------------------------------------------------------- the model
/** KubeFed's template -> object: name, namespace, kind and apiVersion set, annotations dropped, managed label. */
function objectFromTemplate(type, name, namespace, template) {
  const { metadata = {}, apiVersion, kind: _ignored, ...rest } = structuredClone(template ?? {});
  const { annotations: _dropped, finalizers: _alsoDropped, ...meta } = metadata;
  return {
    apiVersion: apiVersion ?? type.apiVersion,
    kind: type.kind,
    metadata: { ...meta, name, ...(type.kind === 'Namespace' ? {} : { namespace }), labels: { ...(meta.labels ?? {}), [MANAGED]: 'true' } },
    ...rest,
  };
}

function buildModel(args) {
  const g = new Rng(args.seed);
  const fleet = makeFleet(g, args.clusters);
  const byName = new Map(fleet.map((c) => [c.name, c]));

  // Namespaces: about 5% of the resources, at least one; the last is `default` when there are 4+.
  const nNamespaces = Math.max(1, Math.round(args.resources * 0.05));
  const namespaces = [];
  for (let i = 0; i < nNamespaces; i++) {
    const team = TEAMS[i % TEAMS.length];
    const name = i === nNamespaces - 1 && nNamespaces >= 4 ? 'default' : i < TEAMS.length ? team : `${team}-${Math.floor(i / TEAMS.length) + 1}`;
    const placement = name === 'default' ? { clusterSelector: {} } : namespacePlacement(g, fleet, i === 0);
    namespaces.push({ name, team, placement, placed: placedOn(placement, fleet) });
  }
  const teamNamespaces = namespaces.filter((n) => n.name !== 'default');
  const gates = new Map(namespaces.map((n) => [n.name, new Set(n.placed)]));

  /** What the workload exercises, for meta.json (a test checks that none of it is missing). */
  const exercised = {
    placements: { clusterList: 0, emptyList: 0, undeclaredCluster: 0, matchLabels: 0, matchExpressions: 0, selectEverything: 0 },
    namespaces: { everywhere: 0, somewhere: 0, gatedOutCopies: 0, unfederatedNamespace: 0, systemNamespace: 0 },
    overridesForUnplacedClusters: 0,
  };
  const kindOfPlacement = (p) => {
    if (p.clusters) return p.clusters.length === 0 ? 'emptyList' : 'clusterList';
    if (p.clusterSelector.matchExpressions) return 'matchExpressions';
    return p.clusterSelector.matchLabels ? 'matchLabels' : 'selectEverything';
  };

  /** A federated resource: the document fedc reads, and what each cluster gets. */
  const resources = [];
  let overridden = 0;
  let listed = 0;
  const addResource = (fedKind, name, namespace, template, placement, file) => {
    const type = TYPES[fedKind];
    if (placement.clusters?.length && ++listed % 40 === 0) placement.clusters.push({ name: RETIRED_CLUSTER });
    const own = placedOn(placement, fleet);
    const gate = fedKind === 'FederatedNamespace' ? null : gates.get(namespace);
    const placed = gate === null ? own : gate === undefined ? [] : own.filter((c) => gate.has(c));
    exercised.placements[kindOfPlacement(placement)]++;
    if (placement.clusters?.some((c) => !byName.has(c.name))) exercised.placements.undeclaredCluster++;
    if (gate === undefined) exercised.namespaces.unfederatedNamespace++;
    exercised.namespaces.gatedOutCopies += own.length - placed.length;
    if (fedKind === 'FederatedNamespace') exercised.namespaces[own.length === fleet.length ? 'everywhere' : 'somewhere']++;
    const produces = !(fedKind === 'FederatedNamespace' && SYSTEM_NAMESPACES.has(namespace));
    if (!produces) exercised.namespaces.systemNamespace++;
    const object = objectFromTemplate(type, name, namespace, template);
    const spec = { template, placement };
    const overrides = [];
    if (produces && placed.length > 0 && g.chance(0.3)) {
      for (const cn of g.some(placed, g.int(1, Math.min(3, placed.length)))) {
        overrides.push({ clusterName: cn, clusterOverrides: overrideOps(type.kind, object, byName.get(cn), g) });
      }
      if (++overridden % 25 === 0) {
        // An override for a cluster the object is not on (any more): it has no effect.
        const elsewhere = fleet.find((c) => !placed.includes(c.name));
        if (elsewhere) {
          exercised.overridesForUnplacedClusters++;
          overrides.push({ clusterName: elsewhere.name, clusterOverrides: [{ op: 'add', path: '/metadata/annotations', value: { 'fleet.example.com/pinned': 'true' } }] });
        }
      }
      spec.overrides = overrides;
    }
    const doc = { apiVersion: 'types.kubefed.io/v1beta1', kind: fedKind, metadata: { name, namespace }, spec };
    resources.push({ fedKind, type, name, namespace, doc, object, placed: produces ? placed : [], overrides, file });
  };

  for (const ns of namespaces) {
    const template = ns.name === 'default' ? undefined : { metadata: { labels: { team: ns.team, 'istio-injection': g.pick(['enabled', 'disabled']), 'fleet.example.com/cost-center': `cc-${g.int(1000, 9999)}` } } };
    addResource('FederatedNamespace', ns.name, ns.name, template, ns.placement, `namespaces/${ns.name}/namespace.yaml`);
  }

  // Apps until the resources are all there: a Deployment, and mostly a Service, a ConfigMap, a Secret, an Ingress.
  for (let n = 0; resources.length < args.resources; n++) {
    const ns = teamNamespaces.length === 0 || g.chance(0.03) ? namespaces[namespaces.length - 1] : g.pick(teamNamespaces);
    // A few apps sit in a namespace nobody federated: KubeFed (and fedc) propagate them nowhere.
    const namespace = n % 150 === 17 ? 'scratch' : ns.name;
    const part = g.pick(PARTS);
    const app = {
      name: `${ns.team}-${part}-${String(n).padStart(4, '0')}`, namespace, team: ns.team, part,
      version: g.version(), port: g.pick([8080, 8443, 9000, 3000, 5000]),
    };
    const kinds = ['FederatedDeployment'];
    if (g.chance(0.71)) kinds.push('FederatedService');
    if (g.chance(0.57)) {
      kinds.push('FederatedConfigMap');
      app.configKeys = Array.from({ length: g.int(2, 6) }, (_, i) => `key-${i}`);
    }
    if (g.chance(0.29)) {
      kinds.push('FederatedSecret');
      app.secretKeys = Array.from({ length: g.int(1, 4) }, (_, i) => `token-${i}`);
      app.tls = g.chance(0.3);
    }
    if (kinds.includes('FederatedService') && g.chance(0.2)) kinds.push('FederatedIngress');
    // Now and then an app is paused: an empty list wins over the selector, so it goes nowhere.
    const appPlacement = n % 60 === 29 ? { clusters: [], clusterSelector: {} } : objectPlacement(g, fleet);
    for (const fedKind of kinds) {
      if (resources.length >= args.resources) break;
      const suffix = { FederatedConfigMap: '-config', FederatedSecret: '-secrets' }[fedKind] ?? '';
      const placement = g.chance(0.85) ? structuredClone(appPlacement) : objectPlacement(g, fleet);
      addResource(fedKind, app.name + suffix, namespace, TYPES[fedKind].template(app, g), placement, `namespaces/${namespace}/${app.name}.yaml`);
    }
  }
  return { g, fleet, namespaces, resources, exercised };
}

// ---------------------------------------------------------------- writing
/** YAML as Kubernetes reads it (1.1: `yes`, `on`, `0755` are quoted), block style, no aliases. */
const toYaml = (v) => stringify(v, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 });

function write(out, rel, text) {
  const file = path.join(out, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

/** Empties OUT for a new workload, refusing a non-empty directory that is not a previous workload. */
function clear(out) {
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) usage(`${out} is not a directory`);
  if (fs.readdirSync(out).length === 0) return;
  let previous;
  try {
    previous = JSON.parse(fs.readFileSync(path.join(out, 'meta.json'), 'utf8')).generator;
  } catch {
    previous = undefined;
  }
  if (previous !== GENERATOR) usage(`${out} is not empty and holds no workload of this generator: not overwriting it`);
  fs.rmSync(out, { recursive: true, force: true });
}

/** What a kustomize patch targets: the object's group, version, kind, name and namespace. */
function patchTarget(r) {
  const [group, version] = r.type.apiVersion.includes('/') ? r.type.apiVersion.split('/') : ['', r.type.apiVersion];
  return { ...(group ? { group } : {}), version, kind: r.type.kind, name: r.name, ...(r.type.kind === 'Namespace' ? {} : { namespace: r.namespace }) };
}

function main() {
  const args = readArgs(process.argv.slice(2));
  const out = path.resolve(args.out);
  const { g, fleet, namespaces, resources, exercised } = buildModel(args);

  clear(out);
  fs.mkdirSync(out, { recursive: true });
  write(out, 'fedc.yaml', '# fedc reads the federation inputs only; base/ and overlays/ are the expected result\ninclude: ["clusters/**", "namespaces/**"]\n');

  let inputBytes = 0;
  let inputFiles = 0;
  for (const c of fleet) {
    inputBytes += write(out, `clusters/${c.name}.yaml`, toYaml(clusterDocument(c, g)));
    inputFiles++;
  }
  // Input files: one per FederatedNamespace, one per app (its documents separated by ---).
  const files = new Map();
  for (const r of resources) {
    if (!files.has(r.file)) files.set(r.file, []);
    files.get(r.file).push(toYaml(r.doc));
  }
  for (const [file, docs] of files) {
    inputBytes += write(out, file, docs.join('---\n'));
    inputFiles++;
  }
  // Self-check: what was written reads back, as YAML 1.1, as the documents meant.
  if (resources.length <= 5000) {
    const back = [];
    for (const file of files.keys()) {
      for (const d of parseAllDocuments(fs.readFileSync(path.join(out, file), 'utf8'), { version: '1.1' })) back.push(JSON.stringify(d.toJS()));
    }
    const meant = [...files.keys()].flatMap((f) => resources.filter((r) => r.file === f).map((r) => JSON.stringify(r.doc)));
    if (back.length !== meant.length || back.some((b, i) => b !== meant[i])) throw new Error('gen-workload: the YAML written does not read back as generated');
  }

  // The expectation: base objects, and per cluster the files it gets and its patches.
  const perCluster = new Map(fleet.map((c) => [c.name, { resources: [], patches: [] }]));
  const byKind = {};
  let overriddenCopies = 0;
  const ops = { defaultReplace: 0, replace: 0, add: 0, remove: 0, replaceAddsKey: 0, appendToList: 0, managedLabelRestored: 0 };
  for (const r of resources) {
    const stat = (byKind[r.fedKind] ??= { resources: 0, placedDocs: 0, withOverrides: 0 });
    stat.resources++;
    stat.placedDocs += r.placed.length;
    if (r.overrides.length) stat.withOverrides++;
    if (r.placed.length === 0) continue;
    const baseFile = r.type.kind === 'Namespace' ? `base/cluster/namespace-${r.name}.yaml` : `base/${r.namespace}/${r.type.file}-${r.name}.yaml`;
    write(out, baseFile, toYaml(r.object));
    const placed = new Set(r.placed);
    for (const c of r.placed) perCluster.get(c).resources.push(`../../${baseFile}`);
    for (const o of r.overrides) {
      if (!placed.has(o.clusterName)) continue; // an override for a cluster the object is not on does nothing
      overriddenCopies++;
      perCluster.get(o.clusterName).patches.push({ target: patchTarget(r), patch: JSON.stringify(kustomizeOps(r.object, o.clusterOverrides, ops)) });
    }
  }
  let expectedDocs = 0;
  for (const [name, pc] of perCluster) {
    expectedDocs += pc.resources.length;
    const k = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: pc.resources };
    if (pc.patches.length) k.patches = pc.patches;
    write(out, `overlays/${name}/kustomization.yaml`, toYaml(k));
  }

  const meta = {
    generator: GENERATOR,
    seed: args.seed,
    clusters: fleet.length,
    resources: resources.length,
    namespaces: namespaces.length,
    inputFiles,
    inputBytes,
    expectedDocs,
    overriddenCopies,
    byKind,
    exercised: { ...exercised, overrideOps: ops },
    perClusterDocs: Object.fromEntries([...perCluster].map(([name, pc]) => [name, pc.resources.length])),
  };
  write(out, 'meta.json', JSON.stringify(meta, null, 2) + '\n');
  console.log(JSON.stringify({ out, clusters: meta.clusters, resources: meta.resources, inputFiles, inputMB: +(inputBytes / 1e6).toFixed(2), expectedDocs }));
}

main();
