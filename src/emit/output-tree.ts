import type { ClusterOutput } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DnsOutput } from '../dns/dns-types.js';
import { DNS_DIR, layoutDns } from './dns-files.js';
import { contentText, type FileContent } from './file-content.js';
import { CLUSTERS_DIR, layoutCluster, objectFileCollisions, type FileCollision, type Layout } from './layout.js';
import { YamlCache } from './serialize.js';
import { DNS_SHARD, inShard, type Shard } from './shards.js';

/**
 * The files fedc wants on disk, and the directories whose fedc-written files it manages. The
 * contents are built one group (a cluster directory, or dns/) at a time, when asked for, so a
 * fleet's whole output is never in memory at once: comparing and writing hold one group.
 */
export interface OutputTree {
  groups: OutputGroup[];
  /**
   * Directories (relative) that fedc owns in this run: a fedc-written file in one of them that is
   * not in `files` is an orphan. Directories of clusters that are not rendered this run (not
   * Ready, or not selected) are left out, so their files are kept.
   */
  scopes: string[];
  /** Directories (relative) that must be kept out of the scopes even when nested in one. */
  keep: string[];
  diagnostics: Diagnostic[];
}

export interface OutputGroup {
  /** The directory (relative) that holds every file of the group. */
  dir: string;
  /** The group's files: path relative to the output directory -> content. Built anew on each call. */
  files(): Map<string, FileContent>;
}

/** Every file of a tree at once (path -> content), for callers that want it whole (tests, small trees). */
export function treeFiles(tree: OutputTree): Map<string, string> {
  const all = new Map<string, string>();
  for (const g of tree.groups) for (const [k, v] of g.files()) all.set(k, contentText(v));
  return all;
}

export interface TreeOptions {
  layout: Layout;
  /** Render only these clusters; all when undefined. */
  only?: readonly string[];
  /**
   * Render only the clusters of this shard (shards.ts). The shard owns its clusters' directories,
   * those of its clusters that are no longer declared (named in `present`), and, shard 1 only,
   * dns/ and the rest of clusters/: so the shards together own what a full render owns.
   */
  shard?: Shard;
  /** With `shard`: the names of the directories in clusters/ of the output directory now. */
  present?: readonly string[];
  /**
   * Zone files and DNSEndpoints, written under dns/ (which fedc then owns) when every cluster is
   * rendered, or by shard 1; with `only`, dns/ is left as it is.
   */
  dns?: DnsOutput;
}

function collisionDiagnostic(col: FileCollision): Diagnostic {
  const [a, b] = col.objects;
  if (col.caseOnly) {
    return {
      code: 'FEDC5014', severity: 'warning', file: b.source.file, line: b.source.line, col: 1,
      message: `${a.kind} ${a.name} and ${b.kind} ${b.name} are written to ${col.file} and ${col.caseOnly}, which differ only in case: a checkout on a case-insensitive file system (macOS, Windows) keeps one of them`,
      hint: 'rename one of the objects, unless every checkout of the output is case-sensitive',
    };
  }
  return {
    code: 'FEDC5003',
    severity: 'error',
    // the API group tells two types of one kind apart; the line, two documents of one file
    message: `${a.kind} ${a.name} (${a.apiVersion}, ${a.federatedKind} at ${a.source.file}:${a.source.line}) and ${b.kind} ${b.name} (${b.apiVersion}, ${b.federatedKind} at ${b.source.file}:${b.source.line}) would both be written to ${col.file}`,
    file: b.source.file,
    line: b.source.line,
    col: 1,
    hint: 'two target types share a kind name; rename one of the objects',
  };
}

/**
 * FEDC5015: a Ready cluster gets no object, so its directory lists nothing. A GitOps tool syncing
 * that directory with pruning on (Flux's prune: true, Argo CD's automated prune) deletes everything
 * it applied there: worth a word before it is committed.
 */
function emptyClusterDiagnostic(cluster: string): Diagnostic {
  return {
    code: 'FEDC5015', severity: 'warning', file: '', line: 0, col: 0,
    message: `cluster ${cluster} gets no object: ${CLUSTERS_DIR}/${cluster}/kustomization.yaml lists nothing, and a Flux Kustomization or Argo CD Application that syncs it with pruning on deletes everything it applied there`,
    hint: 'place an object on the cluster, or stop syncing its directory',
  };
}

/**
 * The findings buildOutputTree would give for every cluster, from file names alone (nothing is
 * serialized): what `fedc validate` reports, so that validate and render agree.
 */
export function outputFindings(clusters: readonly ClusterOutput[], layout: Layout): Diagnostic[] {
  return clusters.filter((c) => c.ready).flatMap((c) => clusterFindings(c, layout));
}

function clusterFindings(c: ClusterOutput, layout: Layout): Diagnostic[] {
  if (c.objects.length === 0) return [emptyClusterDiagnostic(c.name)];
  return layout === 'object' ? objectFileCollisions(c.name, c.objects).map(collisionDiagnostic) : [];
}

export function buildOutputTree(clusters: readonly ClusterOutput[], options: TreeOptions): OutputTree {
  const yaml = new YamlCache();
  const groups: OutputGroup[] = [];
  const diagnostics: Diagnostic[] = [];
  const keep: string[] = [];
  const selected = options.only ? new Set(options.only) : undefined;
  const { shard } = options;
  const owns = (name: string) => (!selected || selected.has(name)) && (!shard || inShard(name, shard));
  // Whether this run owns the whole clusters/ directory (but the directories kept) and dns/: a
  // full render, or shard 1. Without --cluster, clusters that are no longer declared lose their files.
  const whole = !selected && (!shard || shard.index === DNS_SHARD);
  const scopes: string[] = whole ? [CLUSTERS_DIR] : [];
  for (const c of clusters) {
    const dir = `${CLUSTERS_DIR}/${c.name}`;
    if (!owns(c.name) || !c.ready) {
      keep.push(dir);
      continue;
    }
    if (!whole) scopes.push(dir);
    // Findings come from file names alone: nothing is serialized until the files are asked for.
    diagnostics.push(...clusterFindings(c, options.layout));
    groups.push({ dir, files: () => layoutCluster(c.name, c.objects, options.layout, yaml) });
  }
  if (shard) {
    // Directories of clusters no longer declared: each is its shard's to prune.
    const declared = new Set(clusters.map((c) => c.name));
    for (const name of options.present ?? []) {
      if (declared.has(name)) continue;
      const dir = `${CLUSTERS_DIR}/${name}`;
      if (!owns(name)) keep.push(dir);
      else if (!whole) scopes.push(dir);
    }
  }
  if (whole && options.dns) {
    const dns = options.dns;
    groups.push({ dir: DNS_DIR, files: () => layoutDns(dns) });
    scopes.push(DNS_DIR);
  }
  return { groups, scopes, keep, diagnostics };
}
