/**
 * Real DNS software for the DNS tests: named-checkzone (BIND) checks every zone fedc writes, NSD
 * serves them on 127.0.0.1 on a free port, dig queries them. `.ci/run` installs bind9-utils,
 * dnsutils and nsd. Nothing here leaves 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ZoneText {
  domain: string;
  text: string;
}

/** The absolute path of a tool on PATH or in the sbin directories (nsd lives in /usr/sbin). */
function need(tool: string, pkg: string): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'].filter(Boolean);
  const found = dirs.map((d) => path.join(d, tool)).find((f) => existsSync(f));
  if (!found) throw new Error(`${tool} is not installed: the DNS tests need it (Debian package ${pkg}; .ci/run installs it)`);
  return found;
}

/**
 * `named-checkzone -i local` with every check that can fail set to fail; any line of output other
 * than "loaded serial" and "OK" (a warning) counts as a failure too. Returns the output.
 */
export function namedCheckzone(zone: ZoneText): { ok: boolean; output: string } {
  const checkzone = need('named-checkzone', 'bind9-utils');
  const dir = mkdtempSync(path.join(tmpdir(), 'fedc-zone-'));
  try {
    const file = path.join(dir, `${zone.domain}.zone`);
    writeFileSync(file, zone.text);
    const r = spawnSync(checkzone, ['-i', 'local', '-k', 'fail', '-n', 'fail', '-m', 'fail', '-M', 'fail', '-S', 'fail', '-r', 'fail', '-W', 'warn', '-T', 'warn', zone.domain, file], { encoding: 'utf8' });
    const output = (r.stdout + r.stderr).trim();
    const extra = output.split('\n').filter((l) => !/^zone \S+: loaded serial \d+$/.test(l) && l !== 'OK');
    return { ok: r.status === 0 && extra.length === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A port free for both TCP and UDP on 127.0.0.1. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

export interface DigAnswer {
  status: string;
  /** Answer section: [name, ttl, class, type, data]. */
  answer: [string, string, string, string, string][];
  aa: boolean;
}

export interface NsdServer {
  port: number;
  dig(name: string, type: string): DigAnswer;
  stop(): Promise<void>;
}

/** Starts NSD in the foreground on 127.0.0.1:<free port> serving the zones; stop() ends it. */
export async function startNsd(zones: readonly ZoneText[]): Promise<NsdServer> {
  const nsd = need('nsd', 'nsd');
  const checkconf = need('nsd-checkconf', 'nsd');
  need('dig', 'dnsutils');
  const dir = mkdtempSync(path.join(tmpdir(), 'fedc-nsd-'));
  const port = await freePort();
  const conf = [
    'server:',
    '  ip-address: 127.0.0.1',
    `  port: ${port}`,
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${dir}"`,
    `  pidfile: "${dir}/nsd.pid"`,
    '  database: ""',
    `  zonelistfile: "${dir}/zone.list"`,
    `  xfrdfile: "${dir}/xfrd.state"`,
    `  xfrdir: "${dir}"`,
    `  logfile: "${dir}/nsd.log"`,
    '  server-count: 1',
    '  do-ip6: no',
    'remote-control:',
    '  control-enable: no',
  ];
  for (const z of zones) {
    writeFileSync(path.join(dir, `${z.domain}.zone`), z.text);
    conf.push('zone:', `  name: "${z.domain}"`, `  zonefile: "${dir}/${z.domain}.zone"`);
  }
  writeFileSync(path.join(dir, 'nsd.conf'), conf.join('\n') + '\n');
  const check = spawnSync(checkconf, [path.join(dir, 'nsd.conf')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nsd-checkconf: ${check.stderr}`);
  const child = spawn(nsd, ['-d', '-c', path.join(dir, 'nsd.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const dig = (name: string, type: string): DigAnswer => digAt(port, name, type);
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      const log = (() => { try { return readFileSync(path.join(dir, 'nsd.log'), 'utf8'); } catch { return ''; } })();
      await stop();
      throw new Error(`nsd exited: ${log}`);
    }
    const ready = zones.every((z) => dig(z.domain, 'SOA').answer.length === 1);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('nsd did not answer within 15 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, dig, stop };
}

/** One query with dig, no recursion, to 127.0.0.1:port. */
export function digAt(port: number, name: string, type: string): DigAnswer {
  const r = spawnSync(need('dig', 'dnsutils'), ['@127.0.0.1', '-p', String(port), '+norec', '+time=1', '+tries=1', '+noall', '+comments', '+answer', name, type], { encoding: 'utf8' });
  const out = r.stdout ?? '';
  const status = /status: (\w+)/.exec(out)?.[1] ?? 'NO-ANSWER';
  const aa = / flags:[^;]*\baa\b/.test(out);
  const answer = out.split('\n')
    .filter((l) => l !== '' && !l.startsWith(';'))
    .map((l) => l.split(/\s+/) as [string, string, string, string, string]);
  return { status, answer, aa };
}

/**
 * Serves the zones with NSD (as few servers as possible: one per set of distinct zone names) and
 * checks that every RRset in each file is answered, authoritatively, exactly as written. Names at
 * or below a delegation inside a zone are answered by referral, so they are left out.
 */
export async function verifyServed(zones: readonly ZoneText[]): Promise<number> {
  const distinct = [...new Map(zones.map((z) => [z.text, z])).values()];
  const batches: ZoneText[][] = [];
  for (const z of distinct) {
    const batch = batches.find((b) => !b.some((x) => x.domain === z.domain));
    if (batch) batch.push(z);
    else batches.push([z]);
  }
  let checked = 0;
  for (const batch of batches) {
    const server = await startNsd(batch);
    try {
      for (const z of batch) {
        const sets = new Map<string, string[]>();
        const lines = z.text.split('\n').filter((l) => l && !l.startsWith(';') && !l.startsWith('$'));
        const cuts = lines.map((l) => l.split('\t')).filter((f) => f[3] === 'NS' && f[0] !== `${z.domain}.`).map((f) => f[0]!);
        for (const [name, , , type, data] of lines.map((l) => l.split('\t'))) {
          if (cuts.some((c) => name === c || name!.endsWith(`.${c}`))) continue;
          const key = `${name} ${type}`;
          sets.set(key, [...(sets.get(key) ?? []), data!]);
        }
        for (const [key, data] of sets) {
          const [name, type] = key.split(' ') as [string, string];
          const a = server.dig(name, type);
          const got = a.answer.filter((r) => r[0] === name && r[3] === type).map((r) => (type === 'SOA' ? r.slice(4).join(' ') : r[4]));
          if (a.status !== 'NOERROR' || !a.aa || JSON.stringify([...got].sort()) !== JSON.stringify([...data].sort())) {
            throw new Error(`${z.domain}: ${name} ${type}: served ${a.status} ${JSON.stringify(got)}, zone file has ${JSON.stringify(data)}`);
          }
          checked++;
        }
      }
    } finally {
      await server.stop();
    }
  }
  return checked;
}
