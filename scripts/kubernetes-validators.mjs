// One validator module of the `kubernetes-models` package as the body of a factory
// `function (exports, load, formats)`, for scripts/build-kubernetes-schemas.mjs (which writes
// every factory into dist/kubernetes/schemas.cjs) and for test/kubernetes-validators.test.ts
// (which checks that the rewrite below changes no result and no error).

/** Formats the validators use; src/validate/kubernetes-formats.ts implements each, as Kubernetes reads them. */
const KNOWN_FORMATS = new Set(['byte', 'date-time', 'double', 'int32', 'int64', 'quantity']);

// ------------------------------------------------------------------ validators: ES module -> factory
const IMPORT = /import\{([^}]*)\}from"([^"]*)";?/g;

/**
 * One validator module as the body of `function (exports, load, formats)`: its imports become
 * load(id) calls, and the validators take their context positionally (below; `positional: false`
 * keeps ajv's context objects). Throws on anything unexpected, so a new package version cannot
 * slip through.
 */
export function toCommonJs(id, code, { positional: rewrite = true } = {}) {
  const renames = new Map();
  const head = [];
  let n = 0;
  let body = code.replace(IMPORT, (_m, names, from) => {
    if (from === '@kubernetes-models/validate') {
      if (names.trim() !== 'formats') throw new Error(`${id}: unexpected import {${names}} from ${from}`);
      return '';
    }
    const target = /^\.\/(IoK8s[A-Za-z0-9]+)\.js$/.exec(from)?.[1] ?? /^@kubernetes-models\/apimachinery\/_schemas\/(IoK8s[A-Za-z0-9]+)(\.js)?$/.exec(from)?.[1];
    if (!target) throw new Error(`${id}: unexpected import from ${from}`);
    const mod = `__m${n++}`;
    head.push(`const ${mod}=load(${JSON.stringify(target)});`);
    for (const spec of names.split(',')) {
      const m = /^\s*validate\s+as\s+([A-Za-z0-9_]+)\s*$/.exec(spec);
      if (!m) throw new Error(`${id}: unexpected import {${names}}`);
      // Read at call time: modules may require each other in a cycle (JSONSchemaProps does).
      renames.set(m[1], `${mod}.validate`);
    }
    return '';
  });
  let exported;
  body = body.replace(/export const validate=([A-Za-z0-9_]+);/, (_m, fn) => {
    exported = fn;
    return '';
  });
  if (!exported) throw new Error(`${id}: no "export const validate"`);
  if (/\bimport\b|\bexport\b/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) throw new Error(`${id}: an import or export is left`);
  for (const [from, to] of renames) body = body.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
  for (const m of body.matchAll(/formats(?:\.([A-Za-z0-9_]+)|\["([^"]+)"\])/g)) {
    const f = m[1] ?? m[2];
    if (!KNOWN_FORMATS.has(f)) throw new Error(`${id}: format ${f} has no implementation in src/validate/kubernetes-formats.ts`);
  }
  return `${head.join('')}${rewrite ? positional(id, body) : body}\nexports.validate=${exported};`;
}

// ------------------------------------------------------------------ positional context
/**
 * ajv passes each validator its context as an object, `validate(data, {instancePath, parentData,
 * parentDataProperty, rootData})`, which every call allocates and every validator destructures.
 * Most of a fleet's objects are checked once, by code V8 has not optimized yet, where that costs
 * more than the checks. The same four values are passed positionally instead, in the same order,
 * with the same defaults: `validate(data, instancePath, parentData, parentDataProperty, rootData)`.
 * Only the shapes ajv writes are rewritten, and the build fails if any other is left.
 */
const STR = '"(?:[^"\\\\]|\\\\.)*"';
const ESCAPED_KEY = 'key\\d+\\.replace\\(/~/g,"~0"\\)\\.replace\\(/\\\\\\//g,"~1"\\)';
const CONTEXT_PARAMS = '{instancePath="",parentData,parentDataProperty,rootData=data}={}';
const CONTEXT_PASSED = '{instancePath,parentData,parentDataProperty,rootData}';
const CONTEXT_CALL = new RegExp(
  `\\{instancePath:(instancePath\\+${STR}(?:\\+(?:i\\d+|key\\d+|${ESCAPED_KEY}))?),parentData:(data\\d*),parentDataProperty:(${STR}|i\\d+|key\\d+),rootData\\}`, 'g');

function positional(id, body) {
  const out = body
    .split(CONTEXT_PARAMS).join('instancePath="",parentData,parentDataProperty,rootData=data')
    .split(CONTEXT_PASSED).join('instancePath,parentData,parentDataProperty,rootData')
    .replace(CONTEXT_CALL, '$1,$2,$3,rootData');
  const bare = out.replace(new RegExp(STR, 'g'), '""');
  const left = /parentDataProperty[:}]|rootData\}|\{(?:parentData|instancePath(?:="|,parentData))/.exec(bare);
  if (left) throw new Error(`${id}: a validator context ajv wrote in a shape scripts/kubernetes-validators.mjs does not rewrite: ${bare.slice(Math.max(0, left.index - 60), left.index + 120)}`);
  return out;
}

