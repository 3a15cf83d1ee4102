import { loadInputs } from './check/load-inputs.js';
import { hasErrors, promoteWarnings, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { Reporter } from './diagnostics/reporter.js';
import { planDns, type DnsOptions } from './dns/plan-dns.js';
import type { DnsOutput } from './dns/dns-types.js';
import type { Cluster, FederatedResource, Inputs, Origin } from './model/inputs.js';
import { parseFile, parseFiles } from './parse/parse-documents.js';
import { Locator } from './parse/positions.js';
import { planPlacement } from './plan/plan-placement.js';
import { scheduleReplicas, type PreviousReplicas } from './plan/schedule-replicas.js';
import type { SourceFile } from './read/source-file.js';
import { renderClusters, type RenderedObject } from './render/render-clusters.js';
import { targetIdentity } from './render/object-for-cluster.js';
import { crdsOfFiles } from './validate/crd-schemas.js';
import { checkKubernetesSchemas } from './validate/validate-rendered.js';

export interface CompileOptions {
  /** The KubeFed system namespace; default kube-federation-system. */
  kubefedNamespace?: string;
  /** Namespace of namespaced objects that have none (fedc.yaml defaultNamespace). */
  defaultNamespace?: string;
  /** Warnings become errors. */
  strict?: boolean;
  /**
   * Replicas each object has in the previous output, so ReplicaSchedulingPreferences without
   * rebalance keep replicas where they are, as KubeFed keeps them where they run.
   */
  previousReplicas?: PreviousReplicas;
  /** DNS: name servers and hostmaster from fedc.yaml, and the previous zone files (for SOA serials). */
  dns?: DnsOptions;
  /**
   * Kubernetes version of the clusters without a fedc.dev/kubernetes-version label ("1.30"); the
   * CLI passes KUBE_VERSION, else fedc.yaml's kubernetesVersion. Default: DEFAULT_KUBERNETES_VERSION.
   */
  kubernetesVersion?: string;
  /**
   * Kubernetes versions of named clusters, over kubernetesVersion (a cluster's label still wins):
   * the CLI passes KUBE_VERSION for the clusters a run selects with --cluster, as Argo CD measures
   * it on the one cluster it deploys to.
   */
  clusterKubernetesVersions?: Readonly<Record<string, string>>;
  /** Files of fedc.yaml's `crds:`, read only for the schemas of their CustomResourceDefinitions. */
  crdFiles?: readonly SourceFile[];
}

export interface ClusterOutput {
  name: string;
  /** false: the cluster's status says it is not Ready; KubeFed writes nothing to it, so fedc leaves its output alone. */
  ready: boolean;
  objects: RenderedObject[];
}

export interface CompileResult {
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** Whether any diagnostic is an error; when true, nothing may be written. */
  failed: boolean;
  /** Every declared cluster, sorted by name. */
  clusters: ClusterOutput[];
  /** Zone files and DNSEndpoints (empty without Domains and DNS records). */
  dns: DnsOutput;
  /**
   * The objects of the repo's federated resources that no Ready cluster gets (placed nowhere, or
   * only on clusters not Ready), in input order: what tells the diff an object no longer placed
   * from one deleted.
   */
  unplaced: { apiVersion: string; kind: string; namespace: string; name: string }[];
}

/**
 * The pure core: input files in, per-cluster objects and diagnostics out. No IO, no clock, no
 * randomness: the same files always give the same result. The CLI, tests and benchmarks all use it.
 */
export function compile(files: readonly SourceFile[], options: CompileOptions = {}): CompileResult {
  const kubefedNamespace = options.kubefedNamespace ?? 'kube-federation-system';
  const parsed = parseFiles(files);
  // A crds: file that is an input too is read once, as an input.
  const crdFiles = (options.crdFiles ?? []).filter((f) => !files.some((i) => i.path === f.path));
  const report = new Reporter(new Locator([...files, ...crdFiles]));
  report.diagnostics.push(...parsed.diagnostics);
  // Each file alone: a Helm chart's crds/ directory is plain YAML, which Helm does not template.
  const parsedCrds = crdFiles.map(parseFile);
  for (const p of parsedCrds) report.diagnostics.push(...p.diagnostics);
  const extraCrds = crdsOfFiles(parsedCrds.flatMap((p) => p.documents), crdFiles.map((f) => f.path), report);
  const inputs = loadInputs(parsed.documents, { kubefedNamespace, ...(options.defaultNamespace ? { defaultNamespace: options.defaultNamespace } : {}), crds: extraCrds }, report);
  for (const c of inputs.clusters.filter((c) => c.notReady)) {
    report.info('FEDC3007', { origin: c.origin, path: ['status', 'conditions'] },
      `cluster ${c.name} is not Ready: as KubeFed, fedc propagates nothing to it and leaves its output directory as it is`);
  }
  nothingToFederate(files, inputs, kubefedNamespace, report);
  const scheduled = scheduleReplicas(inputs, options.previousReplicas ? { previousReplicas: options.previousReplicas } : {}, report);
  const placed = planPlacement(scheduled, { kubefedNamespace }, report);
  const ready = inputs.clusters.filter((c) => !c.notReady).map((c) => c.name);
  const rendered = renderClusters(placed, ready, report);
  checkKubernetesSchemas(placed, rendered, inputs.clusters, {
    ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}),
    ...(options.clusterKubernetesVersions ? { clusterKubernetesVersions: options.clusterKubernetesVersions } : {}),
    crds: [...inputs.crds, ...extraCrds],
  }, report);
  const dns = planDns(scheduled, rendered, options.dns ?? {}, report);
  let diagnostics = sortDiagnostics(report.diagnostics);
  if (options.strict) diagnostics = promoteWarnings(diagnostics);
  return {
    diagnostics,
    failed: hasErrors(diagnostics),
    clusters: inputs.clusters.map((c: Cluster) => ({ name: c.name, ready: !c.notReady, objects: rendered.get(c.name) ?? [] })),
    dns,
    unplaced: unplacedObjects(inputs.resources, rendered),
  };
}

/**
 * A repo read from the wrong directory, or with its clusters' files left out by fedc.yaml's
 * include globs, compiles: to nothing, and a render then prunes every cluster's output. Said.
 */
function nothingToFederate(files: readonly SourceFile[], inputs: Inputs, kubefedNamespace: string, report: Reporter): void {
  const { clusters, resources, declaredClusters: clusterDocuments } = inputs;
  if (files.length === 0) {
    report.diagnostics.push({ code: 'FEDC1018', severity: 'warning', file: '', line: 0, col: 0,
      message: 'no input file: nothing is federated, and a render removes the output of every cluster rendered before',
      hint: 'check the directory given, and the include and exclude globs of fedc.yaml' });
  } else if (clusters.length === 0 && resources.length > 0) {
    // Declared but none read: each is outside the KubeFed namespace (FEDC2007) or invalid (said there).
    const none = clusterDocuments === 0 ? 'no KubeFedCluster is declared'
      : clusterDocuments === 1 ? 'the one KubeFedCluster declared is not read (see its diagnostic)'
        : `none of the ${clusterDocuments} KubeFedClusters declared is read (see their diagnostics)`;
    report.warning('FEDC3008', { origin: resources[0]!.origin, path: ['kind'] },
      `${none}, so ${resources.length === 1 ? 'the federated object of the repo goes' : `the ${resources.length} federated objects of the repo go`} to no cluster, and a render removes the output of every cluster rendered before`,
      `declare the member clusters (core.kubefed.io/v1beta1 KubeFedCluster, in ${kubefedNamespace}), or check that the include globs of fedc.yaml read their files`);
  }
}

function unplacedObjects(resources: readonly FederatedResource[], rendered: ReadonlyMap<string, readonly RenderedObject[]>): CompileResult['unplaced'] {
  const placed = new Set<Origin>();
  for (const objects of rendered.values()) for (const o of objects) placed.add(o.source);
  return resources.filter((r) => !placed.has(r.origin)).map(targetIdentity);
}
