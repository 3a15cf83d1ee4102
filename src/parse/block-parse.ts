/**
 * The fastest path of parsing: the block YAML that Kubernetes manifests are nearly always written
 * in (block maps and lists, one-line scalars and flow lists, literal block scalars, `{}`), read
 * line by line with the engine's own string search instead of character by character. It must
 * give exactly what the `yaml` library gives, so it declines the whole file (returns undefined,
 * and js-yaml, then `yaml`, take it) at the first thing it does not read with certainty:
 *
 * - flow maps other than `{}`, flow lists over several lines or holding collections, `:` or `#`,
 *   folded (`>`) and keep (`|+`) block scalars, indentation indicators, empty lines before a block
 *   scalar's first line, scalars over several lines, escapes in quotes;
 * - anchors, aliases and tags (`&`, `*`, `!` where a node starts; elsewhere they are text);
 * - keys that YAML 1.1 reads as anything but a string (`yes`, `1`), keys that start with an
 *   indicator, `__proto__`, duplicate keys, keys over 1024 characters;
 * - a document that is a scalar, content after the root node, indentation YAML would refuse,
 *   collections nested deeper than `maxDepth` (the root is at depth 1);
 * - carriage returns, a byte order mark and characters YAML does not allow in a stream.
 *
 * What fastParse declines before (directives, merge keys, tabs...) never gets here. `spans` are
 * the file's documents as fastParse counts them, each from its `---` line (or the file's start);
 * `resolve` reads a plain scalar as YAML 1.1 does. Returns one value per span.
 */
export function blockParse(text: string, spans: readonly { start: number; end: number }[], maxDepth: number, resolve: (plain: string) => unknown): unknown[] | undefined {
  if (UNSUPPORTED.test(text) || !(text as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
  const values: unknown[] = [];
  try {
    for (const span of spans) values.push(new BlockParser(text, span.start, span.end, maxDepth, resolve).document());
  } catch (err) {
    if (err === DECLINE) return undefined;
    throw err;
  }
  return values;
}

/**
 * Carriage returns, a BOM, spaces other than U+0020 (JavaScript's trim, which counted the
 * documents, takes them for blanks; YAML for content), and what js-yaml calls non-printable
 * (C0/C1 controls, U+FFFE/U+FFFF; lone surrogates are what isWellFormed finds, several times
 * faster than a pattern that looks around every character).
 */
const UNSUPPORTED = /[\r\ufeff\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;

const DECLINE = new Error('block-parse: declined');
const decline = (): never => {
  throw DECLINE;
};

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const NL = 0x0a;

/** YAML's indicators: a plain scalar (or key) starting with one is read with care, elsewhere. */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/** Whether the line text[pos, end) is a document marker: `---` alone or followed by a space or tab. */
export function isMarker(text: string, pos: number, end: number): boolean {
  if (end - pos < 3 || text.charCodeAt(pos) !== DASH || text.charCodeAt(pos + 1) !== DASH || text.charCodeAt(pos + 2) !== DASH) return false;
  const next = text.charCodeAt(pos + 3);
  return end === pos + 3 || next === SPACE || next === 0x09;
}

class BlockParser {
  /** The line being read: [lineStart, lineEnd), its indentation (or a compact node's column) and where its content starts. */
  private lineStart = 0;
  private lineEnd = 0;
  private indent = 0;
  private at = 0;
  /** Whether the current line holds content (not past the end, not blank, not only a comment). */
  private content = false;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly maxDepth: number,
    private readonly resolve: (plain: string) => unknown,
  ) {
    this.lineEnd = start - 1;
    this.nextLine();
    // A document's `---` line (only a comment may follow it there: fastParse saw to that).
    if (isMarker(text, this.lineStart, this.lineEnd)) this.nextLine();
    this.skipBlank();
  }

  document(): unknown {
    if (!this.content) return null;
    const root = this.isItem() ? this.seq(this.indent, 1) : this.map(this.indent, 1);
    if (this.content) decline(); // more after the root node: an error, or something to read with care
    return root;
  }

  // ------------------------------------------------------------------------------------ lines

  /** Moves to the next raw line (content or not). */
  private nextLine(): void {
    const start = this.lineEnd + 1;
    if (start >= this.end) {
      this.lineStart = this.lineEnd = this.at = this.end;
      this.indent = -1;
      this.content = false;
      return;
    }
    const nl = this.text.indexOf('\n', start);
    this.lineStart = start;
    this.lineEnd = nl === -1 || nl > this.end ? this.end : nl;
    const i = this.spaces(start);
    this.indent = i - start;
    this.at = i;
    this.content = i < this.lineEnd && this.text.charCodeAt(i) !== HASH;
  }

  /** Skips lines without content; at the end, indent is -1. */
  private skipBlank(): void {
    while (!this.content && this.lineStart < this.end) this.nextLine();
    if (!this.content) this.indent = -1;
  }

  private nextContent(): void {
    this.nextLine();
    this.skipBlank();
  }

  /** Whether the content at `at` is a list item: `-` followed by a space or the end of the line. */
  private isItem(): boolean {
    if (this.text.charCodeAt(this.at) !== DASH) return false;
    const next = this.at + 1;
    return next === this.lineEnd || this.text.charCodeAt(next) === SPACE;
  }

  // ------------------------------------------------------------------------------ collections

  private seq(indent: number, depth: number): unknown[] {
    if (depth > this.maxDepth) decline();
    const out: unknown[] = [];
    while (this.content && this.indent === indent && this.isItem()) {
      const c = this.spaces(this.at + 1);
      if (c === this.lineEnd || this.text.charCodeAt(c) === HASH) {
        // `-` alone: the item is the block below, or null.
        this.nextContent();
        out.push(this.content && this.indent > indent ? this.block(depth + 1) : null);
        continue;
      }
      // A compact node: the rest of the line is read as a line of its own, indented to its column.
      this.indent = c - this.lineStart;
      this.at = c;
      if (this.isItem()) out.push(this.seq(this.indent, depth + 1));
      else if (this.keyEnd() !== -1) out.push(this.map(this.indent, depth + 1));
      else out.push(this.scalarValue(indent, depth + 1));
    }
    if (this.content && this.indent > indent) decline();
    return out;
  }

  private map(indent: number, depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) decline();
    const out: Record<string, unknown> = {};
    while (this.content && this.indent === indent && !this.isItem()) {
      const colon = this.keyEnd();
      if (colon === -1) decline();
      const key = this.key(this.at, colon);
      if (Object.hasOwn(out, key)) decline();
      const v = this.spaces(colon + 1);
      let value: unknown;
      if (v === this.lineEnd || this.text.charCodeAt(v) === HASH) {
        this.nextContent();
        if (this.content && this.indent > indent) value = this.block(depth + 1);
        else if (this.content && this.indent === indent && this.isItem()) value = this.seq(indent, depth + 1);
        else value = null;
      } else {
        this.at = v;
        value = this.scalarValue(indent, depth + 1);
      }
      out[key] = value;
    }
    if (this.content && this.indent > indent) decline();
    return out;
  }

  /** The block node that starts on the current line, below a key or a `-`: a list or a map. */
  private block(depth: number): unknown {
    return this.isItem() ? this.seq(this.indent, depth) : this.map(this.indent, depth);
  }

  // ------------------------------------------------------------------------------------- keys

  /** Where the key on the current line ends (its `:`), or -1 when the line is no `key:` line. */
  private keyEnd(): number {
    const t = this.text;
    const c = t.charCodeAt(this.at);
    if (c === 0x22 || c === 0x27) {
      const close = t.indexOf(c === 0x22 ? '"' : "'", this.at + 1);
      if (close === -1 || close >= this.lineEnd) return -1;
      const colon = close + 1;
      return t.charCodeAt(colon) === COLON && (colon + 1 === this.lineEnd || t.charCodeAt(colon + 1) === SPACE) ? colon : -1;
    }
    // Searched within the line: a search of the text could run on to the end of the file.
    const line = t.slice(this.at, this.lineEnd);
    for (let colon = line.indexOf(':'); colon !== -1; colon = line.indexOf(':', colon + 1)) {
      if (colon + 1 === line.length || line.charCodeAt(colon + 1) === SPACE) return this.at + colon;
    }
    return -1;
  }

  private key(from: number, colon: number): string {
    const t = this.text;
    const c = t.charCodeAt(from);
    let key: string;
    if (c === 0x22 || c === 0x27) {
      key = t.slice(from + 1, colon - 1);
      if (c === 0x22 ? key.includes('\\') : key.includes("'")) decline(); // escapes
    } else {
      key = t.slice(from, colon);
      if (INDICATORS.has(c) || key.charCodeAt(key.length - 1) === SPACE || key.includes(' #')) decline();
      if (this.resolve(key) !== key) decline(); // YAML 1.1 reads it as something else
    }
    if (key.length > 1024 || key === '__proto__') decline();
    return key;
  }

  // ---------------------------------------------------------------------------------- scalars

  /**
   * The scalar at `at`, the value of a key or item of a collection at `parent`; the node ends
   * with its line, so the next content line must not be deeper than `parent`... unless a block
   * scalar's lines are below it.
   */
  private scalarValue(parent: number, depth: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(this.at);
    let value: unknown;
    if (c === 0x7c) return this.literal(parent); // |
    if (c === 0x22 || c === 0x27) {
      const text = this.quoted(this.at);
      value = text;
      this.endOfLine(this.at + text.length + 2);
    } else if (c === 0x5b) {
      if (depth > this.maxDepth) decline();
      value = this.flowSeq();
    } else if (c === 0x7b) {
      // {: only the empty map
      if (t.charCodeAt(this.at + 1) !== 0x7d || depth > this.maxDepth) decline();
      value = {};
      this.endOfLine(this.at + 2);
    } else {
      // `-`, `?` and `:` may start a plain scalar when what follows is no space (`-1`, `:8443`).
      if (c === DASH || c === 0x3f || c === COLON) {
        if (this.at + 1 === this.lineEnd || t.charCodeAt(this.at + 1) === SPACE) decline();
      } else if (INDICATORS.has(c)) decline();
      const line = t.slice(this.at, this.lineEnd);
      const comment = line.indexOf(' #');
      let last = comment === -1 ? line.length : comment;
      while (line.charCodeAt(last - 1) === SPACE) last--;
      const plain = last === line.length ? line : line.slice(0, last);
      if (plain.includes(': ') || plain.charCodeAt(plain.length - 1) === COLON) decline();
      value = this.resolve(plain);
    }
    this.nextContent();
    if (this.content && this.indent > parent) decline(); // a scalar over several lines, or an error
    return value;
  }

  /** A flow list on one line, of quoted scalars and plain ones without `:`, `#` or brackets: `["a", b]`. */
  private flowSeq(): unknown[] {
    const t = this.text;
    const out: unknown[] = [];
    let i = this.spaces(this.at + 1);
    if (t.charCodeAt(i) === 0x5d) {
      this.endOfLine(i + 1);
      return out;
    }
    for (;;) {
      const c = t.charCodeAt(i);
      let next: number;
      if (c === 0x22 || c === 0x27) {
        const text = this.quoted(i);
        out.push(text);
        next = i + text.length + 2;
      } else {
        if (INDICATORS.has(c)) decline();
        let end = i;
        for (let d = t.charCodeAt(end); end < this.lineEnd && d !== 0x2c && d !== 0x5d; d = t.charCodeAt(++end)) {
          if (d === COLON || d === HASH || d === 0x5b || d === 0x7b || d === 0x7d) decline();
        }
        let last = end;
        while (t.charCodeAt(last - 1) === SPACE) last--;
        out.push(this.resolve(t.slice(i, last)));
        next = end;
      }
      i = this.spaces(next);
      const d = t.charCodeAt(i);
      if (d === 0x5d) {
        this.endOfLine(i + 1);
        return out;
      }
      if (d !== 0x2c || i >= this.lineEnd) decline();
      i = this.spaces(i + 1);
      if (i >= this.lineEnd || t.charCodeAt(i) === 0x5d || t.charCodeAt(i) === 0x2c) decline(); // a trailing or empty entry
    }
  }

  /** The first offset from `from` on the line that is no space (the line's end at most). */
  private spaces(from: number): number {
    let i = from;
    while (i < this.lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /**
   * The text of the one-line quoted scalar that opens at `from` (its closing quote is at `from`
   * + 1 + its length). Declined: one that goes on past its line, a backslash in double quotes, a
   * doubled quote in single quotes (escapes).
   */
  private quoted(from: number): string {
    const t = this.text;
    const double = t.charCodeAt(from) === 0x22;
    const close = t.indexOf(double ? '"' : "'", from + 1);
    if (close === -1 || close >= this.lineEnd) decline();
    const text = t.slice(from + 1, close);
    if (double ? text.includes('\\') : t.charCodeAt(close + 1) === 0x27) decline();
    return text;
  }

  /** Only spaces or a comment may follow a quoted scalar or an empty collection on its line. */
  private endOfLine(from: number): void {
    const i = this.spaces(from);
    if (i < this.lineEnd && (this.text.charCodeAt(i) !== HASH || i === from)) decline();
  }

  /** A literal block scalar, `|` or `|-`, under a node at `parent`. */
  private literal(parent: number): string {
    const t = this.text;
    let h = this.at + 1;
    const chomp = t.charCodeAt(h);
    const strip = chomp === DASH;
    if (strip) h++;
    else if (chomp !== SPACE && h !== this.lineEnd) decline(); // |+, an indentation indicator, or other
    this.endOfLine(h);
    const lines: string[] = [];
    let blockIndent = -1;
    let trailingEmpty = 0;
    for (;;) {
      this.nextLine();
      if (this.lineStart >= this.end) break;
      if (this.lineStart === this.lineEnd) {
        lines.push('');
        trailingEmpty++;
        continue;
      }
      if (this.indent === this.lineEnd - this.lineStart) decline(); // a line of spaces only
      if (blockIndent === -1) {
        if (this.indent <= parent) break;
        blockIndent = this.indent;
        if (trailingEmpty > 0) decline(); // empty lines before the first: left to the libraries
      } else if (this.indent < blockIndent) break;
      lines.push(t.slice(this.lineStart + blockIndent, this.lineEnd));
      trailingEmpty = 0;
      if (this.lineEnd === this.end && t.charCodeAt(this.lineEnd) !== NL) decline(); // no line break after it
    }
    if (blockIndent === -1) decline();
    // Where the scalar ended: at a line less indented than its own, which must be a comment or
    // not deeper than the node it belongs to.
    this.skipBlank();
    if (this.content && this.indent > parent) decline();
    lines.length -= trailingEmpty;
    return strip ? lines.join('\n') : lines.join('\n') + '\n';
  }
}
