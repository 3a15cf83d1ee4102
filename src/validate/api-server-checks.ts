import { parseIp } from '../dns/dns-names.js';
import { formatPath, type NodePath } from '../parse/parsed-document.js';
import type { SchemaProblem } from './schema-problems.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What the API server's own validation refuses where Kubernetes' OpenAPI schema says only
 * "string": a Service's IP addresses (ValidateService: each of spec.externalIPs, and
 * spec.clusterIP and spec.clusterIPs unless empty or "None", must be an IP address).
 */
export function apiServerProblems(group: string, kind: string, obj: Obj): SchemaProblem[] {
  if (group !== '' || kind !== 'Service' || !isObj(obj.spec)) return [];
  const spec = obj.spec;
  const out: SchemaProblem[] = [];
  const ip = (v: unknown, path: NodePath, allowed: readonly string[]) => {
    // parseIp, as the DNS stage reads addresses: what this reports, DNS need not say again
    if (typeof v !== 'string' || allowed.includes(v) || parseIp(v) !== undefined) return;
    out.push({ path, atKey: false, message: `${formatPath(path)} must be an IP address, not ${JSON.stringify(v)}`, hint: 'the API server refuses the Service otherwise' });
  };
  const list = (field: string, allowed: readonly string[]) => {
    const v = spec[field];
    if (Array.isArray(v)) v.forEach((x, i) => ip(x, ['spec', field, i], allowed));
  };
  list('externalIPs', []);
  ip(spec.clusterIP, ['spec', 'clusterIP'], ['', 'None']);
  list('clusterIPs', ['', 'None']);
  return out;
}
