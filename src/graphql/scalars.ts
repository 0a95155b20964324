import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True for a real calendar date written as YYYY-MM-DD (no 2026-02-30), from 0001-01-01: the
 * proleptic year 0000 is a date to JavaScript but not to PostgreSQL, which refuses it.
 */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  // Arithmetic, not a Date and its ISO string: every eligibility question passes here, and
  // building both was 3% of a question's CPU (issue #13).
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/** Days in a month of the proleptic Gregorian calendar (PostgreSQL's and JavaScript's). */
function daysIn(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

const badDate = (value: unknown) =>
  new GraphQLError(`Date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });

/** ISO 8601 calendar date, `YYYY-MM-DD`, carried as a string end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'ISO 8601 calendar date, YYYY-MM-DD.',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      return value.toISOString().slice(0, 10);
    }
    if (typeof value === 'string' && isCalendarDate(value)) return value;
    throw new GraphQLError('Date cannot represent a non-date value');
  },
  parseValue(value) {
    if (typeof value !== 'string' || !isCalendarDate(value)) throw badDate(value);
    return value;
  },
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING || !isCalendarDate(ast.value)) {
      throw badDate(ast.kind === Kind.STRING ? ast.value : ast.kind);
    }
    return ast.value;
  },
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      throw new GraphQLError('JSON cannot represent an enum literal', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
  }
}

/** Any JSON value, returned exactly as stored. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && DATE_TIME_PATTERN.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(
      `DateTime must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T09:15:00Z; got ${JSON.stringify(value)}`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return date;
}

/**
 * An instant, returned in UTC as ISO 8601 with milliseconds (`2026-01-31T09:15:00.000Z`),
 * the form the audit hash uses. Input must carry a time zone; nonsense is refused instead of
 * becoming an Invalid Date.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in UTC, ISO 8601 with milliseconds, e.g. 2026-01-31T09:15:00.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime()))
      throw new GraphQLError('DateTime cannot represent this value');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast: ValueNode) {
    return parseDateTime(ast.kind === Kind.STRING ? ast.value : ast.kind);
  },
});
