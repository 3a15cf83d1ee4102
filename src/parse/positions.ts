import { isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import { locateInBlock } from './block-locator.js';
import { isPlainString, plainDocumentSpans } from './fast-parse.js';
import type { SourceFile } from '../read/source-file.js';
import { YAML_OPTIONS, type NodePath } from './parsed-document.js';

export interface Position {
  line: number;
  col: number;
}

/** 1-based line and column of a character offset. */
export function lineCol(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * Finds the line and column of a node inside a document. Parsing keeps no positions (that would
 * cost on every run); a file is parsed again, once, only when a diagnostic needs a position in it.
 */
export class Locator {
  private readonly texts = new Map<string, string>();
  private readonly docs = new Map<string, Document[]>();
  private readonly plainSpans = new Map<string, readonly { start: number; end: number }[] | undefined>();
  /** Single documents of plain files, parsed alone: `file\0index` -> the document and its offset in the file. */
  private readonly single = new Map<string, { doc: Document | undefined; base: number }>();
  /** Each file's line starts, once it has a diagnostic: many diagnostics in one file each cost a search, not a scan. */
  private readonly lineStarts = new Map<string, number[]>();

  /** `parseOnly`: always ask the `yaml` library (the reference block-locator.ts is tested against). */
  constructor(files: readonly SourceFile[], private readonly options: { parseOnly?: boolean } = {}) {
    for (const f of files) this.texts.set(f.path, f.text);
  }

  /** lineCol, by a binary search of the file's line starts. */
  private lineCol(file: string, text: string, offset: number): Position {
    let starts = this.lineStarts.get(file);
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts.set(file, starts);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  /**
   * Position of the node at `path`. When `key` is true and the last segment is a map key, the
   * position is the key's rather than the value's. When the path does not exist (a missing
   * field), the position is the key of the deepest map entry that does.
   */
  locate(file: string, docIndex: number, path: NodePath, key = false): Position {
    const text = this.texts.get(file);
    if (text === undefined) return { line: 0, col: 0 };
    // A plain block-style document: found from its lines, without parsing (block-locator.ts).
    const span = this.options.parseOnly ? undefined : this.spans(file, text)?.[docIndex];
    if (span) {
      const offset = locateInBlock(text, span.start, span.end, path, key, isPlainString);
      if (offset !== undefined) return this.lineCol(file, text, offset);
    }
    const { doc, base } = this.document(file, text, docIndex);
    if (!doc) return { line: 0, col: 0 };
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    let lastKey: number | undefined;
    let resolved = true;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) {
          resolved = false;
          break;
        }
        const keyOffset = (pair.key as Node).range?.[0] ?? offset;
        if (i === path.length - 1 && key) {
          offset = keyOffset;
          break;
        }
        const value = pair.value as Node | null;
        offset = value?.range?.[0] ?? keyOffset;
        lastKey = keyOffset;
        node = value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        const item = node.items[seg] as Node;
        offset = item.range?.[0] ?? offset;
        lastKey = undefined;
        node = item;
      } else {
        resolved = false;
        break;
      }
    }
    if (!resolved && lastKey !== undefined) offset = lastKey;
    return this.lineCol(file, text, base + offset);
  }

  /**
   * Document `index` of a file with its offset in the file. Of a plain file, that document is
   * parsed alone (diagnostics in a large file then cost one document's parse); any other file is
   * parsed whole, once.
   */
  /** The documents' spans of a plain file (fast-parse.ts); undefined for any other. */
  private spans(file: string, text: string): readonly { start: number; end: number }[] | undefined {
    if (!this.plainSpans.has(file)) this.plainSpans.set(file, plainDocumentSpans(text));
    return this.plainSpans.get(file);
  }

  private document(file: string, text: string, index: number): { doc: Document | undefined; base: number } {
    const whole = this.docs.get(file);
    if (whole) return { doc: whole[index], base: 0 };
    const id = `${file}\0${index}`;
    let one = this.single.get(id);
    if (one) return one;
    const span = this.spans(file, text)?.[index];
    if (span) {
      one = { doc: parseDocument(text.slice(span.start, span.end), YAML_OPTIONS) as Document, base: span.start };
      this.single.set(id, one);
      return one;
    }
    let docs = parseAllDocuments(text, YAML_OPTIONS) as Document[];
    if (!Array.isArray(docs)) docs = [docs];
    this.docs.set(file, docs);
    return { doc: docs[index], base: 0 };
  }
}
