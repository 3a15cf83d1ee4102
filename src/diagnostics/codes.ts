/**
 * Stable diagnostic codes. A code never changes meaning once released; the README lists them all.
 * 1xxx reading and parsing, 2xxx schema and naming, 3xxx placement, 4xxx templates and overrides,
 * 5xxx output.
 */
export const CODES = {
  FEDC1001: 'YAML syntax error',
  FEDC1002: 'file too large',
  FEDC1003: 'too many YAML aliases (possible alias bomb)',
  FEDC1004: 'symlink leaves the input directory',
  FEDC1005: 'document is not a Kubernetes object',
  FEDC1006: 'fedc.yaml is invalid',
  FEDC1007: 'input directory cannot be read',
  FEDC2001: 'schema violation',
  FEDC2002: 'unknown kind',
  FEDC2003: 'invalid object name',
  FEDC2004: 'duplicate object',
  FEDC2005: 'FederatedTypeConfig conflict',
  FEDC2006: 'type propagation disabled',
  FEDC2007: 'KubeFedCluster outside the KubeFed system namespace',
  FEDC3001: 'invalid label selector',
  FEDC3002: 'placement names an unknown cluster',
  FEDC3003: 'namespace is not federated',
  FEDC3004: 'FederatedNamespace name differs from its namespace',
  FEDC3005: 'system namespace is never propagated',
  FEDC3006: 'object has no placement',
  FEDC3007: 'cluster is not Ready',
  FEDC4001: 'invalid override path',
  FEDC4002: 'protected override path',
  FEDC4003: 'cluster appears more than once in overrides',
  FEDC4004: 'path appears more than once for a cluster',
  FEDC4005: 'override cannot be applied',
  FEDC4006: 'override for a cluster the object is not placed on',
  FEDC4007: 'template annotations are dropped',
  FEDC4008: 'template finalizers are dropped',
  FEDC4009: 'template kind or name is ignored',
  FEDC5001: 'rendered output is stale',
  FEDC5002: 'no object for the selected cluster',
  FEDC5003: 'two objects map to one output file',
  FEDC5004: 'unknown cluster selected',
  FEDC5005: 'output directory cannot be written',
} as const;

export type DiagnosticCode = keyof typeof CODES;
