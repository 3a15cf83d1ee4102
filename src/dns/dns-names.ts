import { isIPv4, isIPv6 } from 'node:net';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { At } from '../diagnostics/reporter.js';
import type { NamePart } from './dns-types.js';

/** RFC 1035 2.3.4: 63 octets per label, 255 octets per name in wire format = 253 characters in text. */
export const MAX_LABEL = 63;
export const MAX_NAME = 253;

/**
 * RFC 1123 host name labels: named-checkzone (check-names fail, BIND's default for primary zones)
 * refuses others. Tested before lowercasing, which turns some other characters into ASCII letters
 * (the Kelvin sign into k); without the u flag, /i matches no other character to an ASCII one.
 */
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

export interface NameProblem {
  code: DiagnosticCode;
  message: string;
  at: At;
}

/** Lowercase, without a trailing dot. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Joins parts into a name (lowercase, no trailing dot) and checks it: each label 1-63 characters
 * of letters, digits and "-" (not starting or ending with "-"), the name at most 253
 * characters. `wildcard` allows a leftmost "*" label (ingress hosts).
 */
export function buildName(parts: readonly NamePart[], options: { wildcard?: boolean } = {}): { name: string } | NameProblem {
  const texts: string[] = [];
  for (const [i, p] of parts.entries()) {
    const text = i === parts.length - 1 ? p.text.replace(/\.$/, '') : p.text;
    const labels = text.split('.');
    for (const [j, label] of labels.entries()) {
      if (label === '') return { code: 'FEDC6003', message: `${quote(p.text)} has an empty label`, at: p.at };
      if (label.length > MAX_LABEL) {
        return { code: 'FEDC6004', message: `label "${short(label)}" of ${quote(p.text)} is ${label.length} characters; DNS allows ${MAX_LABEL}`, at: p.at };
      }
      if (label === '*' && options.wildcard && i === 0 && j === 0) continue;
      if (!LABEL.test(label)) {
        return { code: 'FEDC6003', message: `label "${short(label)}" of ${quote(p.text)} is not a valid host name label: use letters, digits and "-", not starting or ending with "-"`, at: p.at };
      }
    }
    texts.push(text.toLowerCase());
  }
  const name = texts.join('.');
  if (name.length > MAX_NAME) {
    return { code: 'FEDC6004', message: `name "${short(name)}" is ${name.length} characters; DNS allows ${MAX_NAME}`, at: parts[0]!.at };
  }
  return { name };
}

export function isNameProblem(v: { name: string } | NameProblem): v is NameProblem {
  return 'code' in v;
}

/** An IP address in its canonical text form (IPv6 compressed, lowercase), or undefined when invalid. */
export function parseIp(text: string): { ip: string; v6: boolean } | undefined {
  if (isIPv4(text)) return { ip: text, v6: false };
  if (isIPv6(text) && !text.includes('%')) {
    try {
      return { ip: new URL(`http://[${text}]/`).hostname.slice(1, -1), v6: true };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether `name` is `domain` or below it. */
export function isUnder(name: string, domain: string): boolean {
  return name === domain || name.endsWith('.' + domain);
}

/** RFC 4034 6.1 canonical order: compare label by label from the right. */
export function canonicalCompare(a: string, b: string): number {
  const la = a.split('.').reverse();
  const lb = b.split('.').reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return la[i]! < lb[i]! ? -1 : 1;
  }
  return la.length - lb.length;
}

/** Numeric order for IPs of one family; then text. */
export function compareAddresses(a: string, b: string): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function addressKey(ip: string): string {
  if (isIPv4(ip)) return '4' + ip.split('.').map((o) => o.padStart(3, '0')).join('.');
  if (isIPv6(ip)) {
    const [head, tail] = ip.includes('::') ? ip.split('::') as [string, string] : [ip, undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return '6' + groups.map((g) => g.padStart(4, '0')).join(':');
  }
  return '9' + ip;
}

function quote(s: string): string {
  return `"${short(s)}"`;
}

function short(s: string): string {
  return s.length > 70 ? `${s.slice(0, 40)}...` : s;
}
