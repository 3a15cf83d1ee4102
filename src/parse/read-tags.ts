import type { ScalarTag, Tags } from 'yaml';

/**
 * Plain scalars read as Kubernetes reads them: its YAML reader is go-yaml v2 (under
 * sigs.k8s.io/yaml), which differs from the YAML 1.1 schema of the `yaml` library on numbers and
 * times. go-yaml drops every `_` of a scalar that starts with a digit or a sign, then takes what
 * strconv.ParseInt with base 0 takes (decimal, 0x/0X, 0o/0O, 0b/0B, a leading 0 for octal), else
 * what its float expression matches; `1:20` (sexagesimal) is no number to it, and a timestamp
 * (`2001-12-14t21:59:43.10-05:00`) stays the string written, as decoded into a generic value.
 * So `replicas: 1:20` is refused as Kubernetes refuses it, rather than read as 80, and a
 * timestamp is written back as it was, not as JavaScript's Date prints it.
 */
const RADIX: Record<string, number> = { x: 16, o: 8, b: 2 };

const GO_INT: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?(?:0[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0[oO]_*[0-7][0-7_]*|0[bB]_*[01][01_]*|[0-9][0-9_]*)$/,
  resolve(s) {
    const plain = s.replace(/_/g, '');
    const sign = plain[0] === '-' ? -1 : 1;
    const body = plain[0] === '-' || plain[0] === '+' ? plain.slice(1) : plain;
    const prefix = /^0([xXoObB])/.exec(body)?.[1]?.toLowerCase();
    const radix = prefix ? RADIX[prefix]! : /^0[0-7]+$/.test(body) ? 8 : 10; // "08" is decimal (go-yaml's float path)
    const n = sign * parseInt(prefix ? body.slice(2) : body, radix);
    return n === 0 ? 0 : n; // Go's integers have no -0
  },
};

/** go-yaml's float expression (on the scalar without `_`), and strconv.ParseFloat on one that starts with `.`. */
const GO_FLOAT: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]*[0-9][0-9_]*)(?:[eE][-+]?_*[0-9][0-9_]*)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)$/,
  resolve: (s) => parseFloat(s.replace(/_/g, '')),
};

const YAML_NUMBERS_AND_TIMES = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:timestamp']);

/**
 * The tags fedc reads YAML with (the `yaml` library's customTags, on the 1.1 schema): its
 * integers, floats and timestamps replaced by go-yaml's integers and floats; `.inf` and `.nan`
 * (the same in both) kept.
 */
export function readTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || !YAML_NUMBERS_AND_TIMES.has(t.tag) || (t.test !== undefined && /inf/.test(t.test.source)));
  return [...kept, GO_INT, GO_FLOAT];
}
