import type { NodePath } from '../parse/parsed-document.js';

type Obj = Record<string, unknown>;

export const INGRESS_V1 = 'networking.k8s.io/v1';

/** What one conversion did; several changes of one kind make one line of a diagnostic. */
export type IngressChangeKind =
  /** spec.backend renamed spec.defaultBackend */
  | 'defaultBackend'
  /** backend.serviceName -> backend.service.name */
  | 'serviceName'
  /** backend.servicePort (an integer) -> backend.service.port.number */
  | 'servicePortNumber'
  /** backend.servicePort (a string) -> backend.service.port.name */
  | 'servicePortName'
  /** pathType: ImplementationSpecific added to a paths[] item */
  | 'pathType';

export interface IngressChange {
  kind: IngressChangeKind;
  /**
   * Where, in the input object: the extensions/v1beta1 key (['spec', 'backend'], or
   * [..., 'backend', 'serviceName']), or the paths[] item that had no pathType.
   */
  path: NodePath;
}

/** A body that no API server accepts in either version; left as written. */
export interface IngressProblem {
  /** In the input object: the offending key. */
  path: NodePath;
  message: string;
  hint?: string;
}

export interface IngressConversion {
  /** The converted object, or the input itself when nothing needed converting. */
  object: Obj;
  /** In document order. Empty when nothing was converted. */
  changes: IngressChange[];
  problems: IngressProblem[];
}

/** Whether a rendered object is a networking.k8s.io/v1 Ingress: the only objects to convert. */
export function isV1Ingress(obj: Obj): boolean {
  return obj.kind === 'Ingress' && obj.apiVersion === INGRESS_V1;
}

/**
 * Converts the extensions/v1beta1 (or networking.k8s.io/v1beta1) fields of an Ingress body to
 * networking.k8s.io/v1, as the API server converts a v1beta1 object it is sent: spec.backend
 * becomes spec.defaultBackend; in it and in every spec.rules[].http.paths[].backend, serviceName
 * becomes service.name and servicePort service.port.number (an integer) or service.port.name (a
 * string: an IntOrString keeps its type); a paths[] item without pathType gets
 * ImplementationSpecific, v1beta1's default. `resource` backends and v1 fields are kept, so the
 * conversion is idempotent. Converted keys take the place of the old ones.
 *
 * The input is never mutated (rendered objects are shared between clusters): what changes is
 * copied, the rest is shared with the input. A backend or spec that mixes both versions' fields,
 * or has a servicePort no API server accepts, is left as written and reported in `problems`.
 * The caller decides which objects to convert (see isV1Ingress).
 */
export function convertIngressToV1(obj: Obj): IngressConversion {
  const changes: IngressChange[] = [];
  const problems: IngressProblem[] = [];
  const spec = convertSpec(obj.spec, ['spec'], changes, problems);
  if (spec === obj.spec) return { object: obj, changes, problems };
  return { object: replaceValue(obj, 'spec', spec), changes, problems };
}

function convertSpec(spec: unknown, at: NodePath, changes: IngressChange[], problems: IngressProblem[]): unknown {
  if (!isObj(spec)) return spec;
  const both = Object.hasOwn(spec, 'backend') && Object.hasOwn(spec, 'defaultBackend');
  let changed = false;
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'backend') {
      if (both) {
        problems.push({
          path: [...at, 'backend'],
          message: 'spec has both backend (extensions/v1beta1) and defaultBackend (networking.k8s.io/v1): a networking.k8s.io/v1 API server rejects backend as an unknown field, or drops it',
          hint: 'keep only defaultBackend',
        });
        out.push([k, v]);
        continue;
      }
      changes.push({ kind: 'defaultBackend', path: [...at, 'backend'] });
      out.push(['defaultBackend', convertBackend(v, [...at, 'backend'], changes, problems)]);
      changed = true;
    } else if (k === 'defaultBackend') {
      const b = convertBackend(v, [...at, k], changes, problems);
      changed ||= b !== v;
      out.push([k, b]);
    } else if (k === 'rules') {
      const rules = convertRules(v, [...at, k], changes, problems);
      changed ||= rules !== v;
      out.push([k, rules]);
    } else {
      out.push([k, v]);
    }
  }
  return changed ? Object.fromEntries(out) : spec;
}

function convertRules(rules: unknown, at: NodePath, changes: IngressChange[], problems: IngressProblem[]): unknown {
  if (!Array.isArray(rules)) return rules;
  let changed = false;
  const out = rules.map((rule: unknown, i) => {
    if (!isObj(rule) || !isObj(rule.http) || !Array.isArray(rule.http.paths)) return rule;
    const paths = rule.http.paths as unknown[];
    let pathsChanged = false;
    const newPaths = paths.map((item, j) => {
      const c = convertPath(item, [...at, i, 'http', 'paths', j], changes, problems);
      pathsChanged ||= c !== item;
      return c;
    });
    if (!pathsChanged) return rule;
    changed = true;
    return replaceValue(rule, 'http', replaceValue(rule.http, 'paths', newPaths));
  });
  return changed ? out : rules;
}

function convertPath(item: unknown, at: NodePath, changes: IngressChange[], problems: IngressProblem[]): unknown {
  if (!isObj(item)) return item;
  // A Go nil pointer: absent and null are both defaulted.
  const defaultPathType = item.pathType === undefined || item.pathType === null;
  if (defaultPathType) changes.push({ kind: 'pathType', path: at });
  const backend = Object.hasOwn(item, 'backend') ? convertBackend(item.backend, [...at, 'backend'], changes, problems) : item.backend;
  if (!defaultPathType && backend === item.backend) return item;
  const out: [string, unknown][] = [];
  // pathType goes where it was (null), else after path (v1's order: path, pathType, backend), else first.
  const insertPathType = defaultPathType && !Object.hasOwn(item, 'pathType');
  if (insertPathType && !Object.hasOwn(item, 'path')) out.push(['pathType', 'ImplementationSpecific']);
  for (const [k, v] of Object.entries(item)) {
    out.push([k, k === 'pathType' && defaultPathType ? 'ImplementationSpecific' : k === 'backend' ? backend : v]);
    if (k === 'path' && insertPathType) out.push(['pathType', 'ImplementationSpecific']);
  }
  return Object.fromEntries(out);
}

function convertBackend(backend: unknown, at: NodePath, changes: IngressChange[], problems: IngressProblem[]): unknown {
  if (!isObj(backend)) return backend;
  // In document order.
  const present = Object.keys(backend).filter((k) => k === 'serviceName' || k === 'servicePort');
  if (present.length === 0) return backend;
  const first = [...at, present[0]!];
  const problem = (path: NodePath, message: string, hint?: string) => {
    problems.push(hint ? { path, message, hint } : { path, message });
    return backend;
  };
  if (Object.hasOwn(backend, 'service')) {
    return problem(first,
      `a backend has both service (networking.k8s.io/v1) and ${present.join('/')} (extensions/v1beta1): a networking.k8s.io/v1 API server rejects ${present.join(' and ')} as ${present.length > 1 ? 'unknown fields, or drops them' : 'an unknown field, or drops it'}`,
      'keep only service');
  }
  if (Object.hasOwn(backend, 'resource')) {
    return problem(first, `a backend has both resource and ${present.join('/')}: the API server accepts one of them, not both`);
  }
  const name = backend.serviceName ?? '';
  const port = backend.servicePort ?? null;
  const namePath = [...at, 'serviceName'];
  const portPath = [...at, 'servicePort'];
  if (typeof name !== 'string') return problem(namePath, `serviceName must be a string, not ${describe(name)}`);
  let portField: Obj | undefined;
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) {
      return problem(portPath,
        `servicePort "${port}" is a string, so the API server reads it as a port name, and a port name must contain a letter`,
        `write the number without quotes: servicePort: ${Number(port)}`);
    }
    if (port !== '') portField = { name: port };
  } else if (typeof port === 'number' && Number.isInteger(port)) {
    if (port !== 0) portField = { number: port };
  } else if (port !== null) {
    return problem(portPath, `servicePort must be a port number or a port name, not ${describe(port)}`);
  }
  if (name === '' && portField === undefined) {
    return problem(first, 'a backend with neither a serviceName nor a servicePort: the API server requires a service or a resource');
  }
  if (portField === undefined && port !== null) {
    return problem(portPath, `servicePort ${describe(port)} is not a port: the API server requires a port number or name`);
  }
  if (portField === undefined) {
    return problem(Object.hasOwn(backend, 'servicePort') ? portPath : namePath,
      `backend of service ${name} has no servicePort: the API server requires the port`, 'add servicePort: <number or name>');
  }
  if (name === '') {
    return problem(Object.hasOwn(backend, 'serviceName') ? namePath : portPath,
      'a backend has a servicePort but no serviceName: the API server requires the service name', 'add serviceName: <service>');
  }
  for (const k of present) {
    const kind: IngressChangeKind = k === 'serviceName' ? 'serviceName' : portField.number !== undefined ? 'servicePortNumber' : 'servicePortName';
    changes.push({ kind, path: [...at, k] });
  }
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(backend)) {
    if (k !== 'serviceName' && k !== 'servicePort') out.push([k, v]);
    else if (!out.some(([key]) => key === 'service')) out.push(['service', { name, port: portField }]);
  }
  return Object.fromEntries(out);
}

/** Lines of a diagnostic naming what was converted, in a fixed order. */
export function describeChanges(kinds: Iterable<IngressChangeKind>): string {
  const set = new Set(kinds);
  const parts: string[] = [];
  if (set.has('defaultBackend')) parts.push('spec.backend -> spec.defaultBackend');
  const number = set.has('servicePortNumber');
  const portName = set.has('servicePortName');
  const from = [set.has('serviceName') ? 'serviceName' : '', number || portName ? 'servicePort' : ''].filter(Boolean);
  const to = [set.has('serviceName') ? 'name' : '', number && portName ? 'port' : number ? 'port.number' : portName ? 'port.name' : ''].filter(Boolean);
  if (from.length > 0) parts.push(`backend.${from.join('/')} -> backend.service.${to.join('/')}`);
  if (set.has('pathType')) parts.push('pathType ImplementationSpecific added');
  return parts.join(', ');
}

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  return Array.isArray(v) ? 'a list' : 'a map';
}

/** A copy of `obj` with one key's value replaced, keys in the same order. */
function replaceValue(obj: Obj, key: string, value: unknown): Obj {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === key ? value : v]));
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
