import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AJV_KEYWORDS, AJV_OPTIONS, SCHEMA_FILES, type SchemaName } from '../src/check/schema-files.js';
import { ROOT } from './helpers.js';

/** The CLI uses validators precompiled at build time; they must judge exactly as the schemas do. */
describe('precompiled validators (dist/check/validators.generated.js)', async () => {
  const precompiled = await import(pathToFileURL(path.join(ROOT, 'dist/check/validators.generated.js')).href);
  const ajv = new Ajv(AJV_OPTIONS);
  for (const keyword of AJV_KEYWORDS) ajv.addKeyword({ keyword });
  for (const file of Object.values(SCHEMA_FILES)) ajv.addSchema(JSON.parse(readFileSync(path.join(ROOT, 'schemas', file), 'utf8')));

  const samples: [SchemaName, unknown][] = [
    ['federatedResource', { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', metadata: { name: 'x' }, spec: { placment: {}, overrides: [{ clusterName: 1, clusterOverrides: [{ op: 'move', path: '/a' }] }] } }],
    ['federatedResource', { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedConfigMap', metadata: { name: 'x', namespace: true }, spec: { placement: { clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Like' }] } } } }],
    ['kubeFedCluster', { apiVersion: 'core.kubefed.io/v1beta1', kind: 'KubeFedCluster', metadata: { name: 'a' }, spec: { apiEndpoint: 3 } }],
    ['federatedTypeConfig', { apiVersion: 'core.kubefed.io/v1beta1', kind: 'FederatedTypeConfig', metadata: { name: 'a' }, spec: { propagation: 'Maybe' } }],
    ['settings', { include: 'x', strict: 'yes', extra: 1 }],
    ['settings', { include: ['**/*.yaml'], layout: 'manifest' }],
  ];

  it.each(samples.map((s, i) => [i, ...s] as const))('sample %i (%s)', (_i, name, doc) => {
    const runtime = ajv.getSchema(`https://fedc.dev/schemas/${SCHEMA_FILES[name]}`)!;
    const pre = precompiled[name];
    expect(pre(doc)).toBe(runtime(doc));
    const strip = (errs: any[] | null | undefined) => (errs ?? []).map((e) => [e.instancePath, e.keyword, e.params, e.data]);
    expect(strip(pre.errors)).toEqual(strip(runtime.errors));
  });
});
