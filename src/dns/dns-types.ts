import type { At } from '../diagnostics/reporter.js';
import type { Origin } from '../model/inputs.js';

/** Record types fedc publishes. KubeFed knows A and CNAME; fedc adds AAAA for IPv6 targets. */
export type RecordType = 'A' | 'AAAA' | 'CNAME';

/** A part of a DNS name and the input node it comes from, so a bad name points at its cause. */
export interface NamePart {
  text: string;
  at: At;
}

/** A load-balancer address as declared: an IP or a hostname, and where it is declared. */
export interface Target {
  kind: 'ip' | 'hostname';
  /** Normalized: IPv4 dotted quad, IPv6 compressed lowercase, hostname lowercase without trailing dot. */
  value: string;
  at: At;
}

/** One entry of a record's status.dns: a cluster, where it is, and its load-balancer addresses. */
export interface ClusterDns {
  cluster: string;
  region?: NamePart;
  zones: NamePart[];
  targets: Target[];
}

/**
 * An endpoint before merging, in KubeFed's shape: type A carries load-balancer targets (IPs and
 * unresolved hostnames), type CNAME the name one level up.
 */
export interface RawEndpoint {
  dnsName: string;
  type: 'A' | 'CNAME';
  /** A: addresses; CNAME: one name. */
  targets: Target[];
  ttl: number;
  labels?: Record<string, string>;
  /** The input node that makes this name: a bad or conflicting name is reported here. */
  at: At;
}

/** A published endpoint, as external-dns reads it from a DNSEndpoint and as it goes into a zone. */
export interface Endpoint {
  dnsName: string;
  targets: string[];
  recordType: RecordType;
  recordTTL: number;
  labels?: Record<string, string>;
  at: At;
}

/** A DNSEndpoint object as KubeFed's DNSEndpoint controller created it, for one record. */
export interface DnsEndpointObject {
  /** service-<name> or ingress-<name>. */
  name: string;
  namespace: string;
  endpoints: Endpoint[];
  source: Origin;
}

/** The records at one name and type of a zone. */
export interface RRset {
  /** Fully qualified, lowercase, without the trailing dot. */
  name: string;
  type: RecordType | 'NS';
  ttl: number;
  /** A/AAAA: addresses; CNAME and NS: names without the trailing dot. Sorted. */
  data: string[];
}

export interface Zone {
  /** The zone apex, lowercase, without the trailing dot. */
  domain: string;
  /** metadata.name of the Domain. */
  domainName: string;
  source: Origin;
  /** File name under dns/zones/. */
  file: string;
  nameServers: string[];
  /** SOA RNAME, as a domain name without the trailing dot. */
  hostmaster: string;
  serial: number;
  /** Apex NS first, then the other names in DNS canonical order. */
  rrsets: RRset[];
  /** The zone file. */
  text: string;
}

export interface DnsOutput {
  zones: Zone[];
  endpoints: DnsEndpointObject[];
}
