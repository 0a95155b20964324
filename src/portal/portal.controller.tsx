import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { ASSETS } from './assets';
import { PageResponder } from './page';
import { PublicLists } from './public-lists';
import { CountryPage } from './views/country';
import { HomePage } from './views/home';

/**
 * The public portal: server-rendered pages of published lists, for anyone, without a login
 * and without JavaScript; every route is public, declared one by one as the access guard
 * requires. Thin like the resolvers: read through PublicLists, render a view.
 */
@Controller()
export class PortalController {
  constructor(
    private readonly lists: PublicLists,
    private readonly pages: PageResponder,
  ) {}

  @Get()
  @Public()
  home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => (
      <HomePage ctx={ctx} countries={await this.lists.countriesInForce(this.lists.today())} />
    ));
  }

  @Get('countries/:code')
  @Public()
  country(
    @Param('code') code: string,
    @Query('on') on: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const date = this.lists.dateParam(on);
      const country = await this.lists.country(code);
      const version = await this.lists.versionInForce(country, date);
      const entries = version ? await this.lists.entries(version) : [];
      return (
        <CountryPage
          ctx={ctx}
          country={country}
          on={date}
          today={this.lists.today()}
          version={version}
          entries={entries}
        />
      );
    });
  }

  /** The stylesheet, under a name that changes with its content: cached for a year. */
  @Get('assets/:name')
  @Public()
  async asset(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const asset = ASSETS.get(req.url.split('?')[0]);
    if (!asset) {
      await reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    await reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(asset.type)
      .send(asset.body);
  }
}
