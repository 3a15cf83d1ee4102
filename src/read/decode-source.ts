import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { lineCol } from '../parse/positions.js';

/**
 * Bytes of an input file to text, refusing what Kubernetes' YAML decoder refuses rather than
 * changing the user's data: invalid UTF-8 (a lenient decode would put U+FFFD into a ConfigMap
 * value), and characters outside YAML's printable set (NUL, C0 controls other than tab, LF and
 * CR, DEL, C1 controls other than NEL, U+FFFE and U+FFFF). A byte-order mark is dropped; a UTF-16
 * file with one is read as UTF-16, as Kubernetes' decoder reads it. Positions are 1-based lines and
 * columns in UTF-16 code units, as every other diagnostic counts them. Cost: one native decode and
 * one regular-expression scan per file.
 */
export type Decoded = { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic };

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true });
/** Only for the valid prefix of a line, to count its columns. */
const UTF8_LENIENT = new TextDecoder('utf-8');

/** Characters YAML 1.2 does not allow in a stream (c-printable's complement, minus surrogates, which decoding already refuses). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/;

export function decodeSource(bytes: Uint8Array, file: string): Decoded {
  let text: string;
  const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (utf16) {
    try {
      text = (bytes[0] === 0xff ? UTF16LE : UTF16BE).decode(bytes);
    } catch {
      return { diagnostic: error('FEDC1013', file, 1, 1, 'the file starts with a UTF-16 byte-order mark but is not valid UTF-16', 'save it as UTF-8') };
    }
  } else {
    try {
      text = UTF8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      const { line, col } = bytePosition(bytes, at);
      const byte = at < bytes.length ? `byte 0x${bytes[at]!.toString(16).padStart(2, '0')}` : 'the file ends inside a character';
      return {
        diagnostic: error('FEDC1013', file, line, col, `invalid UTF-8 (${byte}); Kubernetes refuses such a file, and fedc does not guess what was meant`,
          'save the file as UTF-8 (a Latin-1 or Windows-1252 file has to be converted, e.g. with iconv -f latin1 -t utf-8)'),
      };
    }
  }
  const m = FORBIDDEN.exec(text);
  if (m) {
    const { line, col } = lineCol(text, m.index);
    const code = m[0].charCodeAt(0);
    const name = code === 0 ? 'a NUL character (U+0000)' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const nuls = code === 0 && text.length > 8 && countNul(text) * 4 >= text.length;
    return {
      diagnostic: error('FEDC1014', file, line, col, `${name}: YAML does not allow it in a file, and Kubernetes refuses the file`,
        nuls ? 'the file is full of NUL characters: is it UTF-16 without a byte-order mark? Save it as UTF-8'
          : 'remove it; a value that needs it can say so with an escape inside double quotes ("\\t", "\\x1b")'),
    };
  }
  return { text };
}

function error(code: Diagnostic['code'], file: string, line: number, col: number, message: string, hint: string): Diagnostic {
  return { code, severity: 'error', message, file, line, col, hint };
}

function countNul(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', i + 1)) n++;
  return n;
}

/** Line and column of a byte offset, counting columns in UTF-16 code units of the valid text before it. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    start = i + 1;
  }
  // The lenient decoder drops a leading BOM, as the strict one would have.
  return { line, col: UTF8_LENIENT.decode(bytes.subarray(start, offset)).length + 1 };
}

/**
 * Offset of the first byte that starts an invalid UTF-8 sequence (WHATWG's rules: no overlong
 * forms, no surrogates, nothing above U+10FFFF). Only called when strict decoding failed.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += n + 1;
  }
  return b.length;
}
