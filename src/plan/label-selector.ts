import { checkLabelKey, checkLabelValue } from '../check/names.js';
import type { LabelSelector, Labels } from '../model/inputs.js';

/** A compiled selector; `nothing` is apimachinery's labels.Nothing() (a nil selector). */
export type Matcher = (labels: Labels) => boolean;

export interface SelectorProblem {
  /** Path below the selector, e.g. ['matchExpressions', 0, 'values'] */
  path: (string | number)[];
  /** Point at the map key (a bad label key), not its value. */
  atKey?: boolean;
  message: string;
}

/**
 * metav1.LabelSelectorAsSelector: nil selects nothing, an empty selector selects everything,
 * otherwise every matchLabels pair and every expression must hold.
 */
export function compileSelector(selector: LabelSelector | null): { matcher: Matcher; problems: SelectorProblem[] } {
  if (selector === null) return { matcher: () => false, problems: [] };
  const problems: SelectorProblem[] = [];
  const tests: Matcher[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = checkLabelKey(key);
    if (keyProblem) problems.push({ path: ['matchLabels', key], atKey: true, message: keyProblem });
    const valueProblem = checkLabelValue(value);
    if (valueProblem) problems.push({ path: ['matchLabels', key], message: valueProblem });
    tests.push((l) => Object.hasOwn(l, key) && l[key] === value);
  }
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const values = e.values ?? [];
    const keyProblem = checkLabelKey(e.key);
    if (keyProblem) problems.push({ path: ['matchExpressions', i, 'key'], message: keyProblem });
    switch (e.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) {
          // point at `values: []` when it is there, else at the operator that needs it
          const at = e.values == null ? 'operator' : 'values';
          problems.push({ path: ['matchExpressions', i, at], message: `operator ${e.operator} needs at least one value` });
        }
        values.forEach((v, j) => {
          const p = checkLabelValue(v);
          if (p) problems.push({ path: ['matchExpressions', i, 'values', j], message: p });
        });
        const set = new Set(values);
        tests.push(e.operator === 'In' ? (l) => Object.hasOwn(l, e.key) && set.has(l[e.key]!) : (l) => !Object.hasOwn(l, e.key) || !set.has(l[e.key]!));
        break;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          problems.push({ path: ['matchExpressions', i, 'values'], message: `operator ${e.operator} takes no values` });
        }
        tests.push(e.operator === 'Exists' ? (l) => Object.hasOwn(l, e.key) : (l) => !Object.hasOwn(l, e.key));
        break;
      default:
        problems.push({ path: ['matchExpressions', i, 'operator'], message: `"${e.operator}" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)` });
    }
  });
  return { matcher: (labels) => tests.every((t) => t(labels)), problems };
}
