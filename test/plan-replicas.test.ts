import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1_32, planReplicas, type ClusterPreference } from '../src/plan/plan-replicas.js';

const ABC = ['A', 'B', 'C'];
const plan = (
  clusters: Record<string, ClusterPreference>,
  total: number,
  available: string[],
  extra: { current?: Record<string, number>; capacity?: Record<string, number>; rebalance?: boolean; key?: string } = {},
) =>
  planReplicas({
    totalReplicas: total,
    clusters,
    availableClusters: available,
    ...(extra.current ? { currentReplicas: extra.current } : {}),
    ...(extra.capacity ? { estimatedCapacity: extra.capacity } : {}),
    ...(extra.rebalance !== undefined ? { rebalance: extra.rebalance } : {}),
    ...(extra.key !== undefined ? { key: extra.key } : {}),
  });

describe('fnv1_32 (Go hash/fnv New32)', () => {
  it('is FNV-1, not FNV-1a', () => {
    // KUBEFED-SEMANTICS.md §e: FNV-1("C") < FNV-1("B") < FNV-1("A")
    expect([fnv1_32('A'), fnv1_32('B'), fnv1_32('C')]).toEqual([84696414, 84696413, 84696412]);
    expect(fnv1_32('')).toBe(2166136261);
  });
});

describe("KubeFed user guide's examples", () => {
  it('9 over A, B, C with * weight 1: 3/3/3', () => {
    expect(plan({ '*': { weight: 1 } }, 9, ABC).plan).toEqual({ A: 3, B: 3, C: 3 });
  });
  it('A weight 1, B weight 2: A3 B6 C0', () => {
    expect(plan({ A: { weight: 1 }, B: { weight: 2 } }, 9, ABC).plan).toEqual({ A: 3, B: 6, C: 0 });
  });
  it('A{min 4, max 6, weight 1}, B{min 4, max 8, weight 2}: A4 B5', () => {
    const p = plan({ A: { minReplicas: 4, maxReplicas: 6, weight: 1 }, B: { minReplicas: 4, maxReplicas: 8, weight: 2 } }, 9, ABC);
    expect(p.plan).toEqual({ A: 4, B: 5, C: 0 });
  });
  it('50 with C max 20, key test-ns/test-deployment: A17 B17 C16; B offline: A30 C20; only C: C20', () => {
    const prefs = { '*': { weight: 1 }, C: { maxReplicas: 20, weight: 1 } };
    const key = 'test-ns/test-deployment';
    expect(plan(prefs, 50, ABC, { key }).plan).toEqual({ A: 17, B: 17, C: 16 });
    expect(plan(prefs, 50, ['A', 'C'], { key }).plan).toEqual({ A: 30, C: 20 });
    expect(plan(prefs, 50, ['C'], { key }).plan).toEqual({ C: 20 });
  });
});

// Expected values of the planner's unit tests, which KubeFed inherited from federation v1 (key "").
describe('planner unit cases', () => {
  it.each([
    [{ '*': { weight: 1 } }, 50, ABC, { A: 16, B: 17, C: 17 }],
    [{ '*': { weight: 1 } }, 50, ['A', 'B'], { A: 25, B: 25 }],
    [{ '*': { weight: 1 } }, 1, ['A', 'B'], { A: 0, B: 1 }],
    [{ '*': { weight: 1 } }, 1, ['A', 'B', 'C', 'D'], { A: 0, B: 0, C: 0, D: 1 }],
    [{ '*': { weight: 1 } }, 1, ['A'], { A: 1 }],
    [{ '*': { weight: 1 } }, 1, [], {}],
    [{ '*': { minReplicas: 2, weight: 0 } }, 50, ABC, { A: 2, B: 2, C: 2 }],
    [{ '*': { minReplicas: 20, weight: 0 } }, 50, ABC, { A: 10, B: 20, C: 20 }],
    [{ '*': { minReplicas: 20, weight: 0 }, A: { minReplicas: 100, weight: 1 } }, 50, ABC, { A: 50, B: 0, C: 0 }],
    [{ '*': { minReplicas: 10, weight: 1, maxReplicas: 12 } }, 50, ABC, { A: 12, B: 12, C: 12 }],
    [{ '*': { weight: 1, maxReplicas: 2 } }, 50, ABC, { A: 2, B: 2, C: 2 }],
    [{ '*': { weight: 0, maxReplicas: 2 } }, 50, ABC, { A: 0, B: 0, C: 0 }],
    [{ A: { weight: 1 }, B: { weight: 2 } }, 60, ABC, { A: 20, B: 40, C: 0 }],
    [{ A: { weight: 10000 }, B: { weight: 1 } }, 50, ABC, { A: 50, B: 0, C: 0 }],
    [{ A: { weight: 10000 }, B: { weight: 1 } }, 50, ['B', 'C'], { B: 50, C: 0 }],
    [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1 } }, 50, ABC, { A: 10, B: 20, C: 20 }],
    [{ A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 10 } }, 50, ABC, { A: 10, B: 30, C: 10 }],
    [
      { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 } },
      71, ['A', 'B', 'C', 'D'], { A: 10, B: 30, C: 21, D: 10 },
    ],
    [
      { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 }, E: { weight: 1 } },
      91, ['A', 'B', 'C', 'D', 'E'], { A: 10, B: 25, C: 21, D: 10, E: 25 },
    ],
  ] as const)('%j, %i over %j', (prefs, total, available, expected) => {
    const p = plan(prefs as Record<string, ClusterPreference>, total, [...available]);
    expect(p.plan).toEqual(expected);
    expect(p.overflow).toEqual({});
  });

  it.each([
    [{ C: 30 }, 50, ABC, { A: 10, B: 10, C: 30 }],
    [{ A: 30 }, 50, ['A', 'B'], { A: 30, B: 20 }],
    [{ A: 0, B: 8 }, 15, ['A', 'B'], { A: 7, B: 8 }],
    [{ A: 1, B: 8 }, 15, ['A', 'B'], { A: 7, B: 8 }],
    [{ A: 6, B: 8 }, 15, ['A', 'B'], { A: 7, B: 8 }],
    [{ A: 7, B: 8 }, 15, ['A', 'B'], { A: 7, B: 8 }],
    [{ A: 300000 }, 500000, ['A', 'B'], { A: 300000, B: 200000 }],
    [{ A: 10 }, 50, ['A', 'B'], { A: 25, B: 25 }],
    [{ A: 10, B: 70 }, 50, ['A', 'B'], { A: 0, B: 50 }],
    [{ A: 30 }, 1, ['A', 'B'], { A: 1, B: 0 }],
    [{ A: 10, B: 20 }, 50, ['A', 'B'], { A: 25, B: 25 }],
  ] as const)('current %j, %i over %j (rebalance false)', (current, total, available, expected) => {
    const p = plan({ '*': { weight: 1 } }, total, [...available], { current: { ...current } });
    expect(p.plan).toEqual(expected);
    expect(p.overflow).toEqual({});
  });

  it.each([
    [true, { '*': { weight: 1 } }, 50, ABC, { C: 10 }, { A: 20, B: 20, C: 10 }, { C: 7 }],
    [true, { A: { weight: 10000 }, B: { weight: 1 } }, 50, ['B', 'C'], { B: 10 }, { B: 10, C: 0 }, { B: 40 }],
    [true, { A: { weight: 1 }, B: { weight: 2 } }, 60, ABC, { B: 10 }, { A: 50, B: 10, C: 0 }, { B: 30 }],
    [
      true, { A: { weight: 10000, maxReplicas: 10 }, B: { weight: 1 }, C: { weight: 1, maxReplicas: 21 }, D: { weight: 1, maxReplicas: 10 } },
      71, ['A', 'B', 'C', 'D'], { C: 10 }, { A: 10, B: 41, C: 10, D: 10 }, { C: 11 },
    ],
    [false, { A: { weight: 1 }, B: { weight: 1 } }, 60, ABC, { A: 10, B: 10 }, { A: 10, B: 10, C: 0 }, { A: 20, B: 20 }],
    [false, { A: { weight: 1 }, B: { weight: 5 } }, 60, ABC, { B: 10 }, { A: 50, B: 10, C: 0 }, {}],
    [false, { '*': { minReplicas: 20, weight: 0 } }, 50, ABC, { B: 10 }, { A: 20, B: 10, C: 20 }, {}],
    [true, { '*': { minReplicas: 20, weight: 1 } }, 60, ['A', 'B'], { B: 10 }, { A: 50, B: 10 }, { B: 15 }],
  ] as const)('rebalance %s, %j, %i over %j, capacity %j', (rebalance, prefs, total, available, capacity, expected, overflow) => {
    const p = plan(prefs as Record<string, ClusterPreference>, total, [...available], { rebalance, capacity: { ...capacity } });
    expect(p.plan).toEqual(expected);
    expect(p.overflow).toEqual(overflow);
  });
});

describe('planner properties', () => {
  const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'eu-1', 'us-2', 'ap-3'), { minLength: 1, maxLength: 6 });
  // min <= max: a preference with min above max is reported (FEDC3105), and KubeFed then caps at max
  const pref = fc
    .record({ weight: fc.option(fc.nat(20), { nil: undefined }), min: fc.option(fc.nat(30), { nil: undefined }), headroom: fc.option(fc.nat(30), { nil: undefined }) })
    .map(({ weight, min, headroom }) => {
      const p: ClusterPreference = {};
      if (weight !== undefined) p.weight = weight;
      if (min !== undefined) p.minReplicas = min;
      if (headroom !== undefined) p.maxReplicas = (min ?? 0) + headroom;
      return p;
    });
  const input = names.chain((available) =>
    fc.record({
      available: fc.constant(available),
      prefs: fc.dictionary(fc.constantFrom(...available, '*'), pref, { maxKeys: 4 }),
      total: fc.nat(500),
      current: fc.dictionary(fc.constantFrom(...available), fc.nat(300), { maxKeys: 3 }),
      rebalance: fc.boolean(),
      key: fc.constantFrom('', 'ns/app', 'test-ns/test-deployment'),
    }),
  );
  const run = (i: fc.Arbitrary<any> extends fc.Arbitrary<infer T> ? T : never) =>
    planReplicas({ totalReplicas: i.total, clusters: i.prefs, availableClusters: i.available, currentReplicas: i.current, rebalance: i.rebalance, key: i.key });
  const prefOf = (prefs: Record<string, ClusterPreference>, c: string) => prefs[c] ?? prefs['*'];

  it('never exceeds the total, respects every max and (when they fit) every min, and is deterministic', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { plan: p } = run(i);
        const sum = Object.values(p).reduce((s, v) => s + v, 0);
        expect(sum).toBeLessThanOrEqual(i.total);
        expect(Object.keys(p).sort()).toEqual([...i.available].sort());
        const minSum = i.available.reduce((s: number, c: string) => s + (prefOf(i.prefs, c)?.minReplicas ?? 0), 0);
        for (const c of i.available) {
          const pr = prefOf(i.prefs, c);
          if (!pr) expect(p[c]).toBe(0);
          if (pr?.maxReplicas !== undefined) expect(p[c]).toBeLessThanOrEqual(pr.maxReplicas);
          if (pr && minSum <= i.total) expect(p[c]).toBeGreaterThanOrEqual(pr.minReplicas ?? 0);
        }
        expect(run(i)).toEqual(run(i));
      }),
      { numRuns: 500 },
    );
  });

  it('places everything when capacity allows (some weight and no max in reach)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const prefs: Record<string, ClusterPreference> = { '*': { weight: 1 } };
        for (const [k, v] of Object.entries(i.prefs as Record<string, ClusterPreference>)) prefs[k] = { ...v, maxReplicas: undefined, weight: (v.weight ?? 0) + 1 };
        for (const k of Object.keys(prefs)) if (prefs[k]!.maxReplicas === undefined) delete prefs[k]!.maxReplicas;
        const { plan: p } = planReplicas({ totalReplicas: i.total, clusters: prefs, availableClusters: i.available, currentReplicas: i.current, rebalance: i.rebalance, key: i.key });
        expect(Object.values(p).reduce((s, v) => s + v, 0)).toBe(i.total);
      }),
      { numRuns: 500 },
    );
  });
});
