/** Inline federation repos for the DNS tests. */
import { compile, type CompileOptions, type CompileResult } from '../src/compile.js';
import { layoutDns } from '../src/emit/dns-files.js';
import { files } from './helpers.js';
import { namedCheckzone, type ZoneText } from './dns-tools.js';
import { expect } from 'vitest';

export type Src = Record<string, string>;

export function cluster(name: string, region: string | undefined, zone: string | undefined, extra = ''): string {
  const labels = [region && `    topology.kubernetes.io/region: ${region}`, zone && `    topology.kubernetes.io/zone: ${zone}`].filter(Boolean);
  return `apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata:
  name: ${name}
  namespace: kube-federation-system
${labels.length ? `  labels:\n${labels.join('\n')}\n` : ''}${extra}spec:
  apiEndpoint: https://${name}.example.net
  secretRef:
    name: ${name}
`;
}

/** c1 and c2 in region r1 (zones r1a, r1b), c3 in region r2 (zone r2a). */
export const CLUSTERS = [cluster('c1', 'r1', 'r1a'), cluster('c2', 'r1', 'r1b'), cluster('c3', 'r2', 'r2a')].join('---\n');

export const NAMESPACE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: ns
  namespace: ns
spec:
  placement:
    clusterSelector: {}
`;

export const DOMAIN = `apiVersion: multiclusterdns.kubefed.io/v1alpha1
kind: Domain
metadata:
  name: fed
  namespace: kube-federation-system
domain: example.com
nameServer: ns1.example.net
`;

/** A FederatedService ns/<name> on every cluster; `overrides` is the YAML list under spec.overrides. */
export function service(name: string, overrides = '[]'): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedService
metadata:
  name: ${name}
  namespace: ns
spec:
  template:
    spec:
      type: LoadBalancer
      ports:
      - port: 80
  placement:
    clusterSelector: {}
  overrides: ${overrides}
`;
}

export function serviceRecord(name: string, spec = '', status = ''): string {
  return `apiVersion: multiclusterdns.kubefed.io/v1alpha1
kind: ServiceDNSRecord
metadata:
  name: ${name}
  namespace: ns
spec:
  domainRef: fed
${spec}${status}`;
}

/** An override list giving each listed cluster a loadBalancerIP. */
export function lbIps(ips: Record<string, string>): string {
  return '\n' + Object.entries(ips).map(([c, ip]) => `  - clusterName: ${c}
    clusterOverrides:
    - path: /spec/loadBalancerIP
      value: "${ip}"`).join('\n');
}

export const BASE: Src = { 'clusters.yaml': CLUSTERS, 'ns.yaml': NAMESPACE, 'domain.yaml': DOMAIN };

/** Every zone compileDns produced, for a last test that serves them all. */
export const produced: ZoneText[] = [];

/** Compiles; when it succeeds, every zone must pass named-checkzone (and is kept for `produced`). */
export function compileDns(src: Src, options: CompileOptions = {}): CompileResult {
  const result = compile(files(src), options);
  if (!result.failed) {
    for (const z of result.dns.zones) {
      produced.push({ domain: z.domain, text: z.text });
      const r = namedCheckzone({ domain: z.domain, text: z.text });
      expect(r.ok, `${z.domain}:\n${r.output}\n${z.text}`).toBe(true);
    }
  }
  return result;
}

/** The zone's records as "name TTL TYPE data" lines, SOA and apex NS aside. */
export function records(result: CompileResult, domain = 'example.com'): string[] {
  const z = result.dns.zones.find((x) => x.domain === domain);
  if (!z) throw new Error(`no zone ${domain}`);
  return z.text.split('\n').filter((l) => l !== '' && !l.startsWith(';') && !l.startsWith('$'))
    .map((l) => l.split('\t')).filter((f) => f[3] !== 'SOA' && !(f[3] === 'NS' && f[0] === `${domain}.`))
    .map((f) => `${f[0]} ${f[1]} ${f[3]} ${f[4]}`);
}

export function dnsFiles(result: CompileResult): Map<string, string> {
  return layoutDns(result.dns);
}
