import type { At } from '../diagnostics/reporter.js';
import type { Cluster, FederatedResource, Origin } from '../model/inputs.js';
import type { NodePath } from '../parse/parsed-document.js';
import type { RenderedObject } from '../render/render-clusters.js';
import { buildName, isNameProblem, parseIp } from './dns-names.js';
import type { DnsReport } from './dns-report.js';
import type { Target } from './dns-types.js';

/** Annotation on a KubeFedCluster: the addresses of its ingress controller, for IngressDNSRecords. */
export const INGRESS_ADDRESSES_ANNOTATION = 'fedc.dev/ingress-addresses';

type Obj = Record<string, unknown>;

/**
 * An address that must be an IP. `reported`: one that is no IP at all was reported already (the
 * Kubernetes checks' FEDC7001, api-server-checks.ts), so only what DNS adds is said here.
 */
export function ipTarget(value: unknown, at: At, report: DnsReport, what: string, reported = false): Target | undefined {
  const text = String(value);
  const ip = parseIp(text);
  if (!ip) {
    if (!reported) report.error('FEDC6002', at, `${what} "${text}" is not a valid IPv4 or IPv6 address`, 'write an address such as 192.0.2.10 or 2001:db8::10');
    return undefined;
  }
  // ::ffff:192.0.2.1 is how a host's stack shows an IPv4 peer; DNS gives the IPv4 address, in an A record
  const mapped = ip.v6 ? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip.ip) : null;
  if (mapped) {
    const v4 = [mapped[1]!, mapped[2]!].flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]).join('.');
    report.error('FEDC6002', at, `${what} "${text}" is an IPv4-mapped IPv6 address (RFC 4291 2.5.5.2), which no AAAA record should carry`, `write the IPv4 address ${v4}`);
    return undefined;
  }
  return { kind: 'ip', value: ip.ip, at };
}

/** An address that must be a hostname. */
export function hostnameTarget(value: unknown, at: At, report: DnsReport): Target | undefined {
  const n = buildName([{ text: String(value), at }]);
  if (isNameProblem(n)) {
    report.problem(n);
    return undefined;
  }
  return { kind: 'hostname', value: n.name, at };
}

/** An address that may be either: digits and dots, or anything with a colon, is meant as an IP. */
export function anyTarget(text: string, at: At, report: DnsReport, what: string): Target | undefined {
  if (/^[0-9.]+$/.test(text) || text.includes(':')) {
    return ipTarget(text, at, report, what);
  }
  return hostnameTarget(text, at, report);
}

/** status.loadBalancer.ingress as KubeFed's controller copied it into status.dns: ip, hostname. */
export function statusTargets(lb: unknown, origin: Origin, base: NodePath, report: DnsReport): Target[] {
  const out: Target[] = [];
  const ingress = ((lb as Obj | undefined)?.ingress as Obj[] | null | undefined) ?? [];
  for (const [j, item] of ingress.entries()) {
    if (item.ip !== undefined && item.ip !== '') {
      const t = ipTarget(item.ip, { origin, path: [...base, 'ingress', j, 'ip'] }, report, 'load-balancer ip');
      if (t) out.push(t);
    }
    if (item.hostname !== undefined && item.hostname !== '') {
      const t = hostnameTarget(item.hostname, { origin, path: [...base, 'ingress', j, 'hostname'] }, report);
      if (t) out.push(t);
    }
  }
  return out;
}

/**
 * The addresses of a Service as rendered for one cluster: status.loadBalancer.ingress (ip and
 * hostname), spec.loadBalancerIP, spec.externalIPs. Each points back at the template field or
 * the override that set it.
 */
export function serviceTargets(obj: RenderedObject, resource: FederatedResource | undefined, report: DnsReport): Target[] {
  const o = obj.object;
  const at = (field: (string | number)[]): At => blame(obj, resource, field);
  const out: Target[] = [];
  const status = (o.status as Obj | undefined) ?? {};
  const ingress = ((status.loadBalancer as Obj | undefined)?.ingress as Obj[] | null | undefined) ?? [];
  if (Array.isArray(ingress)) {
    for (const [j, item] of ingress.entries()) {
      if (item?.ip !== undefined && item.ip !== '') {
        const t = ipTarget(item.ip, at(['status', 'loadBalancer', 'ingress', j, 'ip']), report, 'load-balancer ip');
        if (t) out.push(t);
      }
      if (item?.hostname !== undefined && item.hostname !== '') {
        const t = hostnameTarget(item.hostname, at(['status', 'loadBalancer', 'ingress', j, 'hostname']), report);
        if (t) out.push(t);
      }
    }
  }
  const spec = (o.spec as Obj | undefined) ?? {};
  if (spec.loadBalancerIP !== undefined && spec.loadBalancerIP !== '') {
    const t = ipTarget(spec.loadBalancerIP, at(['spec', 'loadBalancerIP']), report, 'spec.loadBalancerIP');
    if (t) out.push(t);
  }
  const external = spec.externalIPs;
  if (Array.isArray(external)) {
    for (const [j, ip] of external.entries()) {
      const t = ipTarget(ip, at(['spec', 'externalIPs', j]), report, 'spec.externalIPs entry', true);
      if (t) out.push(t);
    }
  }
  return out;
}

/** The ingress addresses a cluster declares in its annotation. */
export function clusterIngressTargets(cluster: Cluster, report: DnsReport): Target[] {
  const value = cluster.annotations?.[INGRESS_ADDRESSES_ANNOTATION];
  if (value === undefined) return [];
  const at: At = { origin: cluster.origin, path: ['metadata', 'annotations', INGRESS_ADDRESSES_ANNOTATION] };
  const out: Target[] = [];
  for (const text of value.split(/[\s,]+/).filter(Boolean)) {
    const t = anyTarget(text, at, report, `${INGRESS_ADDRESSES_ANNOTATION} entry`);
    if (t) out.push(t);
  }
  return out;
}

/**
 * Where a field of a rendered object was set: the value of the last override whose path covers
 * it, else the field in spec.template.
 */
function blame(obj: RenderedObject, resource: FederatedResource | undefined, field: (string | number)[]): At {
  const origin = obj.source;
  if (resource && obj.overrideIndex !== undefined) {
    const ops = resource.overrides[obj.overrideIndex]?.clusterOverrides ?? [];
    for (let k = ops.length - 1; k >= 0; k--) {
      const op = ops[k]!;
      if (op.op === 'remove') continue;
      const segs = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      if (segs.length > field.length) continue;
      if (segs.every((s, i) => s === String(field[i]))) {
        return { origin, path: ['spec', 'overrides', obj.overrideIndex, 'clusterOverrides', k, 'value', ...field.slice(segs.length)] };
      }
    }
  }
  return { origin, path: ['spec', 'template', ...field] };
}
