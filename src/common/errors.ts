/**
 * The error codes a client can cause, exactly as the public contract lists them.
 * Domain code throws {@link DomainError}; the GraphQL edge maps it once to `extensions.code`.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  INVALID_STATE = 'INVALID_STATE',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The database is unreachable: nothing was done, and the client may retry. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}

/** A problem with one input field; `field` is a dotted path such as `input.code`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An error the caller caused and can act on; its message is safe to show. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldProblem[],
    /** When the client may usefully try again, in seconds (SERVICE_UNAVAILABLE, RATE_LIMITED). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, fields?: FieldProblem[]): DomainError =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, fields);

/** BAD_USER_INPUT listing every problem, in the message and in `extensions.fields`. */
export const invalid = (what: string, problems: FieldProblem[]): DomainError =>
  badInput(
    `Invalid ${what}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    problems,
  );

export const fieldError = (field: string, message: string): DomainError =>
  new DomainError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, [{ field, message }]);

export const notFound = (what: string, id: string): DomainError =>
  new DomainError(ErrorCode.NOT_FOUND, `${what} ${JSON.stringify(id)} does not exist`);

export const conflict = (message: string): DomainError =>
  new DomainError(ErrorCode.CONFLICT, message);

export const forbidden = (message = 'You are not allowed to do this'): DomainError =>
  new DomainError(ErrorCode.FORBIDDEN, message);

export const unauthenticated = (message = 'Authentication required'): DomainError =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);

export const serviceUnavailable = (retryAfterSeconds = 5): DomainError =>
  new DomainError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `The registry's database cannot be reached right now; nothing was changed. Retry in ${retryAfterSeconds} seconds.`,
    undefined,
    retryAfterSeconds,
  );
