/** Settings from `fedc.yaml` at the repo root, merged with command-line flags by the CLI. */
export interface Settings {
  /** Globs (relative to the repo root) of input files. */
  include: string[];
  /** Globs of files to skip. */
  exclude: string[];
  /** Output directory, relative to the repo root. */
  output: string;
  /** Treat warnings as errors. */
  strict: boolean;
  layout: 'object' | 'manifest';
  /** Namespace that holds KubeFedClusters and FederatedTypeConfigs. */
  kubefedNamespace: string;
  /** Namespace of namespaced objects without metadata.namespace, as `kubectl apply -n` gives them one. */
  defaultNamespace?: string;
  /** Zone files: NS names for Domains without nameServer, and the SOA hostmaster. */
  dns?: DnsSettings;
  /** Kubernetes version of the member clusters ("1.30"), for checking rendered objects; a cluster's fedc.dev/kubernetes-version label wins. */
  kubernetesVersion?: string;
  /** Globs of files of CustomResourceDefinitions, read only for their schemas (never rendered). */
  crds?: string[];
}

export interface DnsSettings {
  nameServers?: string[];
  /** An email address (hostmaster@example.com) or its SOA form (hostmaster.example.com). */
  hostmaster?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  include: ['**/*.yaml', '**/*.yml', '**/*.json'],
  exclude: [],
  output: 'rendered',
  strict: false,
  layout: 'object',
  kubefedNamespace: 'kube-federation-system',
};

export const SETTINGS_FILE = 'fedc.yaml';
