import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TYPES, type FederatedType } from '../model/federated-types.js';

/**
 * Editor schemas, one per built-in federated kind: the shared federated-resource schema with
 * apiVersion and kind pinned. They are generated (npm run schemas) and self-contained, so
 * yaml-language-server can use them from a local path without fetching anything.
 */
export function kindSchemaFiles(): Map<string, string> {
  const base = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/federated-resource.json', import.meta.url)), 'utf8'));
  const out = new Map<string, string>();
  for (const t of BUILTIN_TYPES) out.set(`${t.federatedKind.toLowerCase()}.json`, JSON.stringify(kindSchema(base, t), null, 2) + '\n');
  return out;
}

function kindSchema(base: Record<string, any>, t: FederatedType): Record<string, unknown> {
  const { $id: _id, title: _t, description: _d, ...rest } = base;
  const target = t.targetGroup ? `${t.targetGroup}/${t.targetVersion}` : t.targetVersion;
  return {
    $schema: base.$schema,
    $id: `https://fedc.dev/schemas/${t.federatedKind.toLowerCase()}.json`,
    title: `${t.federatedKind} (${t.federatedApiVersion})`,
    description: `Propagates ${target} ${t.targetKind} (${t.targetScope === 'Cluster' ? 'cluster-scoped' : 'namespaced'}) to the clusters its placement selects. Generated from federated-resource.json.`,
    ...rest,
    properties: {
      ...rest.properties,
      apiVersion: { const: t.federatedApiVersion },
      kind: { const: t.federatedKind },
    },
  };
}
