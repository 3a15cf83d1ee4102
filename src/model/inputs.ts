import type { FederatedType } from './federated-types.js';

/** Where an input object came from: enough to point a diagnostic or `explain` at it. */
export interface Origin {
  file: string;
  docIndex: number;
  line: number;
  /** Where the object sits inside its document when that is not the root: an item of a List. */
  within?: readonly (string | number)[];
}

export type Labels = Record<string, string>;

export interface Cluster {
  name: string;
  labels: Labels;
  region?: string;
  zones: string[];
  /** metadata.annotations (the DNS stage reads fedc.dev/ingress-addresses). */
  annotations?: Labels;
  /** status.conditions[type=Ready] is present and not "True". */
  notReady: boolean;
  origin: Origin;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export interface Placement {
  /** null: absent or null in the input (the selector decides); [] selects nothing. */
  clusters: string[] | null;
  clusterSelector: LabelSelector | null;
}

export interface ClusterOverride {
  op?: string;
  path: string;
  value?: unknown;
  /** Set on the /spec/replicas overrides a ReplicaSchedulingPreference writes: that document. */
  scheduledBy?: Origin;
}

export interface Override {
  clusterName: string;
  clusterOverrides: ClusterOverride[];
}

export interface FederatedResource {
  type: FederatedType;
  name: string;
  /** '' for cluster-scoped federated objects. */
  namespace: string;
  template: Record<string, unknown>;
  placement: Placement;
  overrides: Override[];
  origin: Origin;
  /** The ReplicaSchedulingPreference that set this object's placement and replicas, if any. */
  scheduledBy?: Origin;
  /** Its overrides failed KubeFed's object-wide checks (reported when read): it renders nowhere. */
  invalidOverrides?: boolean;
}

/**
 * A schema-valid document of one of KubeFed's other kinds (scheduling, DNS), as written; the
 * stage that uses it (plan/, dns/) reads it into its own types.
 */
export interface KubeFedDocument {
  kind: string;
  name: string;
  /** '' when the document has no namespace. */
  namespace: string;
  value: Record<string, unknown>;
  origin: Origin;
}

/** KubeFedConfig spec.scope: a namespace-scoped control plane federates only its own namespace. */
export interface ControlPlane {
  scope: 'Cluster' | 'Namespaced';
  /** The KubeFedConfig that set it; none for the default, cluster-scoped. */
  origin?: Origin;
}

export interface Inputs {
  clusters: Cluster[];
  /** The KubeFedCluster documents read, those left out of `clusters` (another namespace, invalid) included. */
  declaredClusters: number;
  controlPlane: ControlPlane;
  resources: FederatedResource[];
  /** ReplicaSchedulingPreference, Domain, ServiceDNSRecord, IngressDNSRecord: kind -> documents in input order. */
  documents: Map<string, KubeFedDocument[]>;
  /** Domains outside the KubeFed namespace (FEDC2007): not read, but named when a record references one. */
  ignoredDomains: KubeFedDocument[];
  /** The CustomResourceDefinitions among the inputs (never rendered; their schemas check custom resources). */
  crds: { value: Record<string, unknown>; origin: Origin }[];
}
