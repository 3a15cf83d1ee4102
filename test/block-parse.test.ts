/**
 * block-parse.ts, the line-by-line reader of block YAML that fastParse tries first, must give
 * exactly what the `yaml` path gives (parseWithYaml, the reference), or decline: never accept what
 * yaml refuses, never read a value otherwise. Checked on shapes it must take, on shapes it must
 * decline, on random block documents, and on random damage done to them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBlockYaml } from '../src/parse/fast-parse.js';
import { parseWithYaml } from '../src/parse/parse-documents.js';

const RUNS = Number(process.env.FEDC_PROPERTY_RUNS ?? 300);

/** block-parse's documents where it takes the text (they must be yaml's), else undefined. */
function block(text: string) {
  const file = { path: 't.yaml', text };
  const got = parseBlockYaml(file);
  if (got !== undefined) {
    const slow = parseWithYaml(file);
    expect(slow.diagnostics, `${JSON.stringify(text)}: yaml refuses what block-parse took`).toEqual([]);
    expect(got, JSON.stringify(text)).toEqual(slow.documents);
  }
  return got;
}

describe('block-parse.ts', () => {
  it('takes the block YAML manifests are written in, and reads it as yaml does', () => {
    const taken = [
      'a: 1\n', 'a: 1\nb: two\n', 'a:\n  b:\n    c: d\n', 'a:\n- x\n- y\nb: 1\n', 'a:\n  - x\n  - y\n', '- a\n- b\n', '  a: 1\n  b: 2\n',
      'list:\n- name: a\n  v: 1\n- name: b\n  items:\n  - x\n  - y\n- c\n', '- - a\n  - b\n- - c\n', '- - - deep\n', '-\n  a: 1\n- \n- x\n',
      'a:\n', 'a:\nb:\n', 'a: []\nb: {}\n', 'a: [] # c\n', 'a: "x: y"\n', "a: 'x # y'\n", 'a: "q" # c\n', '"quoted key": 1\n', "'k': v\n",
      'a: b # comment\n', 'a: b#c\n', 'url: http://x.y/z?q=1\n', 'port: :8443\n', 'num: -1\n', 'flag: --listen\n', 'a: b  \n', 'a:   b\n',
      'yes: 1\n'.replace('yes', 'key'), 'v: yes\n', 'v: 0755\n', 'v: 0x1F\n', 'v: 1e3\n', 'v: 2021-01-01\n', 'v: ~\n', 'v: null\n', 'v: 12:30:00\n',
      'a.b/c-d_e: 1\n', 'k: a,b[0]{x}\n', 'ünï: cödé 😀\n', 'k: v\n# trailing comment\n', '# lead\na: 1\n', 'a: 1\n\n\nb: 2\n',
      'a:\n  # inside\n  b: 1\n    # deeper comment\n  c: 2\n', 'a: 1\n---\nb: 2\n', '---\na: 1\n--- # c\nb: 2\n', '---\n---\na: 1\n', '# only\n', '',
      // literal block scalars
      'a: |\n  one\n  two\n', 'a: |-\n  one\n  two\n', 'a: |\n  one\n\n  two\n\n\nb: 1\n', 'a: |\n    deeper\n      more\n    back\n',
      'a: |\n  # not a comment\n  x: y\n  - z\n', 'a: | # header comment\n  x\n', 'a: |\n  x\n# a comment ends it\nb: 1\n', '- |\n  item\n- x\n',
      '- a: |\n    in a compact map\n  b: 1\n', 'a: |\n  x\n---\nb: |-\n  y\n', 'a: |\n  trailing   \n', 'a:\n  b: |\n    {\n      "json": true\n    }\n  c: 1\n',
    ];
    expect(taken.filter((text) => block(text) === undefined)).toEqual([]);
  });

  it('declines what it does not read with certainty, and everything yaml refuses', () => {
    const declined = [
      // flow collections, folded and keep scalars, indentation indicators, scalars over lines, escapes
      'a: {b: 1}\n', 'a: [1, [2]]\n', 'a: [{}]\n', 'a: [a: 1]\n', 'a: [1,\n  2]\n', 'a: [1, ]\n', 'a: [1,,2]\n', 'a: [,1]\n', 'a: [x #c]\n',
      'a: [http://x]\n', 'a: [-1]\n', 'a: ["x" y]\n', 'a: [1] x\n', 'a: [1]]\n', 'a: ["a\\"b"]\n', 'a: >\n  x\n', 'a: |+\n  x\n', 'a: |2\n  x\n', 'a: |-2\n  x\n', 'a: plain\n  continued\n',
      'a: "two\n  lines"\n', 'a: "esc\\n"\n', "a: 'it''s'\n", 'a: |\n\n  leading empty line\n', 'a: |\n  x\n   \n  y\n', 'a: |\n  no newline at the end',
      'a: |\nb: 1\n', 'a:\n  value on the next line\n',
      // keys
      'yes: 1\n', '1: x\n', 'on: x\n', '__proto__: 1\n', 'a: 1\na: 2\n', '-k: 1\n', '"a\\"b": 1\n', 'k : v\n', `${'k'.repeat(1025)}: v\n`,
      // anchors, aliases and tags
      'a: &x 1\n', 'a: *x\n', 'a: !!str 1\n', '- *x\n', '&a k: 1\n', '*a : 1\n', 'a: !t\n  b: 1\n', 'a: [*x]\n', 'a: [&x 1]\n', 'a: [!t 1]\n', '- &a\n  b: 1\n',
      // documents and structure yaml refuses
      'just a scalar\n', 'a: 1\n- x\n', 'a:\n  b: 1\n c: 2\n', '- a\n  b: 1\n', 'a: b: c\n', 'a: b:\n', 'a: - x\n', 'a: "x" y\n', 'a: "x"#c\n', 'a:#c\n',
      'a:\n    b: 1\n  c: 2\n', '- x\n  - y\n', 'a: |\n    x\n  y\n', 'a: 1\n  b: 2\n', 'a: @x\n', 'a: `x`\n', 'a: %x\n', 'a: ? x\n',
      // characters
      'a: 1\r\n', '\ufeffa: 1\n', 'a: \u00a0x\n', 'a: \x07\n', 'a: \ud800\n', 'a: x\udc00\n', 'a: \udc00\ud800\n',
    ];
    expect(declined.filter((text) => block(text) !== undefined)).toEqual([]);
  });

  const plainScalar = fc.constantFrom('x', 'a*b', 'hello world', 'v1.2.3', 'yes', 'No', '0755', '1_000', '3.14', '-1', '--flag', ':8443', 'a#b', 'http://h/p', '~', 'null', '2021-01-01', 'a,b', 'ü');
  const quotedScalar = fc.constantFrom('"x"', '"*"', "'&a'", '"a: b"', "'q # r'", '"yes"', '""', "''", '"ü 😀"');
  const keyText = fc.constantFrom('a', 'b', 'name', 'app.kubernetes.io/name', 'x-y', '"quoted"', "'single'", 'k_1');
  const literalLines = fc.array(fc.constantFrom('line', '  more indented', '# hash', '- dash', 'k: v', '', '{"j": 1}'), { minLength: 1, maxLength: 5 })
    .filter((ls) => ls[0] !== '' && ls[0]!.trimStart() === ls[0]);

  type Node = { scalar: string } | { literal: string[]; strip: boolean } | { flow: string[] } | { list: Node[] } | { map: [string, Node][] };
  const node: fc.Arbitrary<Node> = fc.letrec<{ n: Node }>((tie) => ({
    n: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(plainScalar, quotedScalar).map((scalar) => ({ scalar })),
      fc.tuple(literalLines, fc.boolean()).map(([literal, strip]) => ({ literal, strip })),
      fc.array(fc.oneof(plainScalar, quotedScalar), { maxLength: 4 }).map((flow) => ({ flow })),
      fc.array(tie('n'), { maxLength: 3 }).map((list) => ({ list })),
      fc.uniqueArray(fc.tuple(keyText, tie('n')), { maxLength: 3, selector: ([k]) => k }).map((map) => ({ map })),
    ),
  })).n;

  /**
   * A node's YAML after the `key:` or `-` at column `indent`, in one of several block styles that
   * `style` picks: lists indentless under a key or indented, compact items (`- - a`, `- k: v`),
   * comments after scalars and between entries.
   */
  function render(n: Node, indent: number, style: number, inItem: boolean): string {
    const pad = (col: number) => ' '.repeat(col);
    if ('scalar' in n) return ` ${n.scalar}${style % 3 === 0 ? ' # c' : ''}\n`;
    if ('flow' in n) return ` [${n.flow.join(style % 2 ? ', ' : ',')}]\n`;
    if ('literal' in n) return ` |${n.strip ? '-' : ''}\n` + n.literal.map((l) => (l === '' ? '\n' : `${pad(indent + 2)}${l}\n`)).join('');
    if ('list' in n) {
      if (n.list.length === 0) return ' []\n';
      if (inItem && style % 2 === 0) {
        const col = indent + 2;
        return ` -${render(n.list[0]!, col, style + 1, true)}` + n.list.slice(1).map((x) => `${pad(col)}-${render(x, col, style + 1, true)}`).join('');
      }
      const col = !inItem && style % 2 === 1 ? indent : indent + 2;
      return '\n' + n.list.map((x) => `${pad(col)}-${render(x, col, style + 1, true)}`).join('');
    }
    if (n.map.length === 0) return ' {}\n';
    const col = indent + 2;
    const entry = ([k, v]: [string, Node]) => `${k}:${render(v, col, style + 1, false)}`;
    if (inItem && style % 3 === 1) return ` ${entry(n.map[0]!)}` + n.map.slice(1).map((e) => pad(col) + entry(e)).join('');
    return '\n' + (style % 5 === 1 ? `${pad(col + 3)}# a comment\n` : '') + n.map.map((e) => pad(col) + entry(e)).join('');
  }

  const documentText = fc.tuple(fc.uniqueArray(fc.tuple(keyText, node), { minLength: 1, maxLength: 4, selector: ([k]) => k }), fc.nat(20))
    .map(([entries, style]) => entries.map(([k, v]) => `${k}:${render(v, 0, style, false)}`).join(''));

  it('reads random block documents as yaml does, and takes most of them', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(documentText, { minLength: 1, maxLength: 3 }), (docs) => {
        const text = docs.map((d) => `---\n${d}`).join('');
        if (block(text) !== undefined) taken++;
        return true;
      }),
      { numRuns: RUNS, seed: 7 },
    );
    expect(taken / RUNS).toBeGreaterThan(0.5);
  });

  it('never takes a damaged document yaml refuses, nor reads one otherwise', () => {
    const damage = fc.tuple(fc.nat(), fc.constantFrom('indent', 'dedent', 'delete', 'duplicate', 'colon', 'dash', 'hash', 'quote', 'join'));
    let refusedByYaml = 0;
    fc.assert(
      fc.property(documentText, fc.array(damage, { minLength: 1, maxLength: 3 }), (text, damages) => {
        const lines = text.split('\n');
        for (const [at, how] of damages) {
          const i = at % lines.length;
          const l = lines[i]!;
          const col = l.length === 0 ? 0 : at % l.length;
          if (how === 'indent') lines[i] = ' ' + l;
          else if (how === 'dedent') lines[i] = l.replace(/^ /, '');
          else if (how === 'delete') lines[i] = l.slice(0, col) + l.slice(col + 1);
          else if (how === 'duplicate') lines.splice(i, 0, l);
          else if (how === 'join' && i + 1 < lines.length) lines.splice(i, 2, l + ' ' + lines[i + 1]!.trimStart());
          else lines[i] = l.slice(0, col) + { colon: ': ', dash: '- ', hash: ' #', quote: '"', indent: '', dedent: '', delete: '', duplicate: '', join: '' }[how] + l.slice(col);
        }
        const damaged = lines.join('\n');
        if (parseWithYaml({ path: 't.yaml', text: damaged }).diagnostics.length > 0) refusedByYaml++;
        block(damaged); // takes it only if yaml reads it, and as yaml reads it
        return true;
      }),
      { numRuns: RUNS * 3, seed: 11 },
    );
    expect(refusedByYaml).toBeGreaterThan(RUNS / 2); // the damage does make broken documents
  });
});
