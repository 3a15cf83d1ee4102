import type { At } from '../diagnostics/reporter.js';
import type { Cluster, FederatedResource, KubeFedDocument } from '../model/inputs.js';
import type { RenderedObject } from '../render/render-clusters.js';
import type { DnsReport } from './dns-report.js';
import type { ClusterDns, NamePart } from './dns-types.js';
import { clusterIngressTargets, serviceTargets, statusTargets } from './lb-targets.js';

type Obj = Record<string, unknown>;

const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

/** What the DNS stage knows of the rendering: clusters, federated objects, rendered objects per cluster. */
export class RenderedWorld {
  private resourceIndex?: Map<string, FederatedResource>;
  private objectIndex?: Map<string, RenderedObject>;

  constructor(
    readonly clusters: readonly Cluster[],
    private readonly resources: readonly FederatedResource[],
    /** Cluster name -> objects rendered for it (Ready clusters only). */
    private readonly objects: ReadonlyMap<string, readonly RenderedObject[]>,
  ) {}

  /** The federated object whose target is `kind` namespace/name. */
  resource(kind: string, namespace: string, name: string): FederatedResource | undefined {
    if (!this.resourceIndex) {
      this.resourceIndex = new Map();
      for (const r of this.resources) {
        const key = `${r.type.targetKind}/${r.namespace}/${r.name}`;
        if (!this.resourceIndex.has(key)) this.resourceIndex.set(key, r);
      }
    }
    return this.resourceIndex.get(`${kind}/${namespace}/${name}`);
  }

  /** The object `kind` namespace/name as rendered for a cluster. */
  rendered(cluster: string, kind: string, namespace: string, name: string): RenderedObject | undefined {
    if (!this.objectIndex) {
      this.objectIndex = new Map();
      for (const [c, list] of this.objects) {
        for (const o of list) if (o.kind === 'Service' || o.kind === 'Ingress') this.objectIndex.set(`${c}/${o.kind}/${o.namespace}/${o.name}`, o);
      }
    }
    return this.objectIndex.get(`${cluster}/${kind}/${namespace}/${name}`);
  }
}

/** The record's status.dns when the repo declares it (not absent, not null), used as is. */
export function declaredStatus(doc: KubeFedDocument, report: DnsReport, withPlace: boolean): ClusterDns[] | undefined {
  const status = doc.value.status as Obj | undefined;
  const dns = status?.dns as Obj[] | null | undefined;
  if (dns === undefined || dns === null) return undefined;
  const origin = doc.origin;
  return dns.map((entry, i) => {
    const base = ['status', 'dns', i];
    const out: ClusterDns = {
      cluster: String(entry.cluster),
      zones: [],
      targets: statusTargets(entry.loadBalancer, origin, [...base, 'loadBalancer'], report),
    };
    if (withPlace) {
      if (typeof entry.region === 'string' && entry.region !== '') out.region = { text: entry.region, at: { origin, path: [...base, 'region'] } };
      else report.error('FEDC6003', { origin, path: base }, `status.dns[${i}] (cluster ${out.cluster}) has no region, so its names would have an empty label`, 'add region: as KubeFed writes it, or remove status.dns to let fedc derive it');
      const zones = (entry.zones as string[] | null | undefined) ?? [];
      out.zones = zones.map((z, j) => ({ text: z, at: { origin, path: [...base, 'zones', j] } }));
    }
    return out;
  });
}

/**
 * status.dns of a ServiceDNSRecord derived as KubeFed's controller fills it: every cluster, by
 * name, with its region and zones, and the load-balancer addresses of the Service rendered for it
 * (none for a cluster that is not Ready or does not get the Service). Undefined when a Ready
 * cluster has no region or zone: KubeFed then skips the whole record, fedc reports it.
 */
export function deriveServiceStatus(doc: KubeFedDocument, world: RenderedWorld, report: DnsReport): ClusterDns[] | undefined {
  const resource = world.resource('Service', doc.namespace, doc.name);
  if (!resource) {
    report.warning('FEDC6011', { origin: doc.origin, path: ['metadata', 'name'] },
      `ServiceDNSRecord ${doc.namespace}/${doc.name} has no FederatedService ${doc.namespace}/${doc.name}: no cluster has an address for it, so its names are only CNAMEs`,
      'federate the Service, or declare the addresses in status.dns');
  }
  const out: ClusterDns[] = [];
  let complete = true;
  for (const c of world.clusters) {
    const place = clusterPlace(c);
    if (!place.region || place.zones.length === 0) {
      // KubeFed fills status.dns from Ready clusters; one that is not keeps the entry it had,
      // without addresses, and one without region or zone never had one.
      if (c.notReady) continue;
      const missing = !place.region ? (place.zones.length === 0 ? 'region or zone' : 'region') : 'zone';
      report.error('FEDC6007', { origin: c.origin, path: ['metadata', 'name'] },
        `cluster ${c.name} has no ${missing}, so ServiceDNSRecord ${doc.namespace}/${doc.name} cannot name its records (KubeFed skips such a record)`,
        'label the KubeFedCluster with topology.kubernetes.io/region and topology.kubernetes.io/zone (or set status.region and status.zones), or declare status.dns in the record');
      complete = false;
      continue;
    }
    const rendered = world.rendered(c.name, 'Service', doc.namespace, doc.name);
    out.push({ cluster: c.name, region: place.region, zones: place.zones, targets: rendered ? serviceTargets(rendered, resource, report) : [] });
  }
  return complete ? out : undefined;
}

/**
 * status.dns of an IngressDNSRecord derived: every Ready cluster that gets the Ingress, with the
 * addresses its KubeFedCluster declares in the fedc.dev/ingress-addresses annotation.
 */
export function deriveIngressStatus(doc: KubeFedDocument, world: RenderedWorld, report: DnsReport): ClusterDns[] {
  const resource = world.resource('Ingress', doc.namespace, doc.name);
  if (!resource) {
    report.warning('FEDC6011', { origin: doc.origin, path: ['metadata', 'name'] },
      `IngressDNSRecord ${doc.namespace}/${doc.name} has no FederatedIngress ${doc.namespace}/${doc.name}, so no cluster serves its hosts`,
      'federate the Ingress, or declare the addresses in status.dns');
  }
  const out: ClusterDns[] = [];
  for (const c of world.clusters) {
    const rendered = world.rendered(c.name, 'Ingress', doc.namespace, doc.name);
    if (!rendered) continue;
    out.push({ cluster: c.name, zones: [], targets: clusterIngressTargets(c, report) });
  }
  return out;
}

/** A cluster's region and zones, pointing at the label or status field they come from. */
function clusterPlace(c: Cluster): { region?: NamePart; zones: NamePart[] } {
  const at = (path: (string | number)[]): At => ({ origin: c.origin, path });
  const regionKey = REGION_LABELS.find((k) => c.labels[k] !== undefined && c.labels[k] !== '');
  const zoneKey = ZONE_LABELS.find((k) => c.labels[k] !== undefined && c.labels[k] !== '');
  const region = c.region === undefined || c.region === '' ? undefined
    : { text: c.region, at: at(regionKey ? ['metadata', 'labels', regionKey] : ['status', 'region']) };
  const zones = c.zones.map((z, j) => ({ text: z, at: at(zoneKey ? ['metadata', 'labels', zoneKey] : ['status', 'zones', j]) }));
  return { ...(region ? { region } : {}), zones };
}
