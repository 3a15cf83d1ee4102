import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kindSchemaFiles } from '../src/check/kind-schemas.js';
import { AJV_KEYWORDS } from '../src/check/schema-files.js';
import { ROOT } from './helpers.js';

const SCHEMAS = path.join(ROOT, 'schemas');

function editorAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true });
  for (const keyword of AJV_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
}

describe('schemas/', () => {
  it('per-kind editor schemas are up to date (npm run schemas)', () => {
    for (const [name, content] of kindSchemaFiles()) {
      expect(readFileSync(path.join(SCHEMAS, name), 'utf8'), name).toBe(content);
    }
  });

  it('every schema compiles on its own, with no reference to another file', () => {
    for (const name of readdirSync(SCHEMAS)) {
      const text = readFileSync(path.join(SCHEMAS, name), 'utf8');
      expect(text, name).not.toMatch(/"\$ref": "[^#]/);
      expect(() => editorAjv().compile(JSON.parse(text)), name).not.toThrow();
    }
  });

  it('every fixture input validates against the schema of its kind', () => {
    const fixtures = path.join(ROOT, 'fixtures');
    let checked = 0;
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : [],
      );
    for (const name of readdirSync(fixtures)) {
      const input = path.join(fixtures, name, 'input');
      try {
        readdirSync(input);
      } catch {
        continue;
      }
      for (const file of walk(input)) {
        for (const doc of parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' }) as any[]) {
          const v = doc.toJS();
          // Fixtures of real repositories also hold files fedc skips (Helm charts, plain objects).
          const file_ = path.join(SCHEMAS, `${String(v?.kind).toLowerCase()}.json`);
          if (!existsSync(file_) || String(v.apiVersion).includes('.kubefed.k8s.io/')) continue;
          const schema = JSON.parse(readFileSync(file_, 'utf8'));
          const validate = editorAjv().compile(schema);
          expect(validate(v), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('a per-kind schema pins apiVersion and kind', () => {
    const validate = editorAjv().compile(JSON.parse(readFileSync(path.join(SCHEMAS, 'federateddeployment.json'), 'utf8')));
    const doc = { apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedDeployment', metadata: { name: 'x' }, spec: {} };
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, kind: 'FederatedService' })).toBe(false);
    expect(validate({ ...doc, apiVersion: 'types.kubefed.io/v1alpha1' })).toBe(false);
  });
});
