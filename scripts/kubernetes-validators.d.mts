/** Types of scripts/kubernetes-validators.mjs, for the tests that import it. */
export function toCommonJs(id: string, code: string, options?: { positional?: boolean }): string;
