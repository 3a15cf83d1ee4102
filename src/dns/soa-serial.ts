/**
 * SOA serials. fedc has no clock (the core is deterministic), so the serial is a counter kept in
 * the zone file itself: a zone rendered for the first time gets 1; when a previous zone file is in
 * the output directory, the zone keeps its serial if its records (every line that is not a
 * comment, serial aside) are unchanged, and otherwise gets the next serial in RFC 1982 serial
 * arithmetic: previous + 1 modulo 2^32, skipping 0 (some tools treat 0 as "unset"). Each step is
 * an increase under RFC 1982, so secondaries and caches always see the new zone as newer.
 */

export const FIRST_SERIAL = 1;

/** The serial that follows `s` (RFC 1982, SERIAL_BITS = 32), never 0. */
export function nextSerial(s: number): number {
  const n = (s + 1) % 2 ** 32;
  return n === 0 ? 1 : n;
}

/** RFC 1982 3.2: whether serial b is greater than serial a. */
export function serialGreater(a: number, b: number): boolean {
  const half = 2 ** 31;
  return (a < b && b - a < half) || (a > b && a - b > half);
}

/**
 * The serial of a zone: `render(serial)` gives its text with a given serial, `previous` the text of
 * the file it replaces (if any), `readSerial` reads the serial of such a text.
 */
export function chooseSerial(render: (serial: number) => string, previous: string | undefined, readSerial: (text: string) => number | undefined): number {
  if (previous === undefined) return FIRST_SERIAL;
  const prev = readSerial(previous);
  if (prev === undefined) return FIRST_SERIAL;
  return records(render(prev)) === records(previous) ? prev : nextSerial(prev);
}

/** The lines that carry records: comments, blank lines and line ends (a checkout may make them CRLF) aside. */
function records(text: string): string {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith(';')).join('\n');
}
