/**
 * The zones of the DNS fixtures, checked by BIND's named-checkzone and served by NSD on
 * 127.0.0.1, then queried with dig: the names of seed 000 resolve as the seed lists them.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedCheckzone, startNsd, type DigAnswer, type NsdServer, type ZoneText } from './dns-tools.js';
import { readFixture, renderTree, ROOT } from './helpers.js';

const FIXTURES = ['seed-000-microbot', 'dns-multicloud'];

async function fixtureZones(name: string): Promise<ZoneText[]> {
  const { result } = renderTree(await readFixture(path.join(ROOT, 'fixtures', name, 'input')));
  expect(result.failed).toBe(false);
  return result.dns.zones.map((z) => ({ domain: z.domain, text: z.text }));
}

/** CNAME chain and final records as [name, type, data] triples, TTL and class aside. */
const rows = (a: DigAnswer) => a.answer.map(([name, , , type, data]) => [name, type, data]);

describe('DNS fixtures under real DNS software', () => {
  let server: NsdServer;
  const zones: ZoneText[] = [];

  beforeAll(async () => {
    for (const f of FIXTURES) zones.push(...(await fixtureZones(f)));
    server = await startNsd(zones);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('every zone passes named-checkzone -i local, warnings as failures', () => {
    expect(zones.map((z) => z.domain).sort()).toEqual(['demo.madeden.net', 'eu.example.com', 'example.com']);
    for (const z of zones) {
      const r = namedCheckzone(z);
      expect(r.ok, `${z.domain}:\n${r.output}`).toBe(true);
    }
  });

  it('seed 000: the zone apex has the SOA and the four Cloud DNS name servers', () => {
    const soa = server.dig('demo.madeden.net', 'SOA');
    expect(soa.status).toBe('NOERROR');
    expect(soa.aa).toBe(true);
    expect(rows(soa)[0]!.slice(0, 2)).toEqual(['demo.madeden.net.', 'SOA']);
    expect(rows(server.dig('demo.madeden.net', 'NS')).map((r) => r[2]).sort()).toEqual(
      ['ns-cloud-a1.googledomains.com.', 'ns-cloud-a2.googledomains.com.', 'ns-cloud-a3.googledomains.com.', 'ns-cloud-a4.googledomains.com.']);
  });

  it('seed 000: the records of "gcloud dns record-sets list", CNAME chains included', () => {
    const svc = (level: string) => `microbot.default.magicring.svc.${level}demo.madeden.net.`;
    for (const [zone, region] of [['us-west-2a', 'us-west-2'], ['eu-west-2a', 'eu-west-2']] as const) {
      const a = server.dig(svc(`${zone}.${region}.`), 'A');
      // zone -> region -> global; as in KubeFed, no cluster has an address, so the global name has no record.
      expect(rows(a)).toEqual([
        [svc(`${zone}.${region}.`), 'CNAME', svc(`${region}.`)],
        [svc(`${region}.`), 'CNAME', svc('')],
      ]);
      expect(a.status).toBe('NXDOMAIN');
      expect(a.answer.every((r) => r[1] === '180')).toBe(true);
    }
    expect(server.dig(svc(''), 'A').status).toBe('NXDOMAIN');
  });

  it('seed 000: the hand-written ingress record is now derived', () => {
    const a = server.dig('microbots.demo.madeden.net', 'A');
    expect(a.status).toBe('NOERROR');
    expect(rows(a).map((r) => r[2]).sort()).toEqual(['192.0.2.43', '192.0.2.54', '192.0.2.95', '198.51.100.5', '198.51.100.6', '198.51.100.7']);
  });

  it('multicloud: a zone without an address falls back to its region, then to the global A and AAAA records', () => {
    const a = server.dig('web.shop.galactic.svc.eu-west-2a.eu-west-2.example.com', 'A');
    expect(a.status).toBe('NOERROR');
    expect(rows(a)).toEqual([
      ['web.shop.galactic.svc.eu-west-2a.eu-west-2.example.com.', 'CNAME', 'web.shop.galactic.svc.eu-west-2.example.com.'],
      ['web.shop.galactic.svc.eu-west-2.example.com.', 'CNAME', 'web.shop.galactic.svc.example.com.'],
      ['web.shop.galactic.svc.example.com.', 'A', '192.0.2.10'],
      ['web.shop.galactic.svc.example.com.', 'A', '203.0.113.20'],
    ]);
    expect(a.answer.every((r) => r[1] === '300')).toBe(true);
    expect(rows(server.dig('web.shop.galactic.svc.us-east1-b.us-east1.example.com', 'AAAA'))).toEqual([
      ['web.shop.galactic.svc.us-east1-b.us-east1.example.com.', 'AAAA', '2001:db8::20'],
    ]);
    expect(rows(server.dig('web.shop.galactic.svc.us-west-2.example.com', 'A'))).toEqual([
      ['web.shop.galactic.svc.us-west-2.example.com.', 'A', '192.0.2.10'],
    ]);
  });

  it('multicloud: dnsPrefix, externalName and a load-balancer hostname', () => {
    expect(rows(server.dig('www.example.com', 'A'))).toEqual([
      ['www.example.com.', 'CNAME', 'web.shop.galactic.svc.example.com.'],
      ['web.shop.galactic.svc.example.com.', 'A', '192.0.2.10'],
      ['web.shop.galactic.svc.example.com.', 'A', '203.0.113.20'],
    ]);
    const api = server.dig('api-v1.shop.galactic.svc.us-west-2a.us-west-2.example.com', 'A');
    expect(rows(api)).toEqual([
      ['api-v1.shop.galactic.svc.us-west-2a.us-west-2.example.com.', 'CNAME', 'a1b2c3d4-1234567890.us-west-2.elb.amazonaws.com.'],
    ]);
  });

  it('multicloud: ingress hosts go into the zone of the longest Domain; the parent delegates it', () => {
    const eu = server.dig('shop.eu.example.com', 'A');
    expect(eu.aa).toBe(true);
    expect(rows(eu).map((r) => r[2])).toEqual(['192.0.2.80', '198.51.100.80']);
    expect(rows(server.dig('shop.eu.example.com', 'AAAA')).map((r) => r[2])).toEqual(['2001:db8:80::1']);
    expect(rows(server.dig('shop.example.com', 'A')).map((r) => r[2])).toEqual(['192.0.2.80', '198.51.100.80']);
    expect(server.dig('shop.example.org', 'A').status).toBe('REFUSED');
  });
});
