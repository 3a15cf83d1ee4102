import jsyaml from 'js-yaml';
import { Document, isScalar } from 'yaml';
import type { SourceFile } from '../read/source-file.js';
import { blockParse, isMarker } from './block-parse.js';
import { MAX_DEPTH, nestedDeeper } from './nesting-depth.js';
import { YAML_OPTIONS, type ParsedDocument } from './parsed-document.js';

/**
 * The fast paths of parsing, for the plain files that make up nearly every repo: block-parse.ts
 * for the block YAML manifests are written in, else js-yaml, several times faster than the `yaml`
 * library. They must give exactly what the `yaml` path gives, so:
 *
 * - plain scalars are resolved by the `yaml` library's own YAML 1.1 tags (its tests and its
 *   resolvers, in its order), so `yes`, `0755` or `2021-01-01` become what they become there;
 * - only files without anything whose meaning could differ between the libraries take them:
 *   directives, merge keys, collection keys and Go templates, long digit runs (integers beyond
 *   2^53), `...` and content on a `---` line; js-yaml, which would expand an alias bomb, takes no
 *   file with `&`, `*` or `!` anywhere, where block-parse.ts declines anchors, aliases and tags
 *   where they start a node and reads those characters as text elsewhere (`"*"`, `a&b`);
 * - nothing they give nests deeper than MAX_DEPTH: block-parse.ts declines at that depth, and
 *   js-yaml's values are measured, so a file the `yaml` path refuses as too deep never passes;
 * - whatever they refuse (duplicate keys, syntax errors) goes to the `yaml` path, which says
 *   where and why. Positions are never needed here: diagnostics recover them on demand.
 *
 * Returns undefined when the file must take the `yaml` path.
 */
export function fastParse(file: SourceFile): ParsedDocument[] | undefined {
  return plainParse(file, (spans) => blockValues(file, spans) ?? jsyamlValues(file, spans.length));
}

/** block-parse.ts alone: what fastParse gives when that path takes the file. Exported for its tests. */
export function parseBlockYaml(file: SourceFile): ParsedDocument[] | undefined {
  return plainParse(file, (spans) => blockValues(file, spans));
}

/** js-yaml alone: what fastParse gives for a file block-parse.ts declines. Exported for its tests. */
export function parseWithJsyaml(file: SourceFile): ParsedDocument[] | undefined {
  return plainParse(file, (spans) => jsyamlValues(file, spans.length));
}

/** A plain file's documents, from one value per document span that `values` reads (undefined: not plain, or declined). */
function plainParse(file: SourceFile, values: (spans: readonly DocumentSpan[]) => unknown[] | undefined): ParsedDocument[] | undefined {
  if (INELIGIBLE.test(file.text)) return undefined;
  const spans = documentSpans(file.text);
  const read = spans && values(spans);
  if (read === undefined) return undefined;
  const out: ParsedDocument[] = [];
  read.forEach((value, index) => {
    const line = spans![index]!.line;
    if (value === null || value === undefined || line === 0) return; // an empty document
    out.push({ file: file.path, index, line, value });
  });
  return out;
}

// It counts depth as nestedDeeper does, so what it returns needs no second walk.
const blockValues = (file: SourceFile, spans: readonly DocumentSpan[]) => blockParse(file.text, spans, MAX_DEPTH, resolvePlainScalar);

/**
 * js-yaml's values of the file's `count` documents, or undefined when it refuses it, counts
 * otherwise, may meet an anchor, alias or tag, or gives a value nested too deep.
 */
function jsyamlValues(file: SourceFile, count: number): unknown[] | undefined {
  if (NODE_PROPERTIES.test(file.text)) return undefined;
  const values: unknown[] = [];
  try {
    jsyaml.loadAll(file.text, (v) => values.push(v), { schema: SCHEMA, filename: file.path });
  } catch {
    return undefined;
  }
  // A comment-only file is no document to `yaml`, one empty document to js-yaml.
  if (count === 0 && values.every((v) => v === null || v === undefined)) return [];
  return values.length === count && !values.some((v) => nestedDeeper(v, MAX_DEPTH)) ? values : undefined;
}

/**
 * Directives, merge keys, explicit keys, flow collections as keys, null and empty keys, Go
 * templates, 16-digit runs, document end markers, tabs, and characters the libraries treat
 * differently as line breaks.
 */
const INELIGIBLE = /[\t\u0085\u2028\u2029]|^%|<<|\{\{|\?\s|[\]}]\s*:|[0-9]{16}|^\.\.\.|(?:^|[\s{,[])(?:~|[Nn]ull|NULL)?:(?=\s|$)/m;

/** Anchors, aliases and tags (and the same characters in text): js-yaml takes no file with one. */
const NODE_PROPERTIES = /[&*!]/;

/** One document of a file as the `yaml` library counts them: its text span and first content line. */
interface DocumentSpan {
  /** Offset of its `---` line, or 0 for content before the first `---`. */
  start: number;
  /** Offset where the next document's `---` line starts (or the end of the text). */
  end: number;
  /** 1-based line where its content starts; 0 for a document without content. */
  line: number;
}

const HASH = 0x23;

/**
 * The documents of a text, as the `yaml` library counts them: a `---` line starts one; text
 * before the first `---` is one only if it holds content. Undefined when a `---` line carries
 * content. Lines are looked at in place, never sliced: every input file passes through here.
 */
function documentSpans(text: string): DocumentSpan[] | undefined {
  const spans: DocumentSpan[] = [];
  let current: DocumentSpan | undefined; // the open document, if any
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    lineNo++;
    if (isMarker(text, pos, end)) {
      const rest = firstContent(text, pos + 3, end);
      if (rest !== -1 && text.charCodeAt(rest) !== HASH) return undefined;
      if (current) current.end = pos;
      current = { start: pos, end: text.length, line: 0 };
      spans.push(current);
    } else {
      const content = firstContent(text, pos, end);
      if (content !== -1 && text.charCodeAt(content) !== HASH) {
        if (current === undefined) {
          current = { start: 0, end: text.length, line: 0 };
          spans.push(current);
        }
        if (current.line === 0) current.line = lineNo;
      }
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return spans;
}

const WHITE = /\s/;

/** Offset of the first character in text[from, to) that String.prototype.trim would keep, or -1. */
function firstContent(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    if (c < 0x80 || !WHITE.test(text[i]!)) return i;
  }
  return -1;
}

/**
 * Where document `index` of a plain file lies, so that finding a position in it parses that
 * document alone: undefined for a file the fast path would not take (its documents could be
 * counted differently) or without such a document.
 */
export function documentSpan(text: string, index: number): { start: number; end: number } | undefined {
  const span = plainDocumentSpans(text)?.[index];
  return span && { start: span.start, end: span.end };
}

/** Every document's span of a file the fast path would take; undefined for any other file. */
export function plainDocumentSpans(text: string): readonly { start: number; end: number }[] | undefined {
  return INELIGIBLE.test(text) || NODE_PROPERTIES.test(text) ? undefined : documentSpans(text);
}

/** Whether a plain scalar is read, under YAML 1.1, as the string it spells (not `on`, `0755`, `~`). */
export function isPlainString(s: string): boolean {
  if (!ANY_YAML11.test(s)) return true; // no tag claims it: a string
  try {
    return typeof resolvePlain(s) === 'string';
  } catch {
    return false;
  }
}

/** The scalar tags fedc reads with (YAML_OPTIONS), in the order the `yaml` library tries them on a plain scalar. */
const YAML11_TAGS = new Document(null, YAML_OPTIONS).schema.tags.filter(
  (t): t is typeof t & { test: RegExp; resolve: (s: string, onError: (m: string) => void, o: object) => unknown } =>
    t.default === true && t.test instanceof RegExp && typeof t.resolve === 'function',
);

/**
 * Whether any of those tags claims a plain scalar: their tests joined into one expression, as
 * nearly every scalar of a manifest is a string that no tag claims, and one match is several
 * times faster than a dozen (tests with flags could not be joined: then they run one by one).
 */
const ANY_YAML11: { test(s: string): boolean } = YAML11_TAGS.every((t) => t.test.flags === '')
  ? new RegExp(YAML11_TAGS.map((t) => `(?:${t.test.source})`).join('|'))
  : { test: (s) => YAML11_TAGS.some((t) => t.test.test(s)) };

/** A plain scalar's value under YAML 1.1, as the `yaml` library reads it. */
function resolvePlainScalar(s: string): unknown {
  return ANY_YAML11.test(s) ? resolvePlain(s) : s;
}

function resolvePlain(s: string): unknown {
  const tag = YAML11_TAGS.find((t) => t.test.test(s))!;
  const v = tag.resolve(s, (message) => {
    throw new Error(message);
  }, {});
  return isScalar(v) ? v.value : v;
}

/** js-yaml calls implicit types for plain scalars only: quoted ones stay strings, as in YAML. */
const PLAIN_YAML11 = new jsyaml.Type('tag:fedc.dev,2026:plain-yaml-1.1', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && ANY_YAML11.test(s),
  construct: (s: string) => resolvePlain(s),
});

const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [PLAIN_YAML11] });
