import type { At } from '../diagnostics/reporter.js';
import { readZoneSerial, zoneFileText, ZONE_TTL } from '../emit/zone-file.js';
import { canonicalCompare, isUnder, normalizeName } from './dns-names.js';
import type { DnsReport } from './dns-report.js';
import type { Endpoint, RRset, Zone } from './dns-types.js';
import type { DomainZone } from './read-domains.js';
import { chooseSerial } from './soa-serial.js';

export interface ZoneSettings {
  /** NS names for Domains without nameServer (fedc.yaml dns.nameServers). */
  nameServers?: readonly string[];
  /** SOA RNAME (fedc.yaml dns.hostmaster): an email address or a domain name. Default hostmaster.<zone>. */
  hostmaster?: string;
  /** The text of the zone file this run replaces, by zone (apex without trailing dot). */
  previousZone?: (domain: string) => string | undefined;
}

/** A published endpoint and where it comes from (which record), for the zone and its diagnostics. */
export interface Placed extends Endpoint {
  /** IngressDNSRecord or ServiceDNSRecord, for messages. */
  record: string;
  ingress: boolean;
}

interface Entry {
  rr: RRset;
  at: At;
  record: string;
}

const TYPE_ORDER = ['NS', 'A', 'AAAA', 'CNAME'];

/**
 * Puts every endpoint into the zone of the Domain whose domain is its longest suffix, checks what
 * a zone allows (one TTL per RRset, nothing beside a CNAME, a name server for every zone), and
 * writes each zone file with its SOA serial. `refused`: the domains of Domains refused with an
 * error; an ingress host under one is not also reported as under no Domain.
 */
export function buildZones(domains: readonly DomainZone[], refused: readonly string[], endpoints: readonly Placed[], settings: ZoneSettings, report: DnsReport): Zone[] {
  const byApex = [...domains].sort((a, b) => b.domain.length - a.domain.length);
  const sets = new Map<string, Map<string, Map<string, Entry>>>(domains.map((d) => [d.domain, new Map()]));
  // Data before CNAMEs, so a conflict is reported at the CNAME (a dnsPrefix, say); then by record.
  const ordered = [...endpoints].sort((a, b) => Number(a.recordType === 'CNAME') - Number(b.recordType === 'CNAME'));
  for (const e of ordered) {
    const d = byApex.find((z) => isUnder(e.dnsName, z.domain));
    if (!d) {
      if (e.ingress && !refused.some((z) => isUnder(e.dnsName, z))) {
        report.warning('FEDC6010', e.at, `ingress host ${e.dnsName} is under no Domain: it goes only into the DNSEndpoint of ${e.record}, not into a zone file`,
          `Domains: ${domains.map((z) => z.domain).join(', ') || 'none'}; declare a Domain for its zone if fedc should serve it`);
      }
      continue;
    }
    const names = sets.get(d.domain)!;
    let types = names.get(e.dnsName);
    if (!types) names.set(e.dnsName, (types = new Map()));
    const same = types.get(e.recordType);
    if (e.recordType === 'CNAME' && e.dnsName === d.domain) {
      report.error('FEDC6005', e.at, `${e.dnsName} is the apex of zone ${d.domain}: a CNAME there would sit beside its SOA and NS records`);
      continue;
    }
    const other = [...types.values()].find((s) => (s.rr.type === 'CNAME') !== (e.recordType === 'CNAME'));
    if (other) {
      report.error('FEDC6005', e.at, other.rr.type === 'CNAME'
        ? `${e.dnsName} is a CNAME (to ${other.rr.data[0]}, from ${other.record}); an ${e.recordType} record cannot sit beside it (RFC 1034 3.6.2)`
        : `${e.dnsName} would be a CNAME (to ${e.targets[0]}) beside its ${other.rr.type} record from ${other.record}: a name with a CNAME can have no other data (RFC 1034 3.6.2)`,
        `the other record is at ${report.where(other.at)}; pick another dnsPrefix or host`);
      continue;
    }
    if (same) {
      if (same.rr.ttl !== e.recordTTL) {
        report.error('FEDC6006', e.at, `${e.dnsName} ${e.recordType} would get TTL ${e.recordTTL} here and ${same.rr.ttl} from ${same.record}: all records of one name and type share one TTL (RFC 2181 5.2)`,
          `the other is at ${report.where(same.at)}; give both records the same recordTTL`);
        continue;
      }
      if (e.recordType === 'CNAME' && same.rr.data[0] !== e.targets[0]) {
        report.error('FEDC6005', e.at, `${e.dnsName} would be a CNAME to both ${same.rr.data[0]} (${same.record}) and ${e.targets[0]}: a name has at most one CNAME`,
          `the other is at ${report.where(same.at)}`);
        continue;
      }
      same.rr.data = [...new Set([...same.rr.data, ...e.targets])];
      continue;
    }
    types.set(e.recordType, { rr: { name: e.dnsName, type: e.recordType, ttl: e.recordTTL, data: [...e.targets] }, at: e.at, record: e.record });
  }

  const fromSettings = [...new Set((settings.nameServers ?? []).map(normalizeName))];
  const nameServersOf = (d: DomainZone) => (d.nameServers.length > 0 ? d.nameServers : fromSettings);
  /** The zone with a name server (so a file) nearest above `name`, or at it; `except` aside. */
  const holderOf = (name: string, except?: DomainZone) => byApex.find((z) => z !== except && nameServersOf(z).length > 0 && isUnder(name, z.domain));
  // A Domain inside another is delegated from it: NS records at the cut, with glue for name
  // servers inside the child zone.
  for (const child of domains) {
    const parent = byApex.find((z) => z !== child && isUnder(child.domain, z.domain));
    const ns = nameServersOf(child);
    if (!parent || ns.length === 0) continue;
    const parentNames = sets.get(parent.domain)!;
    const at: At = { origin: child.origin, path: ['domain'] };
    parentNames.set(child.domain, new Map([['NS', { rr: { name: child.domain, type: 'NS', ttl: ZONE_TTL, data: ns }, at, record: `Domain ${child.name}` }]]));
    for (const n of ns.filter((x) => isUnder(x, child.domain))) {
      const glue = sets.get(child.domain)!.get(n);
      for (const t of ['A', 'AAAA']) {
        const g = glue?.get(t);
        if (!g) continue;
        if (!parentNames.has(n)) parentNames.set(n, new Map());
        parentNames.get(n)!.set(t, { ...g, rr: { ...g.rr, data: [...g.rr.data] } });
      }
    }
  }

  const zones: Zone[] = [];
  for (const d of [...domains].sort((a, b) => canonicalCompare(a.domain, b.domain))) {
    const names = sets.get(d.domain)!;
    const nameServers = nameServersOf(d);
    const nsAt: At = { origin: d.origin, path: ['nameServer'] };
    if (nameServers.length === 0) {
      const nameless = `zone ${d.domain} (Domain ${d.name}) has no name server for its SOA and NS records`;
      const hint = 'set nameServer on the Domain (several names may be separated by commas), or dns.nameServers in fedc.yaml';
      // Without a zone cut, the zone around it answers for its names, and has none of them.
      const around = holderOf(d.domain, d);
      const previous = settings.previousZone?.(d.domain);
      if (around) {
        report.error('FEDC6017', nsAt, `${nameless}: zone ${around.domain}, which fedc writes, can neither delegate it nor hold its names, and would answer that they do not exist`, hint);
      } else if (previous !== undefined) {
        // Its secondaries keep the zone at its serial, and a zone written again starts at 1.
        report.error('FEDC6017', nsAt, `${nameless}: its zone file in the output, at serial ${readZoneSerial(previous) ?? '?'}, would be deleted, and its serial lost`,
          `${hint}; to retire the zone, delete the Domain`);
      } else {
        // KubeFed's own external-dns workflow needs no name server: DNSEndpoints are still written.
        report.warning('FEDC6014', nsAt, `${nameless}, so no zone file is written for it; its DNSEndpoints are`, `for a zone file, ${hint}`);
      }
      continue;
    }
    // Each name server's addresses, in the zone fedc writes that holds its name (RFC 2181 10.3:
    // not a CNAME), so that resolvers can reach the zone.
    const unreachable: string[] = [];
    for (const ns of nameServers) {
      const z = holderOf(ns);
      const types = z && sets.get(z.domain)!.get(ns);
      const alias = types?.get('CNAME');
      if (!z || (!alias && ['A', 'AAAA'].some((t) => types?.has(t)))) continue;
      unreachable.push(alias
        ? `name server ${ns} is a CNAME (to ${alias.rr.data[0]}, from ${alias.record}) in zone ${z.domain}: a name server needs address records of its own (RFC 2181 10.3)`
        : z === d ? `name server ${ns} is inside zone ${d.domain} but the zone has no address record for it`
          : `name server ${ns} is inside zone ${z.domain}, which fedc writes, but that zone has no address record for it`);
    }
    if (unreachable.length > 0) {
      report.error('FEDC6016', nsAt, unreachable.join('; '),
        'use name servers outside the zones fedc writes, or publish their addresses (an IngressDNSRecord host, say)');
      continue;
    }
    const rrsets: RRset[] = [{ name: d.domain, type: 'NS', ttl: ZONE_TTL, data: nameServers }];
    for (const name of [...names.keys()].sort(canonicalCompare)) {
      const types = names.get(name)!;
      for (const t of TYPE_ORDER) {
        const s = types.get(t);
        if (s) rrsets.push({ ...s.rr, data: [...s.rr.data].sort() });
      }
    }
    const hostmaster = rname(settings.hostmaster, d.domain);
    const comments = [`zone ${d.domain} from Domain ${d.name} (${d.origin.file}).`];
    const render = (serial: number) => zoneFileText({ domain: d.domain, comments, nameServers, hostmaster, serial, rrsets });
    const serial = chooseSerial(render, settings.previousZone?.(d.domain), readZoneSerial);
    zones.push({ domain: d.domain, domainName: d.name, source: d.origin, file: zoneFileName(d.domain), nameServers, hostmaster, serial, rrsets, text: render(serial) });
  }
  return zones;
}

/** The file of a zone under dns/zones/. */
export function zoneFileName(domain: string): string {
  return `${domain}.zone`;
}

/** SOA RNAME: "hostmaster@example.com" becomes hostmaster.example.com (dots in the local part escaped). */
export function rname(hostmaster: string | undefined, domain: string): string {
  if (!hostmaster) return `hostmaster.${domain}`;
  const h = hostmaster.toLowerCase().replace(/\.$/, '');
  const at = h.indexOf('@');
  return at < 0 ? h : `${h.slice(0, at).replace(/\./g, '\\.')}.${h.slice(at + 1)}`;
}
