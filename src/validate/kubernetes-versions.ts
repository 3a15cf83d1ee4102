/**
 * Kubernetes versions, and which API versions each one serves: the removals and deprecations of
 * Kubernetes' deprecation guide (what pluto and kubent check), and when the stable replacements
 * arrived. Versions are minors of Kubernetes 1 ("1.30" is 30).
 */

/** The target version when nothing says otherwise: the release of the bundled schemas. */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/** The label of a KubeFedCluster that gives its Kubernetes version. */
export const KUBERNETES_VERSION_LABEL = 'fedc.dev/kubernetes-version';

/**
 * `1.30`, `v1.30`, `1.30.2`, and what clusters report (`v1.30.2-eks-1234`, `v1.29.3+k3s1`, the
 * KUBE_VERSION Argo CD passes): the minor, or undefined when it is not a Kubernetes 1 version.
 */
export function parseKubernetesVersion(text: string): number | undefined {
  const m = /^v?1\.(0|[1-9][0-9]?)(?:\.[0-9]+)?(?:[-+][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export const showVersion = (minor: number) => `1.${minor}`;

export interface ApiLifecycle {
  apiVersion: string;
  kind: string;
  /** First minor that serves it (stable APIs whose older versions were removed). */
  introduced?: number;
  /** First minor that warns about it. */
  deprecated?: number;
  /** First minor that no longer serves it. */
  removed?: number;
  /** apiVersion (and kind, when it changed) that replaces it. */
  replacement?: string;
  /** What to do instead, when there is no like-for-like replacement. */
  note?: string;
}

type Row = [apiVersion: string, kinds: string, introduced: number | null, deprecated: number | null, removed: number | null, replacement?: string, note?: string];

const ROWS: Row[] = [
  // removed in 1.16
  ['extensions/v1beta1', 'Deployment DaemonSet ReplicaSet', null, 9, 16, 'apps/v1'],
  ['apps/v1beta1', 'Deployment StatefulSet ControllerRevision', null, 9, 16, 'apps/v1'],
  ['apps/v1beta2', 'Deployment StatefulSet DaemonSet ReplicaSet ControllerRevision', null, 9, 16, 'apps/v1'],
  ['extensions/v1beta1', 'NetworkPolicy', null, 9, 16, 'networking.k8s.io/v1'],
  ['extensions/v1beta1', 'PodSecurityPolicy', null, 10, 16, 'policy/v1beta1', 'PodSecurityPolicy is gone since Kubernetes 1.25: use Pod Security Admission (namespace labels pod-security.kubernetes.io/enforce)'],
  // removed in 1.22
  ['extensions/v1beta1', 'Ingress', null, 14, 22, 'networking.k8s.io/v1'],
  ['networking.k8s.io/v1beta1', 'Ingress IngressClass', null, 19, 22, 'networking.k8s.io/v1'],
  ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration ValidatingWebhookConfiguration', null, 16, 22, 'admissionregistration.k8s.io/v1'],
  ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', null, 16, 22, 'apiextensions.k8s.io/v1'],
  ['apiregistration.k8s.io/v1beta1', 'APIService', null, 19, 22, 'apiregistration.k8s.io/v1'],
  ['authentication.k8s.io/v1beta1', 'TokenReview', null, 19, 22, 'authentication.k8s.io/v1'],
  ['authorization.k8s.io/v1beta1', 'SubjectAccessReview LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview', null, 19, 22, 'authorization.k8s.io/v1'],
  ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', null, 19, 22, 'certificates.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', 'Lease', null, 19, 22, 'coordination.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole ClusterRoleBinding Role RoleBinding', null, 17, 22, 'rbac.authorization.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1alpha1', 'ClusterRole ClusterRoleBinding Role RoleBinding', null, 17, 22, 'rbac.authorization.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', 'PriorityClass', null, 14, 22, 'scheduling.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', 'CSIDriver CSINode StorageClass VolumeAttachment', null, 19, 22, 'storage.k8s.io/v1'],
  // removed in 1.25
  ['batch/v1beta1', 'CronJob', null, 21, 25, 'batch/v1'],
  ['discovery.k8s.io/v1beta1', 'EndpointSlice', null, 21, 25, 'discovery.k8s.io/v1'],
  ['events.k8s.io/v1beta1', 'Event', null, 22, 25, 'events.k8s.io/v1'],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', null, 22, 25, 'autoscaling/v2'],
  ['policy/v1beta1', 'PodDisruptionBudget', null, 21, 25, 'policy/v1'],
  ['policy/v1beta1', 'PodSecurityPolicy', null, 21, 25, undefined, 'PodSecurityPolicy has no replacement API: use Pod Security Admission (namespace labels pod-security.kubernetes.io/enforce) or a policy engine'],
  ['node.k8s.io/v1beta1', 'RuntimeClass', null, 22, 25, 'node.k8s.io/v1'],
  // removed in 1.26
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema PriorityLevelConfiguration', null, 23, 26, 'flowcontrol.apiserver.k8s.io/v1'],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', null, 23, 26, 'autoscaling/v2'],
  // removed in 1.27
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', null, 24, 27, 'storage.k8s.io/v1'],
  // removed in 1.29, 1.32
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema PriorityLevelConfiguration', 23, 26, 29, 'flowcontrol.apiserver.k8s.io/v1'],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema PriorityLevelConfiguration', 26, 29, 32, 'flowcontrol.apiserver.k8s.io/v1'],
  // deprecated, still served
  ['v1', 'Endpoints', null, 33, null, 'discovery.k8s.io/v1 EndpointSlice'],
  // the stable versions that replaced them, and when they arrived
  ['apps/v1', 'Deployment DaemonSet ReplicaSet StatefulSet ControllerRevision', 9, null, null],
  ['networking.k8s.io/v1', 'Ingress IngressClass', 19, null, null],
  ['networking.k8s.io/v1', 'NetworkPolicy', 7, null, null],
  ['batch/v1', 'CronJob', 21, null, null],
  ['policy/v1', 'PodDisruptionBudget', 21, null, null],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 23, null, null],
  ['discovery.k8s.io/v1', 'EndpointSlice', 21, null, null],
  ['events.k8s.io/v1', 'Event', 19, null, null],
  ['node.k8s.io/v1', 'RuntimeClass', 20, null, null],
  ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema PriorityLevelConfiguration', 29, null, null],
  ['storage.k8s.io/v1', 'CSIStorageCapacity', 24, null, null],
  ['storage.k8s.io/v1', 'CSIDriver', 18, null, null],
  ['storage.k8s.io/v1', 'CSINode', 17, null, null],
  ['certificates.k8s.io/v1', 'CertificateSigningRequest', 19, null, null],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration ValidatingWebhookConfiguration', 16, null, null],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 16, null, null],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole ClusterRoleBinding Role RoleBinding', 8, null, null],
  ['scheduling.k8s.io/v1', 'PriorityClass', 14, null, null],
  ['coordination.k8s.io/v1', 'Lease', 14, null, null],
  ['apiregistration.k8s.io/v1', 'APIService', 10, null, null],
];

const TABLE = new Map<string, ApiLifecycle>();
for (const [apiVersion, kinds, introduced, deprecated, removed, replacement, note] of ROWS) {
  for (const kind of kinds.split(' ')) {
    TABLE.set(`${apiVersion} ${kind}`, {
      apiVersion, kind,
      ...(introduced !== null ? { introduced } : {}),
      ...(deprecated !== null ? { deprecated } : {}),
      ...(removed !== null ? { removed } : {}),
      ...(replacement ? { replacement } : {}),
      ...(note ? { note } : {}),
    });
  }
}

export function apiLifecycle(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return TABLE.get(`${apiVersion} ${kind}`);
}

export type Served = { state: 'served' } | { state: 'deprecated'; since: number } | { state: 'removed'; since: number } | { state: 'not-yet'; from: number };

/** How a Kubernetes minor treats an apiVersion and kind. */
export function servedBy(minor: number, life: ApiLifecycle | undefined): Served {
  if (!life) return { state: 'served' };
  if (life.introduced !== undefined && minor < life.introduced) return { state: 'not-yet', from: life.introduced };
  if (life.removed !== undefined && minor >= life.removed) return { state: 'removed', since: life.removed };
  if (life.deprecated !== undefined && minor >= life.deprecated) return { state: 'deprecated', since: life.deprecated };
  return { state: 'served' };
}
