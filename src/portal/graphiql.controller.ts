import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { sendGraphiqlAsset } from './graphiql';

/** The API explorer's files (GraphiQL, React, our init script), from the installed packages. */
@Controller('graphiql')
export class GraphiqlController {
  @Get('*')
  @Public()
  asset(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return sendGraphiqlAsset(req, reply);
  }
}
