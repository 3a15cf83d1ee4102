/**
 * A file's content as pieces written one after another. A cluster's manifest is a few megabytes
 * made of the YAML texts every object already has: kept as pieces, it is compared and written
 * without ever being built as one string, so a fleet's output costs no more memory than its texts.
 */
export type FileContent = string | readonly string[];

export function contentText(c: FileContent): string {
  return typeof c === 'string' ? c : c.join('');
}

/** Length in UTF-16 code units, as String.length counts. */
export function contentLength(c: FileContent): number {
  if (typeof c === 'string') return c.length;
  let n = 0;
  for (const p of c) n += p.length;
  return n;
}

/** Whether a text read from disk is exactly this content, compared piece by piece. */
export function contentEquals(text: string, c: FileContent): boolean {
  if (typeof c === 'string') return text === c;
  if (text.length !== contentLength(c)) return false;
  let at = 0;
  for (const p of c) {
    if (!text.startsWith(p, at)) return false;
    at += p.length;
  }
  return true;
}

/** Characters joined into one string before encoding: a few pieces at a time, but never a whole fleet's file. */
const JOIN_CHARS = 1 << 20;

/**
 * The UTF-8 bytes of the content, in one buffer. The pieces are joined a megabyte at a time and
 * each run encoded at once: encoding piece by piece flattens and measures every piece twice.
 */
export function contentBytes(c: FileContent): Buffer {
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  const runs: Buffer[] = [];
  let from = 0;
  let chars = 0;
  for (let i = 0; i < c.length; i++) {
    chars += c[i]!.length;
    if (chars < JOIN_CHARS && i < c.length - 1) continue;
    runs.push(Buffer.from(c.slice(from, i + 1).join(''), 'utf8'));
    from = i + 1;
    chars = 0;
  }
  return runs.length === 1 ? runs[0]! : Buffer.concat(runs);
}
