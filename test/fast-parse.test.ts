/**
 * The fast parsing paths (src/parse/fast-parse.ts: block-parse.ts, else js-yaml) must give exactly
 * what the `yaml` path gives, document for document (index, line, value), or step aside; each of
 * the two is checked alone too. Checked on every fixture, on generated workloads, on YAML 1.1's
 * tricky scalars and on random documents. test/block-parse.test.ts goes further into block-parse.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isNode, isScalar, isSeq, parseAllDocuments, parseDocument, visit, type Document, type Node } from 'yaml';
import { documentSpan, fastParse, isPlainString, parseBlockYaml, parseWithJsyaml, plainDocumentSpans } from '../src/parse/fast-parse.js';
import { locateInBlock } from '../src/parse/block-locator.js';
import { Locator } from '../src/parse/positions.js';
import { YAML_OPTIONS } from '../src/parse/parsed-document.js';
import { parseFile, parseWithYaml } from '../src/parse/parse-documents.js';
import type { SourceFile } from '../src/read/source-file.js';
import { cleanup, ROOT, tempDir } from './helpers.js';

function yamlFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(name)) out.push({ path: path.relative(dir, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

/**
 * Whether the fast path, where it answers, agrees with the `yaml` path; and whether it answered.
 * Each of its two paths, where it answers alone, agrees too.
 */
function agrees(file: SourceFile): boolean {
  const fast = fastParse(file);
  const paths = [parseBlockYaml(file), parseWithJsyaml(file)];
  if (fast === undefined) {
    expect(paths, file.path).toEqual([undefined, undefined]);
    return false;
  }
  const slow = parseWithYaml(file);
  expect(slow.diagnostics, `${file.path}: the yaml path finds a problem the fast path did not`).toEqual([]);
  expect(fast, file.path).toEqual(slow.documents);
  for (const alone of paths) if (alone !== undefined) expect(alone, file.path).toEqual(slow.documents);
  return true;
}

let dir = '';
beforeAll(() => {
  dir = tempDir('fedc-fast-parse-');
});
afterAll(() => {
  if (dir) cleanup(dir);
});

describe('the fast path gives what the yaml path gives', () => {
  it('on every fixture', () => {
    const files = yamlFiles(path.join(ROOT, 'fixtures'));
    const taken = files.filter(agrees).length;
    expect(files.length).toBeGreaterThan(100);
    expect(taken / files.length).toBeGreaterThan(0.7);
  });

  it('on generated workloads, nearly all of which it takes', () => {
    for (const seed of ['1', '2', '3']) {
      const repo = path.join(dir, `w${seed}`);
      spawnSync(process.execPath, [path.join(ROOT, 'bench/gen-workload.mjs'), repo, '--clusters', '10', '--resources', '300', '--seed', seed]);
      const files = [...yamlFiles(path.join(repo, 'clusters')), ...yamlFiles(path.join(repo, 'namespaces'))];
      const taken = files.filter(agrees).length;
      expect(taken / files.length, `seed ${seed}`).toBeGreaterThan(0.9);
    }
  });

  const SCALARS = [
    'yes', 'Yes', 'YES', 'no', 'on', 'Off', 'y', 'n', 'true', 'False', '~', 'null', 'Null', 'NULL', 'nULL', '', '0', '-0', '+1', '0755', '0o17', '0b101',
    '0x1F', '-0x1f', '1_000', '190:20:30', '1:2', '1.5', '.5', '3.', '1e3', '-1.2E-3', '.inf', '-.Inf', '.nan', '2021-01-01', '2021-1-1', '2001-12-14t21:59:43.10-05:00',
    '1.2.3', 'v1', 'a b', 'a:b', 'http://x/y', '- not a list', '#notcomment', 'a #comment', '"', "'", 'ümlaut', '😀', '12345678901234', '007', '08', '0.0.0.0',
  ];
  const quote = (s: string, style: number) => (style === 0 ? s : style === 1 ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s));

  it("on YAML 1.1's tricky scalars, plain, quoted and as keys", () => {
    for (const s of SCALARS) {
      for (const style of [0, 1, 2]) {
        const v = quote(s, style);
        for (const text of [`a: ${v}\n`, `- ${v}\n`, `${v}: x\n`, `a:\n  b: ${v}\n  c: [${v}, 1]\n`, `a: {k: ${v}}\n`]) {
          const file = { path: 't.yaml', text };
          const slow = parseWithYaml(file);
          if (slow.diagnostics.length > 0) {
            expect(fastParse(file), text).toBeUndefined(); // what yaml refuses, the fast path must not accept
            continue;
          }
          if (fastParse(file) !== undefined) agrees(file);
        }
      }
    }
  });

  // What Kubernetes (go-yaml v2, under sigs.k8s.io/yaml) reads each plain scalar as
  const AS_KUBERNETES: [string, unknown][] = [
    ['1:20', '1:20'], ['190:20:30', '190:20:30'], ['12:30', '12:30'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['2002-12-14', '2002-12-14'],
    ['0o12', 10], ['0O12', 10], ['0B11', 3], ['0b11', 3], ['0X0A', 10], ['0x_1F', 31], ['+0o12', 10], ['-0o12', -10], ['0o1_2', 10],
    ['0755', 493], ['08', 8], ['1_000', 1000], ['-0', 0], ['0b2', '0b2'],
    ['e3', 'e3'], ['.e3', '.e3'], ['1e', '1e'], ['1e3', 1000], ['1.', 1], ['.5', 0.5], ['-.5', -0.5], ['1.5e-3', 0.0015],
    ['.inf', Infinity], ['-.Inf', -Infinity], ['yes', true], ['off', false], ['~', null],
  ];

  it.each(AS_KUBERNETES)('reads %s as Kubernetes does, on both paths', (s, want) => {
    for (const text of [`a: ${s}\n`, `a:\n- ${s}\n`]) {
      const file = { path: 't.yaml', text };
      const value = (r: { documents: { value: unknown }[] }) => (r.documents[0]!.value as any).a;
      const expected = text.includes('- ') ? [want] : want;
      expect(value(parseWithYaml(file)), text).toEqual(expected);
      expect(value(parseFile(file)), text).toEqual(expected);
      const fast = fastParse(file);
      if (fast) expect((fast[0]!.value as any).a, text).toEqual(expected);
    }
  });

  it('on document boundaries, comments and block scalars', () => {
    const texts = [
      'a: 1\n---\nb: 2\n', '---\na: 1\n', '# c\n---\na: 1\n', 'a: 1\n---\n', '---\n---\na: 1\n', '', '# only\n', '\n\n', 'a: 1\n--- # x\nb: 2\n',
      '# c\n\n---\n# d\na: 1\n---\n# e\n', '---\n# lead\n\n  # indented comment\nkind: X\n', 'a: |\n  line\n  ---x\n  more\nb: >\n  folded\n  text\n\n  para\n',
      'a: |-\n  strip\n\nb: |+\n  keep\n\n', 'a: plain\n  continued\n  lines\n', 'list:\n- a\n- b:\n    c: d\n-   - nested\n', 'a:\n\n\nb: 1\n', '---\nnull\n---\n~\n---\na: 1\n',
      'a: 1\r\nb: 2\r\n', 'k: "multi\n  line"\n', "k: 'it''s'\n", 'a: [1, 2,\n  3]\n', 'a: {x: 1,\n  y: 2}\n', '- - - x\n',
      // Whitespace as String.prototype.trim sees it, around markers and comments.
      ' \u00a0\n---\na: 1\n', '\u3000# c\n---\na: 1\n', 'a: 1\n---\u000b\nb: 2\n', '\ufeffa: 1\n', 'a: 1\n---  \nb: 2\n', '--\na: 1\n', '----\na: 1\n', 'a: 1\n---',
    ];
    for (const text of texts) agrees({ path: JSON.stringify(text), text });
  });

  it('on random documents (fast-check)', () => {
    const scalar = fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true }));
    const key = fc.oneof(fc.constantFrom('a', 'b', 'on', 'yes', '1', 'name', 'x-y', 'a.b'), fc.string({ minLength: 1, maxLength: 8 }));
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    const render = (v: unknown, indent: string, style: number): string => {
      if (Array.isArray(v)) return v.length === 0 ? ' []\n' : '\n' + v.map((x) => `${indent}-${render(x, indent + '  ', style)}`).join('');
      if (v !== null && typeof v === 'object') {
        const entries = Object.entries(v);
        return entries.length === 0 ? ' {}\n' : '\n' + entries.map(([k, x]) => `${indent}${quote(k, style % 2 ? 2 : 0)}:${render(x, indent + '  ', style)}`).join('');
      }
      return ` ${quote(String(v), style)}\n`;
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 3 }), (docs) => {
        const text = docs.map(([d, style]) => `---${render(d, '', style)}`).join('');
        const file = { path: 'r.yaml', text };
        if (parseWithYaml(file).diagnostics.length > 0) return [fastParse(file), parseBlockYaml(file), parseWithJsyaml(file)].every((d) => d === undefined);
        agrees(file);
        return true;
      }),
      { numRuns: Number(process.env.FEDC_PROPERTY_RUNS ?? 300), seed: 42 },
    );
  });

  it('parseFile takes the fast path only when it agrees, and reports problems through the yaml path', () => {
    const dup = { path: 'd.yaml', text: 'a: 1\na: 2\n' };
    expect(fastParse(dup)).toBeUndefined();
    expect(parseFile(dup).diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['FEDC1001 2:1']);
    const bomb = { path: 'b.yaml', text: 'a: &x [1]\nb: *x\n' };
    expect(fastParse(bomb)).toBeUndefined();
  });

  it('takes collections nested 256 deep and leaves 257 to the yaml path, which refuses them (FEDC1016)', () => {
    // `levels` block maps, one inside the other, the innermost holding `leaf`.
    const maps = (levels: number, leaf: string) =>
      Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}a:${i === levels - 1 ? ` ${leaf}` : ''}`).join('\n') + '\n';
    // The same in block lists, which the block path reads, and with a flow map at the top, which sends the file to js-yaml.
    const lists = (levels: number, leaf: string) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}-${i === levels - 1 ? ` ${leaf}` : ''}`).join('\n') + '\n';
    const flow = (levels: number, leaf: string) => `f: {x: 1}\n${maps(levels, leaf)}`;
    const codes = (f: SourceFile) => parseFile(f).diagnostics.map((d) => d.code);
    for (const [name, nest] of [['maps', maps], ['lists', lists]] as const) {
      const fine = { path: `${name}-256.yaml`, text: nest(256, 'x') };
      expect(parseBlockYaml(fine), name).toEqual(parseWithYaml(fine).documents);
      expect(codes(fine), name).toEqual([]);
      for (const text of [nest(257, 'x'), nest(256, '{}'), nest(256, '[x]')]) {
        const deep = { path: `${name}-257.yaml`, text };
        expect(parseBlockYaml(deep), name).toBeUndefined();
        expect(fastParse(deep), name).toBeUndefined();
        expect(codes(deep), name).toEqual(['FEDC1016']);
      }
    }
    // js-yaml stops at 100 levels of its own accord (its maxDepth); what it reads is measured too.
    const fine = { path: 'flow-50.yaml', text: flow(50, 'x') };
    expect([parseBlockYaml(fine), parseWithJsyaml(fine)]).toEqual([undefined, parseWithYaml(fine).documents]);
    const deep = { path: 'flow-257.yaml', text: flow(256, '{}') };
    expect(parseWithJsyaml(deep)).toBeUndefined();
    expect(codes(deep)).toEqual(['FEDC1016']);
  });
});

/** Every node of a document with its range, in document order, the ranges moved by `base`. */
function nodesOf(doc: Document, base: number): [unknown, number[]][] {
  const out: [unknown, number[]][] = [];
  visit(doc, (_key, node) => {
    if (isNode(node)) out.push([(node as Node).toJSON(), ((node as Node).range ?? []).map((n) => n + base)]);
  });
  return out;
}

describe('a document parsed alone, for a position (positions.ts)', () => {
  it('has the nodes the whole file has, at the same offsets of the file, on every fixture and generated file', () => {
    const repo = path.join(dir, 'spans');
    spawnSync(process.execPath, [path.join(ROOT, 'bench/gen-workload.mjs'), repo, '--clusters', '6', '--resources', '120', '--seed', '9']);
    const files = [...yamlFiles(path.join(ROOT, 'fixtures')), ...yamlFiles(path.join(repo, 'namespaces')), ...yamlFiles(path.join(repo, 'clusters'))];
    let alone = 0;
    for (const file of files) {
      const whole = parseAllDocuments(file.text, YAML_OPTIONS);
      if (!Array.isArray(whole)) continue;
      whole.forEach((doc, i) => {
        const span = documentSpan(file.text, i);
        if (!span) return;
        alone++;
        const one = parseDocument(file.text.slice(span.start, span.end), YAML_OPTIONS);
        expect(nodesOf(one as Document, span.start), `${file.path} #${i}`).toEqual(nodesOf(doc as Document, 0));
      });
      expect(documentSpan(file.text, whole.length), file.path).toBeUndefined();
    }
    expect(alone).toBeGreaterThan(300);
  });

  it('steps aside where documents could be counted differently', () => {
    expect(documentSpan('a: &x 1\nb: *x\n', 0)).toBeUndefined();
    expect(documentSpan('--- a: 1\n', 0)).toBeUndefined();
    expect(documentSpan('%YAML 1.1\n---\na: 1\n', 0)).toBeUndefined();
    expect(documentSpan('# c\n---\na: 1\n---\nb: 2\n', 1)).toEqual({ start: 13, end: 22 });
  });
});

/** Every path to a node of a document (map keys as the Locator compares them), key-side too. */
function pathsOf(doc: Document): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isScalar(p.key)) continue;
        const child = [...path, String(p.key.value)];
        out.push(child);
        walk(p.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        out.push([...path, i]);
        walk(item, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return out;
}

describe('positions found from the lines of a plain document (block-locator.ts)', () => {
  it('are where the yaml library puts every node and key, on every fixture and generated document', () => {
    const repo = path.join(dir, 'locate');
    spawnSync(process.execPath, [path.join(ROOT, 'bench/gen-workload.mjs'), repo, '--clusters', '6', '--resources', '150', '--seed', '3']);
    const files = [...yamlFiles(path.join(ROOT, 'fixtures')), ...yamlFiles(path.join(repo, 'namespaces')), ...yamlFiles(path.join(repo, 'clusters')), ...yamlFiles(path.join(repo, 'base'))];
    const fast = new Locator(files);
    const slow = new Locator(files, { parseOnly: true });
    let asked = 0;
    let answered = 0;
    for (const file of files) {
      const docs = parseAllDocuments(file.text, YAML_OPTIONS);
      if (!Array.isArray(docs)) continue;
      docs.forEach((doc, i) => {
        for (const p of [...pathsOf(doc as Document), ['no-such-key'], [0, 'x']]) {
          for (const atKey of [false, true]) {
            asked++;
            const span = plainDocumentSpans(file.text)?.[i];
            const offset = span && locateInBlock(file.text, span.start, span.end, p, atKey, isPlainString);
            if (offset !== undefined) answered++;
            expect(fast.locate(file.path, i, p, atKey), `${file.path} #${i} ${JSON.stringify(p)} key=${atKey}`).toEqual(slow.locate(file.path, i, p, atKey));
          }
        }
      });
    }
    expect(asked).toBeGreaterThan(20_000);
    expect(answered / asked).toBeGreaterThan(0.8);
  });

  it('answers only for the shapes it knows, and steps aside for the rest', () => {
    const at = (text: string, p: (string | number)[], atKey = false) => locateInBlock(text, 0, text.length, p, atKey, isPlainString);
    const t = 'a:\n  b: 1\n  list:\n  - x: 1\n    z: [1, 2]\n  - plain\nc: |\n  text\n';
    expect(at(t, ['a', 'b'])).toBe(t.indexOf('1'));
    expect(at(t, ['a', 'b'], true)).toBe(t.indexOf('b:'));
    expect(at(t, ['a', 'list'])).toBe(t.indexOf('- x'));
    expect(at(t, ['a', 'list', 0, 'z'])).toBe(t.indexOf('['));
    expect(at(t, ['a', 'list', 0, 'z'], true)).toBe(t.indexOf('z:'));
    expect(at(t, ['a', 'list', 1])).toBe(t.indexOf('plain'));
    expect(at(t, ['c'])).toBe(t.indexOf('|'));
    expect(at(t, ['a', 'list', 0, 'z', 0])).toBeUndefined(); // inside a flow collection
    expect(at('a:\n  y: 1\n', ['a', 'true'])).toBeUndefined(); // `y` is a boolean in YAML 1.1
    expect(at('"q": 1\n', ['q'])).toBeUndefined(); // a quoted key
    expect(at('on: 1\n', ['true'])).toBeUndefined(); // a key YAML 1.1 reads as a boolean
    expect(at('a:\nb: 1\n', ['a'])).toBeUndefined(); // an empty value
    expect(at('- - x\n', [0, 0])).toBeUndefined(); // nested items on one line
  });
});
