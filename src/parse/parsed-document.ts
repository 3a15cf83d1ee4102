import { isScalar } from 'yaml';
import { readTags } from './read-tags.js';

/** A YAML document of an input file, as a plain JS value with where it came from. */
export interface ParsedDocument {
  file: string;
  /** 0-based index of the document within its file. */
  index: number;
  /** 1-based line where the document starts: a cheap position for whole-document diagnostics. */
  line: number;
  value: unknown;
}

/** A path into a document: map keys and sequence indexes. */
export type NodePath = readonly (string | number)[];

export function formatPath(p: NodePath): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * How fedc reads YAML: the 1.1 schema, as kubectl and the Kubernetes API machinery read it (so
 * `yes` is a boolean, as kubectl would apply it), with go-yaml's numbers (read-tags.ts),
 * duplicate keys refused. The library's own warnings are silenced: what matters becomes a
 * diagnostic, and nothing raw reaches stderr.
 */
export const YAML_OPTIONS = { version: '1.1', customTags: readTags, uniqueKeys: sameKey, strict: true, prettyErrors: false, logLevel: 'error' } as const;

/**
 * Two map keys are one when Kubernetes makes the same string of them (sigs.k8s.io/yaml turns
 * `1`, `true` and `"1"`, `"true"` into one JSON key, and which value wins is Go's map order): so
 * `1: a` beside `"1": b` is a duplicate key, as `a` beside `a` is.
 */
function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return isScalar(a) && isScalar(b) && String(a.value) === String(b.value);
}
