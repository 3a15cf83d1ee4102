/**
 * Bad DNS input: each case pins the exact code, severity and file:line:col, and that the position
 * points at the offending text. A run with any of these errors writes nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/compile.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { BASE, cluster, compileDns, DOMAIN, lbIps, records, service, serviceRecord, type Src } from './dns-fixtures.js';
import { cleanup, fedc, files, tempDir } from './helpers.js';

const where = (d: Diagnostic) => `${d.severity} ${d.code} ${d.file}:${d.line}:${d.col}`;

function textAt(src: Src, d: Diagnostic): string {
  return src[d.file]!.split('\n')[d.line - 1]!.slice(d.col - 1);
}

/** The one error of a run, with the text it points at. */
function theError(src: Src): { d: Diagnostic; at: string } {
  const result = compile(files(src));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${where(d)} ${d.message}`)).toHaveLength(1);
  expect(result.failed).toBe(true);
  return { d: errors[0]!, at: textAt(src, errors[0]!) };
}

const WEB = { 'web.yaml': service('web', lbIps({ c1: '10.0.0.1' })) };

const ingressRecord = (name: string, host: string, ttl?: number) => `apiVersion: multiclusterdns.kubefed.io/v1alpha1
kind: IngressDNSRecord
metadata:
  name: ${name}
  namespace: ns
spec:
${ttl ? `  recordTTL: ${ttl}\n` : ''}  hosts:
  - ${host}
status:
  dns:
  - cluster: c1
    loadBalancer:
      ingress:
      - ip: 192.0.2.1
`;

describe('bad DNS input', () => {
  it('an invalid IP in status.dns', () => {
    const src = { ...BASE, ...WEB, 'rec.yaml': serviceRecord('web', '', 'status:\n  dns:\n  - cluster: c1\n    region: r1\n    zones: [r1a]\n    loadBalancer:\n      ingress:\n      - ip: 10.0.0.300\n') };
    const { d, at } = theError(src);
    expect(where(d)).toBe('error FEDC6002 rec.yaml:15:13');
    expect(at).toBe('10.0.0.300');
    expect(d.message).toBe('load-balancer ip "10.0.0.300" is not a valid IPv4 or IPv6 address');
  });

  it('an invalid IP set by an override points at the override value', () => {
    const src = { ...BASE, 'web.yaml': service('web', lbIps({ c1: '10.0.0.1', c2: '10.0.0.1.5' })), 'rec.yaml': serviceRecord('web') };
    const { d, at } = theError(src);
    expect(where(d)).toBe('error FEDC6002 web.yaml:22:14');
    expect(at).toBe('"10.0.0.1.5"');
  });

  it('an invalid IP in a template points at the template field', () => {
    const src = { ...BASE, 'web.yaml': service('web').replace('      type: LoadBalancer\n', '      type: LoadBalancer\n      externalIPs: [192.0.2.1, "fe80::1%eth0"]\n'), 'rec.yaml': serviceRecord('web') };
    const { d, at } = theError(src);
    // the Kubernetes checks say it, as the API server refuses the Service; DNS does not say it again
    expect(where(d)).toBe('error FEDC7001 web.yaml:10:32');
    expect(at).toBe('"fe80::1%eth0"]');
    expect(d.message).toBe('FederatedService web: spec.externalIPs[1] must be an IP address, not "fe80::1%eth0"');
  });

  it('an invalid ingress address on a KubeFedCluster', () => {
    const clusters = cluster('c1', 'r1', 'r1a', '  annotations:\n    fedc.dev/ingress-addresses: 192.0.2.1, 192.0.2.256\n');
    const ing = ingressRecord('shop', 'shop.example.com').replace(/status:[\s\S]*/, '');
    const fed = `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedIngress\nmetadata:\n  name: shop\n  namespace: ns\nspec:\n  template: {}\n  placement:\n    clusterSelector: {}\n`;
    const { d, at } = theError({ ...BASE, 'clusters.yaml': clusters, 'ing.yaml': fed, 'rec.yaml': ing });
    expect(where(d)).toBe('error FEDC6002 clusters.yaml:10:33');
    expect(at).toBe('192.0.2.1, 192.0.2.256');
  });

  it('a label beyond 63 characters', () => {
    const prefix = 'w'.repeat(64);
    const { d, at } = theError({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web', `  dnsPrefix: ${prefix}\n`) });
    expect(where(d)).toBe('error FEDC6004 rec.yaml:8:14');
    expect(at).toBe(prefix);
    expect(d.message).toContain('is 64 characters; DNS allows 63');
  });

  it('a name beyond 253 characters', () => {
    const ext = Array.from({ length: 4 }, (_, i) => String(i).repeat(60)).join('.');
    const { d, at } = theError({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web', `  externalName: ${ext}\n`) });
    expect(where(d)).toBe('error FEDC6004 rec.yaml:8:17');
    expect(at).toBe(ext);
    expect(d.message).toMatch(/^name "0{40}\.\.\." is 2\d\d characters; DNS allows 253$/);
  });

  it('an invalid character in a host', () => {
    const { d, at } = theError({ ...BASE, 'rec.yaml': ingressRecord('shop', 'shop!.example.com') });
    expect(where(d)).toBe('error FEDC6003 rec.yaml:8:5');
    expect(at).toBe('shop!.example.com');
  });

  it('a record whose Domain does not exist', () => {
    const { d, at } = theError({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web').replace('domainRef: fed', 'domainRef: feed') });
    expect(where(d)).toBe('error FEDC6001 rec.yaml:7:14');
    expect(at).toBe('feed');
    expect(d.hint).toBe('did you mean "fed"?');
  });

  it('a dnsPrefix that would put a CNAME beside other data', () => {
    const src = { ...BASE, ...WEB, 'rec.yaml': serviceRecord('web', '  dnsPrefix: www\n'), 'ing.yaml': ingressRecord('shop', 'www.example.com') };
    const { d, at } = theError(src);
    expect(where(d)).toBe('error FEDC6005 rec.yaml:8:14');
    expect(at).toBe('www');
    expect(d.message).toBe('www.example.com would be a CNAME (to web.ns.fed.svc.example.com) beside its A record from IngressDNSRecord ns/shop: a name with a CNAME can have no other data (RFC 1034 3.6.2)');
    expect(d.hint).toBe('the other record is at ing.yaml:8:5; pick another dnsPrefix or host');
  });

  it('two dnsPrefixes that would give one name two CNAMEs', () => {
    const src = { ...BASE, ...WEB, 'api.yaml': service('api'), 'rec.yaml': serviceRecord('web', '  dnsPrefix: www\n'), 'rec2.yaml': serviceRecord('api', '  dnsPrefix: www\n') };
    const result = compile(files(src));
    const errors = result.diagnostics.filter((x) => x.severity === 'error');
    expect(errors.map(where)).toEqual(['error FEDC6005 rec2.yaml:8:14']);
  });

  it('conflicting TTLs at one name', () => {
    const src = { ...BASE, 'a.yaml': ingressRecord('shop', 'shop.example.com', 60), 'b.yaml': ingressRecord('shop2', 'shop.example.com', 300) };
    const { d, at } = theError(src);
    expect(where(d)).toBe('error FEDC6006 b.yaml:9:5');
    expect(at).toBe('shop.example.com');
    expect(d.message).toBe('shop.example.com A would get TTL 300 here and 60 from IngressDNSRecord ns/shop: all records of one name and type share one TTL (RFC 2181 5.2)');
  });

  it('a cluster without region or zone, when fedc derives status.dns', () => {
    const src = { ...BASE, 'clusters.yaml': [cluster('c1', 'r1', 'r1a'), cluster('c2', 'r1', undefined)].join('---\n'), ...WEB, 'rec.yaml': serviceRecord('web') };
    const { d, at } = theError(src);
    expect(where(d)).toBe('error FEDC6007 clusters.yaml:17:9');
    expect(at).toBe('c2');
  });

  it('a cluster that is not Ready needs no region or zone: KubeFed fills status.dns from Ready clusters', () => {
    const notReady = cluster('c2', undefined, undefined) + 'status:\n  conditions:\n  - type: Ready\n    status: "False"\n';
    const result = compileDns({ ...BASE, 'clusters.yaml': [cluster('c1', 'r1', 'r1a'), notReady].join('---\n'), ...WEB, 'rec.yaml': serviceRecord('web') });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(records(result).filter((r) => r.includes('10.0.0.1'))).not.toEqual([]);
  });

  it('a status.dns entry without region', () => {
    const { d } = theError({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web', '', 'status:\n  dns:\n  - cluster: c1\n    zones: [r1a]\n') });
    expect(where(d)).toBe('error FEDC6003 rec.yaml:10:5');
  });

  it('a load-balancer hostname beside other addresses', () => {
    const overrides = `
  - clusterName: c1
    clusterOverrides:
    - op: add
      path: /status
      value: {loadBalancer: {ingress: [{hostname: lb.example.net}]}}
  - clusterName: c3
    clusterOverrides:
    - path: /spec/loadBalancerIP
      value: 10.0.0.3`;
    const { d, at } = theError({ ...BASE, 'web.yaml': service('web', overrides), 'rec.yaml': serviceRecord('web') });
    expect(where(d)).toBe('error FEDC6008 web.yaml:19:51');
    expect(at).toBe('lb.example.net}]}}');
  });

  it('a name server given as an IP address is FEDC6003: NS and SOA records name a host', () => {
    const result = compile(files({ ...BASE, 'domain.yaml': DOMAIN.replace('nameServer: ns1.example.net', 'nameServer: 192.0.2.1'), ...WEB, 'rec.yaml': serviceRecord('web') }));
    const d = result.diagnostics.find((x) => x.code === 'FEDC6003')!;
    expect(where(d)).toBe('error FEDC6003 domain.yaml:7:13');
    expect(d.message).toBe('name server "192.0.2.1" is an IP address, not a host name: NS and SOA records name a host');
    expect(result.failed).toBe(true);
  });

  it('a Domain refused with an error is the only finding: no record is said to reference an undeclared Domain or to be under none', () => {
    const badServer = DOMAIN.replace('nameServer: ns1.example.net', 'nameServer: 192.0.2.1');
    const badDomain = DOMAIN.replace('domain: example.com', 'domain: exa_mple.com');
    const dnsFindings = (src: Src) => compile(files({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web'), ...src })).diagnostics.filter((d) => d.code.startsWith('FEDC6')).map(where);
    expect(dnsFindings({ 'domain.yaml': badServer, 'ing.yaml': ingressRecord('shop', 'shop.example.com') })).toEqual(['error FEDC6003 domain.yaml:7:13']);
    expect(dnsFindings({ 'domain.yaml': badDomain })).toEqual(['error FEDC6003 domain.yaml:6:9']);
    // A Domain's refusal hides nothing under another domain.
    const result = compile(files({ ...BASE, 'domain.yaml': badServer, 'ing.yaml': ingressRecord('shop', 'shop.example.org') }));
    expect(result.diagnostics.filter((d) => d.code.startsWith('FEDC6')).map(where)).toEqual(['error FEDC6003 domain.yaml:7:13', 'warning FEDC6010 ing.yaml:8:5']);
  });

  it('every bad name server of a Domain is in its one FEDC6003; a nameServer written with quotes says so', () => {
    const bad = (nameServer: string) => {
      const result = compile(files({ ...BASE, 'domain.yaml': DOMAIN.replace('nameServer: ns1.example.net', `nameServer: ${nameServer}`) }));
      return result.diagnostics.filter((d) => d.code.startsWith('FEDC6')).map((d) => [where(d), d.message, d.hint]);
    };
    expect(bad('ns_1.example.net, 192.0.2.1, ns.example.123')).toEqual([['error FEDC6003 domain.yaml:7:13',
      'label "ns_1" of "ns_1.example.net" is not a valid host name label: use letters, digits and "-", not starting or ending with "-"; ' +
      'name server "192.0.2.1" is an IP address, not a host name: NS and SOA records name a host; ' +
      'name server "ns.example.123" ends in an all-numeric label, so it is no host name (RFC 1123 2.1): NS and SOA records name a host',
      'name the server (ns1.example.net); give its address in a record of its own zone']]);
    expect(bad(`'"ns1.example.net", "ns2.example.net"'`)).toEqual([['error FEDC6003 domain.yaml:7:13',
      'nameServer "\\"ns1.example.net\\", \\"ns2.example.net\\"" holds quotes: it is one string of names, not a list',
      'write the names bare, separated by commas: ns1.example.net, ns2.example.net']]);
  });

  it('a name is checked as written: a character that lowercases to an ASCII letter (the Kelvin sign) is no letter', () => {
    const { d } = theError({ ...BASE, 'domain.yaml': DOMAIN.replace('domain: example.com', 'domain: "\\u212Aelvin.example.com"') });
    expect(where(d)).toBe('error FEDC6003 domain.yaml:6:9');
    expect(d.message).toBe('label "\u212Aelvin" of "\u212Aelvin.example.com" is not a valid host name label: use letters, digits and "-", not starting or ending with "-"');
  });

  it('an IPv4-mapped IPv6 address is no AAAA record', () => {
    const { d, at } = theError({ ...BASE, 'rec.yaml': ingressRecord('shop', 'shop.example.com').replace('- ip: 192.0.2.1', '- ip: 192.0.2.1\n      - ip: "::ffff:192.0.2.9"') });
    expect(where(d)).toBe('error FEDC6002 rec.yaml:15:13');
    expect(at).toBe('"::ffff:192.0.2.9"');
    expect([d.message, d.hint]).toEqual(['load-balancer ip "::ffff:192.0.2.9" is an IPv4-mapped IPv6 address (RFC 4291 2.5.5.2), which no AAAA record should carry', 'write the IPv4 address 192.0.2.9']);
  });

  it('a zone without a name server gets no zone file, with a warning; its DNSEndpoints are still written', () => {
    const result = compile(files({ ...BASE, 'domain.yaml': DOMAIN.replace('nameServer: ns1.example.net\n', ''), ...WEB, 'rec.yaml': serviceRecord('web') }));
    const d = result.diagnostics.find((x) => x.code === 'FEDC6014')!;
    expect(where(d)).toBe('warning FEDC6014 domain.yaml:1:1');
    expect(d.message).toBe('zone example.com (Domain fed) has no name server for its SOA and NS records, so no zone file is written for it; its DNSEndpoints are');
    expect(result.failed).toBe(false);
    expect(result.dns.zones).toEqual([]);
    expect(result.dns.endpoints.map((e) => e.name)).toEqual(['service-web']);
  });

  it('a name server inside its zone without an address', () => {
    const { d, at } = theError({ ...BASE, 'domain.yaml': DOMAIN.replace('ns1.example.net', 'ns1.example.com'), ...WEB, 'rec.yaml': serviceRecord('web') });
    expect(where(d)).toBe('error FEDC6016 domain.yaml:7:13');
    expect(at).toBe('ns1.example.com');
  });

  it('two Domains for one zone', () => {
    const two = DOMAIN + '---\n' + DOMAIN.replace('name: fed', 'name: other').replace('domain: example.com', 'domain: Example.COM.');
    const { d, at } = theError({ ...BASE, 'domain.yaml': two });
    expect(where(d)).toBe('error FEDC6015 domain.yaml:14:9');
    expect(at).toBe('Example.COM.');
  });

  it('a load-balancer hostname for an ingress host at the zone apex would be a CNAME there', () => {
    const src = { ...BASE, 'rec.yaml': ingressRecord('shop', 'example.com').replace('- ip: 192.0.2.1', '- hostname: lb.example.net') };
    const { d, at } = theError(src);
    expect(where(d)).toBe('error FEDC6005 rec.yaml:8:5');
    expect(at).toBe('example.com');
  });

  it('record names become file names: they must be Kubernetes names, in a namespace', () => {
    const bad = serviceRecord('web.v1');
    const { d, at } = theError({ ...BASE, 'rec.yaml': bad });
    expect(where(d)).toBe('error FEDC2003 rec.yaml:4:9');
    expect(at).toBe('web.v1');
    const noNs = ingressRecord('shop', 'shop.example.com').replace('  namespace: ns\n', '');
    expect(where(theError({ ...BASE, 'rec.yaml': noNs }).d)).toBe('error FEDC2001 rec.yaml:3:1');
  });

  it('render writes nothing, not even the zones that are fine', () => {
    const dir = tempDir();
    try {
      const src = { ...BASE, ...WEB, 'rec.yaml': serviceRecord('web', '  dnsPrefix: www\n'), 'ing.yaml': ingressRecord('shop', 'www.example.com') };
      for (const [rel, text] of Object.entries(src)) {
        mkdirSync(path.dirname(path.join(dir, 'repo', rel)), { recursive: true });
        writeFileSync(path.join(dir, 'repo', rel), text);
      }
      const r = fedc(['render', path.join(dir, 'repo'), '-o', path.join(dir, 'out')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('rec.yaml:8:14 - error FEDC6005');
      expect(r.stderr).toContain('nothing was written');
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      cleanup(dir);
    }
  });

  it('a Domain outside the KubeFed namespace is ignored (FEDC2007), as KubeFed reads Domains from its own', () => {
    const elsewhere = DOMAIN.replace('namespace: kube-federation-system', 'namespace: somewhere-else').replace('domain: example.com', 'domain: example.org');
    const result = compile(files({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web'), 'other.yaml': elsewhere }));
    const d = result.diagnostics.find((x) => x.code === 'FEDC2007')!;
    expect(where(d)).toBe('warning FEDC2007 other.yaml:5:14');
    expect(d.message).toBe("Domain fed is in namespace somewhere-else; KubeFed's DNS controllers read Domains from kube-federation-system, so it is ignored");
    // the Domain of the same name in the KubeFed namespace is the one the record uses, wherever the other lies
    expect(result.dns.zones.map((z) => z.domain)).toEqual(['example.com']);
    const without = compile(files({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web'), 'domain.yaml': elsewhere }));
    // its domainRef names no Domain KubeFed reads: said as such, with where the one ignored is
    const missing = without.diagnostics.filter((x) => x.severity === 'error');
    expect(missing.map((x) => [where(x), x.message, x.hint])).toEqual([['error FEDC6001 rec.yaml:7:14',
      'ServiceDNSRecord ns/web references Domain "fed", which is in namespace somewhere-else (at domain.yaml:5:14), where KubeFed does not read Domains',
      'move the Domain to the KubeFed namespace (see its FEDC2007)']]);
    expect(missing[0]!.related).toEqual([{ file: 'domain.yaml', line: 5, col: 14 }]);
    // one without a namespace is read, as a KubeFedCluster without one is
    const bare = compile(files({ ...BASE, ...WEB, 'rec.yaml': serviceRecord('web'), 'domain.yaml': DOMAIN.replace('  namespace: kube-federation-system\n', '') }));
    expect(bare.diagnostics.filter((x) => x.severity !== 'info')).toEqual([]);
    expect(bare.dns.zones.map((z) => z.domain)).toEqual(['example.com']);
  });
});
