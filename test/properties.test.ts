/**
 * Property tests: valid repositories (the fixtures' inputs) mutated at random: values replaced
 * (other values, other types, hostile strings), keys removed or duplicated, documents reordered,
 * bad bytes inserted. For every mutation:
 *
 * - reading, compiling and laying the output out never throw, and no diagnostic carries a stack trace;
 * - compiling is deterministic: the same input twice gives the same diagnostics and the same bytes;
 * - `validate` and `render` agree on whether the input is an error (render's layout errors included);
 * - reordering the files, or the documents inside each file, never changes the rendered bytes.
 *
 * The default run is small enough for `npm test` (a few seconds). The nightly size:
 *   FEDC_PROPERTY_RUNS=100000 npx vitest run test/properties.test.ts
 * A failure prints fast-check's seed and path; rerun it with FEDC_PROPERTY_SEED=<seed>.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { compile } from '../src/compile.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { buildOutputTree, outputFindings, treeFiles } from '../src/emit/output-tree.js';
import { decodeSource, firstInvalidUtf8 } from '../src/read/decode-source.js';
import type { SourceFile } from '../src/read/source-file.js';
import { CLI, readFixture, ROOT, tempDir } from './helpers.js';

const RUNS = Number(process.env.FEDC_PROPERTY_RUNS ?? 100);
const SEED = process.env.FEDC_PROPERTY_SEED === undefined ? undefined : Number(process.env.FEDC_PROPERTY_SEED);
/** CLI runs cost a process each: a handful by default, one per thousand cases at the nightly size. */
const CLI_RUNS = Math.max(2, Math.floor(RUNS / 1000));
const FIXTURES = ['seed-001-eks', 'seed-002-replica-scheduling', 'dns-multicloud', 'real-world-mix'];

const QUIET = { version: '1.1', logLevel: 'error' } as const;

/** A repo as files of documents (YAML texts), so documents can be reordered without re-parsing. */
interface RepoModel {
  files: { path: string; docs: string[] }[];
}

async function loadModels(): Promise<RepoModel[]> {
  const out: RepoModel[] = [];
  for (const name of FIXTURES) {
    const files = await readFixture(path.join(ROOT, 'fixtures', name, 'input'));
    out.push({
      files: files.map((f) => ({
        path: f.path,
        docs: parseAllDocuments(f.text, QUIET).filter((d) => d.contents !== null).map((d) => d.toString()),
      })),
    });
  }
  return out;
}

const MODELS = await loadModels();

/** Values a mutation puts somewhere: other types, and strings chosen to hurt. */
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, false, 0, -1, 2 ** 53 + 2, 1.5, '', 'yes', 'no', '~', '0x1F', '1e3', '../../etc/passwd', 'a/b', 'a\u0000b',
    '{{ .Values.x }}', '*', '-', 'A'.repeat(300), 'ü', '\u2028', [], {}, [[[]]], { '': '' }, { 'a.b/c': 1 },
    'kube-system', 'default', 'Namespace', 'v1', 'types.kubefed.io/v1beta1', 'FederatedDeployment', 'cluster1', '/spec/replicas',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxKeys: 3 }),
);

type Mutation =
  | { kind: 'value'; file: number; doc: number; pick: number; value: unknown }
  | { kind: 'remove'; file: number; doc: number; pick: number }
  | { kind: 'duplicate-key'; file: number; doc: number; pick: number }
  | { kind: 'copy-document'; file: number; doc: number; to: number }
  | { kind: 'bytes'; file: number; at: number; bytes: number[] };

const index = fc.nat({ max: 1_000_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('value' as const), file: index, doc: index, pick: index, value: hostileValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), file: index, doc: index, pick: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-key' as const), file: index, doc: index, pick: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy-document' as const), file: index, doc: index, to: index }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const), file: index, at: index,
      // invalid UTF-8, NUL, controls, a BOM, CR, a lone surrogate's bytes, or a tab
      bytes: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0x00], [0x1b], [0x7f], [0xc2, 0x85], [0xef, 0xbb, 0xbf], [0x0d], [0xed, 0xa0, 0x80], [0x09]),
    }),
  },
);

/** Every path to a node of a plain value (maps and lists), for picking one at random. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: unknown, p: (string | number)[], value: unknown, remove: boolean): unknown {
  if (p.length === 0) return remove ? {} : value;
  let node = root as Record<string | number, unknown>;
  for (const seg of p.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = p.at(-1)!;
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

/** Applies mutations to a copy of a model; bytes go into `raw` (file index -> bytes to insert). */
function mutate(model: RepoModel, ms: readonly Mutation[]): { model: RepoModel; raw: Map<number, { at: number; bytes: number[] }[]> } {
  const files = model.files.map((f) => ({ path: f.path, docs: [...f.docs] }));
  const raw = new Map<number, { at: number; bytes: number[] }[]>();
  for (const m of ms) {
    const fi = m.file % files.length;
    const f = files[fi]!;
    if (m.kind === 'bytes') {
      raw.set(fi, [...(raw.get(fi) ?? []), { at: m.at, bytes: m.bytes }]);
      continue;
    }
    if (f.docs.length === 0) continue;
    const di = m.doc % f.docs.length;
    if (m.kind === 'copy-document') {
      f.docs.splice(m.to % (f.docs.length + 1), 0, f.docs[di]!);
      continue;
    }
    if (m.kind === 'duplicate-key') {
      const lines = f.docs[di]!.split('\n');
      const keys = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z][\w.-]*:/.test(l));
      if (keys.length === 0) continue;
      const [line, i] = keys[m.pick % keys.length]!;
      lines.splice(i + 1, 0, line.replace(/:.*$/, ': duplicate'));
      f.docs[di] = lines.join('\n');
      continue;
    }
    const value = parseAllDocuments(f.docs[di]!, QUIET)[0]?.toJS({ maxAliasCount: -1 });
    const all = paths(value);
    const p = all[m.pick % all.length]!;
    const next = setAt(value, p, m.kind === 'value' ? structuredClone(m.value) : undefined, m.kind === 'remove');
    f.docs[di] = stringify(next, { version: '1.1' });
  }
  return { model: { files }, raw };
}

/** The model's files as the reader would hand them to the core: bytes decoded as readRepo decodes them. */
function sourceFiles(model: RepoModel, raw: Map<number, { at: number; bytes: number[] }[]>, order?: { files: number[]; docs: number[][] }): { files: SourceFile[]; readErrors: boolean } {
  let readErrors = false;
  const files: SourceFile[] = [];
  const fileOrder = order?.files ?? model.files.map((_, i) => i);
  for (const fi of fileOrder) {
    const f = model.files[fi]!;
    const docOrder = order?.docs[fi] ?? f.docs.map((_, i) => i);
    const text = docOrder.map((i) => f.docs[i]!).map((d) => (d.endsWith('\n') ? d : d + '\n')).join('---\n');
    let bytes = Buffer.from(text, 'utf8');
    for (const { at, bytes: ins } of raw.get(fi) ?? []) {
      const pos = at % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, pos), Buffer.from(ins), bytes.subarray(pos)]);
    }
    const decoded = decodeSource(bytes, f.path);
    if (decoded.diagnostic) {
      readErrors = true;
      expect(decoded.diagnostic.line, 'a bad byte has a position').toBeGreaterThan(0);
      continue;
    }
    files.push({ path: f.path, text: decoded.text });
  }
  return { files, readErrors };
}

/** What validate and render decide, as their commands decide it, and render's bytes. */
function run(files: SourceFile[], readErrors: boolean) {
  const result = compile(files);
  for (const d of result.diagnostics) {
    expect(`${d.message} ${d.hint ?? ''}`, 'no stack trace in a diagnostic').not.toMatch(/\n\s+at |node:internal|\.js:\d+:\d+/);
  }
  // the formatters take every diagnostic
  for (const format of ['text', 'json', 'github'] as const) formatDiagnostics(result.diagnostics, format);
  const validateFails = readErrors || result.failed || hasErrors(outputFindings(result.clusters, 'object'));
  const tree = buildOutputTree(result.clusters, { layout: 'object', dns: result.dns });
  const manifest = buildOutputTree(result.clusters, { layout: 'manifest', dns: result.dns });
  expect(manifest.diagnostics.filter((d) => d.code !== 'FEDC5015'), 'the manifest layout has no collisions').toEqual([]);
  const renderFails = readErrors || result.failed || hasErrors(tree.diagnostics);
  return { validateFails, renderFails, diagnostics: result.diagnostics, tree: renderFails ? undefined : [...treeFiles(tree)], manifest: renderFails ? undefined : [...treeFiles(manifest)] };
}

const params = (n: number): fc.Parameters<unknown> => ({ numRuns: n, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true });
const timeout = 20_000 + RUNS * 60;

describe('mutated repositories', () => {
  it(`never crash, render deterministically, validate agrees with render, order does not matter (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: MODELS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.infiniteStream(fc.nat()),
        (which, ms, shuffle) => {
          const { model, raw } = mutate(MODELS[which]!, ms);
          const input = sourceFiles(model, raw);
          const first = run(input.files, input.readErrors);
          const again = run(sourceFiles(model, raw).files, input.readErrors);
          expect(again.diagnostics, 'deterministic diagnostics').toEqual(first.diagnostics);
          expect(again.tree, 'deterministic bytes').toEqual(first.tree);
          expect(first.validateFails, 'validate and render agree').toBe(first.renderFails);
          // the same files and documents in another order
          const it = shuffle[Symbol.iterator]();
          const permute = (n: number) => {
            const a = Array.from({ length: n }, (_, i) => i);
            for (let i = n - 1; i > 0; i--) {
              const j = it.next().value! % (i + 1);
              [a[i], a[j]] = [a[j]!, a[i]!];
            }
            return a;
          };
          const order = { files: permute(model.files.length), docs: model.files.map((f) => permute(f.docs.length)) };
          // bytes inserted at an offset land elsewhere once documents move: compare only byte-free cases
          if (raw.size > 0) return;
          const reordered = sourceFiles(model, raw, order);
          const other = run(reordered.files, reordered.readErrors);
          expect(other.renderFails, 'reordering keeps the verdict').toBe(first.renderFails);
          expect(other.tree, 'reordering keeps the bytes').toEqual(first.tree);
          expect(other.manifest, 'reordering keeps the manifests').toEqual(first.manifest);
        },
      ),
      params(RUNS),
    );
  }, timeout);

  it(`the CLI agrees: validate and render give the same verdict, never an internal error (${CLI_RUNS} cases)`, () => {
    const dir = tempDir('fedc-prop-');
    try {
      fc.assert(
        fc.property(fc.nat({ max: MODELS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
          const { model, raw } = mutate(MODELS[which]!, ms);
          const repo = path.join(dir, 'repo');
          rmSync(dir, { recursive: true, force: true });
          for (const [fi, f] of model.files.entries()) {
            let bytes = Buffer.from(f.docs.map((d) => (d.endsWith('\n') ? d : d + '\n')).join('---\n'), 'utf8');
            for (const { at, bytes: ins } of raw.get(fi) ?? []) {
              const pos = at % (bytes.length + 1);
              bytes = Buffer.concat([bytes.subarray(0, pos), Buffer.from(ins), bytes.subarray(pos)]);
            }
            mkdirSync(path.dirname(path.join(repo, f.path)), { recursive: true });
            writeFileSync(path.join(repo, f.path), bytes);
          }
          const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
          const v = cli('validate', repo, '--format', 'json');
          const r = cli('render', repo, '-o', path.join(dir, 'out'), '--format', 'json');
          for (const x of [v, r]) {
            expect(x.status, x.stderr).not.toBe(3);
            expect(x.stderr).not.toMatch(/internal error|\n\s+at /);
            JSON.parse(x.stdout);
          }
          expect(r.status, 'render agrees with validate').toBe(v.status);
        }),
        params(CLI_RUNS),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000 + CLI_RUNS * 2_000);
});

describe('decoding bytes', () => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const valid = (b: Uint8Array) => {
    try {
      strict.decode(b);
      return true;
    } catch {
      return false;
    }
  };
  it(`the offset of the first invalid UTF-8 sequence is where strict decoding stops (${RUNS * 20} cases)`, () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 16 }),
      // mostly valid text with a few bytes spliced in, as a real file with one bad byte
      fc.tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 12 }))
        .map(([a, mid, b]) => Buffer.concat([Buffer.from(a), Buffer.from(mid), Buffer.from(b)])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at === b.length).toBe(valid(b));
        expect(valid(b.subarray(0, at)), 'everything before it is valid').toBe(true);
        const d = decodeSource(b, 'f.yaml');
        if (!valid(b) && !(b[0] === 0xff && b[1] === 0xfe) && !(b[0] === 0xfe && b[1] === 0xff)) expect(d.diagnostic?.code).toBe('FEDC1013');
      }),
      params(RUNS * 20),
    );
  });
});
