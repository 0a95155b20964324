import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { EntryReads } from './entry-reads';
import { PageResponder } from './page';
import { PublicLists } from './public-lists';
import { EntryPage } from './views/entry';

/** One entry of a list in force, in full: its terms, its baseline drawn, its history. */
@Controller()
export class EntryController {
  constructor(
    private readonly lists: PublicLists,
    private readonly entries: EntryReads,
    private readonly pages: PageResponder,
  ) {}

  @Get('countries/:code/entries/:key')
  @Public()
  entry(
    @Param('code') code: string,
    @Param('key') key: string,
    @Query('on') on: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const date = this.lists.dateParam(on);
      const found = await this.entries.entryInForce(code, key, date);
      return <EntryPage ctx={ctx} today={this.lists.today()} {...found} />;
    });
  }
}
