import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode, badInput, serviceUnavailable } from '../common/errors';
import { isSocketUnreachable } from '../common/network';

const CLIENT_CODES = new Set<string>(Object.values(ErrorCode));

/** Codes Apollo and graphql-js give to problems with the request itself. */
const REQUEST_PROBLEM_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export const INTERNAL_MESSAGE = 'Internal server error';

/** The innermost cause: the DomainError or fault a GraphQLError wraps, else the error itself. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let hops = 0; hops < 10; hops++) {
    if (current instanceof GraphQLError && current.originalError) current = current.originalError;
    // graphql-js wraps a thrown value that is not an Error of its realm (e.g. a socket error
    // raised by Node's own modules under a test runner's VM) and keeps it as thrownValue.
    else if (
      current instanceof Error &&
      current.name === 'NonErrorThrown' &&
      'thrownValue' in current
    )
      current = (current as { thrownValue: unknown }).thrownValue;
    else break;
  }
  return current;
}

/**
 * SQLSTATEs with which PostgreSQL refuses a value sent with a statement. Our statements take
 * stored values in their column types and cast none of them, so in this service only client
 * input can cause these. The edge refuses such text and dates before they get here; these
 * keep whatever slips through a client error (still logged, as a warning, to be fixed).
 */
const REFUSED_VALUE_STATES = new Map([
  // character_not_in_repertoire: NUL in text
  ['22021', 'Input contains a character that cannot be stored, such as NUL'],
  // untranslatable_character: the escape \u0000 in jsonb
  ['22P05', 'Input contains a character that cannot be stored, such as NUL'],
  // invalid_text_representation: e.g. an id that is not a UUID
  ['22P02', 'An input value is not valid for its type'],
  // invalid_datetime_format, datetime_field_overflow: e.g. the date 0000-01-01
  ['22007', 'An input date or time is not valid'],
  ['22008', 'An input date or time is out of range'],
]);

/** The SQLSTATE of a PostgreSQL error (as pg raises it, or as TypeORM wraps it). */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const source = (error as { driverError?: unknown }).driverError ?? error;
  const { code, severity } = source as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && typeof severity === 'string' ? code : undefined;
}

/**
 * Whether `error` says the database could not be reached or dropped the connection, as
 * opposed to refusing a statement: SQLSTATE class 08 (connection exception), the server
 * shutting down or starting (57P01-57P03), too many connections (53300), a socket error, or
 * pg's own messages for a connection that ended or could not be made in time.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const cause = rootCause(error);
  // Duck-typed: socket errors may come from another realm than this module's Error.
  if (typeof cause !== 'object' || cause === null || !('message' in cause)) return false;
  const source = ((cause as { driverError?: unknown }).driverError ?? cause) as {
    code?: unknown;
    message?: string;
  };
  const state = sqlState(cause);
  if (state !== undefined)
    return state.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(state);
  if (isSocketUnreachable(source)) return true;
  return /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
    typeof source.message === 'string' ? source.message : '',
  );
}

/**
 * The client error behind `error`: the DomainError it is or wraps, SERVICE_UNAVAILABLE when
 * the database is unreachable (a retryable condition, not a bug), or BAD_USER_INPUT for a
 * value PostgreSQL refused (see REFUSED_VALUE_STATES); undefined for a fault of ours.
 */
export function clientErrorOf(error: unknown): DomainError | undefined {
  const cause = rootCause(error);
  if (cause instanceof DomainError) return cause;
  if (isDatabaseUnreachable(cause)) return serviceUnavailable();
  const message = REFUSED_VALUE_STATES.get(sqlState(cause) ?? '');
  return message === undefined ? undefined : badInput(message);
}

/** The SQLSTATE when `error` is a value PostgreSQL refused, to log that the edge missed it. */
export function refusedValueState(error: unknown): string | undefined {
  const state = sqlState(rootCause(error));
  return state !== undefined && REFUSED_VALUE_STATES.has(state) ? state : undefined;
}

/**
 * True when an error reaching the edge is something the client caused and may read about;
 * everything else is a fault of ours, masked and logged.
 */
export function isClientError(error: unknown): boolean {
  if (clientErrorOf(error)) return true;
  const cause = rootCause(error);
  if (!(cause instanceof GraphQLError)) return false;
  const code = cause.extensions?.code;
  if (typeof code === 'string' && (CLIENT_CODES.has(code) || REQUEST_PROBLEM_CODES.has(code))) {
    return true;
  }
  // graphql-js errors raised before execution (parsing, validation, variable coercion) carry
  // no path; one with a path arose while executing, e.g. a value that failed to serialize.
  const path = error instanceof GraphQLError ? error.path : undefined;
  return (path ?? cause.path) === undefined;
}

/**
 * Maps every error to the contract's shape, once, at the edge: domain errors keep their code
 * and field list; request problems and values PostgreSQL refused become BAD_USER_INPUT;
 * anything else becomes a generic INTERNAL_SERVER_ERROR with no message, stack, SQL or other
 * detail.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = clientErrorOf(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original) {
    return {
      ...base,
      message: original.message,
      extensions: {
        code: original.code,
        ...(original.fields ? { fields: original.fields } : {}),
        ...(original.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: original.retryAfterSeconds }
          : {}),
      },
    };
  }
  if (isClientError(error)) {
    const code = formatted.extensions?.code;
    const fields = formatted.extensions?.fields;
    return {
      ...base,
      message: formatted.message,
      extensions: {
        code: typeof code === 'string' && CLIENT_CODES.has(code) ? code : ErrorCode.BAD_USER_INPUT,
        ...(fields ? { fields } : {}),
      },
    };
  }
  return { ...base, message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
