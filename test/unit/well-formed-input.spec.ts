import { ApolloServer } from '@apollo/server';
import {
  GraphQLBoolean,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  OperationDefinitionNode,
  parse,
} from 'graphql';
import { formatGraphqlError } from '../../src/graphql/error-mapping';
import { JsonScalar } from '../../src/graphql/scalars';
import { operationTextProblems, wellFormedInputPlugin } from '../../src/graphql/well-formed-input';

const NUL = 'contains a NUL character, which cannot be stored';
const LONE = 'is not well-formed Unicode: it contains a lone UTF-16 surrogate';

/** The problems of the document's first operation, without the AST nodes. */
function problemsOf(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return operationTextProblems(document, operation, variables).map(({ field, message }) => ({
    field,
    message,
  }));
}

describe('operationTextProblems', () => {
  it('finds nothing in well-formed literals and variables', () => {
    expect(
      problemsOf('query($q: Q) { a(x: "ok 🌍", y: ["\\uD83C\\uDF0D"], z: { k: "v" }, q: $q) }', {
        q: { k: ['🌍'], n: 1 },
      }),
    ).toEqual([]);
  });

  it('names a literal by its argument, object fields and list indexes', () => {
    expect(
      problemsOf('{ a(input: { criteria: [{ values: ["N", "S\\u0000"] }], reason: "r" }) }'),
    ).toEqual([{ field: 'input.criteria[0].values[1]', message: NUL }]);
  });

  it('names a variable by where it is used, not by its own name', () => {
    expect(
      problemsOf('query($r: String) { a(input: { reason: $r }) }', { r: 'ok \ud800' }),
    ).toEqual([{ field: 'input.reason', message: LONE }]);
    expect(
      problemsOf('query($q: Q) { a(query: $q) }', {
        q: { parameters: [{ name: 'n\u0000' }] },
      }),
    ).toEqual([{ field: 'query.parameters[0].name', message: NUL }]);
  });

  it('reads the default of a variable the client did not send, and only then', () => {
    const query = 'query($c: String = "\\u0000") { a(code: $c) }';
    expect(problemsOf(query)).toEqual([{ field: 'code', message: NUL }]);
    expect(problemsOf(query, { c: 'fine' })).toEqual([]);
  });

  it('checks keys and values of JSON-like variables', () => {
    expect(problemsOf('query($j: JSON) { a(json: $j) }', { j: { 'k\ud800': ['\u0000'] } })).toEqual(
      [
        { field: 'json["k\\ud800"]', message: `key ${LONE}` },
        { field: 'json["k\\ud800"][0]', message: NUL },
      ],
    );
  });

  it('checks nested field arguments, fragments, inline fragments and directives', () => {
    const found = problemsOf(
      `query($skip: Boolean!) {
         a { b(key: "1\\u0000") ...F ... on T { c(key: "3\\u0000") } }
         d @include(if: $skip) @custom(note: "4\\u0000")
       }
       fragment F on T { e(key: "2\\u0000") { ...F } }`,
    );
    expect(found.map((p) => p.field)).toEqual(['key', 'key', 'key', 'note']);
  });

  it('reports a variable used twice at the same path once', () => {
    const query = 'query($c: String) { a(code: $c) b(code: $c) c(other: $c) }';
    expect(problemsOf(query, { c: '\u0000' }).map((p) => p.field)).toEqual(['code', 'other']);
  });

  it('ignores variables the operation does not use and other operations', () => {
    const document = parse('query A { a(x: "fine") } query B { b(x: "\\u0000") }');
    const a = document.definitions[0] as OperationDefinitionNode;
    expect(operationTextProblems(document, a, { unused: '\u0000' })).toEqual([]);
  });

  it('stops at the limit', () => {
    const values = Array.from({ length: 50 }, (_, i) => `"${i}\\u0000"`).join(', ');
    expect(problemsOf(`{ a(x: [${values}]) }`)).toHaveLength(10);
  });
});

describe('wellFormedInputPlugin in Apollo', () => {
  const calls: unknown[] = [];
  const Input = new GraphQLInputObjectType({
    name: 'Input',
    fields: {
      reason: { type: GraphQLString },
      tags: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    },
  });
  const record = (_: unknown, args: unknown) => {
    calls.push(args);
    return true;
  };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        echo: {
          type: JsonScalar,
          args: { value: { type: JsonScalar } },
          resolve: (_: unknown, args: { value: unknown }) => args.value,
        },
      },
    }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: {
        write: { type: GraphQLBoolean, args: { input: { type: Input } }, resolve: record },
        echo: { type: GraphQLBoolean, args: { value: { type: JsonScalar } }, resolve: record },
      },
    }),
  });
  const server = new ApolloServer({
    schema,
    plugins: [wellFormedInputPlugin()],
    formatError: formatGraphqlError,
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => (calls.length = 0));

  async function run(query: string, variables?: Record<string, unknown>) {
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, ...response.body.singleResult };
  }

  it('refuses with BAD_USER_INPUT, HTTP 400 and the fields, before any resolver runs', async () => {
    const res = await run(
      'mutation($i: Input) { first: write(input: { reason: "fine" }) second: write(input: $i) }',
      { i: { reason: 'r', tags: ['ok', 'x\ud800'] } },
    );
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      {
        message: `Invalid input: input.tags[1]: ${LONE}`,
        locations: [{ line: 1, column: 77 }], // the argument `input: $i`
        extensions: {
          code: 'BAD_USER_INPUT',
          fields: [{ field: 'input.tags[1]', message: LONE }],
        },
      },
    ]);
    expect(calls).toEqual([]); // not even the valid first field ran
  });

  it('refuses a lone surrogate in the value of a JSON scalar, sent as a variable', async () => {
    const res = await run('mutation($v: JSON) { echo(value: $v) }', {
      v: { list: [1, 'ok', { deep: 'no \udfff' }] },
    });
    expect(res.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'value.list[2].deep', message: LONE }],
    });
    expect(calls).toEqual([]);
  });

  it('refuses a lone surrogate in a key of a JSON scalar value', async () => {
    const res = await run('mutation($v: JSON) { echo(value: $v) }', { v: { '\ud800': 1 } });
    expect(res.errors?.[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'value["\\ud800"]', message: `key ${LONE}` }],
    });
    expect(calls).toEqual([]);
  });

  it('refuses NUL in a JSON scalar literal, and in a variable inside one', async () => {
    const literal = await run('mutation { echo(value: { a: ["\\u0000"] }) }');
    expect(literal.errors?.[0].extensions?.fields).toEqual([{ field: 'value.a[0]', message: NUL }]);
    const inside = await run('mutation($x: JSON) { echo(value: { a: $x }) }', { x: { b: '\0' } });
    expect(inside.errors?.[0].extensions?.fields).toEqual([{ field: 'value.a.b', message: NUL }]);
    expect(calls).toEqual([]);
  });

  it('lets well-formed text beyond the BMP through unchanged', async () => {
    const value = { 'clé 🌍': ['𝄞', 'Ελλάδα'], n: 1 };
    const res = await run('query($v: JSON) { echo(value: $v) }', { v: value });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ echo: value });
  });
});
