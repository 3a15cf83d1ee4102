import type { RRset } from '../dns/dns-types.js';
import { compareAddresses } from '../dns/dns-names.js';
import { ZONE_GENERATED_MARKER } from '../model/output-contract.js';

export { ZONE_GENERATED_MARKER };

/** TTL of the SOA and NS records, and the zone's $TTL. */
export const ZONE_TTL = 3600;

/** SOA timers: refresh, retry, expire, and the negative-caching TTL (RFC 2308). */
export const SOA_TIMERS = { refresh: 3600, retry: 600, expire: 1209600, minimum: 180 } as const;

export interface ZoneFileInput {
  domain: string;
  /** Comment lines after the marker (without "; "). */
  comments: string[];
  nameServers: string[];
  hostmaster: string;
  serial: number;
  /** Everything but the SOA, in file order. */
  rrsets: RRset[];
}

const fqdn = (name: string) => `${name}.`;

/**
 * An RFC 1035 master file: $ORIGIN and $TTL, the SOA on one line, then one line per record with
 * its owner name fully qualified, its TTL and class. Lowercase, LF line ends, tabs between fields.
 */
export function zoneFileText(z: ZoneFileInput): string {
  const lines = [`${ZONE_GENERATED_MARKER}; do not edit.`, ...z.comments.map((c) => `; ${c}`)];
  lines.push(`$ORIGIN ${fqdn(z.domain)}`, `$TTL ${ZONE_TTL}`);
  const t = SOA_TIMERS;
  lines.push(row(z.domain, ZONE_TTL, 'SOA', `${fqdn(z.nameServers[0]!)} ${fqdn(z.hostmaster)} ${z.serial} ${t.refresh} ${t.retry} ${t.expire} ${t.minimum}`));
  for (const r of z.rrsets) {
    const data = r.type === 'A' || r.type === 'AAAA' ? [...r.data].sort(compareAddresses) : r.data.map(fqdn);
    for (const d of data) lines.push(row(r.name, r.ttl, r.type, d));
  }
  return lines.join('\n') + '\n';
}

function row(name: string, ttl: number, type: string, data: string): string {
  return `${fqdn(name)}\t${ttl}\tIN\t${type}\t${data}`;
}

/** The SOA serial of a zone file fedc wrote, or undefined when it has none. */
export function readZoneSerial(text: string): number | undefined {
  const m = /^\S+\t\d+\tIN\tSOA\t\S+ \S+ (\d+) /m.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n < 2 ** 32 ? n : undefined;
}
