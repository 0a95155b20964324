import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphQLSchema,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  printSchema,
  lexicographicSortSchema,
} from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { generateSchemaSdl, SCHEMA_FILE_HEADER } from '../../src/schema-sdl';
import { TestApp } from '../support/test-app';

const root = join(__dirname, '..', '..');
const SHARED_CONTRACT = join(root, '..', 'shared', 'api-contract.graphql');
const VENDORED_CONTRACT = join(__dirname, '..', 'contract', 'api-contract.graphql');

const SHARED_ADDITIONS = join(root, '..', 'shared', 'api-contract-additions.graphql');
const MERGED_MARK =
  '# ---------------------------------------------------------------- merged from';

/** The parts of the additions this project implements, as its copy of the contract holds them. */
const merged = (): string => {
  const vendored = readFileSync(VENDORED_CONTRACT, 'utf8');
  const at = vendored.indexOf(MERGED_MARK);
  return at < 0 ? '' : vendored.slice(at).split('\n').slice(1).join('\n');
};

/** The public contract: the shared copy beside the repository when present, else ours. */
const contractSdl = (): string => {
  if (existsSync(SHARED_CONTRACT)) return readFileSync(SHARED_CONTRACT, 'utf8');
  // No shared folder beside the checkout: our copy up to the merged additions.
  const vendored = readFileSync(VENDORED_CONTRACT, 'utf8');
  const at = vendored.indexOf('\n' + MERGED_MARK);
  return at < 0 ? vendored : vendored.slice(0, at + 1);
};

/** Every difference between what the contract promises and what a schema provides. */
function contractGaps(
  contract: GraphQLSchema,
  schema: GraphQLSchema,
  onlyExistingTypes: boolean,
): string[] {
  const gaps: string[] = [];
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const ours = schema.getType(type.name);
    if (!ours) {
      if (!onlyExistingTypes) gaps.push(`missing type ${type.name}`);
      continue;
    }
    if (isEnumType(type) && isEnumType(ours)) {
      const values = new Set(ours.getValues().map((v) => v.name));
      for (const v of type.getValues())
        if (!values.has(v.name)) gaps.push(`missing ${type.name}.${v.name}`);
    }
    if (
      (isObjectType(type) && isObjectType(ours)) ||
      (isInputObjectType(type) && isInputObjectType(ours))
    ) {
      const fields = ours.getFields() as Record<
        string,
        { type: unknown; args?: readonly { name: string; type: unknown }[] }
      >;
      for (const field of Object.values(type.getFields()) as {
        name: string;
        type: unknown;
        args?: readonly { name: string; type: unknown }[];
      }[]) {
        const mine = fields[field.name];
        if (!mine) {
          if (
            !onlyExistingTypes ||
            !isObjectType(type) ||
            !['Query', 'Mutation'].includes(type.name)
          )
            gaps.push(`missing ${type.name}.${field.name}`);
          continue;
        }
        if (String(mine.type) !== String(field.type))
          gaps.push(
            `${type.name}.${field.name} is ${String(mine.type)}, contract says ${String(field.type)}`,
          );
        for (const arg of field.args ?? []) {
          const myArg = mine.args?.find((a) => a.name === arg.name);
          if (!myArg) gaps.push(`missing argument ${type.name}.${field.name}(${arg.name})`);
          else if (String(myArg.type) !== String(arg.type))
            gaps.push(
              `${type.name}.${field.name}(${arg.name}) is ${String(myArg.type)}, contract says ${String(arg.type)}`,
            );
        }
      }
    }
  }
  return gaps;
}

describe('GraphQL schema', () => {
  it('is committed in src/schema.gql exactly as the code generates it', async () => {
    const committed = readFileSync(join(root, 'src', 'schema.gql'), 'utf8');
    expect(committed).toBe(await generateSchemaSdl());
  });

  it('is what the running service serves', async () => {
    const t = await TestApp.start();
    try {
      const served = t.app.get(GraphQLSchemaHost).schema;
      const committed = readFileSync(join(root, 'src', 'schema.gql'), 'utf8');
      expect(SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(served)) + '\n').toBe(
        committed,
      );
    } finally {
      await t.close();
    }
  });

  it('matches the public contract in full: every type, field, argument and enum value, same nullability', () => {
    // The contract plus the parts of its additions implemented so far.
    const contract = buildSchema(contractSdl() + '\n' + merged());
    const ours = buildSchema(readFileSync(join(root, 'src', 'schema.gql'), 'utf8'));
    expect(contractGaps(contract, ours, false)).toEqual([]);
    expect(contract.getType('VerificationProblem')).toBeDefined();
  });

  it('keeps its copy of the contract: the shared contract, then verbatim parts of the shared additions', () => {
    const vendored = readFileSync(VENDORED_CONTRACT, 'utf8');
    const shared = contractSdl();
    expect(vendored.startsWith(shared.trimEnd() + '\n')).toBe(true);
    const blocks = merged()
      .split(/\n\s*\n/)
      .map((b) => b.trim())
      .filter((b) => b !== '' && !b.split('\n').every((l) => l.startsWith('#')));
    expect(blocks.length).toBeGreaterThan(0);
    const additions = readFileSync(
      existsSync(SHARED_ADDITIONS) ? SHARED_ADDITIONS : VENDORED_CONTRACT,
      'utf8',
    );
    for (const block of blocks) expect([block, additions.includes(block)]).toEqual([block, true]);
  });

  it('finds a re-typed field, argument or missing enum value (the check itself can fail)', () => {
    const contract = buildSchema('type Query { a(x: Int!): String! b: Int } enum E { A B }');
    const drifted = buildSchema('type Query { a(x: Int): String b: Int } enum E { A }');
    expect(contractGaps(contract, drifted, false)).toEqual([
      'Query.a is String, contract says String!',
      'Query.a(x) is Int, contract says Int!',
      'missing E.B',
    ]);
  });
});
