import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rank, sortForApply } from '../src/emit/layout.js';
import type { RenderedObject } from '../src/render/render-clusters.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The apply order as the README states it (kustomize's legacy order), the strings built in every comparison. */
const gvk = (o: RenderedObject) => {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return [group || '~G', version || '~V', o.kind].join('_');
};
const reference = (a: RenderedObject, b: RenderedObject) =>
  rank(a.kind) - rank(b.kind) ||
  cmp(gvk(a), gvk(b)) ||
  cmp(`${a.namespace || '~X'}|${a.name}`, `${b.namespace || '~X'}|${b.name}`);

describe('apply order', () => {
  it('sorts as the field-by-field comparison does, stably, in place', () => {
    // Few values per field, so that ties on every field (and so stability) are common.
    const object = fc.record({
      kind: fc.constantFrom('Namespace', 'Deployment', 'Service', 'ConfigMap', 'ValidatingWebhookConfiguration', 'Widget', 'Gadget', 'CronJob', 'Pod'),
      apiVersion: fc.constantFrom('v1', 'apps/v1', 'apps2.x/v1', 'batch/v1', 'example.com/v1', 'example.com/v1beta1', 'a/b'),
      namespace: fc.constantFrom('', 'default', 'team', 'team-a', 'Team-a', 'é'),
      name: fc.constantFrom('a', 'b', 'a-b', 'a/b', 'z'),
      id: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(object, { maxLength: 60 }), (records) => {
        const objects = records.map((r) => r as unknown as RenderedObject);
        const want = [...objects].sort(reference);
        const sorted = sortForApply(objects);
        expect(sorted).toBe(objects);
        expect(sorted).toEqual(want);
        // Ties keep their order: the same object at every place, not only an equal one.
        sorted.forEach((o, i) => expect(o).toBe(want[i]));
      }),
      { numRuns: 500 },
    );
  });
});
