/** The DNS output through the CLI: serials across runs, --check, --cluster, fedc.yaml, kustomize. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readZoneSerial } from '../src/emit/zone-file.js';
import { namedCheckzone, verifyServed } from './dns-tools.js';
import { cleanup, fedc, ROOT, tempDir } from './helpers.js';

let dir: string;
let repo: string;
let out: string;

beforeEach(() => {
  dir = tempDir();
  repo = path.join(dir, 'repo');
  out = path.join(dir, 'out');
  cpSync(path.join(ROOT, 'fixtures/dns-multicloud/input'), repo, { recursive: true });
});
afterEach(() => cleanup(dir));

const zone = (domain: string) => readFileSync(path.join(out, 'dns/zones', `${domain}.zone`), 'utf8');
const render = (...args: string[]) => fedc(['render', repo, '-o', out, ...args]);

/** named-checkzone on both zones of the fixture, then NSD serves them as written. */
async function checkZones(): Promise<void> {
  const zones = ['example.com', 'eu.example.com'].map((domain) => ({ domain, text: zone(domain) }));
  for (const z of zones) {
    const r = namedCheckzone(z);
    expect(r.ok, r.output).toBe(true);
  }
  expect(await verifyServed(zones)).toBeGreaterThan(10);
}

describe('fedc render: DNS output', () => {
  it('keeps the SOA serial while the records stay, and increments it when they change', async () => {
    expect(render().code).toBe(0);
    expect(readZoneSerial(zone('example.com'))).toBe(1);
    await checkZones();
    const again = render();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 added, 0 changed, 0 removed/);
    expect(render('--check').code).toBe(0);

    const web = path.join(repo, 'shop/service-web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace('value: 192.0.2.10', 'value: 192.0.2.11'));
    const stale = render('--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('changed:  dns/zones/example.com.zone');
    expect(stale.stderr).toContain('changed:  dns/endpoints/namespaces/shop/dnsendpoint-service-web.yaml');
    expect(render().code).toBe(0);
    expect(readZoneSerial(zone('example.com'))).toBe(2);
    expect(readZoneSerial(zone('eu.example.com'))).toBe(1);
    expect(zone('example.com')).toContain('web.shop.galactic.svc.example.com.\t300\tIN\tA\t192.0.2.11\n');
    await checkZones();
    expect(render('--check').code).toBe(0);
  });

  it('--cluster leaves dns/ alone; without DNS documents, dns/ is emptied', () => {
    expect(render().code).toBe(0);
    const before = zone('example.com');
    rmSync(path.join(repo, 'dns'), { recursive: true });
    expect(render('--cluster', 'aws').code).toBe(0);
    expect(zone('example.com')).toBe(before);
    const r = render();
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, 'dns'))).toBe(false);
  });

  it('takes name servers and hostmaster from fedc.yaml', async () => {
    const domains = path.join(repo, 'dns/domains.yaml');
    writeFileSync(domains, readFileSync(domains, 'utf8').replace(/nameServer: .*\n/g, ''));
    writeFileSync(path.join(repo, 'fedc.yaml'), 'dns:\n  nameServers: [ns-a.example.net., ns-b.example.net]\n  hostmaster: dns@example.net\n');
    expect(render().code).toBe(0);
    expect(zone('example.com')).toContain('example.com.\t3600\tIN\tSOA\tns-a.example.net. dns.example.net. 1 ');
    expect(zone('example.com')).toContain('eu.example.com.\t3600\tIN\tNS\tns-a.example.net.\neu.example.com.\t3600\tIN\tNS\tns-b.example.net.\n');
    await checkZones();
    writeFileSync(path.join(repo, 'fedc.yaml'), 'dns:\n  nameServers: ["bad name"]\n');
    const bad = render();
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/fedc\.yaml:2:17 - error FEDC1006/);
  });

  it('dns/endpoints is a kustomization that kubectl builds into the DNSEndpoints', () => {
    expect(render().code).toBe(0);
    const r = spawnSync('kubectl', ['kustomize', path.join(out, 'dns/endpoints')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const names = [...r.stdout.matchAll(/^kind: (\w+)\nmetadata:\n {2}name: (\S+)\n {2}namespace: (\S+)$/gm)].map((m) => `${m[1]} ${m[3]}/${m[2]}`);
    expect(names.sort()).toEqual(['DNSEndpoint shop/ingress-storefront', 'DNSEndpoint shop/service-api', 'DNSEndpoint shop/service-web']);
  });
});
