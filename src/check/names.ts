/** Kubernetes name rules (apimachinery validation), used before a name becomes part of a path. */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** DNS-1123 label: namespaces, cluster names. Returns the problem, or undefined when valid. */
export function checkDnsLabel(name: string): string | undefined {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!LABEL.test(name)) return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** DNS-1123 subdomain: most object names. */
export function checkDnsSubdomain(name: string): string | undefined {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!SUBDOMAIN.test(name)) {
    return 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** RBAC object names only need to be valid path segments (they may contain ":"). */
export function checkPathSegmentName(name: string): string | undefined {
  if (name === '' ) return 'must not be empty';
  if (name === '.' || name === '..') return `must not be "${name}"`;
  if (/[/%\\\u0000]/.test(name)) return 'must not contain "/", "\\", "%" or NUL';
  if (name.length > 253) return 'must be no more than 253 characters';
  return undefined;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The name rule of a target kind. */
export function checkObjectName(targetKind: string, name: string): string | undefined {
  if (RBAC_KINDS.has(targetKind)) return checkPathSegmentName(name);
  if (targetKind === 'Namespace' || targetKind === 'Service') return checkDnsLabel(name);
  return checkDnsSubdomain(name);
}

/** Label keys: optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || checkDnsSubdomain(prefix))) {
    return `label key prefix "${prefix}" must be a DNS-1123 subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) {
    return `label key "${key}" must be at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit (with an optional DNS subdomain prefix and "/")`;
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
    return `label value "${value}" must be at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}
