import type { KubeFedDocument, Origin } from '../model/inputs.js';
import { buildName, isNameProblem } from './dns-names.js';
import type { DnsReport } from './dns-report.js';

export interface DomainZone {
  /** metadata.name: what domainRef references. */
  name: string;
  /** The zone apex, lowercase, without the trailing dot. */
  domain: string;
  /** From nameServer (one name, or several separated by commas or spaces); empty when absent. */
  nameServers: string[];
  origin: Origin;
}

/** Reads and checks the Domains: valid zone names, valid name servers, one Domain per zone. By metadata.name. */
export function readDomains(docs: readonly KubeFedDocument[], report: DnsReport): Map<string, DomainZone> {
  const byName = new Map<string, DomainZone>();
  const byDomain = new Map<string, DomainZone>();
  for (const d of docs) {
    const origin = d.origin;
    const built = buildName([{ text: String(d.value.domain), at: { origin, path: ['domain'] } }]);
    if (isNameProblem(built)) {
      report.problem(built);
      continue;
    }
    const nameServers: string[] = [];
    let ok = true;
    const ns = typeof d.value.nameServer === 'string' ? d.value.nameServer : '';
    for (const text of ns.split(/[\s,]+/).filter(Boolean)) {
      const n = buildName([{ text, at: { origin, path: ['nameServer'] } }]);
      if (isNameProblem(n)) {
        report.problem(n);
        ok = false;
      } else if (/^\d+$/.test(n.name.slice(n.name.lastIndexOf('.') + 1))) {
        // NS and SOA MNAME name a host (RFC 1035 3.3.11, 3.3.13); an all-numeric top label is an address (RFC 1123 2.1)
        report.error('FEDC6003', { origin, path: ['nameServer'] }, `name server "${text}" is an IP address, not a host name: NS and SOA records name a host`, 'name the server (ns1.example.net); give its address in a record of its own zone');
        ok = false;
      } else if (!nameServers.includes(n.name)) nameServers.push(n.name);
    }
    if (!ok) continue;
    const zone: DomainZone = { name: d.name, domain: built.name, nameServers, origin };
    const first = byDomain.get(zone.domain);
    if (first) {
      report.error('FEDC6015', { origin, path: ['domain'] }, `Domains ${first.name} and ${d.name} both declare the zone ${zone.domain}`,
        `the other is at ${report.where({ origin: first.origin, path: ['domain'] })}; keep one Domain per zone`);
      continue;
    }
    byDomain.set(zone.domain, zone);
    if (!byName.has(d.name)) byName.set(d.name, zone);
  }
  return byName;
}
