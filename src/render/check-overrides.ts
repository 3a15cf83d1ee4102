import type { Reporter } from '../diagnostics/reporter.js';
import type { FederatedResource, Origin } from '../model/inputs.js';

/** Paths KubeFed refuses to override (exact string match, as KubeFed compares them). */
export const PROTECTED_PATHS = ['/metadata/namespace', '/metadata/name', '/metadata/generateName', '/kind'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * KubeFed's GetOverrides checks, which fail the object in every cluster: a cluster listed twice,
 * a path twice for one cluster, a protected path. fedc also refuses paths that are not JSON
 * pointers (KubeFed's patch library misreads them). It reads the document as written, so that it
 * also runs on a document with schema errors (whatever is malformed is the schema's to report),
 * and on objects that are placed nowhere. Returns false when the object must not render.
 */
export function checkOverrideList(doc: Obj, origin: Origin, report: Reporter): boolean {
  const spec = doc.spec;
  const overrides = isObj(spec) ? spec.overrides : undefined;
  if (!Array.isArray(overrides)) return true;
  let ok = true;
  const clusters = new Map<string, number>();
  overrides.forEach((o: unknown, i) => {
    if (!isObj(o)) return;
    const at = (...p: (string | number)[]) => ({ origin, path: ['spec', 'overrides', i, ...p] });
    const clusterName = o.clusterName;
    if (typeof clusterName === 'string') {
      const first = clusters.get(clusterName);
      if (first !== undefined) {
        report.error('FEDC4003', at('clusterName'), `cluster "${clusterName}" appears more than once in overrides`, `merge it into overrides[${first}]`);
        ok = false;
      } else clusters.set(clusterName, i);
    }
    if (!Array.isArray(o.clusterOverrides)) return;
    const paths = new Map<string, number>();
    o.clusterOverrides.forEach((op: unknown, j) => {
      if (!isObj(op) || typeof op.path !== 'string') return;
      const path = op.path;
      const pat = at('clusterOverrides', j, 'path');
      const seen = paths.get(path);
      if (seen !== undefined) {
        report.error('FEDC4004', pat, `path "${path}" appears more than once for cluster "${String(clusterName)}"`, `see clusterOverrides[${seen}]`);
        ok = false;
      } else paths.set(path, j);
      if (path === '') {
        report.error('FEDC4001', pat, 'override path is empty: it would replace the whole object, which KubeFed refuses', 'name a field, for example /spec/replicas');
        ok = false;
      } else if (!path.startsWith('/')) {
        const guess = path.includes('.') && !path.includes('/') ? `/${path.split('.').join('/')}` : `/${path}`;
        report.error('FEDC4001', pat, `override path "${path}" is not a JSON pointer`, `paths start with "/" and use "/" between fields: ${guess}`);
        ok = false;
      } else if (PROTECTED_PATHS.includes(path)) {
        report.error('FEDC4002', pat, `override path "${path}" is protected: KubeFed does not allow overriding it`);
        ok = false;
      }
    });
  });
  return ok;
}

/**
 * Whether a placed object may render: its overrides passed checkOverrideList when it was read.
 * Overrides for clusters it is not propagated to are warned about here, once placement is known.
 */
export function checkOverrides(r: FederatedResource, placed: ReadonlySet<string>, report: Reporter): boolean {
  r.overrides.forEach((o, i) => {
    if (!placed.has(o.clusterName) && o.clusterOverrides.some((op) => !op.scheduledBy)) {
      report.warning('FEDC4006', { origin: r.origin, path: ['spec', 'overrides', i, 'clusterName'] },
        `override for cluster "${o.clusterName}", which ${r.type.federatedKind} ${r.name} is not propagated to; it has no effect`);
    }
  });
  return !r.invalidOverrides;
}
