import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { RESOLVERS } from './resolvers';
import { SCHEMA_BUILD_OPTIONS } from './graphql/graphql-options';

export const SCHEMA_FILE_HEADER =
  '# Generated from the code by `npm run schema:write`; do not edit. A test fails when it drifts.\n\n';

/** The schema the code defines, printed with sorted types, as committed in src/schema.gql. */
export async function generateSchemaSdl(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, {
    logger: false,
  });
  try {
    const schema = await app.get(GraphQLSchemaFactory).create([...RESOLVERS], SCHEMA_BUILD_OPTIONS);
    return SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await app.close();
  }
}
