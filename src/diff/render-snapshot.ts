import type { CompileResult } from '../compile.js';
import { dnsEndpointObject } from '../emit/dns-files.js';
import { CLUSTERS_DIR, ENDPOINTS_DIR, GENERATED_MARKER, ZONE_GENERATED_MARKER, ZONES_DIR } from '../model/output-contract.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseFile } from '../parse/parse-documents.js';

type Obj = Record<string, unknown>;

/** An object as the diff compares it: identified by apiVersion, kind, namespace and name. */
export interface SnapshotObject {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  /** Read-only; shared between clusters that get the same object. */
  object: Obj;
}

/** A zone's records as text lines, its SOA serial masked (it changes whenever records do). */
export interface ZoneRecords {
  records: string[];
}

/**
 * What a render produces, in the shape the diff compares: per cluster its objects, the zones
 * record by record, and the DNSEndpoints. Layout, file names and document order are gone.
 */
export interface RenderSnapshot {
  /** Ready clusters: name -> object key -> object. */
  clusters: Map<string, Map<string, SnapshotObject>>;
  /** Clusters whose output is not known (not Ready: fedc leaves their directory as it is). */
  notCompared: Set<string>;
  zones: Map<string, ZoneRecords>;
  endpoints: Map<string, SnapshotObject>;
  /**
   * Objects the repo declares that no cluster gets (objectKey), where the snapshot comes from a
   * compile; a rendered tree holds only what was placed.
   */
  unplaced?: Set<string>;
}

/** The snapshot of a render that placed nothing: what a side that does not compile is compared as. */
export const emptySnapshot = (): RenderSnapshot => ({ clusters: new Map(), notCompared: new Set(), zones: new Map(), endpoints: new Map() });

export const objectKey = (o: Pick<SnapshotObject, 'apiVersion' | 'kind' | 'namespace' | 'name'>) =>
  `${o.apiVersion}\u0000${o.kind}\u0000${o.namespace}\u0000${o.name}`;

export function snapshotOfCompile(result: CompileResult): RenderSnapshot {
  const clusters = new Map<string, Map<string, SnapshotObject>>();
  const notCompared = new Set<string>();
  for (const c of result.clusters) {
    if (!c.ready) {
      notCompared.add(c.name);
      continue;
    }
    const objects = new Map<string, SnapshotObject>();
    for (const o of c.objects) objects.set(objectKey(o), o);
    clusters.set(c.name, objects);
  }
  const zones = new Map<string, ZoneRecords>();
  for (const z of result.dns.zones) zones.set(z.domain, zoneRecords(z.text));
  const endpoints = new Map<string, SnapshotObject>();
  for (const e of result.dns.endpoints) {
    const o = toSnapshotObject(dnsEndpointObject(e));
    if (o) endpoints.set(objectKey(o), o);
  }
  return { clusters, notCompared, zones, endpoints, unplaced: new Set(result.unplaced.map(objectKey)) };
}

/**
 * A rendered output directory (either layout), given as its files: only files fedc wrote count,
 * where it writes them; `rendered` says how many did. Problems (a file that does not parse) are
 * returned, not thrown.
 */
export function snapshotOfTree(files: ReadonlyMap<string, string>): { snapshot: RenderSnapshot; problems: Diagnostic[]; rendered: number } {
  const clusters = new Map<string, Map<string, SnapshotObject>>();
  const zones = new Map<string, ZoneRecords>();
  const endpoints = new Map<string, SnapshotObject>();
  const problems: Diagnostic[] = [];
  let rendered = 0;
  // read as inputs are, with the same limits (aliases, depth) and positioned diagnostics: the
  // tree may have been edited by hand, or by anyone
  const objectsOf = (file: string, text: string): SnapshotObject[] => {
    const { documents, diagnostics } = parseFile({ path: file, text });
    problems.push(...diagnostics);
    return documents.flatMap((d) => toSnapshotObject(d.value) ?? []);
  };
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = file.split('/');
    if (parts[0] === CLUSTERS_DIR && parts.length >= 3 && text.startsWith(GENERATED_MARKER)) {
      // A cluster that gets no object has its kustomization.yaml alone: it is there, empty.
      let objects = clusters.get(parts[1]!);
      if (!objects) clusters.set(parts[1]!, (objects = new Map()));
      rendered++;
      if (parts.at(-1) === 'kustomization.yaml' || !/\.ya?ml$/.test(file)) continue;
      for (const o of objectsOf(file, text)) objects.set(objectKey(o), o);
    } else if (file.startsWith(`${ZONES_DIR}/`) && file.endsWith('.zone') && text.startsWith(ZONE_GENERATED_MARKER)) {
      zones.set(parts.at(-1)!.slice(0, -'.zone'.length), zoneRecords(text));
      rendered++;
    } else if (file.startsWith(`${ENDPOINTS_DIR}/`) && text.startsWith(GENERATED_MARKER) && !file.endsWith('/kustomization.yaml')) {
      for (const o of objectsOf(file, text)) endpoints.set(objectKey(o), o);
      rendered++;
    }
  }
  return { snapshot: { clusters, notCompared: new Set(), zones, endpoints }, problems, rendered };
}

function toSnapshotObject(v: unknown): SnapshotObject | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Obj;
  const meta = (o.metadata ?? {}) as Obj;
  return {
    apiVersion: String(o.apiVersion ?? ''),
    kind: String(o.kind ?? ''),
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    name: String(meta.name ?? ''),
    object: o,
  };
}

/** The record lines of a zone file fedc wrote: comments and directives dropped, the SOA serial masked. */
export function zoneRecords(text: string): ZoneRecords {
  const records: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(';') || line.startsWith('$')) continue;
    const f = line.split('\t');
    if (f[3] === 'SOA') {
      const soa = f[4]!.split(' ');
      soa[2] = '(serial)';
      records.push([...f.slice(0, 4), soa.join(' ')].join(' '));
    } else records.push(f.join(' '));
  }
  return { records };
}
