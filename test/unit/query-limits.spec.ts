import {
  GraphQLError,
  buildSchema,
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { queryLimitRules } from '../../src/graphql/query-limits';

const schema = buildSchema(`
  type Node {
    id: ID!
    child: Node
    name: String
  }
  type Query {
    node: Node
    nodes: [Node]
  }
`);

const limits = {
  maxDepth: 3,
  maxAliases: 2,
  maxTokens: 1000,
  maxRootFields: 3,
  maxCost: 1000,
  maxResponseBytes: 1 << 20,
};

const check = (doc: string): readonly GraphQLError[] =>
  validate(schema, parse(doc), [...specifiedRules, ...queryLimitRules(limits)]);

const messages = (doc: string): string[] => check(doc).map((e) => e.message);

const DEPTH = 'Query is too deep: at most 3 levels are allowed';
const ALIASES = 'Too many aliases: at most 2 are allowed';
const ROOT_FIELDS = 'Too many root fields: at most 3 per operation';

describe('queryLimitRules', () => {
  describe('depth', () => {
    it('accepts depth 3', () => {
      expect(check('{ node { child { id } } }')).toEqual([]);
    });

    it('rejects depth 4', () => {
      expect(messages('{ node { child { child { id } } } }')).toEqual([DEPTH]);
    });

    it('counts the deepest branch, not the first one', () => {
      expect(messages('{ node { id child { id child { name } } } }')).toEqual([DEPTH]);
      expect(check('{ nodes { id } node { child { name } } }')).toEqual([]);
    });

    it('counts depth through named fragments', () => {
      expect(check('{ node { ...F } } fragment F on Node { child { id } }')).toEqual([]);
      expect(messages('{ node { ...F } } fragment F on Node { child { child { id } } }')).toEqual([
        DEPTH,
      ]);
    });

    it('counts depth through fragments that spread other fragments', () => {
      const doc = `
        { node { ...A } }
        fragment A on Node { child { ...B } }
        fragment B on Node { child { id } }
      `;
      expect(messages(doc)).toEqual([DEPTH]);
    });

    it('counts depth through inline fragments without adding a level for them', () => {
      expect(check('{ node { ... on Node { child { id } } } }')).toEqual([]);
      expect(messages('{ node { ... on Node { child { child { id } } } } }')).toEqual([DEPTH]);
    });

    it('checks every operation in the document', () => {
      const doc = 'query A { node { id } } query B { node { child { child { id } } } }';
      expect(messages(doc)).toEqual([DEPTH]);
    });

    it('does not reject the introspection query for its depth', () => {
      const errors = check(getIntrospectionQuery());
      expect(errors).toEqual([]);
    });

    it('still limits fields next to introspection fields', () => {
      expect(check('{ node { __typename child { __typename id } } }')).toEqual([]);
      expect(messages('{ __typename node { child { child { id } } } }')).toEqual([DEPTH]);
    });
  });

  describe('aliases', () => {
    it('accepts 2 aliases', () => {
      expect(check('{ a: node { id } node { x: name } }')).toEqual([]);
    });

    it('rejects 3 aliases, once', () => {
      expect(messages('{ a: node { id } b: node { id } c: node { id } }')).toEqual([ALIASES]);
      const many = '{ a: node { p: id q: id r: id s: id } }';
      expect(messages(many)).toEqual([ALIASES]);
    });

    it('counts aliases inside fragments', () => {
      expect(messages('{ node { ...F } } fragment F on Node { a: id b: id c: name }')).toEqual([
        ALIASES,
      ]);
    });
  });

  describe('root fields', () => {
    it('accepts 3 root fields', () => {
      expect(check('{ node { id } nodes { id } __typename }')).toEqual([]);
    });

    it('rejects 4 root fields', () => {
      expect(messages('{ node { id } nodes { id } __typename node { name } }')).toEqual([
        ROOT_FIELDS,
      ]);
    });

    it('counts root fields brought in by fragments', () => {
      const doc = `
        { ...R ... on Query { nodes { id } } }
        fragment R on Query { node { id } __typename node { name } }
      `;
      expect(messages(doc)).toEqual([ROOT_FIELDS]);
    });
  });

  it('terminates on cyclic fragments, which the standard rules report', () => {
    const doc = `
      { node { ...A } }
      fragment A on Node { child { ...B } }
      fragment B on Node { ...A }
    `;
    const errors = check(doc);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.message.includes('Cannot spread fragment "A"'))).toBe(true);
  });

  it('terminates on a fragment spreading itself', () => {
    const errors = check('{ ...Q } fragment Q on Query { node { id } ...Q }');
    expect(errors.some((e) => e.message.includes('Cannot spread fragment "Q"'))).toBe(true);
  });

  it('gives every limit error the code BAD_USER_INPUT', () => {
    const doc = `{
      a: node { child { child { child { id } } } }
      b: node { id }
      c: node { id }
      nodes { id }
    }`;
    const errors = check(doc);
    expect(errors.map((e) => e.message).sort()).toEqual([ALIASES, DEPTH, ROOT_FIELDS].sort());
    for (const error of errors) expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('respects the configured limits', () => {
    const loose = [
      ...specifiedRules,
      ...queryLimitRules({
        maxDepth: 5,
        maxAliases: 0,
        maxTokens: 1000,
        maxRootFields: 1,
        maxCost: 1000,
        maxResponseBytes: 1 << 20,
      }),
    ];
    const ok = parse('{ node { child { child { child { id } } } } }');
    expect(validate(schema, ok, loose)).toEqual([]);
    const deeper = parse('{ node { child { child { child { child { id } } } } } }');
    expect(validate(schema, deeper, loose).map((e) => e.message)).toEqual([
      'Query is too deep: at most 5 levels are allowed',
    ]);
    const twoRoots = validate(schema, parse('{ node { id } nodes { id } }'), loose);
    expect(twoRoots.map((e) => e.message)).toEqual([
      'Too many root fields: at most 1 per operation',
    ]);
    const aliased = validate(schema, parse('{ a: node { id } }'), loose);
    expect(aliased.map((e) => e.message)).toEqual(['Too many aliases: at most 0 are allowed']);
  });
});

describe('query limits on fragment chains', () => {
  // Re-walking every spread would visit 2^40 paths and never finish: the test would time out.
  it('validates a doubling chain of fragment spreads without re-walking shared fragments', () => {
    const chainSchema = buildSchema('type Node { id: ID! child: Node } type Query { node: Node }');
    const n = 40;
    const fragments = Array.from(
      { length: n },
      (_, i) => `fragment F${i} on Node { ...F${i + 1} ...F${i + 1} }`,
    );
    const doc = parse(`{ node { ...F0 } } ${fragments.join(' ')} fragment F${n} on Node { id }`);
    const rules = queryLimitRules({
      maxDepth: 5,
      maxAliases: 2,
      maxTokens: 5000,
      maxRootFields: 3,
      maxCost: 1000,
      maxResponseBytes: 1 << 20,
    });
    expect(validate(chainSchema, doc, [...specifiedRules, ...rules])).toEqual([]);
  }, 10_000);
});
