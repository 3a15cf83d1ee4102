import { Document, stringify, visit } from 'yaml';
import { fastYaml } from './fast-yaml.js';
import { writeTags } from './write-tags.js';

/**
 * YAML as Kubernetes tools read it: the YAML 1.1 schema, so strings such as "yes", "on" or "0755"
 * are quoted and stay strings for Go parsers; block style, two-space indent, sequences not
 * indented under their key (as kubectl and kustomize print them), no line folding, no anchors.
 */
export function toYaml(value: unknown): string {
  // The fast emitter writes these same bytes for plain data, and declines what it cannot.
  const fast = fastYaml(value);
  if (fast !== undefined) return fast;
  return libraryYaml(value);
}

/** The `yaml` library's text: the reference the fast emitter is tested against. */
export function libraryYaml(value: unknown): string {
  const text = stringify(value, OPTIONS);
  return YAML11_BREAKS.test(text) ? escapeBreaks(value) : text;
}

const OPTIONS = {
  version: '1.1',
  indent: 2,
  indentSeq: false,
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  customTags: writeTags,
} as const;

/**
 * NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are line breaks in YAML 1.1 (the Go parsers
 * Kubernetes uses fold them into spaces) but characters in YAML 1.2, which the yaml library
 * writes raw. Strings holding one are written double-quoted, with YAML's escapes for them, so the
 * value Kubernetes reads is the value fedc rendered. Rare: checked on the output, O(bytes).
 */
const YAML11_BREAKS = /[\u0085\u2028\u2029]/;
const ESCAPES: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

function escapeBreaks(value: unknown): string {
  const doc = new Document(value, OPTIONS);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_BREAKS.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Only double-quoted scalars hold these characters now, and there the escapes mean them.
  return doc.toString(OPTIONS).replace(/[\u0085\u2028\u2029]/g, (c) => ESCAPES[c]!);
}

/** Serializes each distinct object once, however many clusters share it. */
export class YamlCache {
  get(obj: object): string {
    return yamlOf(obj);
  }
}

/**
 * The YAML of each rendered object, computed once per object instance for the whole process
 * (rendered objects are read-only).
 */
const texts = new WeakMap<object, string>();

export function yamlOf(obj: object): string {
  let s = texts.get(obj);
  if (s === undefined) {
    s = toYaml(obj);
    texts.set(obj, s);
  }
  return s;
}
