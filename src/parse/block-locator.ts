import type { NodePath } from './parsed-document.js';

/**
 * Finds where a node starts in a plain block-style YAML document from its lines alone: the offset
 * the `yaml` library gives as the node's range start (or its key's), without parsing. Most
 * diagnostics point into such documents, and the library takes milliseconds for each one.
 *
 * It understands block maps with plain keys of a conservative alphabet, block sequences (under a
 * key at the key's column or deeper), and values on the key's line or below. Anything else (a
 * quoted or unusual key, a key the YAML 1.1 schema reads as something other than a string, flow
 * collections on the way, an empty value, nested `- -` items, a path that does not resolve, a
 * line it cannot classify) gives undefined, and the caller asks the `yaml` library.
 * test/fast-parse.test.ts compares it with the library on every node of every fixture and of a
 * generated workload.
 *
 * `isStringKey(text)`: whether a plain key text is read as that very string (not `on`, `0755`).
 */
export function locateInBlock(text: string, start: number, end: number, path: NodePath, atKey: boolean, isStringKey: (s: string) => boolean): number | undefined {
  const lines = linesOf(text, start, end);
  // The document's root: its first content line (after any `---` line).
  let first = 0;
  while (first < lines.length && (lines[first]!.kind === 'blank' || lines[first]!.kind === 'marker')) first++;
  if (first === lines.length) return undefined;
  if (path.length === 0) return lines[first]!.start + lines[first]!.indent;
  let node: Block = { from: first, to: lines.length, col: lines[first]!.indent, firstCol: lines[first]!.indent };
  for (let i = 0; ; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const line = lines[node.from]!;
    const isSeq = isDash(text, line.start + node.firstCol, line.end);
    const found = isSeq ? (typeof seg === 'number' ? seqItem(text, lines, node, seg) : undefined) : mapEntry(text, lines, node, String(seg), isStringKey);
    if (!found) return undefined;
    if (last) return atKey && !isSeq ? found.key : found.value;
    if (!found.child) return undefined;
    node = found.child;
  }
}

interface Line {
  /** Offset of the line's first character in the text. */
  start: number;
  /** Offset just past its content (before `\r\n` or `\n`). */
  end: number;
  indent: number;
  kind: 'blank' | 'marker' | 'content';
}

/** Lines [from, to) whose content is a map's (keys at `col`) or a sequence's (dashes at `col`). */
interface Block {
  from: number;
  to: number;
  col: number;
  /** Column of the first entry on line `from` (a map in a sequence item starts after `- `). */
  firstCol: number;
}

/**
 * The last document's lines: diagnostics come many to a document (10,000 unknown clusters in one
 * placement list), and splitting it again for each made their positions quadratic.
 */
let lastLines: { text: string; start: number; end: number; lines: Line[] } | undefined;

function linesOf(text: string, start: number, end: number): Line[] {
  if (lastLines && lastLines.text === text && lastLines.start === start && lastLines.end === end) return lastLines.lines;
  const lines = splitLines(text, start, end);
  lastLines = { text, start, end, lines };
  return lines;
}

function splitLines(text: string, start: number, end: number): Line[] {
  const out: Line[] = [];
  for (let pos = start; pos < end;) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    let stop = nl;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
    let indent = 0;
    while (pos + indent < stop && text.charCodeAt(pos + indent) === 32) indent++;
    const c = text.charCodeAt(pos + indent);
    const kind = pos + indent === stop || c === 35 /* # */ ? 'blank' : indent === 0 && /^---(\s|$)/.test(text.slice(pos, pos + 4)) ? 'marker' : 'content';
    out.push({ start: pos, end: stop, indent, kind });
    pos = nl + 1;
  }
  return out;
}

/** Plain keys fedc locates itself: Kubernetes' own alphabet (names, labels, annotations, ports). */
const SIMPLE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

interface Found {
  key: number;
  value: number;
  /** The value as a block to descend into; undefined for a scalar or anything not understood. */
  child?: Block;
}

/** The entry `key` of the block map `node`. */
function mapEntry(text: string, lines: Line[], node: Block, key: string, isStringKey: (s: string) => boolean): Found | undefined {
  for (let l = node.from; l < node.to; l++) {
    const line = lines[l]!;
    if (line.kind !== 'content') continue;
    const col = l === node.from ? node.firstCol : line.indent;
    if (col > node.col) continue; // inside an entry's value
    if (col < node.col) return undefined; // the map ended: not ours to judge
    const at = line.start + col;
    if (isDash(text, at, line.end)) continue; // a sequence under the previous key
    const m = /^([^:\s]+):(?= |$)/.exec(text.slice(at, line.end));
    if (!m || !SIMPLE_KEY.test(m[1]!) || !isStringKey(m[1]!)) return undefined;
    if (m[1] !== key) continue;
    const value = valueAfter(text, lines, l, at + m[0].length, node.col);
    return value && { key: at, ...value };
  }
  return undefined;
}

/** Item `index` of the block sequence `node`. */
function seqItem(text: string, lines: Line[], node: Block, index: number): Found | undefined {
  const l = itemLines(text, lines, node)[index];
  if (l === undefined) return undefined;
  const line = lines[l]!;
  const at = line.start + (l === node.from ? node.firstCol : line.indent);
  let v = at + 1;
  while (v < line.end && text.charCodeAt(v) === 32) v++;
  if (v === line.end || text.startsWith('#', v) || isDash(text, v, line.end)) return undefined;
  const itemCol = v - line.start;
  const to = blockEnd(text, lines, l + 1, node.to, node.col, false);
  // A map item: its first key on the dash's line, the others at the same column below.
  const isMap = /^[^:\s]+:(?= |$)/.test(text.slice(v, line.end));
  return { key: v, value: v, ...(isMap ? { child: { from: l, to, col: itemCol, firstCol: itemCol } } : {}) };
}

/**
 * The line of each item of the block sequence `node`, up to the first line that is no item (an
 * item the caller asks for beyond it is not understood), once per sequence of the document.
 */
function itemLines(text: string, lines: Line[], node: Block): number[] {
  let seqs = sequences.get(lines);
  if (!seqs) sequences.set(lines, (seqs = new Map()));
  const memo = `${node.from} ${node.to} ${node.col} ${node.firstCol}`;
  let items = seqs.get(memo);
  if (items) return items;
  items = [];
  for (let l = node.from; l < node.to; l++) {
    const line = lines[l]!;
    if (line.kind !== 'content') continue;
    const col = l === node.from ? node.firstCol : line.indent;
    if (col > node.col) continue;
    if (col < node.col) break;
    const at = line.start + col;
    if (!(isDash(text, at, line.end) && at + 1 < line.end)) break; // `-` alone, or not an item
    items.push(l);
  }
  seqs.set(memo, items);
  return items;
}

const sequences = new WeakMap<Line[], Map<string, number[]>>();

/** What follows `key:` (at `from` on line `l`) of a map whose keys are at `col`. */
function valueAfter(text: string, lines: Line[], l: number, from: number, col: number): { value: number; child?: Block } | undefined {
  const line = lines[l]!;
  let v = from;
  while (v < line.end && text.charCodeAt(v) === 32) v++;
  if (v < line.end && text[v] !== '#') {
    // On the key's line: a scalar (or a block scalar's header, a flow collection) starts here.
    return { value: v };
  }
  // Below: the next content line, deeper than the key, or a dash at the key's column.
  let n = l + 1;
  while (n < lines.length && lines[n]!.kind !== 'content') n++;
  if (n === lines.length) return undefined;
  const next = lines[n]!;
  const at = next.start + next.indent;
  if (next.indent > col || (next.indent === col && isDash(text, at, next.end))) {
    const to = blockEnd(text, lines, n + 1, lines.length, col, next.indent === col);
    return { value: at, child: { from: n, to, col: next.indent, firstCol: next.indent } };
  }
  return undefined; // an empty value: left to the library
}

/**
 * Where a value that began above ends: at the first content line at `col` or less, except, for a
 * sequence at the key's own column (`seqAtCol`), its further dashes there.
 */
function blockEnd(text: string, lines: Line[], from: number, to: number, col: number, seqAtCol: boolean): number {
  // each block's end once per document (see lastLines): a long list is walked once, not per item
  let ends = blockEnds.get(lines);
  if (!ends) blockEnds.set(lines, (ends = new Map()));
  const memo = `${from} ${to} ${col} ${seqAtCol}`;
  let end = ends.get(memo);
  if (end === undefined) ends.set(memo, (end = scanBlockEnd(text, lines, from, to, col, seqAtCol)));
  return end;
}

const blockEnds = new WeakMap<Line[], Map<string, number>>();

function scanBlockEnd(text: string, lines: Line[], from: number, to: number, col: number, seqAtCol: boolean): number {
  for (let l = from; l < to; l++) {
    const line = lines[l]!;
    if (line.kind !== 'content') continue;
    if (line.indent > col) continue;
    if (seqAtCol && line.indent === col && isDash(text, line.start + line.indent, line.end)) continue;
    return l;
  }
  return to;
}

/** A sequence item's `-` at `at`: followed by a space or the end of its line. */
function isDash(text: string, at: number, lineEnd: number): boolean {
  return text.charCodeAt(at) === 45 && (at + 1 === lineEnd || text.charCodeAt(at + 1) === 32);
}
