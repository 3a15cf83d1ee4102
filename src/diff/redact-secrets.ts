type Obj = Record<string, unknown>;

const SECRET_FIELDS = ['data', 'stringData'] as const;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function isSecret(o: { apiVersion: string; kind: string }): boolean {
  return o.kind === 'Secret' && o.apiVersion === 'v1';
}

/** What a diff may show of a Secret's value: nothing but whether it changed. */
export const REDACTED = '(redacted)';
export const REDACTED_CHANGED = '(redacted, changed)';

export interface SecretKeys {
  added: string[];
  removed: string[];
  changed: string[];
}

/**
 * The two sides of a Secret with every value of `data` and `stringData` replaced: the same
 * placeholder on both sides where the value is the same, a different one on the new side where it
 * changed. A unified diff of the results shows which keys came, went or changed, never a value,
 * plain or base64. Either side may be missing (an added or removed Secret).
 */
export function redactSecretPair(before: Obj | undefined, after: Obj | undefined): { before?: Obj; after?: Obj; keys: SecretKeys } {
  const keys: SecretKeys = { added: [], removed: [], changed: [] };
  const redact = (side: Obj | undefined, other: Obj | undefined, isAfter: boolean): Obj | undefined => {
    if (!side) return undefined;
    const out: Obj = { ...side };
    for (const field of SECRET_FIELDS) {
      const values = side[field];
      if (!isObj(values)) {
        if (values !== undefined && values !== null) out[field] = REDACTED;
        continue;
      }
      const others = isObj(other?.[field]) ? (other![field] as Obj) : {};
      const red: Obj = {};
      for (const [k, v] of Object.entries(values)) {
        const changed = isAfter && other !== undefined && Object.hasOwn(others, k) && JSON.stringify(others[k]) !== JSON.stringify(v);
        red[k] = changed ? REDACTED_CHANGED : REDACTED;
        if (isAfter && other !== undefined) {
          if (!Object.hasOwn(others, k)) keys.added.push(`${field}.${k}`);
          else if (changed) keys.changed.push(`${field}.${k}`);
        }
        if (!isAfter && other !== undefined && !Object.hasOwn(others, k)) keys.removed.push(`${field}.${k}`);
      }
      out[field] = red;
    }
    return out;
  };
  const b = redact(before, after, false);
  const a = redact(after, before, true);
  for (const l of Object.values(keys)) l.sort();
  return { ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), keys };
}
