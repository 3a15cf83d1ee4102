import { didYouMean } from '../check/did-you-mean.js';
import { checkDnsLabel, checkDnsSubdomain } from '../check/names.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Inputs, KubeFedDocument } from '../model/inputs.js';
import type { RenderedObject } from '../render/render-clusters.js';
import { buildZones, type Placed, type ZoneSettings } from './build-zones.js';
import { DnsReport } from './dns-report.js';
import type { DnsEndpointObject, DnsOutput } from './dns-types.js';
import { mergeEndpoints, resolveEndpoints } from './merge-endpoints.js';
import { readDomains } from './read-domains.js';
import { declaredStatus, deriveIngressStatus, deriveServiceStatus, RenderedWorld } from './record-status.js';
import { ingressEndpoints, serviceEndpoints } from './service-endpoints.js';

export type DnsOptions = ZoneSettings;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Input order must not matter: documents by file and position. */
function byOrigin(docs: readonly KubeFedDocument[] | undefined): KubeFedDocument[] {
  return [...(docs ?? [])].sort((a, b) => cmp(a.origin.file, b.origin.file) || a.origin.docIndex - b.origin.docIndex);
}

/**
 * The DNS stage: Domains, ServiceDNSRecords and IngressDNSRecords, with the rendered Services and
 * Ingresses, become one zone per Domain and one DNSEndpoint per record (KUBEFED-SEMANTICS.md f).
 * Pure: the previous zone files (for SOA serials) come in through the options.
 */
export function planDns(inputs: Inputs, rendered: ReadonlyMap<string, readonly RenderedObject[]>, options: DnsOptions, reporter: Reporter): DnsOutput {
  const report = new DnsReport(reporter);
  const { zones: domains, refused } = readDomains(byOrigin(inputs.documents.get('Domain')), report);
  const world = new RenderedWorld(inputs.clusters, inputs.resources, rendered);
  const placed: Placed[] = [];
  const objects: DnsEndpointObject[] = [];

  for (const doc of byOrigin(inputs.documents.get('ServiceDNSRecord'))) {
    if (!recordNameOk(doc, report)) continue;
    const ref = String((doc.value.spec as Record<string, unknown>).domainRef);
    const domain = domains.get(ref);
    if (!domain && refused.has(ref)) continue; // the Domain's own error says why it makes no zone
    const elsewhere = domain ? undefined : inputs.ignoredDomains.find((d) => d.name === ref);
    if (elsewhere) {
      report.error('FEDC6001', { origin: doc.origin, path: ['spec', 'domainRef'] },
        `ServiceDNSRecord ${doc.namespace}/${doc.name} references Domain "${ref}", which is in namespace ${elsewhere.namespace} (at ${report.where({ origin: elsewhere.origin, path: ['metadata', 'namespace'] })}), where KubeFed does not read Domains`,
        'move the Domain to the KubeFed namespace (see its FEDC2007)');
      continue;
    }
    if (!domain) {
      const guess = didYouMean(ref, [...domains.keys()]);
      report.error('FEDC6001', { origin: doc.origin, path: ['spec', 'domainRef'] }, `ServiceDNSRecord ${doc.namespace}/${doc.name} references Domain "${ref}", which is not declared`,
        guess ? `did you mean "${guess}"?` : domains.size ? `declared Domains: ${[...domains.keys()].sort().join(', ')}` : 'declare a Domain (multiclusterdns.kubefed.io/v1alpha1) with that name');
      continue;
    }
    const status = declaredStatus(doc, report, true) ?? deriveServiceStatus(doc, world, report);
    if (!status) continue;
    const endpoints = resolveEndpoints(mergeEndpoints(serviceEndpoints(doc, domain, status, report)), report);
    objects.push({ name: `service-${doc.name}`, namespace: doc.namespace, endpoints, source: doc.origin });
    placed.push(...endpoints.map((e) => ({ ...e, record: `ServiceDNSRecord ${doc.namespace}/${doc.name}`, ingress: false })));
  }

  for (const doc of byOrigin(inputs.documents.get('IngressDNSRecord'))) {
    if (!recordNameOk(doc, report)) continue;
    const status = declaredStatus(doc, report, false) ?? deriveIngressStatus(doc, world, report);
    const endpoints = resolveEndpoints(mergeEndpoints(ingressEndpoints(doc, status, report)), report);
    objects.push({ name: `ingress-${doc.name}`, namespace: doc.namespace, endpoints, source: doc.origin });
    placed.push(...endpoints.map((e) => ({ ...e, record: `IngressDNSRecord ${doc.namespace}/${doc.name}`, ingress: true })));
  }

  const zones = buildZones([...domains.values()], [...refused.values()], placed, options, report);
  objects.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  return { zones, endpoints: objects };
}

/** A record's namespace and name become a DNSEndpoint's, and a path in the output. */
function recordNameOk(doc: KubeFedDocument, report: DnsReport): boolean {
  if (doc.namespace === '') {
    report.error('FEDC2001', { origin: doc.origin, path: ['metadata'], atKey: true }, `${doc.kind} ${doc.name} is namespaced (the namespace of its ${doc.kind === 'ServiceDNSRecord' ? 'Service' : 'Ingress'}) but has no metadata.namespace`);
    return false;
  }
  const nsProblem = checkDnsLabel(doc.namespace);
  if (nsProblem) {
    report.error('FEDC2003', { origin: doc.origin, path: ['metadata', 'namespace'] }, `namespace "${doc.namespace}" ${nsProblem}`);
    return false;
  }
  // A ServiceDNSRecord is named like its Service (a DNS label); DNSEndpoint names add "service-" or "ingress-".
  const problem = doc.kind === 'ServiceDNSRecord' ? checkDnsLabel(doc.name) : checkDnsSubdomain(`ingress-${doc.name}`);
  if (problem) {
    report.error('FEDC2003', { origin: doc.origin, path: ['metadata', 'name'] }, `${doc.kind} name "${doc.name}" ${problem}`);
    return false;
  }
  return true;
}
