/** A JSON value as stored in audit events. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * RFC 8785 JSON Canonicalization Scheme: object keys sorted by UTF-16 code units, no white
 * space, numbers in ECMAScript shortest form, strings escaped as JSON.stringify does (which
 * is what RFC 8785 prescribes). Undefined object members are omitted, as in JSON.
 */
export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((item) => canonicalize(item ?? null)).join(',')}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        // A Date or class instance would silently become {}: snapshots must be plain JSON.
        throw new TypeError('Only plain objects can be canonicalized');
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        // Default sort compares UTF-16 code units, exactly as RFC 8785 requires.
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalize(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`Cannot canonicalize a ${typeof value}`);
  }
}
