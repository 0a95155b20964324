/** A JSON value as stored in audit events. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Why a string cannot be part of a canonical form, or undefined when it can. RFC 8785 works on
 * well-formed Unicode (I-JSON), so a lone UTF-16 surrogate has no canonical form; and
 * PostgreSQL's text and jsonb cannot store U+0000, so an event holding one could never be
 * stored as it was hashed, and so could never verify.
 */
export function illFormedString(text: string): string | undefined {
  if (!text.isWellFormed()) return 'a lone UTF-16 surrogate';
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  return undefined;
}

/** A short, escaped excerpt of untrusted text for an error message (never raw control codes). */
export function excerpt(text: string, length = 40): string {
  const cut = text.length > length ? `${text.slice(0, length)}...` : text;
  return JSON.stringify(cut);
}

/** Characters a canonical string escapes (or refuses): without them it is written as it is. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as RFC 8785 writes it: JSON.stringify's escapes, which are exactly the RFC's. */
function canonicalString(text: string, what: string): string {
  // Most strings need no escape, so they are written without the checks or JSON.stringify.
  if (!NEEDS_CARE.test(text)) return `"${text}"`;
  const problem = illFormedString(text);
  if (problem)
    throw new TypeError(`Cannot canonicalize ${what} holding ${problem}: ${excerpt(text)}`);
  return JSON.stringify(text);
}

/**
 * RFC 8785 JSON Canonicalization Scheme: object keys sorted by UTF-16 code units, no white
 * space, numbers in ECMAScript shortest form, strings escaped as JSON.stringify does (which
 * is what RFC 8785 prescribes). Undefined object members are omitted, as in JSON. Refuses,
 * with a TypeError, what has no canonical form: NaN and Infinity, lone surrogates, NUL (see
 * illFormedString), and anything but plain JSON data.
 *
 * Written as loops that append to one string, without intermediate arrays: the audit log
 * canonicalizes every event it writes and every event it verifies.
 */
export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return canonicalString(value, 'a string');
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('JSON has no NaN or Infinity');
      // Number::toString, which is also what JSON.stringify writes (-0 becomes 0).
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value);
    default:
      throw new TypeError(`Cannot canonicalize a ${typeof value}`);
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    // As in JSON, an undefined item (or a hole) is written as null.
    out += canonicalize(items[i] ?? null);
  }
  return out + ']';
}

function canonicalObject(value: object): string {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    // A Date or class instance would silently become {}: snapshots must be plain JSON.
    throw new TypeError('Only plain objects can be canonicalized');
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, exactly as RFC 8785 requires.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += canonicalString(key, 'an object key');
    out += ':';
    out += canonicalize(member);
  }
  return out + '}';
}
