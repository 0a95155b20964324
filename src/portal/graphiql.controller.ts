import { Controller, Get, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { sendGraphiqlAsset, sendGraphiqlSchema } from './graphiql';

/**
 * The API explorer's files (GraphiQL, React, our init script) from the installed packages,
 * and the schema it explores. The page itself is served at /graphql (see registerGraphiql).
 */
@Controller('graphiql')
export class GraphiqlController {
  constructor(private readonly modules: ModuleRef) {}

  @Get('schema.json')
  @Public()
  schema(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The GraphQL module does not export its schema host to the portal: looked up app-wide.
    return sendGraphiqlSchema(
      req,
      reply,
      () => this.modules.get(GraphQLSchemaHost, { strict: false }).schema,
    );
  }

  @Get('*')
  @Public()
  asset(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return sendGraphiqlAsset(req, reply);
  }
}
