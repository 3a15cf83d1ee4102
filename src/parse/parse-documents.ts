import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments, visit, type Alias, type Document, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../read/source-file.js';
import { YAML_OPTIONS, type ParsedDocument } from './parsed-document.js';
import { fastParse } from './fast-parse.js';
import { chartOf, helmChartRoots, templateActionAt, withoutActions } from './helm-files.js';
import { MAX_DEPTH, nestedDeeper } from './nesting-depth.js';
import { lineCol } from './positions.js';

const LONG_DIGITS = /[0-9]{16}/;

/**
 * Kubernetes' YAML reader (go-yaml, since CVE-2019-11254) refuses a document whose aliases expand
 * into most of it: more than 100 nodes decoded through aliases, more than 1000 nodes in all, and
 * aliases behind more than 99% of them (a share that falls to 10% from 400,000 to 4,000,000
 * nodes). An alias bomb trips it within its first thousand nodes; a map merged in a hundred
 * times (`<<: *defaults`) does not.
 */
const ALIAS_LIMIT = { aliased: 100, decoded: 1000, low: 400_000, high: 4_000_000 } as const;

function allowedAliasShare(decoded: number): number {
  if (decoded <= ALIAS_LIMIT.low) return 0.99;
  if (decoded >= ALIAS_LIMIT.high) return 0.1;
  return 0.99 - 0.89 * ((decoded - ALIAS_LIMIT.low) / (ALIAS_LIMIT.high - ALIAS_LIMIT.low));
}

/**
 * Whether expanding the document's aliases, node by node as go-yaml decodes it, trips that limit,
 * or an alias would hold itself. Stops at the first node that does, so a bomb costs a thousand.
 */
class ExcessiveAliasing extends Error {}

function excessiveAliasing(doc: Document): boolean {
  let decoded = 0;
  let aliased = 0;
  const expanding = new Set<unknown>();
  const over = (n: unknown): boolean => {
    decoded++;
    if (expanding.size > 0) aliased++;
    if (aliased > ALIAS_LIMIT.aliased && decoded > ALIAS_LIMIT.decoded && aliased / decoded > allowedAliasShare(decoded)) return true;
    if (isAlias(n)) {
      const target = n.resolve(doc);
      if (target === undefined) return false; // unresolved: the caller says so
      if (expanding.has(target)) return true;
      expanding.add(target);
      const r = over(target);
      expanding.delete(target);
      return r;
    }
    if (isMap(n)) return n.items.some((p) => over(p.key) || over(p.value));
    if (isSeq(n)) return n.items.some((item) => over(item));
    return false;
  };
  return over(doc.contents);
}

export interface ParseResult {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
}

/** Only text with one of these can hold a map key that is itself a map or a list. */
const MAYBE_COLLECTION_KEY = /\{\{|\?\s|[\]}]\s*:/;
/** A null or empty key (`null:`, `~:`, `: x`), which fastParse leaves to the `yaml` path too; or an explicit key (`? `). */
const MAYBE_NULL_KEY = /(?:^|[\s{,[])(?:~|[Nn]ull|NULL)?:(?=\s|$)|\?\s/m;

/**
 * YAML text to plain values, one per non-empty document; syntax errors become diagnostics. A file
 * that is a Go template (a Helm template: `{{ ... }}` where YAML structure is, so it does not
 * parse, or parses into maps keyed by maps) is skipped with one warning.
 */
export function parseFile(file: SourceFile): ParseResult {
  try {
    return parseFileUnguarded(file);
  } catch (err) {
    // The yaml library and the walks below recurse; nesting within MAX_DEPTH never gets here,
    // but no input may end in a stack trace.
    if (err instanceof RangeError) return { documents: [], diagnostics: [tooDeep(file, 0, undefined)] };
    throw err;
  }
}

function parseFileUnguarded(file: SourceFile): ParseResult {
  const fast = fastParse(file);
  if (fast) return { documents: fast, diagnostics: [] };
  return parseWithYaml(file);
}

/** The `yaml` library's path: every check, every position. Exported for the test that both paths agree. */
export function parseWithYaml(file: SourceFile): ParseResult {
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const docs = parseAllDocuments(file.text, YAML_OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs];
  const mayHaveCollectionKeys = MAYBE_COLLECTION_KEY.test(file.text);
  const mayHaveNullKeys = MAYBE_NULL_KEY.test(file.text);
  const broken = list.some((d) => d.errors.length > 0) || (mayHaveCollectionKeys && list.some((d) => badKey(d, COLLECTIONS) !== undefined));
  if (broken) {
    const action = templateActionAt(file.text);
    if (action !== -1 && isTemplated(file.text)) return { documents, diagnostics: [helmTemplate(file, action)] };
  }
  // Both once per file, not per document: a file of 10,000 documents is read in linear time.
  const longDigits = LONG_DIGITS.test(file.text);
  const lineOf = lineCounter(file.text);
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // The library gives up on deep nesting where its own stack ends, which varies: say what it is.
      const exhausted = doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION');
      diagnostics.push(exhausted ? tooDeep(file, doc.range?.[0] ?? 0, index) : yamlError(file, doc.errors));
      return;
    }
    if (doc.contents === null) return; // empty document, e.g. a trailing `---`
    const bad = mayHaveCollectionKeys || mayHaveNullKeys ? badKey(doc, { collections: mayHaveCollectionKeys, nulls: mayHaveNullKeys }) : undefined;
    if (bad) {
      const { line, col } = lineCol(file.text, bad.at);
      diagnostics.push({ code: 'FEDC1012', severity: 'error', file: file.path, line, col, ...BAD_KEYS[bad.kind] });
      return;
    }
    const start = doc.contents.range?.[0] ?? 0;
    let value: unknown;
    try {
      if (excessiveAliasing(doc)) throw new ExcessiveAliasing();
      // the limit is go-yaml's, checked above: the library's own counts every alias alike
      value = doc.toJS({ maxAliasCount: -1 });
    } catch (err) {
      if (err instanceof RangeError) {
        diagnostics.push(tooDeep(file, start, index));
        return;
      }
      const unresolved = err instanceof ExcessiveAliasing ? undefined : unresolvedAlias(doc);
      if (unresolved) {
        const { line, col } = lineCol(file.text, unresolved.range?.[0] ?? start);
        diagnostics.push({
          code: 'FEDC1001', severity: 'error', file: file.path, line, col,
          message: `alias *${unresolved.source} has no anchor: no &${unresolved.source} comes before it in this document`,
          hint: `define &${unresolved.source} on the value before the alias, or write the value out`,
        });
        return;
      }
      const { line, col } = lineCol(file.text, start);
      diagnostics.push({
        code: 'FEDC1003',
        severity: 'error',
        message: `document ${index + 1} is an alias bomb: its aliases would make most of what it holds, which Kubernetes' YAML reader refuses too; refusing to expand it`,
        file: file.path,
        line,
        col,
        hint: 'write the repeated values out, or use fewer anchors',
      });
      return;
    }
    if (value === null || value === undefined) return;
    if (nestedDeeper(value, MAX_DEPTH)) {
      diagnostics.push(tooDeep(file, deepNodeAt(doc, MAX_DEPTH) ?? start, index));
      return;
    }
    // JavaScript numbers hold integers exactly only up to 2^53; Kubernetes reads int64. A cheap
    // text test first: only a file with 16 digits in a row can hold such an integer.
    if (longDigits) {
      let bad = false;
      visit(doc, {
        Scalar(_key, node) {
          if (typeof node.value === 'number' && Number.isInteger(node.value) && !Number.isSafeInteger(node.value)) {
            const { line, col } = lineCol(file.text, node.range?.[0] ?? start);
            diagnostics.push({
              code: 'FEDC1008', severity: 'error', file: file.path, line, col,
              // the value itself is not repeated: it may be a secret (stringData)
              message: 'integer beyond 2^53: it would not be kept exactly',
              hint: 'quote it if it is a string; fedc cannot carry integers this large',
            });
            bad = true;
          }
        },
      });
      if (bad) return;
    }
    documents.push({ file: file.path, index, line: lineOf(start), value });
  });
  return { documents, diagnostics };
}

/** The first alias of the document that names no anchor before it, if any. */
function unresolvedAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

function tooDeep(file: SourceFile, offset: number, index: number | undefined): Diagnostic {
  const { line, col } = lineCol(file.text, offset);
  const what = index === undefined ? file.path : `document ${index + 1}`;
  return {
    code: 'FEDC1016', severity: 'error', file: file.path, line, col,
    message: `${what} nests maps and lists more than ${MAX_DEPTH} levels deep; fedc refuses it`,
    hint: 'no Kubernetes object nests this deep: is the file generated by mistake?',
  };
}

/** Offset of the first collection nested more than `limit` levels deep, through aliases too. */
function deepNodeAt(doc: Document, limit: number): number | undefined {
  const anchors = new Map<string, unknown>();
  const go = (node: unknown, depth: number): number | undefined => {
    if (isAlias(node)) return go(anchors.get(node.source), depth);
    if (!isCollection(node)) return undefined;
    if (node.anchor) anchors.set(node.anchor, node);
    if (depth > limit) return node.range?.[0];
    for (const item of node.items) {
      const at = isPair(item) ? go(item.value, depth + 1) : go(item, depth + 1);
      if (at !== undefined) return at;
    }
    return undefined;
  };
  return go(doc.contents, 1);
}

/** Line numbers of increasing offsets, counting on from the last one asked. */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    if (offset < at) {
      at = 0;
      line = 1;
    }
    for (let i = text.indexOf('\n', at); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      at = i + 1;
    }
    return line;
  };
}

/** Parses every file but those of Helm charts, which get one warning each. */
export function parseFiles(files: readonly SourceFile[]): ParseResult {
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const charts = helmChartRoots(files.map((f) => f.path));
  for (const f of files) {
    const chart = charts.length > 0 ? chartOf(f.path, charts) : undefined;
    if (chart !== undefined) {
      diagnostics.push(helmChartFile(f, chart));
      continue;
    }
    const r = parseFile(f);
    documents.push(...r.documents);
    diagnostics.push(...r.diagnostics);
  }
  return { documents, diagnostics };
}


const COLLECTIONS = { collections: true, nulls: false } as const;

/** What a map key Kubernetes cannot read is, for FEDC1012. */
const BAD_KEYS = {
  collection: { message: 'this map key is itself a map or a list; Kubernetes objects have string keys', hint: 'quote the key, or write it as a plain string' },
  null: { message: 'this map key is null (null, ~ or nothing): Kubernetes reads YAML as JSON, whose keys are strings, and refuses it', hint: 'quote the key ("null") if it is a name' },
} as const;

/**
 * The first map key of the document, in document order, that Kubernetes cannot read: a map or a
 * list (with `collections`), or null (`null:`, `~:`, an empty key; with `nulls`).
 */
function badKey(doc: Document, look: { collections: boolean; nulls: boolean }): { at: number; kind: keyof typeof BAD_KEYS } | undefined {
  let found: { at: number; kind: keyof typeof BAD_KEYS } | undefined;
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key;
      if (look.collections && isCollection(key)) found = { at: key.range?.[0] ?? 0, kind: 'collection' };
      else if (look.nulls && (key === null || (isScalar(key) && key.value === null))) {
        found = { at: (isScalar(key) ? key.range?.[0] : undefined) ?? (isNode(pair.value) ? pair.value.range?.[0] : undefined) ?? 0, kind: 'null' };
      }
      return found ? visit.BREAK : undefined;
    },
  });
  return found;
}

const excludeHint = (glob: string) => `fedc does not run Helm: render the chart with \`helm template\` into federated objects, or exclude it in fedc.yaml (exclude: ["${glob}"])`;

/** Whether YAML refuses the text for its template actions alone: without them, it parses, with no map or list for a key. */
function isTemplated(text: string): boolean {
  const docs = parseAllDocuments(withoutActions(text), YAML_OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs];
  return list.every((d) => d.errors.length === 0 && badKey(d, COLLECTIONS) === undefined);
}

function helmTemplate(file: SourceFile, offset: number): Diagnostic {
  const { line, col } = lineCol(file.text, offset);
  return {
    code: 'FEDC1010', severity: 'warning', file: file.path, line, col,
    message: `${file.path} is a Go template (a Helm template?), not YAML that Kubernetes reads; it is skipped`,
    hint: excludeHint(file.path),
  };
}

function helmChartFile(file: SourceFile, chart: string): Diagnostic {
  const chartFile = chart === '.' ? 'Chart.yaml' : `${chart}/Chart.yaml`;
  const what = /(^|\/)Chart\.ya?ml$/.test(file.path) ? "is a Helm chart's Chart.yaml" : `belongs to the Helm chart of ${chartFile}`;
  const offset = templateActionAt(file.text);
  const { line, col } = offset === -1 ? { line: 1, col: 1 } : lineCol(file.text, offset);
  return {
    code: 'FEDC1010', severity: 'warning', file: file.path, line, col,
    message: `${file.path} ${what}; it is skipped`,
    hint: excludeHint(chart === '.' ? '**' : `${chart}/**`),
  };
}

/**
 * One diagnostic per broken document: the first error is the cause, later ones mostly its echoes.
 * A key indented more than its siblings reads as a value running on from the line above; the yaml
 * library reports it at that value, so point at the over-indented line instead.
 */
function yamlError(file: SourceFile, errors: readonly YAMLError[]): Diagnostic {
  // a tab in the indentation is the cause of whatever else the library then finds on that line
  const tab = errors.find((e) => e.code === 'TAB_AS_INDENT');
  if (tab) {
    const { line, col } = lineCol(file.text, tab.pos[0]);
    return { code: 'FEDC1001', severity: 'error', file: file.path, line, col, message: 'YAML: Tabs are not allowed as indentation', hint: 'indent with spaces' };
  }
  const multiline = errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY');
  if (multiline) {
    const nl = file.text.indexOf('\n', multiline.pos[0]);
    if (nl !== -1 && nl < multiline.pos[1]) {
      let at = nl + 1;
      while (file.text[at] === ' ') at++;
      const { line, col } = lineCol(file.text, at);
      return {
        code: 'FEDC1001', severity: 'error', file: file.path, line, col,
        message: 'YAML: this key is indented more than the keys above it, so it reads as part of the value on the line before',
        hint: 'line it up with its sibling keys',
      };
    }
  }
  const err = errors[0]!;
  const { line, col } = lineCol(file.text, err.pos[0]);
  const key = err.code === 'DUPLICATE_KEY' ? KEY_AS_WRITTEN.exec(file.text.slice(err.pos[0], err.pos[0] + 1100))?.[1]?.trim() : undefined;
  const message = key ? `YAML: map key ${key} is given twice in this map; map keys must be unique` : `YAML: ${firstLine(err.message)}`;
  return { code: 'FEDC1001', severity: 'error', message, file: file.path, line, col };
}

/** A map key as written, quoted or plain, before its `:`. */
const KEY_AS_WRITTEN = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n:,{}[\]]{1,1024}?)\s*:/;

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
