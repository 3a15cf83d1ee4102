/**
 * glob-screen.ts answers for minimatch before minimatch does: a screened matcher must give exactly
 * minimatch's answer, for every pattern and path, including the paths glob's ignore asks about
 * (each entry, and the entry with a slash after it).
 */
import fc from 'fast-check';
import { Ignore } from 'glob';
import { Minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { screened, screenedIgnore } from '../src/read/glob-screen.js';

const RUNS = Number(process.env.FEDC_PROPERTY_RUNS ?? 300) * 20;
const IGNORE_OPTS = { dot: true, optimizationLevel: 2, nocomment: true, nonegate: true } as const;

const patternPart = fc.constantFrom('**', '*', 'a', 'b', '.git', 'node_modules', '*.yaml', 'a?', '{a,b}', '{a,node_modules}', '.*', '[ab]',
  'fedc.yaml', '', '.', '..', 'a*b', '!(a)', '+(a|b)', '@(x).yaml', '\\*', 'A', 'x.yaml');
const pathPart = fc.constantFrom('a', 'b', 'A', '.git', 'node_modules', 'x.yaml', '.hidden', 'fedc.yaml', 'ab', 'aab', '.', '..', '', '*', 'x',
  'node_modules.bak', 'my.git');
const pattern = fc.tuple(fc.constantFrom('', '/', './'), fc.array(patternPart, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '/', '/**'))
  .map(([lead, parts, tail]) => lead + parts.join('/') + tail);
const filePath = fc.tuple(fc.constantFrom('', '/'), fc.array(pathPart, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '/'))
  .map(([lead, parts, tail]) => lead + parts.join('/') + tail);

describe('glob-screen.ts', () => {
  it('matches as minimatch does, with the options glob ignores with and with others', () => {
    const options = fc.constantFrom<object>(IGNORE_OPTS, { dot: true }, { dot: false }, { ...IGNORE_OPTS, nocase: true }, { nobrace: true, noglobstar: true });
    fc.assert(fc.property(pattern, filePath, options, (p, f, o) => {
      const plain = new Minimatch(p, o);
      const quick = screened(new Minimatch(p, o));
      for (const x of [f, `${f}/`]) expect(quick.match(x), `${p} against ${x}`).toBe(plain.match(x));
      expect(quick.match(f, true), `${p} against ${f}, partial`).toBe(plain.match(f, true));
    }), { numRuns: RUNS });
  });

  it('answers false without minimatch where a literal segment is missing, and asks it otherwise', () => {
    let asked = 0;
    const original = Minimatch.prototype.match;
    Minimatch.prototype.match = function (...args: Parameters<Minimatch['match']>) {
      asked++;
      return original.apply(this, args);
    };
    try {
      const m = screened(new Minimatch('**/node_modules/**', IGNORE_OPTS));
      expect(m.match('clusters/aws.yaml')).toBe(false);
      expect(asked).toBe(0);
      expect(m.match('a/node_modules/b.yaml')).toBe(true);
      expect(m.match('a/node_modules.bak/b.yaml')).toBe(false);
      expect(asked).toBe(2);
    } finally {
      Minimatch.prototype.match = original;
    }
  });

  it('leaves alone the matchers whose answer is not only equality of segments', () => {
    for (const [p, o] of [['!node_modules', {}], ['a/**', { partial: true }], ['C:/a/**', { platform: 'win32' }], ['**', {}], ['*.yaml', {}]] as const) {
      const m = new Minimatch(p, o);
      const match = m.match;
      expect(screened(m).match, p).toBe(match);
    }
  });

  it('gives glob the ignore it would build, each entry ignored or not as before', () => {
    const globs = ['**/node_modules/**', '**/.git/**', 'fedc.yaml', 'vendor/**', '{a,b}/*.yaml', '/abs/**'];
    const opts = { platform: 'linux' as const, nocase: false };
    const plain = new Ignore(globs, opts);
    const quick = screenedIgnore(globs, opts);
    const entry = (rel: string) => ({ fullpath: () => `/repo/${rel}`, relative: () => rel }) as never;
    fc.assert(fc.property(fc.array(pathPart.filter((s) => s !== '' && s !== '.' && s !== '..'), { minLength: 1, maxLength: 5 }), (parts) => {
      const p = entry(parts.join('/'));
      expect(quick.ignored(p)).toBe(plain.ignored(p));
      expect(quick.childrenIgnored(p)).toBe(plain.childrenIgnored(p));
    }), { numRuns: RUNS });
    expect(quick.ignored(entry('fedc.yaml'))).toBe(true);
    expect(quick.childrenIgnored(entry('x/node_modules'))).toBe(true);
    expect(quick.ignored(entry('clusters/a.yaml'))).toBe(false);
  });
});
