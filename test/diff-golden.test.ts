/**
 * Golden diffs: for every fixture with a diff/ folder, the render of its input against the render
 * of its input changed by diff/head/ (files replaced or added) and diff/deleted.txt (files
 * removed), printed in every format, byte for byte. UPDATE_GOLDEN=1 rewrites them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/compile.js';
import { compareSnapshots } from '../src/diff/compare-snapshots.js';
import { DIFF_FORMATS, diffFormatters } from '../src/diff/format/index.js';
import { snapshotOfCompile } from '../src/diff/render-snapshot.js';
import { loadSettings } from '../src/read/load-settings.js';
import { readRepo } from '../src/read/read-repo.js';
import { ROOT } from './helpers.js';

const FIXTURES = path.join(ROOT, 'fixtures');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const EXT = { text: 'txt', markdown: 'md', json: 'json' } as const;
const names = readdirSync(FIXTURES).filter((n) => existsSync(path.join(FIXTURES, n, 'diff'))).sort();

describe.each(names)('golden diff %s', (name) => {
  it('prints, in every format, what is committed', async () => {
    const dir = path.join(FIXTURES, name);
    const input = path.join(dir, 'input');
    const { settings } = await loadSettings(input);
    const { files } = await readRepo(input, settings);
    const { files: replaced } = await readRepo(path.join(dir, 'diff', 'head'), { ...settings, include: ['**/*'] });
    const deletedFile = path.join(dir, 'diff', 'deleted.txt');
    const deleted = new Set(existsSync(deletedFile) ? readFileSync(deletedFile, 'utf8').split('\n').filter(Boolean) : []);
    const byPath = new Map(files.map((f) => [f.path, f]));
    for (const f of replaced) byPath.set(f.path, f);
    for (const d of deleted) {
      expect(byPath.has(d), `${d} is an input`).toBe(true);
      byPath.delete(d);
    }
    const options = { kubefedNamespace: settings.kubefedNamespace, ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}) };
    const base = compile(files, options);
    const head = compile([...byPath.values()], options);
    expect([base.failed, head.failed]).toEqual([false, false]);
    const result = compareSnapshots(snapshotOfCompile(base), snapshotOfCompile(head));
    expect(result.changed).toBe(true);
    for (const format of DIFF_FORMATS) {
      const text = diffFormatters[format].format({ base: 'input', head: 'input + diff/head', result }, { color: false, maxChars: 65000 });
      const golden = path.join(dir, 'diff', `expected.${EXT[format]}`);
      if (UPDATE) writeFileSync(golden, text);
      expect(text, golden).toBe(readFileSync(golden, 'utf8'));
    }
  });
});
