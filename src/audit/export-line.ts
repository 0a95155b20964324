import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import {
  AuditEventView,
  EVENT_LAYOUT,
  FieldLayout,
  RecordLayout,
  canonicalEvent,
  canonicalFields,
  exportedEvent,
} from './audit-event';
import { excerpt, illFormedString } from './canonical-json';
import { ChainLinks } from './chain-verifier';
import { leafHash } from './merkle';

/**
 * One line of the NDJSON export, read without trusting it. Either an event exactly as the
 * export writes it (RFC 8785 canonical, exactly the event's fields, well-typed), with
 * whether its content matches its hash; or refused, with why, and its seq and links when
 * those are readable so that the chain can still be followed past it.
 */
export type ExportLine =
  | { readonly kind: 'event'; readonly links: ChainLinks; readonly contentMatches: boolean }
  | { readonly kind: 'refused'; readonly links: ChainLinks | undefined; readonly problem: string };

/**
 * Reads one line of the export, as its UTF-8 bytes or as text, without its line feed.
 * Never throws. The bytes are what was hashed, so a line is read and hashed as bytes,
 * without decoding it, unless something is wrong with it.
 */
export function readExportLine(line: Buffer | string): ExportLine {
  if (typeof line === 'string') {
    // UTF-8 cannot carry a lone surrogate: such text is refused before it is encoded.
    if (!line.isWellFormed()) return diagnose(line);
    line = Buffer.from(line, 'utf8');
  }
  const members = scanEvent(line);
  if (!members) {
    if (!isUtf8(line)) return refused('is not valid UTF-8');
    return diagnose(line.toString('utf8'));
  }
  const hash = line.toString('latin1', members.hashValue + 1, members.hashValue + 65);
  return {
    kind: 'event',
    links: {
      seq: members.seq,
      prevHash: line.toString('latin1', members.prevHashValue + 1, members.prevHashValue + 65),
      hash,
    },
    // The hash member is neither first nor last, so cutting it out (with its leading
    // comma) leaves the canonical form of the other fields, which is what was hashed.
    contentMatches: leafHashWithout(line, members.hashStart, members.hashEnd) === hash,
  };
}

/** Reused for every line (up to its size): the bytes a leaf hash covers. */
const scratch = Buffer.allocUnsafe(256 * 1024);

/**
 * leafHash() of `bytes` with bytes cut..resume left out, SHA-256(0x00 || the rest), copied
 * once into a reused buffer instead of concatenated per line.
 */
function leafHashWithout(bytes: Buffer, cut: number, resume: number): string {
  const length = 1 + cut + (bytes.length - resume);
  // A rare huge event gets a buffer of its own, so memory does not stay at its size.
  const input = length <= scratch.length ? scratch : Buffer.allocUnsafe(length);
  input[0] = 0x00;
  bytes.copy(input, 1, 0, cut);
  bytes.copy(input, 1 + cut, resume);
  return hash('sha256', input.subarray(0, length));
}

// ---------------------------------------------------------------------------------------
// The fast reader: recognises an event line exactly as the export writes it, byte by byte,
// without decoding it or building any object. It only ever says "this is such a line" or
// "no"; every "no" goes to diagnose(), which is the reference: it parses the line, explains
// what is wrong, and still accepts a line the fast reader was too cautious about (one nested
// deeper than MAX_DEPTH). A test checks both against each other on many mangled lines.
//
// Outside strings a canonical line is ASCII; inside them, any UTF-8 but raw `"`, `\` and
// controls. The reader checks the UTF-8 itself, so bytes it accepts decode exactly.

/** Returned by a scan step that does not match. Every step passes it through. */
const FAIL = -1;
/** Nesting the fast reader follows; deeper values go the slow way (and bound recursion). */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/** A scan step: from index i, the index just after what it matched, or FAIL. */
type Scan = (bytes: Buffer, i: number) => number;

/** `expected` (ASCII) at i. */
function literal(bytes: Buffer, i: number, expected: string): number {
  if (i < 0 || i + expected.length > bytes.length) return FAIL;
  for (let k = 0; k < expected.length; k++)
    if (bytes[i + k] !== expected.charCodeAt(k)) return FAIL;
  return i + expected.length;
}

const isLowerHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
const isContinuation = (c: number) => c >= 0x80 && c <= 0xbf;

/**
 * A string as JSON.stringify (and so RFC 8785) writes it, holding nothing refused: raw
 * characters except `"`, `\` and controls; the short escapes; `\u00xx` (lowercase) for the
 * other controls but U+0000. Lone surrogates (which JSON.stringify escapes) are refused;
 * UTF-8 cannot encode them raw.
 */
function stringEnd(bytes: Buffer, i: number): number {
  if (i < 0 || bytes[i] !== QUOTE) return FAIL;
  const length = bytes.length;
  for (i += 1; i < length; i++) {
    const c = bytes[i];
    if (c >= 0x20 && c < 0x80) {
      if (c === QUOTE) return i + 1;
      if (c !== BACKSLASH) continue;
      const e = bytes[i + 1];
      if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72) {
        i += 1; // \" \\ \b \f \n \r
      } else if (e === 0x74) {
        i += 1; // \t
      } else if (e === 0x75 && bytes[i + 2] === 0x30 && bytes[i + 3] === 0x30) {
        const high = bytes[i + 4];
        const low = bytes[i + 5];
        if ((high !== 0x30 && high !== 0x31) || !isLowerHex(low)) return FAIL;
        const code = (high - 0x30) * 16 + (low <= 0x39 ? low - 0x30 : low - 0x57);
        // U+0000 is refused; \b \t \n \f \r have short forms, which are the canonical ones.
        if (code === 0 || code === 8 || code === 9 || code === 10 || code === 12 || code === 13)
          return FAIL;
        i += 5;
      } else {
        return FAIL;
      }
    } else if (c < 0x20) {
      return FAIL;
    } else {
      const next = utf8SequenceEnd(bytes, i);
      if (next < 0) return FAIL;
      i = next - 1;
    }
  }
  return FAIL;
}

/** The end of the well-formed multi-byte UTF-8 sequence at i (RFC 3629 table), or FAIL. */
function utf8SequenceEnd(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  const second = bytes[i + 1];
  if (lead >= 0xc2 && lead <= 0xdf) return isContinuation(second) ? i + 2 : FAIL;
  if (lead >= 0xe0 && lead <= 0xef) {
    // E0 must not be overlong; ED must not encode a surrogate.
    const low = lead === 0xe0 ? 0xa0 : 0x80;
    const high = lead === 0xed ? 0x9f : 0xbf;
    return second >= low && second <= high && isContinuation(bytes[i + 2]) ? i + 3 : FAIL;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    // F0 must not be overlong; F4 must not go beyond U+10FFFF.
    const low = lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xf4 ? 0x8f : 0xbf;
    return second >= low &&
      second <= high &&
      isContinuation(bytes[i + 2]) &&
      isContinuation(bytes[i + 3])
      ? i + 4
      : FAIL;
  }
  return FAIL;
}

/** A number exactly as ECMAScript writes it (Number::toString), finite. */
function numberEnd(bytes: Buffer, i: number): number {
  let end = i;
  for (; end < bytes.length; end++) {
    const c = bytes[end];
    // digits, + - . e: every character a canonical number can hold
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65)) break;
  }
  const token = bytes.toString('latin1', i, end);
  const value = Number(token);
  return Number.isFinite(value) && String(value) === token ? end : FAIL;
}

/**
 * Whether the key at a..aEnd sorts strictly before the key at b..bEnd (both with their
 * quotes), comparing the strings by UTF-16 code units as RFC 8785 does. Byte order of UTF-8
 * is code point order, which differs from it only between U+E000..U+FFFF (lead byte EE or
 * EF) and U+10000 and above (F0..F4, surrogate pairs in UTF-16); escaped keys are decoded.
 */
function keyBefore(bytes: Buffer, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (holdsEscape(bytes, a, aEnd) || holdsEscape(bytes, b, bEnd)) {
    const keyA = JSON.parse(bytes.toString('utf8', a, aEnd)) as string;
    const keyB = JSON.parse(bytes.toString('utf8', b, bEnd)) as string;
    return keyA < keyB;
  }
  const aLength = aEnd - a;
  const bLength = bEnd - b;
  for (let k = 1; k < aLength - 1 && k < bLength - 1; k++) {
    const x = bytes[a + k];
    const y = bytes[b + k];
    if (x === y) continue;
    const xHigh = x === 0xee || x === 0xef;
    const yHigh = y === 0xee || y === 0xef;
    if ((xHigh && y >= 0xf0) || (yHigh && x >= 0xf0)) return x > y;
    return x < y;
  }
  return aLength < bLength;
}

function holdsEscape(bytes: Buffer, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (bytes[k] === BACKSLASH) return true;
  return false;
}

function objectEnd(bytes: Buffer, i: number, depth: number): number {
  if (depth > MAX_DEPTH) return FAIL;
  i += 1;
  if (bytes[i] === 0x7d) return i + 1;
  let previousKey = -1;
  let previousKeyEnd = -1;
  for (;;) {
    const keyEnd = stringEnd(bytes, i);
    if (keyEnd < 0) return FAIL;
    // Strictly ascending: sorted, and no key twice.
    if (previousKey >= 0 && !keyBefore(bytes, previousKey, previousKeyEnd, i, keyEnd)) return FAIL;
    previousKey = i;
    previousKeyEnd = keyEnd;
    if (bytes[keyEnd] !== COLON) return FAIL;
    i = valueEnd(bytes, keyEnd + 1, depth);
    if (i < 0) return FAIL;
    const c = bytes[i];
    if (c === 0x7d) return i + 1;
    if (c !== COMMA) return FAIL;
    i += 1;
  }
}

function arrayEnd(bytes: Buffer, i: number, depth: number): number {
  if (depth > MAX_DEPTH) return FAIL;
  i += 1;
  if (bytes[i] === 0x5d) return i + 1;
  for (;;) {
    i = valueEnd(bytes, i, depth);
    if (i < 0) return FAIL;
    const c = bytes[i];
    if (c === 0x5d) return i + 1;
    if (c !== COMMA) return FAIL;
    i += 1;
  }
}

/** Any JSON value in canonical form. */
function valueEnd(bytes: Buffer, i: number, depth: number): number {
  if (i < 0) return FAIL;
  const c = bytes[i];
  if (c === QUOTE) return stringEnd(bytes, i);
  if (c === 0x7b) return objectEnd(bytes, i, depth + 1);
  if (c === 0x5b) return arrayEnd(bytes, i, depth + 1);
  if (c === 0x74) return literal(bytes, i, 'true');
  if (c === 0x66) return literal(bytes, i, 'false');
  if (c === 0x6e) return literal(bytes, i, 'null');
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return numberEnd(bytes, i);
  return FAIL;
}

function hashEnd(bytes: Buffer, i: number): number {
  if (i < 0 || bytes[i] !== QUOTE) return FAIL;
  for (let k = i + 1; k <= i + 64; k++) if (!isLowerHex(bytes[k])) return FAIL;
  return bytes[i + 65] === QUOTE ? i + 66 : FAIL;
}

function seqEnd(bytes: Buffer, i: number): number {
  if (i < 0) return FAIL;
  let end = i;
  while (bytes[end] >= 0x30 && bytes[end] <= 0x39) end += 1;
  // No leading zero, at least one digit, and a safe integer (no more than 16 digits).
  if (end === i || end - i > 16 || bytes[i] === 0x30) return FAIL;
  return Number.isSafeInteger(Number(bytes.toString('latin1', i, end))) ? end : FAIL;
}

const stringOrNullEnd: Scan = (bytes, i) =>
  bytes[i] === 0x6e ? literal(bytes, i, 'null') : stringEnd(bytes, i);
const jsonEnd: Scan = (bytes, i) => valueEnd(bytes, i, 0);

/** Each field of a layout as its canonical form writes it: `{"name":` or `,"name":`, then its value. */
function memberSteps(layout: RecordLayout): { field: string; prefix: string; scan: Scan }[] {
  return canonicalFields(layout).map(([field, fieldLayout], n) => ({
    field,
    prefix: `${n === 0 ? '{' : ','}${JSON.stringify(field)}:`,
    scan: scannerFor(fieldLayout),
  }));
}

function recordScanner(layout: RecordLayout): Scan {
  const steps = memberSteps(layout);
  return (bytes, i) => {
    for (const step of steps) i = step.scan(bytes, literal(bytes, i, step.prefix));
    return literal(bytes, i, '}');
  };
}

function scannerFor(layout: FieldLayout): Scan {
  if (typeof layout === 'string') {
    switch (layout) {
      case 'string':
        return stringEnd;
      case 'string or null':
        return stringOrNullEnd;
      case 'json':
        return jsonEnd;
      case 'hash':
        return hashEnd;
      case 'seq':
        return seqEnd;
    }
  }
  if ('record' in layout) return recordScanner(layout.record);
  const item = recordScanner(layout.listOf);
  return (bytes, i) => {
    i = literal(bytes, i, '[');
    if (i < 0) return FAIL;
    if (bytes[i] === 0x5d) return i + 1;
    for (;;) {
      i = item(bytes, i);
      if (i < 0) return FAIL;
      const c = bytes[i];
      if (c === 0x5d) return i + 1;
      if (c !== COMMA) return FAIL;
      i += 1;
    }
  };
}

const EVENT_STEPS = memberSteps(EVENT_LAYOUT);
const HASH = EVENT_STEPS.findIndex((step) => step.field === 'hash');
const PREV_HASH = EVENT_STEPS.findIndex((step) => step.field === 'prevHash');
const SEQ = EVENT_STEPS.findIndex((step) => step.field === 'seq');
if (HASH <= 0 || HASH === EVENT_STEPS.length - 1)
  throw new Error('readExportLine cuts the hash member out from between two others');

/** Where the parts of an event line the chain needs are, when it is exactly as exported. */
interface EventLineParts {
  /** The hash member, from its comma to its closing quote (exclusive). */
  hashStart: number;
  hashEnd: number;
  /** The opening quotes of the hash and prevHash values. */
  hashValue: number;
  prevHashValue: number;
  seq: number;
}

function scanEvent(bytes: Buffer): EventLineParts | undefined {
  const parts: EventLineParts = {
    hashStart: 0,
    hashEnd: 0,
    hashValue: 0,
    prevHashValue: 0,
    seq: 0,
  };
  let i = 0;
  for (let n = 0; n < EVENT_STEPS.length; n++) {
    const step = EVENT_STEPS[n];
    const start = i;
    const value = literal(bytes, i, step.prefix);
    i = step.scan(bytes, value);
    if (i < 0) return undefined;
    if (n === HASH) {
      parts.hashStart = start;
      parts.hashEnd = i;
      parts.hashValue = value;
    } else if (n === PREV_HASH) {
      parts.prevHashValue = value;
    } else if (n === SEQ) {
      parts.seq = Number(bytes.toString('latin1', value, i));
    }
  }
  return literal(bytes, i, '}') === bytes.length ? parts : undefined;
}

// ---------------------------------------------------------------------------------------
// The reference: parses the line and says what is wrong with it, first things first.

const HEX64 = /^[0-9a-f]{64}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function refused(problem: string, links?: ChainLinks): ExportLine {
  return { kind: 'refused', links, problem };
}

/** seq, prevHash and hash of a parsed line, when all three are well-formed. */
function linksOf(value: Record<string, unknown>): ChainLinks | undefined {
  const { seq, prevHash, hash } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return undefined;
  if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) return undefined;
  if (typeof hash !== 'string' || !HEX64.test(hash)) return undefined;
  return { seq: seq as number, prevHash, hash };
}

function diagnose(line: string): ExportLine {
  if (line.trim() === '') return refused('is empty');
  if (line.charCodeAt(0) === 0xfeff)
    return refused('starts with a byte order mark (U+FEFF), which the export never writes');
  if (line.endsWith('\r'))
    return refused(
      'ends in a carriage return, but export lines end in a line feed alone (was the file converted to CRLF?)',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return refused('is not valid JSON (truncated or edited?)');
  }
  if (!isRecord(parsed)) return refused('is not a JSON object');
  const links = linksOf(parsed);
  try {
    const duplicate = duplicateKey(line);
    if (duplicate !== undefined)
      return refused(
        `has the key ${excerpt(duplicate)} twice: JSON.parse keeps the last value while a reader sees the first, so the first could be a forgery`,
        links,
      );
    const unstorable = unstorableValue(parsed);
    if (unstorable) return refused(unstorable, links);
    const shape = shapeProblem(EVENT_LAYOUT, parsed, '');
    if (shape) return refused(shape, links);
    const canonical = exportedEvent(parsed as unknown as AuditEventView);
    if (canonical !== line)
      return refused(
        `is not in the RFC 8785 canonical form the export writes: ${firstDifference(line, canonical)}`,
        links,
      );
    if (!links) return refused('has no readable seq, prevHash and hash');
    // Canonical after all (too deep for the fast reader): verified the long way.
    const hashed = canonicalEvent(parsed as unknown as AuditEventView);
    return { kind: 'event', links, contentMatches: leafHash(hashed) === links.hash };
  } catch (error) {
    const why = error instanceof RangeError ? 'it is nested too deeply' : String(error);
    return refused(`could not be read as an event: ${why}`, links);
  }
}

/**
 * The first key that occurs twice in one object of a valid JSON text. JSON.parse keeps the
 * last value silently, so a line could show one value to a person and verify another.
 */
export function duplicateKey(text: string): string | undefined {
  // One set of keys per open object; null for an open array.
  const open: (Set<string> | null)[] = [];
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== QUOTE)
        end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
      const keys = open[open.length - 1];
      if (keys && keyNext) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        keyNext = false;
      }
      i = end;
    } else if (c === 0x7b) {
      open.push(new Set());
      keyNext = true;
    } else if (c === 0x5b) {
      open.push(null);
      keyNext = false;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      keyNext = false;
    } else if (c === COMMA) {
      keyNext = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}

/** Why a parsed value holds something no stored event can hold, or undefined. */
function unstorableValue(value: unknown): string | undefined {
  if (typeof value === 'string') return stringProblem(value);
  if (typeof value === 'number')
    return Number.isFinite(value)
      ? undefined
      : 'holds a number beyond the range of JSON numbers (such as 1e400, which reads as Infinity)';
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = unstorableValue(item);
      if (problem) return problem;
    }
  } else if (isRecord(value)) {
    for (const [key, member] of Object.entries(value)) {
      const problem = stringProblem(key) ?? unstorableValue(member);
      if (problem) return problem;
    }
  }
  return undefined;
}

function stringProblem(text: string): string | undefined {
  const problem = illFormedString(text);
  if (!problem) return undefined;
  return text.includes('\u0000') && text.isWellFormed()
    ? `holds ${problem} in ${excerpt(text)}, which PostgreSQL cannot store, so no stored event holds one`
    : `holds ${problem} in ${excerpt(text)}, which has no canonical form (RFC 8785 needs well-formed Unicode)`;
}

/** Why a parsed record does not have exactly the layout's fields, each of its kind. */
function shapeProblem(
  layout: RecordLayout,
  value: Record<string, unknown>,
  at: string,
): string | undefined {
  for (const key of Object.keys(value))
    if (!Object.hasOwn(layout, key))
      return `has a field ${excerpt(at + key)} that audit events do not have`;
  for (const [field, fieldLayout] of Object.entries(layout)) {
    if (!Object.hasOwn(value, field)) return `lacks the field ${at}${field}`;
    const problem = fieldProblem(fieldLayout, value[field], at + field);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(layout: FieldLayout, value: unknown, path: string): string | undefined {
  if (typeof layout === 'string') {
    switch (layout) {
      case 'string':
        return typeof value === 'string' ? undefined : `field ${path} must be a string`;
      case 'string or null':
        return value === null || typeof value === 'string'
          ? undefined
          : `field ${path} must be a string or null`;
      case 'json':
        return undefined;
      case 'hash':
        return typeof value === 'string' && HEX64.test(value)
          ? undefined
          : `field ${path} must be 64 lowercase hex digits`;
      case 'seq':
        return Number.isSafeInteger(value) && (value as number) > 0
          ? undefined
          : `field ${path} must be a positive integer`;
    }
  }
  if ('record' in layout)
    return isRecord(value)
      ? shapeProblem(layout.record, value, `${path}.`)
      : `field ${path} must be an object`;
  if (!Array.isArray(value)) return `field ${path} must be a list`;
  for (let n = 0; n < value.length; n++) {
    const item: unknown = value[n];
    if (!isRecord(item)) return `field ${path}[${n}] must be an object`;
    const problem = shapeProblem(layout.listOf, item, `${path}[${n}].`);
    if (problem) return problem;
  }
  return undefined;
}

/** Where a line first differs from its canonical form, with a little of each. */
function firstDifference(line: string, canonical: string): string {
  let k = 0;
  while (k < line.length && line.charCodeAt(k) === canonical.charCodeAt(k)) k += 1;
  return `from character ${k + 1} it reads ${excerpt(line.slice(k, k + 24), 24)} where the canonical form has ${excerpt(canonical.slice(k, k + 24), 24)}`;
}
