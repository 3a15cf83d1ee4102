import { Schema } from 'yaml';
import { writeTags } from './write-tags.js';

/**
 * A fast writer for the YAML fedc emits: the same bytes as `toYaml` (serialize.ts, the `yaml`
 * library's stringify with YAML 1.1, indent 2, indentSeq false, lineWidth 0, no aliases, and
 * U+0085/U+2028/U+2029 written escaped), for JSON-like data, without building yaml's Document
 * and Node objects. It returns undefined for anything it does not reproduce with certainty
 * (other object types, undefined members, cycles or deep nesting, keys over 1024 characters),
 * and the caller then falls back to `toYaml`.
 *
 * The rules below are those of yaml v2's stringify (stringifyString, stringifyPair,
 * stringifyCollection, stringifyNumber) under fedc's options; test/fast-yaml.test.ts checks them
 * against `toYaml` on every fixture, on generated workloads and on random values.
 */
export function fastYaml(value: unknown): string | undefined {
  try {
    return flattened(writeNode(value, 0) + '\n');
  } catch {
    // CANNOT, or anything unexpected: the caller's fallback is the reference, let it decide.
    return undefined;
  }
}

/**
 * The text as one flat string. Built by `+`, it is a tree of thousands of small strings, which
 * every garbage collection until the text is written copies node by node (in a render that was
 * half its time in GC); reading a character makes V8 flatten it once, now. The comparison keeps
 * the read from being optimized away; charCodeAt never gives -1.
 */
function flattened(s: string): string {
  return s.charCodeAt(0) === -1 ? '' : s;
}

/** Thrown (and caught in fastYaml) where the fallback must take over. */
const CANNOT = new Error('fast-yaml: not reproduced natively');

/**
 * Indentation levels written natively. Every step into a map value or a sequence item adds one
 * level (a sequence under a key does not, but its items do), so this also bounds the nesting
 * depth and stops cycles.
 */
const MAX_LEVEL = 64;
const INDENTS: string[] = Array.from({ length: MAX_LEVEL + 2 }, (_, i) => '  '.repeat(i));

// ---------------------------------------------------------------------------------- collections

/** A node as yaml writes it with ctx.indent = INDENTS[level]. */
function writeNode(v: unknown, level: number): string {
  switch (typeof v) {
    case 'string':
      return valueString(v, level);
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (isPlainArray(v)) return writeSeq(v, level);
      if (isPlainObject(v)) return writeMap(v, level);
      throw CANNOT;
    default:
      // undefined, bigint, symbol, function
      throw CANNOT;
  }
}

/**
 * Block map: one `key: value` per line, lines joined at the map's indent. An empty map is `{}`
 * (yaml writes an empty collection in flow style).
 */
function writeMap(obj: Record<string, unknown>, level: number): string {
  if (level > MAX_LEVEL) throw CANNOT;
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  const sep = '\n' + INDENTS[level];
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const line = keyString(key, level === 0) + ':' + pairValue(obj[key], level);
    out = i === 0 ? line : out + sep + line;
  }
  return out;
}

/** What follows `key:` for a pair of a map at `level`; the value's ctx.indent is one level in. */
function pairValue(v: unknown, level: number): string {
  if (typeof v === 'object' && v !== null) {
    if (isPlainArray(v)) {
      if (v.length === 0) return ' []';
      // indentSeq: false: the `- ` counts as indentation, so the items start at the key's column.
      return '\n' + INDENTS[level] + writeSeq(v, level);
    }
    if (isPlainObject(v)) {
      // An empty map stays on the key's line, in flow style; a non-empty one's text has a `:`.
      const text = writeMap(v, level + 1);
      return text === '{}' ? ' {}' : '\n' + INDENTS[level + 1] + text;
    }
    throw CANNOT;
  }
  // yaml joins a scalar with one space (it would join none before '' or a leading newline, which
  // no scalar written here produces).
  return ' ' + writeNode(v, level + 1);
}

/** Block sequence: `- item` lines at the sequence's indent, items one level in. */
function writeSeq(arr: readonly unknown[], level: number): string {
  if (level > MAX_LEVEL) throw CANNOT;
  if (arr.length === 0) return '[]';
  const sep = '\n' + INDENTS[level];
  let out = '';
  for (let i = 0; i < arr.length; i++) {
    // A hole or an undefined item is not JSON-like data: left to yaml.
    const item = arr[i];
    if (item === undefined) throw CANNOT;
    const line = '- ' + writeNode(item, level + 1);
    out = i === 0 ? line : out + sep + line;
  }
  return out;
}

/**
 * A plain object as a parser makes it. Anything else (Map, Date, class instances, boxed values)
 * is tagged or converted by yaml. A `toJSON` method would be called by yaml's createNode.
 */
function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function isPlainArray(v: object): v is unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

// -------------------------------------------------------------------------------------- numbers

/**
 * yaml's stringifyNumber for a number with no format or minFractionDigits (as created from
 * data): YAML 1.1's spellings for non-finite values, `-0` kept, else the JSON/ECMAScript
 * spelling (`1e+21`, `1e-7`, `0.30000000000000004`).
 */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  return Object.is(n, -0) ? '-0' : String(n);
}

// ------------------------------------------------------------------------------ scalar classifier

/**
 * Line breaks in YAML 1.1 but characters in 1.2: serialize.ts writes every string holding one
 * double-quoted, with the escapes \N, \L, \P in place of the raw characters.
 */
const YAML11_BREAKS = /[\u0085\u2028\u2029]/;
const BREAK_ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/** Control characters and unpaired surrogates: yaml forces double quotes on these. */
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

/**
 * Where a plain scalar cannot be written as is (yaml's plainString): a leading indicator or
 * whitespace, a lone `-` or `?` or one followed by a space, `: ` or a newline before a blank,
 * a blank before a newline, ` #`, or a trailing blank or `:`.
 */
const NOT_PLAIN =
  /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/**
 * Word-like strings (ASCII letters, digits and `_./:-`, starting with a letter, digit, `_`, `.`
 * or `/`, not ending with `:`) hold no control character, break, blank or indicator: none of the
 * rules above applies, only the resolvers (and, at the top level, a `...` marker) can make them
 * quoted. Most Kubernetes strings are such, and this one test stands in for the four above.
 */
const WORDLIKE = /^[\w./](?:[\w./:-]*[\w./-])?$/;

/** A line starting like a directive or a document marker (yaml's containsDocumentMarker). */
const DOC_MARKER = /^(?:%|---|\.\.\.)/m;

/** Blanks after the last line break: a block scalar cannot keep them, yaml quotes instead. */
const TRAILING_BLANK_LINE = /\n[\t ]+$/;

/** Blanks around a line break: a single-quoted scalar would fold them away, yaml uses double. */
const BLANK_AROUND_BREAK = /[ \t]\n|\n[ \t]/;

/**
 * Whether a string written plain would be read back as something else under YAML 1.1 (null,
 * bool, int, float, sexagesimal, timestamp, merge key): yaml quotes it if any default tag other
 * than !!str has a `test` matching it. The tests are the library's own, from its 1.1 schema,
 * joined into one anchored alternation when that is safe (no flags, no backreferences).
 */
const resolvesAsNonString: (s: string) => boolean = (() => {
  const schema = new Schema({ resolveKnownTags: false, schema: 'yaml-1.1', customTags: writeTags });
  const tests: RegExp[] = [];
  for (const tag of [...schema.tags, ...(schema.compat ?? [])]) {
    const test = (tag as { test?: unknown }).test;
    if (tag.default && tag.tag !== 'tag:yaml.org,2002:str' && test instanceof RegExp) tests.push(test);
  }
  if (tests.every((t) => t.flags === '' && !/\\[1-9]|\\k</.test(t.source))) {
    const joined = new RegExp('^(?:' + tests.map((t) => '(?:' + t.source + ')').join('|') + ')');
    return (s: string) => joined.test(s);
  }
  return (s: string) => tests.some((t) => t.test(s));
})();

/**
 * A string as a map value or sequence item (or the document), at ctx.indent = INDENTS[level]:
 * plain when safe, a `|` block when it spans lines, else quoted. The order of the checks is
 * yaml's.
 */
function valueString(s: string, level: number): string {
  const indent = INDENTS[level]!;
  if (!WORDLIKE.test(s)) {
    if (YAML11_BREAKS.test(s)) return escapeBreaks(doubleQuoted(s, indent, false));
    if (FORCE_DOUBLE.test(s)) return doubleQuoted(s, indent, false);
    const multiline = s.includes('\n');
    if (NOT_PLAIN.test(s)) return multiline ? blockLiteral(s, indent) : quoted(s, indent, false);
    // Multi-line strings are written as blocks where they may be.
    if (multiline) return blockLiteral(s, indent);
  }
  // At the document's top level a marker would end the document: yaml writes an indented block.
  if (level === 0 && DOC_MARKER.test(s)) return blockLiteral(s, indent);
  return resolvesAsNonString(s) ? quoted(s, indent, false) : s;
}

/**
 * A map key (yaml's implicit key): never a block, never spanning lines. `top`: a key of the
 * document's top-level map, the one place yaml quotes a key starting with `---` or `...`.
 */
function keyString(s: string, top: boolean): string {
  let text = s;
  let breaks = false;
  if (!WORDLIKE.test(s)) {
    breaks = YAML11_BREAKS.test(s);
    if (breaks || FORCE_DOUBLE.test(s)) text = doubleQuoted(s, '', true);
    else if (s.includes('\n') || NOT_PLAIN.test(s)) text = quoted(s, '', true);
  }
  if (text === s && ((top && DOC_MARKER.test(s)) || resolvesAsNonString(s))) text = quoted(s, '', true);
  // yaml makes a key over 1024 characters explicit (`? key`), measured before the escapes.
  if (text.length > 1024) throw CANNOT;
  return breaks ? escapeBreaks(text) : text;
}

function escapeBreaks(text: string): string {
  return text.replace(/[\u0085\u2028\u2029]/g, (c) => BREAK_ESCAPES[c]!);
}

// ------------------------------------------------------------------------------------- quoting

/**
 * yaml's choice of quotes: single quotes for a string holding `"` and no `'` (so nothing needs
 * escaping), double quotes otherwise.
 */
function quoted(s: string, ctxIndent: string, implicitKey: boolean): string {
  return s.includes('"') && !s.includes("'") ? singleQuoted(s, ctxIndent, implicitKey) : doubleQuoted(s, ctxIndent, implicitKey);
}

/**
 * The indent yaml continues a multi-line quoted or block scalar with: the context's, or at the
 * top level two spaces where a line could otherwise read as a document marker.
 */
function continuationIndent(s: string, ctxIndent: string): string {
  return ctxIndent || (DOC_MARKER.test(s) ? '  ' : '');
}

function singleQuoted(s: string, ctxIndent: string, implicitKey: boolean): string {
  // A single-quoted key cannot span lines, and blanks next to a line break would be folded.
  if ((implicitKey && s.includes('\n')) || BLANK_AROUND_BREAK.test(s)) return doubleQuoted(s, ctxIndent, implicitKey);
  const indent = continuationIndent(s, ctxIndent);
  // In single quotes `'` is doubled, and a run of n line breaks is written as n+1 (folding).
  return "'" + s.replace(/'/g, "''").replace(/\n+/g, (m) => m + '\n' + indent) + "'";
}

/** YAML's short escapes for what JSON writes as \uXXXX; other C0 controls as \xXX. */
const SHORT_ESCAPES: Record<string, string> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

/**
 * yaml's double-quoted style: JSON's escaping, with YAML's shorter escapes for \u00XX, a space
 * before an escaped line break written `\ `, and, outside keys and for JSON of 40 characters or
 * more, each line break (but a final one) written as real line breaks: n breaks as n+1 lines (a
 * single one folds to a space), the next line indented, with a leading space escaped as `\ `.
 */
function doubleQuoted(s: string, ctxIndent: string, implicitKey: boolean): string {
  const json = JSON.stringify(s);
  if (!json.includes('\\')) return json;
  const close = json.length - 1; // the closing quote, the only unescaped `"`
  const breakLines = !implicitKey && json.length >= 40; // yaml's doubleQuotedMinMultiLineLength
  let indent: string | undefined;
  let out = '';
  let from = 0; // json[from..] is not yet copied to out
  let i = json.indexOf('\\');
  while (i !== -1) {
    const e = json[i + 1];
    if (e === 'u') {
      const code = json.slice(i + 2, i + 6);
      out += json.slice(from, i) + (SHORT_ESCAPES[code] ?? (code.startsWith('00') ? '\\x' + code.slice(2) : '\\u' + code));
      from = i += 6;
    } else if (e === 'n') {
      // json[i - 1] is a real character here: no escape ends with a space.
      const spaceBefore = json.charCodeAt(i - 1) === 32;
      out += json.slice(from, spaceBefore ? i - 1 : i) + (spaceBefore ? '\\ ' : '');
      from = i;
      i += 2;
      if (breakLines && i !== close) {
        out += '\n\n';
        while (json[i] === '\\' && json[i + 1] === 'n' && i + 2 !== close) {
          out += '\n';
          i += 2;
        }
        indent ??= continuationIndent(s, ctxIndent);
        out += json.charCodeAt(i) === 32 ? indent + '\\' : indent;
        from = i;
      }
    } else {
      // \" \\ \b \f \r \t: as JSON wrote them.
      i += 2;
    }
    i = json.indexOf('\\', i);
  }
  return out + json.slice(from);
}

// --------------------------------------------------------------------------------- block literals

/**
 * yaml's literal block scalar (`|`; with lineWidth 0 it never folds): the chomping indicator from
 * the trailing blanks (`-` for no final line break, none for one, `+` for more, or for a string
 * of blanks only), an indentation indicator when a space comes before the first non-blank, every
 * line indented; quoted instead when the last line holds blanks.
 */
function blockLiteral(s: string, ctxIndent: string): string {
  if (TRAILING_BLANK_LINE.test(s)) return quoted(s, ctxIndent, false);
  const indent = continuationIndent(s, ctxIndent);
  let end = s.length;
  while (end > 0 && isBlank(s.charCodeAt(end - 1))) end--;
  let tail = s.slice(end);
  const tailBreak = tail.indexOf('\n');
  const chomp = tailBreak === -1 ? '-' : end === 0 || tailBreak !== tail.length - 1 ? '+' : '';
  if (tail.endsWith('\n')) tail = tail.slice(0, -1);
  // Trailing empty lines stay empty; a line of blanks among them is indented.
  tail = tail.replace(/\n+(?=[^\n])/g, (m) => m + indent);

  // Spaces before the first non-blank line need an explicit indentation indicator.
  const text = s.slice(0, end);
  let leadingSpace = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 32) leadingSpace = true;
    else if (c !== 10) break;
  }
  // yaml's indentation indicator: 1 at the top level, else 2 (relative to the parent's column).
  const header = (leadingSpace ? (indent ? '2' : '1') : '') + chomp;
  const body = text.replace(/\n+/g, (m) => m + indent);
  return '|' + header + '\n' + indent + body + tail;
}

/** Newline, tab or space: what yaml trims to find the chomping. */
function isBlank(c: number): boolean {
  return c === 10 || c === 9 || c === 32;
}
