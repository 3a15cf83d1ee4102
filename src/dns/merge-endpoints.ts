import type { DnsReport } from './dns-report.js';
import type { Endpoint, RawEndpoint, Target } from './dns-types.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * KubeFed's DedupeAndMergeEndpoints: by name; at one name an A record beats CNAMEs, and records of
 * one type merge their targets (union, sorted, de-duplicated).
 */
export function mergeEndpoints(raw: readonly RawEndpoint[]): RawEndpoint[] {
  const byName = new Map<string, RawEndpoint[]>();
  for (const e of raw) {
    const list = byName.get(e.dnsName);
    if (list) list.push(e);
    else byName.set(e.dnsName, [e]);
  }
  const out: RawEndpoint[] = [];
  for (const name of [...byName.keys()].sort(cmp)) {
    const list = byName.get(name)!;
    const a = list.filter((e) => e.type === 'A');
    const kept = a.length > 0 ? a : list;
    const targets = new Map<string, Target>();
    for (const e of kept) for (const t of e.targets) if (!targets.has(t.value)) targets.set(t.value, t);
    const first = kept[0]!;
    out.push({ ...first, targets: [...targets.keys()].sort(cmp).map((k) => targets.get(k)!) });
  }
  return out;
}

/**
 * Turns merged endpoints into published ones. KubeFed resolves hostname targets to IPs with a DNS
 * lookup; fedc is offline: a hostname that is the only target at its name becomes a CNAME to it
 * (FEDC6009, info), a hostname beside other targets is an error (FEDC6008). IPv6 addresses go
 * into an AAAA record beside the A record of the IPv4 ones.
 */
export function resolveEndpoints(merged: readonly RawEndpoint[], report: DnsReport): Endpoint[] {
  const out: Endpoint[] = [];
  for (const e of merged) {
    const base = { dnsName: e.dnsName, recordTTL: e.ttl, at: e.at, ...(e.labels ? { labels: e.labels } : {}) };
    if (e.type === 'CNAME') {
      if (e.targets.length > 1) {
        report.error('FEDC6005', e.at, `${e.dnsName} would be a CNAME to ${e.targets.length} names (${e.targets.map((t) => t.value).join(', ')}); a CNAME has exactly one target`);
        continue;
      }
      out.push({ ...base, recordType: 'CNAME', targets: e.targets.map((t) => t.value) });
      continue;
    }
    const hostnames = e.targets.filter((t) => t.kind === 'hostname');
    const ips = e.targets.filter((t) => t.kind === 'ip');
    if (hostnames.length > 0) {
      if (hostnames.length === 1 && ips.length === 0) {
        const h = hostnames[0]!;
        report.info('FEDC6009', h.at, `${e.dnsName} is published as a CNAME to the load-balancer hostname ${h.value}: fedc cannot resolve it offline (KubeFed would publish its addresses in an A record)`);
        out.push({ ...base, recordType: 'CNAME', targets: [h.value] });
        continue;
      }
      const others = e.targets.filter((t) => t !== hostnames[0]).map((t) => t.value);
      report.error('FEDC6008', hostnames[0]!.at,
        `${e.dnsName} needs the addresses of the load-balancer hostname ${hostnames[0]!.value}, beside ${others.join(', ')}: fedc cannot resolve a hostname offline, and a CNAME cannot share its name`,
        'declare the load balancer\'s IP addresses (status.dns of the record, or the Service\'s status.loadBalancer.ingress ip), or give each name a single hostname target');
      continue;
    }
    const v4 = ips.filter((t) => !t.value.includes(':')).map((t) => t.value);
    const v6 = ips.filter((t) => t.value.includes(':')).map((t) => t.value);
    if (v4.length > 0) out.push({ ...base, recordType: 'A', targets: v4 });
    if (v6.length > 0) out.push({ ...base, recordType: 'AAAA', targets: v6 });
  }
  return out;
}
