import type { DiffFormatter } from './describe.js';

/** For machines: the comparison as one JSON document (documented in the README). */
export const jsonFormat: DiffFormatter = {
  format({ base, head, result: r }) {
    return JSON.stringify({
      base,
      head,
      changed: r.changed,
      clusters: r.clusters,
      counts: r.counts,
      objects: r.objects,
      zones: r.zones,
      dnsEndpoints: r.endpoints,
    }, null, 2) + '\n';
  },
};
