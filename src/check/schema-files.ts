/** The schema files fedc validates with; they live in `schemas/` so editors can use them too. */
export const SCHEMA_FILES = {
  federatedResource: 'federated-resource.json',
  kubeFedCluster: 'kubefedcluster.json',
  federatedTypeConfig: 'federatedtypeconfig.json',
  settings: 'fedc-settings.json',
  replicaSchedulingPreference: 'replicaschedulingpreference.json',
  domain: 'domain.json',
  serviceDNSRecord: 'servicednsrecord.json',
  ingressDNSRecord: 'ingressdnsrecord.json',
  kubeFedConfig: 'kubefedconfig.json',
  enableTypeDirective: 'enabletypedirective.json',
} as const;

export type SchemaName = keyof typeof SCHEMA_FILES;

/**
 * Annotations the schemas carry beside JSON Schema's own keywords, registered with ajv (strict
 * mode refuses unknown ones) by the runtime compiler and the precompiler alike:
 * x-kubernetes-preserve-unknown-fields, and x-fedc-means, what a `pattern` stands for in words,
 * which a diagnostic says instead of the regular expression.
 */
export const AJV_KEYWORDS = ['x-kubernetes-preserve-unknown-fields', 'x-fedc-means'] as const;

/** Shared by the runtime compiler and the build-time precompiler, so both validate alike. */
export const AJV_OPTIONS = { allErrors: true, strict: true, verbose: true } as const;
