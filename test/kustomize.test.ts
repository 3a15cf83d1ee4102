import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonical, readTree, ROOT } from './helpers.js';

/** kubectl kustomize must build every rendered cluster directory into exactly its objects. */
const FIXTURES = path.join(ROOT, 'fixtures');
const dirs: string[] = [];
for (const name of readdirSync(FIXTURES).sort()) {
  const clusters = path.join(FIXTURES, name, 'expected', 'clusters');
  if (!existsSync(clusters)) continue;
  for (const c of readdirSync(clusters).sort()) dirs.push(path.join(name, 'expected', 'clusters', c));
}

const key = (o: Record<string, any>) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

function objectsOf(yamlText: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of parseAllDocuments(yamlText, { version: '1.1' }) as any[]) {
    const v = d.toJS();
    if (v) out.set(key(v), JSON.stringify(canonical(v)));
  }
  return out;
}

describe('kubectl kustomize on the rendered tree', () => {
  it('has fixtures to check', () => expect(dirs.length).toBeGreaterThanOrEqual(7));

  it.each(dirs)('%s', (dir) => {
    const full = path.join(FIXTURES, dir);
    const r = spawnSync('kubectl', ['kustomize', full], { encoding: 'utf8' });
    expect(r.error, 'kubectl must be installed').toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const built = objectsOf(r.stdout);
    const files = readTree(full);
    files.delete('kustomization.yaml');
    const rendered = objectsOf([...files.values()].join('\n---\n'));
    expect([...built.keys()].sort()).toEqual([...rendered.keys()].sort());
    for (const [k, v] of rendered) expect(built.get(k), k).toBe(v);
  });
});
