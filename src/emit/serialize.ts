import { stringify } from 'yaml';

/**
 * YAML as Kubernetes tools read it: the YAML 1.1 schema, so strings such as "yes", "on" or "0755"
 * are quoted and stay strings for Go parsers; block style, two-space indent, sequences not
 * indented under their key (as kubectl and kustomize print them), no line folding, no anchors.
 */
export function toYaml(value: unknown): string {
  return stringify(value, {
    version: '1.1',
    indent: 2,
    indentSeq: false,
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  });
}

/** Serializes each distinct object once, however many clusters share it. */
export class YamlCache {
  private readonly cache = new WeakMap<object, string>();

  get(obj: object): string {
    let s = this.cache.get(obj);
    if (s === undefined) {
      s = toYaml(obj);
      this.cache.set(obj, s);
    }
    return s;
  }
}
