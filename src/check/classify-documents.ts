import path from 'node:path';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Origin } from '../model/inputs.js';
import type { ParsedDocument } from '../parse/parsed-document.js';

type Obj = Record<string, unknown>;

/** A document (or List item) that is a Kubernetes object: apiVersion and kind are strings. */
export interface ObjectDoc {
  origin: Origin;
  value: Obj;
  apiVersion: string;
  kind: string;
}

/**
 * KubeFed v0.1 (2019) served today's schemas under `*.kubefed.k8s.io`; v0.2 renamed the groups
 * to `*.kubefed.io`. Objects of the old groups are read as the new ones.
 */
const RENAMED_GROUPS: Record<string, { group: string; versions: string[] }> = {
  'types.kubefed.k8s.io': { group: 'types.kubefed.io', versions: ['v1beta1'] },
  'core.kubefed.k8s.io': { group: 'core.kubefed.io', versions: ['v1beta1'] },
  'scheduling.kubefed.k8s.io': { group: 'scheduling.kubefed.io', versions: ['v1alpha1'] },
  'multiclusterdns.kubefed.k8s.io': { group: 'multiclusterdns.kubefed.io', versions: ['v1alpha1'] },
};

const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io';
/** The names kustomize reads a directory's kustomization from. */
export const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Groups of federation v2's alpha releases (2018) and KubeFed before v0.1. */
function isAlphaEra(group: string, version: string): boolean {
  if (group === 'federation.k8s.io' || group.endsWith('.federation.k8s.io')) return true;
  if (group === 'clusterregistry.k8s.io') return true;
  return group.endsWith('.kubefed.k8s.io') && RENAMED_GROUPS[group] !== undefined && !RENAMED_GROUPS[group]!.versions.includes(version);
}

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** What a file holds besides Kubernetes objects, reported once per file. */
interface FileNotes {
  /** Kubernetes objects the file holds besides. */
  objects?: number;
  foreign?: { origin: Origin; what: string; count: number };
  kustomization?: Origin;
  renamed?: { origin: Origin; from: Set<string> };
  alpha?: { origin: Origin; apiVersion: string };
}

/**
 * Sorts what real repositories hold: Kubernetes objects go on to the input stage (List items
 * expanded, KubeFed v0.1 groups renamed); YAML that is no Kubernetes object, kustomizations and
 * federation-v2 alpha objects are reported once per file and go no further.
 */
export function classifyDocuments(parsed: readonly ParsedDocument[], report: Reporter): ObjectDoc[] {
  const out: ObjectDoc[] = [];
  const notes = new Map<string, FileNotes>();
  const noteOf = (file: string) => {
    let n = notes.get(file);
    if (!n) notes.set(file, (n = {}));
    return n;
  };

  const visit = (value: unknown, origin: Origin, inList: boolean): void => {
    const file = origin.file;
    const basename = path.posix.basename(file);
    const isMap = typeof value === 'object' && value !== null && !Array.isArray(value);
    const obj = isMap ? (value as Obj) : undefined;
    const has = (k: string) => obj !== undefined && obj[k] !== undefined && obj[k] !== null && obj[k] !== '';
    if (!inList && KUSTOMIZATION_FILES.has(basename) && obj && !has('kind')) {
      noteOf(file).kustomization ??= origin;
      return;
    }
    if (!obj || (!has('apiVersion') && !has('kind'))) {
      if (inList) {
        report.error('FEDC1005', { origin }, `this List item is ${describeValue(value)}, not a Kubernetes object`);
        return;
      }
      const n = noteOf(file);
      if (n.foreign) n.foreign.count++;
      else n.foreign = { origin, what: describeForeign(basename, value), count: 1 };
      return;
    }
    const missing = ['apiVersion', 'kind'].filter((k) => !has(k));
    if (missing.length > 0) {
      report.error('FEDC1005', { origin, path: [missing[0] === 'kind' ? 'apiVersion' : 'kind'], atKey: true },
        `${inList ? 'this List item' : `document ${origin.docIndex + 1}`} has ${missing[0] === 'kind' ? 'an apiVersion but no kind' : 'a kind but no apiVersion'}; it is not a Kubernetes object`,
        'a Kubernetes object needs both; a file of other YAML needs neither, and is then skipped');
      return;
    }
    const notString = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string');
    if (notString.length > 0) {
      for (const k of notString) report.error('FEDC2001', { origin, path: [k] }, `${k} must be a string, not ${JSON.stringify(obj[k])}`);
      return;
    }
    let apiVersion = obj.apiVersion as string;
    const kind = obj.kind as string;
    const [group, version] = splitApiVersion(apiVersion);
    if (group === KUSTOMIZE_GROUP) {
      noteOf(file).kustomization ??= origin;
      return;
    }
    if (isList(kind, obj)) {
      const items = (obj.items ?? []) as unknown[];
      const within = origin.within ?? [];
      items.forEach((item, i) => visit(item, { ...origin, within: [...within, 'items', i] }, true));
      return;
    }
    if (isAlphaEra(group, version)) {
      noteOf(file).alpha ??= { origin, apiVersion };
      return;
    }
    let value2 = obj;
    const renamed = RENAMED_GROUPS[group];
    if (renamed && renamed.versions.includes(version)) {
      const n = noteOf(file);
      if (n.renamed) n.renamed.from.add(group);
      else n.renamed = { origin, from: new Set([group]) };
      apiVersion = `${renamed.group}/${version}`;
      value2 = { ...obj, apiVersion };
      // A v0.1 FederatedTypeConfig names the federated group too.
      const fed = ((obj.spec as Obj | undefined)?.federatedType as Obj | undefined);
      const fedGroup = typeof fed?.group === 'string' ? RENAMED_GROUPS[fed.group] : undefined;
      if (kind === 'FederatedTypeConfig' && fed && fedGroup) {
        value2 = { ...value2, spec: { ...(obj.spec as Obj), federatedType: { ...fed, group: fedGroup.group } } };
      }
    }
    noteOf(file).objects = (noteOf(file).objects ?? 0) + 1;
    out.push({ origin, value: value2, apiVersion, kind });
  };

  for (const p of parsed) visit(p.value, { file: p.file, docIndex: p.index, line: p.line }, false);

  for (const [file, n] of notes) {
    if (n.foreign) {
      const { origin, what, count } = n.foreign;
      const message = n.objects
        ? `${count > 1 ? `${count} documents` : `document ${origin.docIndex + 1}`} of ${file} ${count > 1 ? 'look' : 'looks'} like ${what}, with neither apiVersion nor kind: not Kubernetes objects, so skipped`
        : `${file} looks like ${what}, with neither apiVersion nor kind: not Kubernetes objects, so it is skipped`;
      report.warning('FEDC1009', { origin }, message,
        n.objects ? 'move them to a file of their own, or delete them' : `exclude it in fedc.yaml (exclude: ["${file}"]) to silence this`);
    }
    if (n.kustomization) {
      report.info('FEDC1011', { origin: n.kustomization },
        `${file} is a kustomization; fedc does not run kustomize, so it is skipped`,
        'fedc writes a kustomization.yaml of its own into every rendered cluster directory');
    }
    if (n.renamed) {
      const from = [...n.renamed.from].sort();
      report.warning('FEDC2010', { origin: n.renamed.origin, path: ['apiVersion'] },
        `${file} uses KubeFed v0.1's API group${from.length > 1 ? 's' : ''} ${from.join(', ')}; read as ${from.map((g) => RENAMED_GROUPS[g]!.group).join(', ')}, as KubeFed v0.2 renamed them`,
        `replace ".kubefed.k8s.io/" with ".kubefed.io/" in ${file} (see "Migrating from older KubeFed" in the README)`);
    }
    if (n.alpha) {
      report.error('FEDC2011', { origin: n.alpha.origin, path: ['apiVersion'] },
        `${file} is written for federation v2's alpha (${n.alpha.apiVersion}, 2018), before KubeFed v0.1; fedc reads KubeFed v0.1 and later`,
        'KubeFed v0.1 merged the separate Federated<Kind>Placement and Federated<Kind>Override objects into spec.placement and spec.overrides of the Federated<Kind> (types.kubefed.io/v1beta1), and placement.clusterNames became placement.clusters[].name; FederatedCluster became KubeFedCluster (core.kubefed.io/v1beta1)');
    }
  }
  return out;
}

/**
 * `v1 List` and the `<Kind>List` kinds that `kubectl get -o yaml` writes. A `List` with no items
 * (`items: null`, or none, as `kubectl get` writes when nothing matched) is an empty list.
 */
function isList(kind: string, obj: Obj): boolean {
  return (kind === 'List' || kind.endsWith('List')) && Array.isArray(obj.items) || (kind === 'List' && obj.items == null);
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v} (${JSON.stringify(v).slice(0, 40)})`;
}

/** A guess at what a non-Kubernetes YAML document is, for the message. */
function describeForeign(basename: string, v: unknown): string {
  if (Array.isArray(v)) {
    const maps = v.filter((x): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x));
    if (maps.some((m) => 'hosts' in m || 'import_playbook' in m)) return 'an Ansible playbook';
    if (maps.length > 0 && maps.every((m) => 'name' in m)) return 'an Ansible task list';
    return 'a YAML list';
  }
  if (typeof v !== 'object' || v === null) return 'a plain value';
  const o = v as Obj;
  if (/^values([.-].*)?\.ya?ml$/.test(basename)) return 'Helm values';
  if ('jobs' in o && ('on' in o || 'true' in o)) return 'a GitHub Actions workflow';
  if ('services' in o && ('version' in o || 'volumes' in o || 'networks' in o)) return 'a Docker Compose file';
  if ('repos' in o && basename.startsWith('.pre-commit')) return 'a pre-commit configuration';
  if ('stages' in o || ('image' in o && 'script' in o)) return 'a CI configuration';
  return 'YAML of another tool';
}
