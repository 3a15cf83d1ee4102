import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import type { SourceFile } from '../src/read/source-file.js';
import { loadSettings } from '../src/read/load-settings.js';
import { readRepo } from '../src/read/read-repo.js';
import { cleanup, readTree, renderTree, ROOT } from './helpers.js';

const FIXTURES = path.join(ROOT, 'fixtures');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Every fixtures/<name>/ with an input/ directory has its rendered tree under expected/. */
const names = readdirSync(FIXTURES).filter((n) => existsSync(path.join(FIXTURES, n, 'input'))).sort();

/** A fixture's files and compile options, as the CLI reads them (its fedc.yaml included). */
async function readFixtureRepo(input: string): Promise<{ src: SourceFile[]; options: { kubefedNamespace: string; defaultNamespace?: string } }> {
  const { settings, diagnostics } = await loadSettings(input);
  expect(diagnostics).toEqual([]);
  const read = await readRepo(input, settings);
  expect(read.diagnostics).toEqual([]);
  const options = { kubefedNamespace: settings.kubefedNamespace, ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}) };
  return { src: read.files, options };
}

describe.each(names)('golden %s', (name) => {
  const dir = path.join(FIXTURES, name);
  const expectedDir = path.join(dir, 'expected');

  it('renders byte for byte what is committed', async () => {
    const { src, options } = await readFixtureRepo(path.join(dir, 'input'));
    const { result, tree } = renderTree(src, 'object', options);
    const diagnostics = formatDiagnostics(result.diagnostics, 'text');
    const actual = new Map(tree.files);
    actual.set('diagnostics.txt', diagnostics);
    if (UPDATE) {
      cleanup(expectedDir);
      for (const [rel, content] of actual) {
        mkdirSync(path.dirname(path.join(expectedDir, rel)), { recursive: true });
        writeFileSync(path.join(expectedDir, rel), content);
      }
    }
    const expected = readTree(expectedDir);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [rel, content] of actual) expect(content, rel).toBe(expected.get(rel));
    expect(result.failed).toBe(false);
  });

  it('renders the same bytes twice', async () => {
    const { src, options } = await readFixtureRepo(path.join(dir, 'input'));
    const a = renderTree(src, 'object', options).tree.files;
    const b = renderTree([...src].reverse(), 'object', options).tree.files;
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
  });
});
