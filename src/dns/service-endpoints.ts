import type { At } from '../diagnostics/reporter.js';
import type { KubeFedDocument } from '../model/inputs.js';
import { buildName, isNameProblem } from './dns-names.js';
import type { DnsReport } from './dns-report.js';
import type { ClusterDns, NamePart, RawEndpoint } from './dns-types.js';
import type { DomainZone } from './read-domains.js';

/** KubeFed's record TTL when spec.recordTTL is 0 or absent. */
export const DEFAULT_TTL = 180;

type Obj = Record<string, unknown>;

/**
 * The endpoints of a ServiceDNSRecord, as KubeFed v0.6.1's getServiceDNSEndpoints makes them
 * (before merging). For each status.dns entry: <prefix>.<zone>.<region>.<domain> per zone,
 * <prefix>.<region>.<domain>, <prefix>.<domain>; each an A record of the cluster's addresses, or
 * when it has none a CNAME one level up (the global name: no record). prefix is
 * <name>.<namespace>.<domainRef>.svc, with externalName in place of the name when set. dnsPrefix
 * adds <dnsPrefix>.<domain> CNAME to the global name.
 */
export function serviceEndpoints(doc: KubeFedDocument, domain: DomainZone, dns: readonly ClusterDns[], report: DnsReport): RawEndpoint[] {
  const origin = doc.origin;
  const spec = doc.value.spec as Obj;
  const externalName = typeof spec.externalName === 'string' && spec.externalName !== '' ? spec.externalName : undefined;
  const ttl = typeof spec.recordTTL === 'number' && spec.recordTTL > 0 ? spec.recordTTL : DEFAULT_TTL;
  const labels = externalName ? { serviceName: doc.name } : undefined;
  const recordAt: At = { origin, path: ['metadata', 'name'] };
  const prefix: NamePart[] = [
    externalName ? { text: externalName, at: { origin, path: ['spec', 'externalName'] } } : { text: doc.name, at: recordAt },
    { text: doc.namespace, at: { origin, path: ['metadata', 'namespace'] } },
    { text: String(spec.domainRef), at: { origin, path: ['spec', 'domainRef'] } },
    { text: 'svc', at: recordAt },
  ];
  const apex: NamePart = { text: domain.domain, at: { origin: domain.origin, path: ['domain'] } };
  const name = (parts: NamePart[]): string | undefined => {
    const n = buildName(parts);
    if (isNameProblem(n)) {
      report.problem(n);
      return undefined;
    }
    return n.name;
  };
  const out: RawEndpoint[] = [];
  const push = (dnsName: string | undefined, targets: RawEndpoint['targets'], up: string | undefined) => {
    if (dnsName === undefined) return;
    const base = { dnsName, ttl, at: recordAt, ...(labels ? { labels } : {}) };
    if (targets.length > 0) out.push({ ...base, type: 'A', targets });
    else if (up !== undefined) out.push({ ...base, type: 'CNAME', targets: [{ kind: 'hostname', value: up, at: recordAt }] });
  };
  const globalName = name([...prefix, apex]);
  for (const entry of dns) {
    if (!entry.region) continue; // reported when status.dns was read
    const regionName = name([...prefix, entry.region, apex]);
    for (const zone of entry.zones) push(name([...prefix, zone, entry.region, apex]), entry.targets, regionName);
    push(regionName, entry.targets, globalName);
    push(globalName, entry.targets, undefined);
  }
  if (globalName !== undefined && dns.length > 0 && dns.every((d) => d.targets.length === 0)) {
    report.info('FEDC6012', recordAt, `${globalName} gets no record: no cluster has an address for ServiceDNSRecord ${doc.namespace}/${doc.name}, so its region and zone CNAMEs end at a name that does not exist (as in KubeFed)`,
      'give the Service a load-balancer address in at least one cluster (status.loadBalancer.ingress, spec.loadBalancerIP or spec.externalIPs), or declare it in status.dns');
  }
  if (typeof spec.dnsPrefix === 'string' && spec.dnsPrefix !== '' && globalName !== undefined) {
    const at: At = { origin, path: ['spec', 'dnsPrefix'] };
    const dnsName = name([{ text: spec.dnsPrefix, at }, apex]);
    if (dnsName !== undefined) out.push({ dnsName, type: 'CNAME', targets: [{ kind: 'hostname', value: globalName, at }], ttl, at });
  }
  return out;
}

/**
 * The endpoints of an IngressDNSRecord (KubeFed's getIngressDNSEndpoints): one A record per host,
 * named exactly the host, with every cluster's addresses; none when no cluster has an address.
 */
export function ingressEndpoints(doc: KubeFedDocument, dns: readonly ClusterDns[], report: DnsReport): RawEndpoint[] {
  const origin = doc.origin;
  const spec = doc.value.spec as Obj;
  const ttl = typeof spec.recordTTL === 'number' && spec.recordTTL > 0 ? spec.recordTTL : DEFAULT_TTL;
  const hosts = (spec.hosts as string[] | null | undefined) ?? [];
  const targets = dns.flatMap((d) => d.targets);
  const out: RawEndpoint[] = [];
  for (const [i, host] of hosts.entries()) {
    const at: At = { origin, path: ['spec', 'hosts', i] };
    const n = buildName([{ text: host, at }], { wildcard: true });
    if (isNameProblem(n)) {
      report.problem(n);
      continue;
    }
    if (targets.length === 0) {
      report.warning('FEDC6013', at, `ingress host ${n.name} gets no record: no cluster that serves IngressDNSRecord ${doc.namespace}/${doc.name} has an address`,
        'declare the ingress addresses of each cluster in the fedc.dev/ingress-addresses annotation of its KubeFedCluster, or in the record\'s status.dns');
      continue;
    }
    out.push({ dnsName: n.name, type: 'A', targets, ttl, at });
  }
  return out;
}
