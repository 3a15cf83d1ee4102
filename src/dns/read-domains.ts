import { isIP } from 'node:net';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { KubeFedDocument, Origin } from '../model/inputs.js';
import { buildName, isNameProblem, normalizeName } from './dns-names.js';
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

export interface Domains {
  /** The Domains that make a zone, by metadata.name. */
  zones: Map<string, DomainZone>;
  /**
   * The Domains refused with an error, by metadata.name: their domain, as written (lowercase, no
   * trailing dot). What refers to one, or lies under it, is not reported again.
   */
  refused: Map<string, string>;
}

/** Reads and checks the Domains: valid zone names, valid name servers, one Domain per zone. */
export function readDomains(docs: readonly KubeFedDocument[], report: DnsReport): Domains {
  const byName = new Map<string, DomainZone>();
  const byDomain = new Map<string, DomainZone>();
  const refused = new Map<string, string>();
  for (const d of docs) {
    const origin = d.origin;
    const written = String(d.value.domain);
    const refuse = () => {
      if (!byName.has(d.name)) refused.set(d.name, normalizeName(written));
    };
    const built = buildName([{ text: written, at: { origin, path: ['domain'] } }]);
    if (isNameProblem(built)) {
      report.problem(built);
      refuse();
      continue;
    }
    const nameServers: string[] = [];
    const ns = typeof d.value.nameServer === 'string' ? d.value.nameServer : '';
    const at = { origin, path: ['nameServer'] };
    // Every bad name at once, in one diagnostic: they are all at the one nameServer value.
    const problems: { code: DiagnosticCode; message: string }[] = [];
    let hint: string | undefined;
    if (/["']/.test(ns)) {
      problems.push({ code: 'FEDC6003', message: `nameServer ${JSON.stringify(ns)} holds quotes: it is one string of names, not a list` });
      hint = `write the names bare, separated by commas: ${ns.replace(/["']/g, '')}`;
    }
    for (const text of problems.length ? [] : ns.split(/[\s,]+/).filter(Boolean)) {
      const n = buildName([{ text, at }]);
      if (isNameProblem(n)) {
        problems.push(n);
      } else if (/^\d+$/.test(n.name.slice(n.name.lastIndexOf('.') + 1))) {
        // NS and SOA MNAME name a host (RFC 1035 3.3.11, 3.3.13); an all-numeric top label is an address (RFC 1123 2.1)
        const what = isIP(n.name) ? 'is an IP address, not a host name' : 'ends in an all-numeric label, so it is no host name (RFC 1123 2.1)';
        problems.push({ code: 'FEDC6003', message: `name server "${text}" ${what}: NS and SOA records name a host` });
        hint ??= 'name the server (ns1.example.net); give its address in a record of its own zone';
      } else if (!nameServers.includes(n.name)) nameServers.push(n.name);
    }
    if (problems.length > 0) {
      report.error(problems[0]!.code, at, problems.map((p) => p.message).join('; '), hint);
      refuse();
      continue;
    }
    const zone: DomainZone = { name: d.name, domain: built.name, nameServers, origin };
    const first = byDomain.get(zone.domain);
    if (first) {
      report.error('FEDC6015', { origin, path: ['domain'] }, `Domains ${first.name} and ${d.name} both declare the zone ${zone.domain}`,
        `the other is at ${report.where({ origin: first.origin, path: ['domain'] })}; keep one Domain per zone`);
      refuse();
      continue;
    }
    byDomain.set(zone.domain, zone);
    if (!byName.has(d.name)) byName.set(d.name, zone);
  }
  return { zones: byName, refused };
}
