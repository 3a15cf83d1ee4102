/** What a Federated<Kind> propagates: KubeFed's FederatedTypeConfig, reduced to what rendering needs. */
export interface FederatedType {
  federatedKind: string;
  /** apiVersion of the federated object, e.g. types.kubefed.io/v1beta1 */
  federatedApiVersion: string;
  federatedScope: Scope;
  /** Group of the target type; '' for the core group. */
  targetGroup: string;
  targetVersion: string;
  targetKind: string;
  targetScope: Scope;
  propagation: boolean;
  /** 'builtin', or the repo file of the FederatedTypeConfig that declared it. */
  origin: string;
  /** The FederatedTypeConfig or EnableTypeDirective that declared it, and the node naming its target's version. */
  declaration?: { origin: import('./inputs.js').Origin; versionPath: (string | number)[] };
}

export type Scope = 'Namespaced' | 'Cluster';

export const FEDERATED_API_VERSION = 'types.kubefed.io/v1beta1';

type Row = [kind: string, group: string, version: string, scope: Scope, federatedScope?: Scope];

/**
 * KubeFed's default FederatedTypeConfigs (KUBEFED-SEMANTICS.md §d), then the types users commonly
 * federate with `kubefedctl enable`. FederatedIngress targets networking.k8s.io/v1 on purpose:
 * extensions/v1beta1 Ingress is gone from every supported Kubernetes.
 */
const ROWS: Row[] = [
  ['ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'Cluster'],
  ['ConfigMap', '', 'v1', 'Namespaced'],
  ['Deployment', 'apps', 'v1', 'Namespaced'],
  ['Ingress', 'networking.k8s.io', 'v1', 'Namespaced'],
  ['Job', 'batch', 'v1', 'Namespaced'],
  ['Namespace', '', 'v1', 'Cluster', 'Namespaced'],
  ['ReplicaSet', 'apps', 'v1', 'Namespaced'],
  ['Secret', '', 'v1', 'Namespaced'],
  ['ServiceAccount', '', 'v1', 'Namespaced'],
  ['Service', '', 'v1', 'Namespaced'],
  // commonly federated beyond KubeFed's defaults
  ['DaemonSet', 'apps', 'v1', 'Namespaced'],
  ['StatefulSet', 'apps', 'v1', 'Namespaced'],
  ['CronJob', 'batch', 'v1', 'Namespaced'],
  ['Role', 'rbac.authorization.k8s.io', 'v1', 'Namespaced'],
  ['RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'Namespaced'],
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'Cluster'],
  ['PersistentVolumeClaim', '', 'v1', 'Namespaced'],
  ['HorizontalPodAutoscaler', 'autoscaling', 'v2', 'Namespaced'],
  ['NetworkPolicy', 'networking.k8s.io', 'v1', 'Namespaced'],
  ['PodDisruptionBudget', 'policy', 'v1', 'Namespaced'],
];

export const BUILTIN_TYPES: readonly FederatedType[] = ROWS.map(([kind, group, version, scope, fedScope]) => ({
  federatedKind: `Federated${kind}`,
  federatedApiVersion: FEDERATED_API_VERSION,
  federatedScope: fedScope ?? scope,
  targetGroup: group,
  targetVersion: version,
  targetKind: kind,
  targetScope: scope,
  propagation: true,
  origin: 'builtin',
}));

export function targetApiVersion(t: FederatedType): string {
  // KubeFed formats "<group>/<version>", which is "/v1" for the core group; the API server reads
  // that as v1, and v1 is what fedc writes.
  return t.targetGroup ? `${t.targetGroup}/${t.targetVersion}` : t.targetVersion;
}
