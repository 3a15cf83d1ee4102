import type { FederatedResource } from '../model/inputs.js';

/** A FederatedNamespace in the sense of KubeFed's accessor: it must be named like its namespace. */
export function isFederatedNamespace(r: FederatedResource): boolean {
  return r.type.targetKind === 'Namespace' && r.name === r.namespace;
}

/** Namespace -> the FederatedNamespace that gates it. */
export function federatedNamespaces(resources: readonly FederatedResource[]): Map<string, FederatedResource> {
  return new Map(resources.filter(isFederatedNamespace).map((r) => [r.namespace, r]));
}
