import { parseAllDocuments } from 'yaml';
import { CLUSTERS_DIR, GENERATED_MARKER, MANIFEST_FILE, objectFilePath } from '../model/output-contract.js';
import { YAML_OPTIONS } from '../parse/parsed-document.js';
import type { ObjectRef, PreviousReplicas } from '../plan/schedule-replicas.js';
import type { OutputFiles } from './output-files.js';

/**
 * Reads spec.replicas of objects in a previous fedc output directory, in either layout. Only
 * files fedc wrote count (they start with its marker); anything else is no answer, never a guess.
 */
export function previousReplicasReader(output: OutputFiles): PreviousReplicas {
  const manifests = new Map<string, Map<string, number>>();
  const read = (rel: string): string | undefined => {
    const text = output(rel);
    return text?.startsWith(GENERATED_MARKER) ? text : undefined;
  };
  const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
  return (cluster: string, o: ObjectRef) => {
    const dir = `${CLUSTERS_DIR}/${cluster}`;
    const text = read(`${dir}/${objectFilePath(o.kind, o.namespace, o.name)}`);
    if (text !== undefined) return replicasOf(parseAllDocuments(text, YAML_OPTIONS)[0]?.toJS(), o);
    let index = manifests.get(cluster);
    if (!index) {
      index = new Map();
      const manifest = read(`${dir}/${MANIFEST_FILE}`);
      for (const doc of manifest === undefined ? [] : parseAllDocuments(manifest, YAML_OPTIONS)) {
        const v = doc.toJS() as { kind?: string; metadata?: { namespace?: string; name?: string } } | null;
        const n = replicasOf(v, undefined);
        if (v && n !== undefined) index.set(key(String(v.kind), v.metadata?.namespace ?? '', String(v.metadata?.name)), n);
      }
      manifests.set(cluster, index);
    }
    return index.get(key(o.kind, o.namespace, o.name));
  };
}

function replicasOf(v: unknown, expect: ObjectRef | undefined): number | undefined {
  const obj = v as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: { replicas?: unknown } } | null;
  if (!obj || typeof obj !== 'object') return undefined;
  if (expect && (obj.kind !== expect.kind || obj.metadata?.name !== expect.name || (obj.metadata?.namespace ?? '') !== expect.namespace)) return undefined;
  const n = obj.spec?.replicas;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
