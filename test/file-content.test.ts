import { describe, expect, it } from 'vitest';
import { contentBytes, contentEquals, contentLength } from '../src/emit/file-content.js';

describe('file content as pieces', () => {
  // Pieces that straddle the megabyte at which contentBytes encodes a run, with characters of
  // every UTF-8 length (and a surrogate pair) on both sides of each boundary.
  const big = 'a'.repeat((1 << 20) - 3);
  const cases: string[][] = [
    [],
    [''],
    ['plain'],
    ['ü', '€', '😀', ''],
    [big, 'éé', '€€€', '😀', big, 'x'],
    [big + 'é', '😀' + big, 'ü'],
    Array.from({ length: 5000 }, (_, i) => `- item-${i}: ${'ß'.repeat(i % 7)}\n`),
  ];

  it('encodes to the UTF-8 of the joined text, whatever the runs', () => {
    for (const pieces of cases) {
      const text = pieces.join('');
      expect(contentBytes(pieces).equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(contentLength(pieces)).toBe(text.length);
      expect(contentEquals(text, pieces)).toBe(true);
    }
    expect(contentBytes('a€').equals(Buffer.from('a€', 'utf8'))).toBe(true);
  });
});
