import type { DnsEndpointObject, DnsOutput } from '../dns/dns-types.js';
import { DNS_DIR, ENDPOINTS_DIR, GENERATED_MARKER, ZONES_DIR, zoneFilePath } from '../model/output-contract.js';
import { toYaml } from './serialize.js';

// Everything DNS under the output directory: one RFC 1035 zone file per Domain in dns/zones/,
// DNSEndpoint objects for external-dns with a kustomization.yaml in dns/endpoints/.
export { DNS_DIR, ENDPOINTS_DIR, ZONES_DIR, zoneFilePath };

export const DNS_ENDPOINT_API_VERSION = 'multiclusterdns.kubefed.io/v1alpha1';

/** The DNSEndpoint object as KubeFed's controller created it in the host cluster. */
export function dnsEndpointObject(e: DnsEndpointObject): Record<string, unknown> {
  return {
    apiVersion: DNS_ENDPOINT_API_VERSION,
    kind: 'DNSEndpoint',
    metadata: { name: e.name, namespace: e.namespace },
    spec: {
      endpoints: e.endpoints.map((ep) => ({
        dnsName: ep.dnsName,
        targets: ep.targets,
        recordType: ep.recordType,
        recordTTL: ep.recordTTL,
        ...(ep.labels ? { labels: ep.labels } : {}),
      })),
    },
  };
}

/**
 * The files of the DNS output: dns/zones/<domain>.zone, and dns/endpoints/ with one file per
 * DNSEndpoint (namespaces/<namespace>/dnsendpoint-<name>.yaml) and a kustomization.yaml listing
 * them, so `kubectl apply -k`, Flux or Argo CD can apply them to the cluster that runs external-dns.
 */
export function layoutDns(dns: DnsOutput): Map<string, string> {
  const files = new Map<string, string>();
  for (const z of dns.zones) files.set(zoneFilePath(z.file), z.text);
  if (dns.endpoints.length > 0) {
    const resources: string[] = [];
    for (const e of dns.endpoints) {
      const rel = `namespaces/${e.namespace}/dnsendpoint-${e.name}.yaml`;
      resources.push(rel);
      files.set(`${ENDPOINTS_DIR}/${rel}`, `${GENERATED_MARKER} from ${e.source.file}; do not edit.\n${toYaml(dnsEndpointObject(e))}`);
    }
    files.set(`${ENDPOINTS_DIR}/kustomization.yaml`,
      `${GENERATED_MARKER}: DNSEndpoints for external-dns; do not edit.\n` +
      toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
  }
  return files;
}
