import type { ScalarTag, Tags } from 'yaml';

/**
 * Plain scalars that Kubernetes reads as something other than a string (its YAML reader is
 * go-yaml v2, under sigs.k8s.io/yaml) though the YAML 1.1 schema of the `yaml` library reads them
 * as strings: Go's integer literals with a 0o, 0O, 0B or 0X prefix (go-yaml drops every `_`, then
 * strconv.ParseInt with base 0 takes them), and `<<`, a merge key to go-yaml. fedc writes such a
 * string quoted, as it quotes one the 1.1 schema reads otherwise, so kubectl reads the string fedc
 * rendered. As tags that claim them and are never chosen for a value (no identify), they make the
 * `yaml` library quote them (serialize.ts) and fast-yaml.ts's test, built from the same schema.
 */
const GO_YAML_NON_STRINGS: ScalarTag[] = [
  { tag: 'tag:fedc.dev,2026:go-prefixed-int', default: true, test: /^[-+]?0(?:[oO][0-7_]+|[bB][01_]+|[xX][0-9a-fA-F_]+)$/, resolve: (s) => s },
  { tag: 'tag:fedc.dev,2026:go-merge-key', default: true, test: /^<<$/, resolve: (s) => s },
];

/**
 * The tags fedc writes YAML with (the `yaml` library's customTags): the 1.1 schema's, without its
 * merge tag, which writes the string `<<` plain, as a merge key, and with the two above.
 */
export function writeTags(tags: Tags): Tags {
  return [...tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge'), ...GO_YAML_NON_STRINGS];
}
