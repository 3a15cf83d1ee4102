/**
 * The OpenAPI formats of Kubernetes' schemas, checked as the API server decodes them. The built-in
 * validators (dist/kubernetes/) call `validate`; CRD schemas get the same through ajv. A format
 * Kubernetes does not check is not checked here either.
 */
export interface KubernetesFormat {
  type: 'string' | 'number';
  validate: ((value: never) => boolean) | RegExp;
  /** What the value must be, for a message: "must be <describe>". */
  describe: string;
}

// Go's base64.StdEncoding, as encoding/json decodes a []byte: padded, line breaks ignored.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// k8s.io/apimachinery resource.Quantity: a signed decimal, then a binary SI suffix (Ki .. Ei), a
// decimal SI suffix (n u m k M G T P E) or a decimal exponent (e3, E-6).
const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

// RFC 3339, as metav1.Time parses it.
const DATE_TIME = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/;
const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

const INT32 = 2 ** 31;

export const KUBERNETES_FORMATS: Record<string, KubernetesFormat> = {
  byte: {
    type: 'string',
    validate: (s: string) => BASE64.test(s.replace(/[\r\n]/g, '')),
    describe: 'base64-encoded',
  },
  int32: {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
    describe: `a 32-bit integer (-${INT32} to ${INT32 - 1})`,
  },
  // Integers beyond 2^53 are refused when the YAML is read (FEDC1008).
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n), describe: 'a 64-bit integer' },
  double: { type: 'number', validate: () => true, describe: 'a number' },
  float: { type: 'number', validate: () => true, describe: 'a number' },
  quantity: {
    type: 'string',
    validate: QUANTITY,
    describe: 'a quantity, such as 500m, 2Gi, 1.5 or 1e3',
  },
  'date-time': {
    type: 'string',
    validate: (s: string) => DATE_TIME.test(s),
    describe: 'an RFC 3339 date and time, such as 2024-05-01T12:00:00Z',
  },
  date: { type: 'string', validate: (s: string) => DATE.test(s), describe: 'a date, such as 2024-05-01' },
};
