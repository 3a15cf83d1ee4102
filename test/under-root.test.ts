import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childPath, relativeToRoot } from '../src/emit/under-root.js';

// Segments as file names come: any characters but the separator and NUL, never `.` or `..`.
const segment = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..');
const rel = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
const root = fc.oneof(fc.constant('/'), fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => '/' + parts.join('/')));

describe('paths under a root, joined without normalizing', () => {
  it.runIf(path.sep === '/')('are what path.join and path.relative give for normalized paths', () => {
    fc.assert(
      fc.property(root, rel, (r, p) => {
        expect(childPath(r, p)).toBe(path.join(r, p));
        expect(relativeToRoot(r)(path.join(r, p))).toBe(p);
      }),
      { numRuns: 2000 },
    );
  });
});
