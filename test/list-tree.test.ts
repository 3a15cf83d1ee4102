import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTree } from '../src/read/list-tree.js';
import { cleanup, tempDir } from './helpers.js';

const dir = tempDir('fedc-list-tree-');
afterAll(() => cleanup(dir));

const shown = (entries: ReturnType<typeof listTree>, root: string) =>
  entries.map((e) => `${path.relative(root, path.join(e.parentPath, e.name))} ${e.isSymbolicLink() ? 'link' : e.isDirectory() ? 'dir' : 'file'}`);

describe('listing a tree', () => {
  it('lists what recursive readdir lists, in its order, where there is no symlink', () => {
    const root = path.join(dir, 'plain');
    for (const d of ['a/b/c', 'a/d', 'e', 'f g/ü']) mkdirSync(path.join(root, d), { recursive: true });
    for (const f of ['top.yaml', 'a/one.yaml', 'a/b/two.yaml', 'a/b/c/three.yaml', 'a/d/four', 'f g/ü/five.yaml']) writeFileSync(path.join(root, f), 'x');
    const want = readdirSync(root, { recursive: true, withFileTypes: true });
    expect(shown(listTree(root), root)).toEqual(shown(want, root));
    expect(listTree(root).map((e) => e.parentPath)).toEqual(want.map((e) => e.parentPath));
  });

  it('never looks into a symlink, not even one to an ancestor (Node 22\'s recursive readdir does)', () => {
    const root = path.join(dir, 'links');
    const outside = path.join(dir, 'outside');
    mkdirSync(path.join(root, 'cluster/ns'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'elsewhere.yaml'), 'x');
    writeFileSync(path.join(root, 'cluster/ns/object.yaml'), 'x');
    symlinkSync(outside, path.join(root, 'cluster/linked'));
    symlinkSync(root, path.join(root, 'cluster/ns/loop'));
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
    expect(shown(listTree(root), root).sort()).toEqual([
      'cluster dir',
      'cluster/linked link',
      'cluster/ns dir',
      'cluster/ns/loop link',
      'cluster/ns/object.yaml file',
      'dangling link',
    ]);
  });
});
