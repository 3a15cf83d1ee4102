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

/**
 * The UTF-8 bytes of the content, in one buffer: each piece measured and encoded into it in
 * turn, without joining the pieces into one string first (a copy of the whole file, for the
 * collector to reclaim). Every piece is a whole text ending with a line break (an object's YAML,
 * a comment line), so no surrogate pair is split between two pieces and the bytes are those of
 * the joined text.
 */
export function contentBytes(c: FileContent): Buffer {
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  let length = 0;
  for (const p of c) length += Buffer.byteLength(p, 'utf8');
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for (const p of c) at += bytes.write(p, at, 'utf8');
  return bytes;
}
