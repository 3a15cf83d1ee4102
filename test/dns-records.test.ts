/**
 * Records derived as KubeFed v0.6.1 derives them (KUBEFED-SEMANTICS.md f), zone file rules, SOA
 * serials. Every zone a successful case produces passes named-checkzone (compileDns).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextSerial, serialGreater } from '../src/dns/soa-serial.js';
import { readZoneSerial } from '../src/emit/zone-file.js';
import { BASE, cluster, CLUSTERS, compileDns, dnsFiles, DOMAIN, lbIps, NAMESPACE, produced, records, service, serviceRecord, type Src } from './dns-fixtures.js';
import { verifyServed } from './dns-tools.js';
import { files, readFixture, ROOT } from './helpers.js';
import { compile } from '../src/compile.js';

const W = (level: string) => `web.ns.fed.svc.${level}example.com.`;
const codes = (r: ReturnType<typeof compileDns>) => r.diagnostics.map((d) => `${d.severity} ${d.code}`);

describe('service records (KubeFed getServiceDNSEndpoints)', () => {
  it('A where a cluster at that level has an address, else a CNAME one level up; A beats CNAME', () => {
    const r = compileDns({ ...BASE, 'web.yaml': service('web', lbIps({ c1: '10.0.0.1' })), 'rec.yaml': serviceRecord('web') });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toEqual([
      `${W('r1a.r1.')} 180 A 10.0.0.1`,
      `${W('r1b.r1.')} 180 CNAME ${W('r1.')}`,
      `${W('r1.')} 180 A 10.0.0.1`,
      `${W('r2a.r2.')} 180 CNAME ${W('r2.')}`,
      `${W('r2.')} 180 CNAME ${W('')}`,
      `${W('')} 180 A 10.0.0.1`,
    ]);
  });

  it('the global name gets no record when no cluster has an address (info FEDC6012)', () => {
    const r = compileDns({ ...BASE, 'web.yaml': service('web'), 'rec.yaml': serviceRecord('web') });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r).filter((l) => l.startsWith(`${W('')} `))).toEqual([]);
    expect(records(r)).toContain(`${W('r1.')} 180 CNAME ${W('')}`);
    expect(codes(r)).toEqual(['info FEDC6012']);
  });

  it('targets of one level are unioned and sorted; addresses come from status, loadBalancerIP and externalIPs', () => {
    const overrides = `
  - clusterName: c1
    clusterOverrides:
    - op: add
      path: /status
      value: {loadBalancer: {ingress: [{ip: 10.0.0.9}, {ip: 10.0.0.10}]}}
  - clusterName: c2
    clusterOverrides:
    - path: /spec/externalIPs
      value: [10.0.0.2, 10.0.0.9]
  - clusterName: c3
    clusterOverrides:
    - path: /spec/loadBalancerIP
      value: 2001:DB8:0:0::3`;
    const r = compileDns({ ...BASE, 'web.yaml': service('web', overrides), 'rec.yaml': serviceRecord('web') });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    const global = records(r).filter((l) => l.startsWith(`${W('')} `));
    expect(global).toEqual([
      `${W('')} 180 A 10.0.0.2`,
      `${W('')} 180 A 10.0.0.9`,
      `${W('')} 180 A 10.0.0.10`,
      `${W('')} 180 AAAA 2001:db8::3`,
    ]);
    expect(records(r).filter((l) => l.startsWith(`${W('r1.')} `)).map((l) => l.split(' ')[3])).toEqual(['10.0.0.2', '10.0.0.9', '10.0.0.10']);
    // The DNSEndpoint keeps KubeFed's string order.
    const ep = dnsFiles(r).get('dns/endpoints/namespaces/ns/dnsendpoint-service-web.yaml')!;
    expect(ep).toContain('  - dnsName: web.ns.fed.svc.example.com\n    targets:\n    - 10.0.0.10\n    - 10.0.0.2\n    - 10.0.0.9\n    recordType: A\n    recordTTL: 180\n');
    expect(ep).toContain('    - 2001:db8::3\n    recordType: AAAA\n');
  });

  it('recordTTL, dnsPrefix and externalName', () => {
    const spec = '  recordTTL: 60\n  dnsPrefix: www\n  externalName: shop\n';
    const r = compileDns({ ...BASE, 'web.yaml': service('web', lbIps({ c3: '10.0.0.3' })), 'rec.yaml': serviceRecord('web', spec) });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    const S = (level: string) => `shop.ns.fed.svc.${level}example.com.`;
    expect(records(r)).toEqual([
      `${S('r1a.r1.')} 60 CNAME ${S('r1.')}`,
      `${S('r1b.r1.')} 60 CNAME ${S('r1.')}`,
      `${S('r1.')} 60 CNAME ${S('')}`,
      `${S('r2a.r2.')} 60 A 10.0.0.3`,
      `${S('r2.')} 60 A 10.0.0.3`,
      `${S('')} 60 A 10.0.0.3`,
      `www.example.com. 60 CNAME ${S('')}`,
    ]);
    const ep = dnsFiles(r).get('dns/endpoints/namespaces/ns/dnsendpoint-service-web.yaml')!;
    // externalName: every record labelled with the service name; the dnsPrefix record is not.
    expect(ep.match(/serviceName: web/g)).toHaveLength(6);
    expect(ep).toMatch(/- dnsName: www\.example\.com\n    targets:\n    - shop\.ns\.fed\.svc\.example\.com\n    recordType: CNAME\n    recordTTL: 60\n(?! {4}labels)/);
  });

  it('status.dns in the repo is used as is, even when the Service is rendered', () => {
    const status = `status:
  domain: example.com
  dns:
  - cluster: c1
    region: west
    zones: [west-a, west-b]
    loadBalancer:
      ingress:
      - ip: 192.0.2.1
`;
    const r = compileDns({ ...BASE, 'web.yaml': service('web', lbIps({ c1: '10.0.0.1' })), 'rec.yaml': serviceRecord('web', '', status) });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toEqual([
      // DNS canonical order (RFC 4034 6.1): labels compared from the right.
      `${W('')} 180 A 192.0.2.1`,
      `${W('west.')} 180 A 192.0.2.1`,
      `${W('west-a.west.')} 180 A 192.0.2.1`,
      `${W('west-b.west.')} 180 A 192.0.2.1`,
    ]);
  });

  it('clusters that are not Ready keep their names, as CNAMEs (KubeFed keeps their entry without addresses)', () => {
    const notReady = cluster('c3', 'r2', 'r2a', '').replace('spec:', 'spec:').concat('status:\n  conditions:\n  - type: Ready\n    status: "False"\n');
    const src: Src = { ...BASE, 'clusters.yaml': [cluster('c1', 'r1', 'r1a'), notReady].join('---\n'), 'web.yaml': service('web', lbIps({ c1: '10.0.0.1', c3: '10.0.0.3' })), 'rec.yaml': serviceRecord('web') };
    const r = compileDns(src);
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toContain(`${W('r2a.r2.')} 180 CNAME ${W('r2.')}`);
    expect(records(r)).toContain(`${W('')} 180 A 10.0.0.1`);
  });

  it('a load-balancer hostname alone at a name becomes a CNAME to it (info FEDC6009)', () => {
    const overrides = `
  - clusterName: c1
    clusterOverrides:
    - op: add
      path: /status
      value: {loadBalancer: {ingress: [{hostname: LB-1.ELB.Amazonaws.com}]}}`;
    const r = compileDns({ ...BASE, 'web.yaml': service('web', overrides), 'rec.yaml': serviceRecord('web') });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toContain(`${W('')} 180 CNAME lb-1.elb.amazonaws.com.`);
    expect(records(r)).toContain(`${W('r1a.r1.')} 180 CNAME lb-1.elb.amazonaws.com.`);
    expect(codes(r)).toEqual(['info FEDC6009']);
  });

  it('a ServiceDNSRecord without a FederatedService warns (FEDC6011)', () => {
    const r = compileDns({ ...BASE, 'rec.yaml': serviceRecord('web') });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(codes(r)).toEqual(['warning FEDC6011', 'info FEDC6012']);
  });
});

const INGRESS = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedIngress
metadata:
  name: shop
  namespace: ns
spec:
  template:
    spec:
      rules:
      - host: shop.example.com
  placement:
    clusters:
    - name: c1
    - name: c2
`;

function ingressRecord(hosts: string[], extra = ''): string {
  return `apiVersion: multiclusterdns.kubefed.io/v1alpha1
kind: IngressDNSRecord
metadata:
  name: shop
  namespace: ns
spec:
  hosts:
${hosts.map((h) => `  - ${JSON.stringify(h)}`).join('\n')}
${extra}`;
}

const annotated = (name: string, region: string, zone: string, addresses: string) =>
  cluster(name, region, zone, `  annotations:\n    fedc.dev/ingress-addresses: "${addresses}"\n`);

describe('ingress records (KubeFed getIngressDNSEndpoints)', () => {
  const clusters = [annotated('c1', 'r1', 'r1a', '192.0.2.2, 192.0.2.1'), annotated('c2', 'r1', 'r1b', '192.0.2.3'), annotated('c3', 'r2', 'r2a', '192.0.2.99')].join('---\n');
  const sub = DOMAIN.replace('name: fed', 'name: sub').replace('domain: example.com', 'domain: sub.example.com');

  it('one A record per host with the addresses of the clusters that get the Ingress, in the longest Domain', () => {
    const r = compileDns({ ...BASE, 'clusters.yaml': clusters, 'sub.yaml': sub, 'ing.yaml': INGRESS, 'rec.yaml': ingressRecord(['shop.example.com', 'Shop.Sub.Example.com', '*.sub.example.com', 'shop.example.org']) });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toEqual([
      'shop.example.com. 180 A 192.0.2.1',
      'shop.example.com. 180 A 192.0.2.2',
      'shop.example.com. 180 A 192.0.2.3',
      'sub.example.com. 3600 NS ns1.example.net.',
    ]);
    expect(records(r, 'sub.example.com')).toEqual([
      '*.sub.example.com. 180 A 192.0.2.1',
      '*.sub.example.com. 180 A 192.0.2.2',
      '*.sub.example.com. 180 A 192.0.2.3',
      'shop.sub.example.com. 180 A 192.0.2.1',
      'shop.sub.example.com. 180 A 192.0.2.2',
      'shop.sub.example.com. 180 A 192.0.2.3',
    ]);
    // Under no Domain: a warning, and the host only in the DNSEndpoint.
    expect(codes(r)).toEqual(['warning FEDC6010']);
    expect(dnsFiles(r).get('dns/endpoints/namespaces/ns/dnsendpoint-ingress-shop.yaml')).toContain('- dnsName: shop.example.org\n');
  });

  it('a Domain inside another is delegated, with glue for its name servers inside it', () => {
    const inner = sub.replace('nameServer: ns1.example.net', 'nameServer: ns1.sub.example.com');
    const r = compileDns({ ...BASE, 'clusters.yaml': clusters, 'sub.yaml': inner, 'ing.yaml': INGRESS, 'rec.yaml': ingressRecord(['ns1.sub.example.com']) });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toEqual([
      'sub.example.com. 3600 NS ns1.sub.example.com.',
      'ns1.sub.example.com. 180 A 192.0.2.1',
      'ns1.sub.example.com. 180 A 192.0.2.2',
      'ns1.sub.example.com. 180 A 192.0.2.3',
    ]);
  });

  it('a delegation\'s name server inside the zone around it needs an address there, of its own, not a CNAME (FEDC6016)', () => {
    const inner = sub.replace('nameServer: ns1.example.net', 'nameServer: ns.example.com');
    const diag = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.code.startsWith('FEDC6')).map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col} ${d.message}`);
    const addressed = compileDns({ ...BASE, 'clusters.yaml': clusters, 'sub.yaml': inner, 'ing.yaml': INGRESS, 'rec.yaml': ingressRecord(['ns.example.com']) });
    expect(diag(addressed)).toEqual([]);
    expect(records(addressed)).toContain('sub.example.com. 3600 NS ns.example.com.');
    const none = compile(files({ ...BASE, 'clusters.yaml': clusters, 'sub.yaml': inner }));
    expect(diag(none)).toEqual(['error FEDC6016 sub.yaml:7:13 name server ns.example.com is inside zone example.com, which fedc writes, but that zone has no address record for it']);
    const lb = ingressRecord(['ns.example.com'], 'status:\n  dns:\n  - cluster: c1\n    loadBalancer:\n      ingress:\n      - hostname: lb.example.net\n');
    const alias = compile(files({ ...BASE, 'clusters.yaml': clusters, 'sub.yaml': inner, 'rec.yaml': lb }));
    expect(diag(alias).filter((d) => d.includes('FEDC6016'))).toEqual(['error FEDC6016 sub.yaml:7:13 name server ns.example.com is a CNAME (to lb.example.net, from IngressDNSRecord ns/shop) in zone example.com: a name server needs address records of its own (RFC 2181 10.3)']);
  });

  it('a zone without a name server inside one fedc writes, or whose zone file is in the output, is an error (FEDC6017)', () => {
    const nameless = sub.replace('nameServer: ns1.example.net\n', '');
    const diag = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.code.startsWith('FEDC6')).map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col} ${d.message}`);
    // example.com would answer NXDOMAIN for shop.sub.example.com: no cut, and not its record
    expect(diag(compile(files({ ...BASE, 'clusters.yaml': clusters, 'sub.yaml': nameless, 'ing.yaml': INGRESS, 'rec.yaml': ingressRecord(['shop.sub.example.com']) })))).toEqual([
      'error FEDC6017 sub.yaml:1:1 zone sub.example.com (Domain sub) has no name server for its SOA and NS records: zone example.com, which fedc writes, can neither delegate it nor hold its names, and would answer that they do not exist',
    ]);
    // alone it is only a warning, unless that would delete the zone file rendered before
    const alone = { ...BASE, 'clusters.yaml': clusters, 'domain.yaml': DOMAIN.replace('nameServer: ns1.example.net\n', '') };
    expect(diag(compile(files(alone)))).toEqual([
      'warning FEDC6014 domain.yaml:1:1 zone example.com (Domain fed) has no name server for its SOA and NS records, so no zone file is written for it; its DNSEndpoints are',
    ]);
    const before = compileDns({ ...BASE, 'clusters.yaml': clusters }).dns.zones[0]!.text.replace(/ 1 3600 600 /, ' 7 3600 600 ');
    expect(diag(compile(files(alone), { dns: { previousZone: (d) => (d === 'example.com' ? before : undefined) } }))).toEqual([
      'error FEDC6017 domain.yaml:1:1 zone example.com (Domain fed) has no name server for its SOA and NS records: its zone file in the output, at serial 7, would be deleted, and its serial lost',
    ]);
  });

  it('a host with no address gets no record, with a warning (FEDC6013)', () => {
    const r = compileDns({ ...BASE, 'ing.yaml': INGRESS, 'rec.yaml': ingressRecord(['shop.example.com']) });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    expect(records(r)).toEqual([]);
    expect(codes(r)).toEqual(['warning FEDC6013']);
  });
});

describe('zone files', () => {
  it('NS from fedc.yaml dns.nameServers when the Domain has none; hostmaster as an email address', () => {
    const src = { ...BASE, 'domain.yaml': DOMAIN.replace('nameServer: ns1.example.net\n', ''), 'web.yaml': service('web', lbIps({ c1: '10.0.0.1' })), 'rec.yaml': serviceRecord('web') };
    const r = compileDns(src, { dns: { nameServers: ['a.ns.example.org.', 'B.NS.example.org'], hostmaster: 'dns.admin@example.org' } });
    expect(r.failed, JSON.stringify(r.diagnostics, null, 1)).toBe(false);
    const text = r.dns.zones[0]!.text;
    expect(text).toContain('example.com.\t3600\tIN\tSOA\ta.ns.example.org. dns\\.admin.example.org. 1 3600 600 1209600 180\n');
    expect(text).toContain('example.com.\t3600\tIN\tNS\ta.ns.example.org.\nexample.com.\t3600\tIN\tNS\tb.ns.example.org.\n');
  });

  it('is byte-deterministic whatever the input order', () => {
    const src = { ...BASE, 'web.yaml': service('web', lbIps({ c1: '10.0.0.1', c2: '10.0.0.2' })), 'rec.yaml': serviceRecord('web', '  dnsPrefix: www\n') };
    const a = compile(files(src));
    const b = compile(files(src).reverse());
    expect([...dnsFiles(b)]).toEqual([...dnsFiles(a)]);
  });

  it('writes the seed 000 zone with $ORIGIN, $TTL, SOA, NS and fully qualified lowercase names', async () => {
    const r = compileDns({}, {}); // empty repo: no zone
    expect(r.dns.zones).toEqual([]);
    const seed = compile(await readFixture(path.join(ROOT, 'fixtures/seed-000-microbot/input')));
    const text = seed.dns.zones[0]!.text;
    expect(text.split('\n').slice(2, 5)).toEqual([
      '$ORIGIN demo.madeden.net.',
      '$TTL 3600',
      'demo.madeden.net.\t3600\tIN\tSOA\tns-cloud-a1.googledomains.com. hostmaster.demo.madeden.net. 1 3600 600 1209600 180',
    ]);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith(';') && !l.startsWith('$'))) {
      const [name, , , type, data] = line.split('\t');
      expect(name).toMatch(/^[a-z0-9.-]+\.$/);
      if (type === 'CNAME' || type === 'NS') expect(data).toMatch(/^[a-z0-9.-]+\.$/);
    }
  });
});

describe('SOA serial (RFC 1982)', () => {
  const src: Src = { ...BASE, 'web.yaml': service('web', lbIps({ c1: '10.0.0.1' })), 'rec.yaml': serviceRecord('web') };
  const zoneOf = (s: Src, previous?: string) => compileDns(s, previous === undefined ? {} : { dns: { previousZone: (d) => (d === 'example.com' ? previous : undefined) } }).dns.zones[0]!;

  it('starts at 1, stays while the records stay, and goes up by one when they change', () => {
    const first = zoneOf(src);
    expect(first.serial).toBe(1);
    expect(zoneOf(src, first.text).text).toBe(first.text);
    // A different comment (the Domain moved to another file) is not a change of records.
    const moved = { ...src, 'dns/domain.yaml': src['domain.yaml']! } as Src;
    delete moved['domain.yaml'];
    expect(zoneOf(moved, first.text).serial).toBe(1);
    const changed = { ...src, 'web.yaml': service('web', lbIps({ c1: '10.0.0.2' })) };
    const second = zoneOf(changed, first.text);
    expect(second.serial).toBe(2);
    expect(zoneOf(changed, second.text).serial).toBe(2);
    expect(zoneOf(src, second.text).serial).toBe(3);
  });

  it('a previous zone file checked out with CRLF line ends (git autocrlf) is no change', () => {
    const first = zoneOf(src);
    expect(zoneOf(src, first.text.replace(/\n/g, '\r\n')).serial).toBe(1);
  });

  it('wraps from 4294967295 to 1, which RFC 1982 counts as greater', () => {
    const first = zoneOf(src);
    const old = first.text.replace(/ 1 3600 600 /, ' 4294967295 3600 600 ').replace('10.0.0.1', '10.0.0.7');
    expect(readZoneSerial(old)).toBe(4294967295);
    const next = zoneOf(src, old);
    expect(next.serial).toBe(1);
    expect(serialGreater(4294967295, 1)).toBe(true);
  });

  it('every step is an increase', () => {
    for (const s of [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 2, 2 ** 32 - 1]) {
      const n = nextSerial(s);
      expect(n).not.toBe(0);
      expect(serialGreater(s, n), `${s} -> ${n}`).toBe(true);
    }
    expect(serialGreater(1, 1)).toBe(false);
    expect(serialGreater(2, 1)).toBe(false);
  });
});

describe('served by NSD', () => {
  it('every zone produced above is answered, authoritatively, record for record', async () => {
    expect(produced.length).toBeGreaterThan(15);
    expect(await verifyServed(produced)).toBeGreaterThanOrEqual(90);
  });
});

export { CLUSTERS, NAMESPACE };
