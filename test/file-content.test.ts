import { describe, expect, it } from 'vitest';
import { contentBytes, contentEquals, contentLength } from '../src/emit/file-content.js';

describe('file content as pieces', () => {
  // Pieces with characters of every UTF-8 length (and a surrogate pair) on both sides of each
  // boundary, some of them a megabyte long, and pieces built by concatenation (not flat).
  const big = 'a'.repeat((1 << 20) - 3);
  const cases: string[][] = [
    [],
    [''],
    ['plain'],
    ['ü', '€', '😀', ''],
    [big, 'éé', '€€€', '😀', big, 'x'],
    [big + 'é', '😀' + big, 'ü'],
    Array.from({ length: 5000 }, (_, i) => `- item-${i}: ${'ß'.repeat(i % 7)}\n`),
    Array.from({ length: 50 }, (_, i) => `---\n# Source: namespaces/ü-${i}/app.yaml\n` + 'kind: ConfigMap\n'.repeat(i)),
  ];

  it('encodes to the UTF-8 of the joined text', () => {
    for (const pieces of cases) {
      const text = pieces.join('');
      expect(contentBytes(pieces).equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(contentLength(pieces)).toBe(text.length);
      expect(contentEquals(text, pieces)).toBe(true);
    }
    expect(contentBytes('a€').equals(Buffer.from('a€', 'utf8'))).toBe(true);
  });
});
