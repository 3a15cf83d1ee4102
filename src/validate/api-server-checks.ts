import { isIP } from 'node:net';
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
    // a zone (fe80::1%eth0) is no address the API server takes
    if (typeof v !== 'string' || allowed.includes(v) || (isIP(v) !== 0 && !v.includes('%'))) return;
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
