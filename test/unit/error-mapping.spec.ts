import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode, badInput, fieldError, notFound } from '../../src/common/errors';
import {
  INTERNAL_MESSAGE,
  clientErrorOf,
  formatGraphqlError,
  isClientError,
  refusedValueState,
  isDatabaseUnreachable,
} from '../../src/graphql/error-mapping';

/** Wraps an error the way graphql-js does when a resolver throws it (locatedError). */
const fromResolver = (original: Error): GraphQLError =>
  new GraphQLError(original.message, {
    path: ['hostCountry', 'ndc'],
    nodes: undefined,
    originalError: original,
  });

/** Formats the error as Apollo would: the default formatted form first, then our hook. */
const format = (error: GraphQLError): GraphQLFormattedError =>
  formatGraphqlError(error.toJSON(), error);

describe('formatGraphqlError', () => {
  describe('domain errors', () => {
    it('keep their code, message and fields', () => {
      const domain = fieldError('input.code', 'must be an ISO 3166 alpha-3 code');
      const result = format(fromResolver(domain));
      expect(result.message).toBe('input.code: must be an ISO 3166 alpha-3 code');
      expect(result.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'input.code', message: 'must be an ISO 3166 alpha-3 code' }],
      });
      expect(result.path).toEqual(['hostCountry', 'ndc']);
    });

    it.each(Object.values(ErrorCode))('keep the code %s', (code) => {
      const result = format(fromResolver(new DomainError(code, `a ${code} problem`)));
      expect(result.message).toBe(`a ${code} problem`);
      expect(result.extensions).toEqual({ code });
    });

    it('have no fields entry when they carry none', () => {
      const result = format(fromResolver(notFound('Host country', 'XYZ')));
      expect(result.extensions).toEqual({ code: 'NOT_FOUND' });
      expect(result.message).toBe('Host country "XYZ" does not exist');
    });

    it('are recognised when passed unwrapped', () => {
      const domain = new DomainError(ErrorCode.CONFLICT, 'already exists');
      const result = formatGraphqlError({ message: 'already exists' }, domain);
      expect(result).toEqual({
        locations: undefined,
        path: undefined,
        message: 'already exists',
        extensions: { code: 'CONFLICT' },
      });
    });
  });

  describe('request problems', () => {
    it.each([
      'GRAPHQL_VALIDATION_FAILED',
      'GRAPHQL_PARSE_FAILED',
      'BAD_REQUEST',
      'OPERATION_RESOLUTION_FAILURE',
      'PERSISTED_QUERY_NOT_FOUND',
    ])('map %s to BAD_USER_INPUT and keep the message', (code) => {
      const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
        extensions: { code },
      });
      const result = format(error);
      expect(result.message).toBe('Cannot query field "nope" on type "Query".');
      expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    });

    it('keep locations', () => {
      const error = new GraphQLError('Syntax Error: Expected Name, found "}".', {
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
      const formatted = { ...error.toJSON(), locations: [{ line: 1, column: 3 }] };
      expect(formatGraphqlError(formatted, error).locations).toEqual([{ line: 1, column: 3 }]);
    });

    it('keep a client code from the formatted error', () => {
      const error = new GraphQLError('Variable "$id" got invalid value', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(format(error).extensions).toEqual({ code: 'BAD_USER_INPUT' });
      const rateLimited = new GraphQLError('Slow down', { extensions: { code: 'RATE_LIMITED' } });
      expect(format(rateLimited).extensions).toEqual({ code: 'RATE_LIMITED' });
    });
  });

  describe('internal errors', () => {
    const leaky = (): Error => {
      const error = new Error('relation "host_country" does not exist');
      error.stack = 'Error: relation "host_country" does not exist\n    at Query.run (pg.js:1:1)';
      return error;
    };

    it('become a bare INTERNAL_SERVER_ERROR when thrown from a resolver', () => {
      const result = format(fromResolver(leaky()));
      expect(result.message).toBe(INTERNAL_MESSAGE);
      expect(result.message).toBe('Internal server error');
      expect(result.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(result.path).toEqual(['hostCountry', 'ndc']);
    });

    it('carry no stack trace and no original message anywhere', () => {
      const error = fromResolver(leaky());
      const formatted: GraphQLFormattedError = {
        ...error.toJSON(),
        extensions: {
          code: 'INTERNAL_SERVER_ERROR',
          stacktrace: (error.originalError?.stack ?? '').split('\n'),
        },
      };
      const json = JSON.stringify(formatGraphqlError(formatted, error));
      expect(json).not.toContain('relation');
      expect(json).not.toContain('host_country');
      expect(json).not.toContain('stacktrace');
      expect(json).not.toContain('pg.js');
      expect(JSON.parse(json)).toEqual({
        path: ['hostCountry', 'ndc'],
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });

    it('is the mapping for a plain error wrapped without a path', () => {
      const error = new GraphQLError('relation "x" does not exist', { originalError: leaky() });
      expect(format(error)).toEqual({
        locations: undefined,
        path: undefined,
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });

    it('is the mapping for a plain error passed directly', () => {
      const result = formatGraphqlError({ message: 'boom' }, new TypeError('boom'));
      expect(result).toEqual({
        locations: undefined,
        path: undefined,
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });

    it('does not trust a client code when the cause is a plain error', () => {
      const error = new GraphQLError('duplicate key value violates unique constraint', {
        originalError: leaky(),
        extensions: { code: 'SOMETHING_ELSE' },
      });
      expect(format(error).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    });
  });
});

describe('isClientError', () => {
  it.each([
    ['a DomainError', new DomainError(ErrorCode.FORBIDDEN, 'no')],
    ['a DomainError from a resolver', fromResolver(badInput('bad'))],
    [
      'a validation error',
      new GraphQLError('x', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ],
    [
      'a GraphQLError with a contract code',
      new GraphQLError('x', { extensions: { code: 'NOT_FOUND' } }),
    ],
    ['a graphql-js error with no cause', new GraphQLError('Unknown argument "x"')],
  ])('is true for %s', (_label, error) => {
    expect(isClientError(error)).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('boom')],
    ['a plain Error from a resolver', fromResolver(new Error('boom'))],
    [
      'a GraphQLError caused by a plain Error',
      new GraphQLError('x', { originalError: new Error('y') }),
    ],
    ['a string', 'boom'],
    ['undefined', undefined],
  ])('is false for %s', (_label, error) => {
    expect(isClientError(error)).toBe(false);
  });
});

describe('errors raised while executing', () => {
  it('treats a value that fails to serialize as our fault, not the client’s', () => {
    // graphql-js wraps a serialize failure (no code, no path) in a located error with a path.
    const inner = new GraphQLError('Int cannot represent non-integer value: "abc"');
    const located = new GraphQLError(inner.message, { path: ['n'], originalError: inner });
    expect(isClientError(located)).toBe(false);
    expect(format(located)).toEqual({
      message: 'Internal server error',
      path: ['n'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps a domain error wrapped without a path', () => {
    const wrapped = new GraphQLError('x', { originalError: badInput('bad thing') });
    expect(isClientError(wrapped)).toBe(true);
    expect(format(wrapped)).toMatchObject({
      message: 'bad thing',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('values PostgreSQL refused', () => {
  /** A pg DatabaseError as the driver raises it (its fields, not its class). */
  const pgError = (code: string, message = 'invalid byte sequence for encoding "UTF8": 0x00') =>
    Object.assign(new Error(message), {
      severity: 'ERROR',
      code,
      routine: 'report_invalid_encoding',
    });
  /** The same wrapped by TypeORM: a QueryFailedError carrying the SQL and the driver error. */
  const typeormError = (code: string) =>
    Object.assign(new Error('invalid byte sequence'), {
      name: 'QueryFailedError',
      query: 'SELECT * FROM host_country WHERE code = $1',
      parameters: ['\u0000'],
      driverError: pgError(code),
    });

  it.each(['22021', '22P05', '22P02', '22007', '22008'])(
    'map %s to BAD_USER_INPUT with no SQL, whether raw or wrapped',
    (code) => {
      for (const error of [pgError(code), typeormError(code)]) {
        const result = format(fromResolver(error));
        expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
        expect(result.path).toEqual(['hostCountry', 'ndc']);
        expect(JSON.stringify(result)).not.toMatch(/SELECT|host_country|UTF8|0x00/);
        expect(isClientError(fromResolver(error))).toBe(true);
        expect(refusedValueState(fromResolver(error))).toBe(code);
        expect(clientErrorOf(error)?.code).toBe(ErrorCode.BAD_USER_INPUT);
      }
    },
  );

  it.each([
    ['a constraint violation', '23505'],
    ['a serialization failure', '40001'],
    ['an undefined table', '42P01'],
    ['a numeric overflow', '22003'],
  ])('keep %s a fault of ours', (_label, code) => {
    const error = fromResolver(typeormError(code));
    expect(format(error).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(isClientError(error)).toBe(false);
    expect(refusedValueState(error)).toBeUndefined();
  });

  it('do not trust a code on an error that is not from PostgreSQL', () => {
    // Node's and libraries' errors carry codes too; only one with a severity is the server's.
    const error = Object.assign(new Error('nope'), { code: '22021' });
    expect(format(fromResolver(error)).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(clientErrorOf(error)).toBeUndefined();
  });

  it('leave domain errors as they are', () => {
    const domain = notFound('Host country', 'XYZ');
    expect(clientErrorOf(fromResolver(domain))).toBe(domain);
    expect(refusedValueState(fromResolver(domain))).toBeUndefined();
  });
});

describe('a database that cannot be reached', () => {
  const pgError = (code: string) =>
    Object.assign(new Error('server said no'), { code, severity: 'FATAL' });
  const socketError = (code: string) =>
    Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['a connection pg saw end', new Error('Connection terminated unexpectedly')],
    ['a pool that timed out connecting', new Error('timeout exceeded when trying to connect')],
    ['an administrator shutdown (57P01)', pgError('57P01')],
    ['a server starting up (57P03)', pgError('57P03')],
    ['a connection failure (08006)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    [
      'the same wrapped by TypeORM and graphql-js',
      new GraphQLError('x', {
        originalError: Object.assign(new Error('q'), { driverError: pgError('08001') }),
      }),
    ],
  ])('is SERVICE_UNAVAILABLE with a retry hint for %s', (_what, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
    expect(formatGraphqlError({ message: 'raw' }, error)).toEqual({
      locations: undefined,
      path: undefined,
      message: expect.stringMatching(/database cannot be reached right now; nothing was changed/),
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
    });
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error of ours', pgError('42601')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('is not claimed for %s', (_what, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});
