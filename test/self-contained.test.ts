/**
 * The repository stands alone: a fresh clone, with nothing beside it, installs, tests and
 * benchmarks itself. So no file in it may point at a sibling checkout (the team's shared folder)
 * or at an absolute path of the machine it was written on. The needles are built from parts, so
 * this file does not match itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SIBLING = ['..', 'shared'].join('/');
const MACHINE_ROOT = ['', 'work', ''].join('/');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative path into the shared sibling folder (either slash), not a longer name that merely starts the same. */
const SIBLING_RE = new RegExp(`${escape(SIBLING).replace('/', '[\\\\/]')}(?![\\w-])`);
/** An absolute path on the team's machines: the path starts there, it is not inside a URL. */
const MACHINE_RE = new RegExp(`(?:^|[\\s'"\`(=,:\\[])${escape(MACHINE_ROOT)}`);

/** Each line of text that refers outside the repository, as `line: text`. */
export function outsideReferences(text: string): string[] {
  const hits: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (SIBLING_RE.test(line) || MACHINE_RE.test(line)) hits.push(`${i + 1}: ${line.trim().slice(0, 160)}`);
  });
  return hits;
}

/** The repository's files: tracked ones, and new ones not ignored (so a file not yet committed counts too). */
function repositoryFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (git.status === 0 && git.stdout.length > 0) return [...new Set(git.stdout.split('\0').filter(Boolean))].sort();
  // Not a git checkout (an unpacked archive): every file but what .gitignore names by directory.
  const ignored = new Set(['.git']);
  if (existsSync(path.join(ROOT, '.gitignore'))) {
    for (const l of readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')) if (l.trim()) ignored.add(l.trim().replace(/\/$/, ''));
  }
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(ROOT, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (ignored.has(r) || ignored.has(name)) continue;
      if (statSync(path.join(ROOT, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

const isBinary = (b: Buffer) => b.subarray(0, 8000).includes(0);

describe('the repository is self-contained', () => {
  it('the matcher flags a path into the sibling folder and an absolute machine path, and nothing like them', () => {
    expect(outsideReferences(`node ${SIBLING}/bench/gen-workload.mjs`)).toHaveLength(1);
    expect(outsideReferences(`const SHARED = path.resolve(ROOT, '${SIBLING}');`)).toHaveLength(1);
    expect(outsideReferences(`see ..\\shared\\bench\\README.md`)).toHaveLength(1);
    expect(outsideReferences(`a\ncat ${MACHINE_ROOT}shared/KUBEFED-SEMANTICS.md\nb`)).toEqual([`2: cat ${MACHINE_ROOT}shared/KUBEFED-SEMANTICS.md`]);
    expect(outsideReferences(`'${MACHINE_ROOT}main/bench'`)).toHaveLength(1);
    expect(outsideReferences(`${MACHINE_ROOT}main`)).toHaveLength(1);
    // Not outside references: a longer name, a URL path, a word, the repo's own relative paths.
    expect(outsideReferences(`${SIBLING}-config/x ${SIBLING}lib https://example.com${MACHINE_ROOT}x homework/ network/`)).toEqual([]);
    expect(outsideReferences(`node bench/gen-workload.mjs OUT; ../../base/ns/a.yaml; fixtures/x/input`)).toEqual([]);
  });

  it('no file of the repository refers to the sibling shared folder or to an absolute machine path', () => {
    const files = repositoryFiles();
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files).toContain('.ci/run');
    const offenders: string[] = [];
    let scanned = 0;
    for (const f of files) {
      const full = path.join(ROOT, f);
      if (!existsSync(full) || !statSync(full).isFile()) continue; // deleted in the work tree
      const bytes = readFileSync(full);
      if (isBinary(bytes)) continue;
      scanned++;
      for (const hit of outsideReferences(bytes.toString('utf8'))) offenders.push(`${f}:${hit}`);
    }
    expect(scanned).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
