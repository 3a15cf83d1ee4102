import type { Reporter } from '../diagnostics/reporter.js';
import type { FederatedResource } from '../model/inputs.js';

/** Paths KubeFed refuses to override (exact string match, as KubeFed compares them). */
export const PROTECTED_PATHS = ['/metadata/namespace', '/metadata/name', '/metadata/generateName', '/kind'];

/**
 * KubeFed's GetOverrides checks, which fail the object in every cluster: a cluster listed twice,
 * a path twice for one cluster, a protected path. fedc also refuses paths that are not JSON
 * pointers (KubeFed's patch library misreads them). Returns false when the object must not render.
 */
export function checkOverrides(r: FederatedResource, placed: ReadonlySet<string>, report: Reporter): boolean {
  let ok = true;
  const clusters = new Map<string, number>();
  r.overrides.forEach((o, i) => {
    const at = (...p: (string | number)[]) => ({ origin: r.origin, path: ['spec', 'overrides', i, ...p] });
    const first = clusters.get(o.clusterName);
    if (first !== undefined) {
      report.error('FEDC4003', at('clusterName'), `cluster "${o.clusterName}" appears more than once in overrides`, `merge it into overrides[${first}]`);
      ok = false;
    } else clusters.set(o.clusterName, i);
    if (!placed.has(o.clusterName) && o.clusterOverrides.some((op) => !op.scheduledBy)) {
      report.warning('FEDC4006', at('clusterName'), `override for cluster "${o.clusterName}", which ${r.type.federatedKind} ${r.name} is not propagated to; it has no effect`);
    }
    const paths = new Map<string, number>();
    o.clusterOverrides.forEach((op, j) => {
      const pat = at('clusterOverrides', j, 'path');
      const seen = paths.get(op.path);
      if (seen !== undefined) {
        report.error('FEDC4004', pat, `path "${op.path}" appears more than once for cluster "${o.clusterName}"`, `see clusterOverrides[${seen}]`);
        ok = false;
      } else paths.set(op.path, j);
      if (op.path === '') {
        report.error('FEDC4001', pat, 'override path is empty: it would replace the whole object, which KubeFed refuses', 'name a field, for example /spec/replicas');
        ok = false;
      } else if (!op.path.startsWith('/')) {
        const guess = op.path.includes('.') && !op.path.includes('/') ? `/${op.path.split('.').join('/')}` : `/${op.path}`;
        report.error('FEDC4001', pat, `override path "${op.path}" is not a JSON pointer`, `paths start with "/" and use "/" between fields: ${guess}`);
        ok = false;
      } else if (PROTECTED_PATHS.includes(op.path)) {
        report.error('FEDC4002', pat, `override path "${op.path}" is protected: KubeFed does not allow overriding it`);
        ok = false;
      }
    });
  });
  return ok;
}
