import type { Scope } from './federated-types.js';

/** A resource type as API discovery describes it: what `kubefedctl enable` looks up by name. */
export interface ApiResource {
  plural: string;
  singular: string;
  kind: string;
  /** '' for the core group. */
  group: string;
  /** The version a current API server prefers. */
  version: string;
  scope: Scope;
  shortNames: string[];
}

type Row = [plural: string, kind: string, group: string, version: string, scope: Scope, shortNames?: string[]];

/**
 * Built-in resource types of a current Kubernetes (plus extensions/v1beta1 Ingress, which
 * KubeFed's own EnableTypeDirectives name). Offline, this table stands in for discovery.
 */
const ROWS: Row[] = [
  ['configmaps', 'ConfigMap', '', 'v1', 'Namespaced', ['cm']],
  ['endpoints', 'Endpoints', '', 'v1', 'Namespaced', ['ep']],
  ['limitranges', 'LimitRange', '', 'v1', 'Namespaced', ['limits']],
  ['namespaces', 'Namespace', '', 'v1', 'Cluster', ['ns']],
  ['persistentvolumeclaims', 'PersistentVolumeClaim', '', 'v1', 'Namespaced', ['pvc']],
  ['persistentvolumes', 'PersistentVolume', '', 'v1', 'Cluster', ['pv']],
  ['pods', 'Pod', '', 'v1', 'Namespaced', ['po']],
  ['podtemplates', 'PodTemplate', '', 'v1', 'Namespaced'],
  ['replicationcontrollers', 'ReplicationController', '', 'v1', 'Namespaced', ['rc']],
  ['resourcequotas', 'ResourceQuota', '', 'v1', 'Namespaced', ['quota']],
  ['secrets', 'Secret', '', 'v1', 'Namespaced'],
  ['serviceaccounts', 'ServiceAccount', '', 'v1', 'Namespaced', ['sa']],
  ['services', 'Service', '', 'v1', 'Namespaced', ['svc']],
  ['daemonsets', 'DaemonSet', 'apps', 'v1', 'Namespaced', ['ds']],
  ['deployments', 'Deployment', 'apps', 'v1', 'Namespaced', ['deploy']],
  ['replicasets', 'ReplicaSet', 'apps', 'v1', 'Namespaced', ['rs']],
  ['statefulsets', 'StatefulSet', 'apps', 'v1', 'Namespaced', ['sts']],
  ['horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'autoscaling', 'v2', 'Namespaced', ['hpa']],
  ['cronjobs', 'CronJob', 'batch', 'v1', 'Namespaced', ['cj']],
  ['jobs', 'Job', 'batch', 'v1', 'Namespaced'],
  ['ingresses', 'Ingress', 'extensions', 'v1beta1', 'Namespaced', ['ing']],
  ['ingresses', 'Ingress', 'networking.k8s.io', 'v1', 'Namespaced', ['ing']],
  ['ingressclasses', 'IngressClass', 'networking.k8s.io', 'v1', 'Cluster'],
  ['networkpolicies', 'NetworkPolicy', 'networking.k8s.io', 'v1', 'Namespaced', ['netpol']],
  ['poddisruptionbudgets', 'PodDisruptionBudget', 'policy', 'v1', 'Namespaced', ['pdb']],
  ['clusterrolebindings', 'ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'Cluster'],
  ['clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'Cluster'],
  ['rolebindings', 'RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'Namespaced'],
  ['roles', 'Role', 'rbac.authorization.k8s.io', 'v1', 'Namespaced'],
  ['priorityclasses', 'PriorityClass', 'scheduling.k8s.io', 'v1', 'Cluster', ['pc']],
  ['storageclasses', 'StorageClass', 'storage.k8s.io', 'v1', 'Cluster', ['sc']],
  ['customresourcedefinitions', 'CustomResourceDefinition', 'apiextensions.k8s.io', 'v1', 'Cluster', ['crd', 'crds']],
  ['mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io', 'v1', 'Cluster'],
  ['validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', 'v1', 'Cluster'],
];

export const BUILTIN_API_RESOURCES: readonly ApiResource[] = ROWS.map(([plural, kind, group, version, scope, shortNames]) => ({
  plural, singular: kind.toLowerCase(), kind, group, version, scope, shortNames: shortNames ?? [],
}));

/** `<plural>` for the core group, else `<plural>.<group>`: KubeFed's name of a type. */
export function groupQualifiedName(r: Pick<ApiResource, 'plural' | 'group'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/**
 * The resources a name matches, as kubefedctl matches it against discovery: plural, singular,
 * kind, `<plural>.<group>` or a short name, case-insensitively. A name that is not group-qualified
 * matches the preferred group only (core and networking.k8s.io for ingresses, not extensions).
 */
export function matchApiResources(name: string, resources: readonly ApiResource[], version?: string): ApiResource[] {
  const n = name.toLowerCase();
  const all = resources.filter((r) =>
    (version === undefined || r.version === version) &&
    (n === r.plural || n === r.singular || n === r.kind.toLowerCase() || n === `${r.plural}.${r.group}` || r.shortNames.includes(n)));
  const exact = all.filter((r) => n === `${r.plural}.${r.group}`);
  if (exact.length > 0) return exact;
  return all.filter((r) => r.group !== 'extensions');
}
