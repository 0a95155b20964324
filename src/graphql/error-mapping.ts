import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from '../common/errors';

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
  for (
    let hops = 0;
    current instanceof GraphQLError && current.originalError && hops < 10;
    hops++
  ) {
    current = current.originalError;
  }
  return current;
}

/**
 * True when an error reaching the edge is something the client caused and may read about;
 * everything else is a fault of ours, masked and logged.
 */
export function isClientError(error: unknown): boolean {
  const cause = rootCause(error);
  if (cause instanceof DomainError) return true;
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
 * and field list; request problems become BAD_USER_INPUT; anything else becomes a generic
 * INTERNAL_SERVER_ERROR with no message, stack, SQL or other detail.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = rootCause(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return {
      ...base,
      message: original.message,
      extensions: {
        code: original.code,
        ...(original.fields ? { fields: original.fields } : {}),
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
