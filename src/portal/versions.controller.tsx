import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { PageResponder } from './page';
import { PublicLists } from './public-lists';
import { PublicVersions } from './public-versions';
import { DiffPage } from './views/diff';
import { VersionPage } from './views/version';
import { VersionsPage } from './views/versions';

/**
 * A country's list through time: every public version, one version with its entries, and
 * what changed between two. The same reads as HostCountry.listVersions and listDiff give an
 * anonymous caller; versions are named by number, as readers cite them.
 */
@Controller('countries/:code')
export class VersionsController {
  constructor(
    private readonly lists: PublicLists,
    private readonly versions: PublicVersions,
    private readonly pages: PageResponder,
  ) {}

  @Get('versions')
  @Public()
  timeline(
    @Param('code') code: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const country = await this.lists.country(code);
      return (
        <VersionsPage
          ctx={ctx}
          country={country}
          versions={await this.versions.timeline(country)}
        />
      );
    });
  }

  @Get('versions/:number')
  @Public()
  version(
    @Param('code') code: string,
    @Param('number') number: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const country = await this.lists.country(code);
      const shown = await this.versions.byNumber(country, 'number', number);
      const [basedOn, previous, entries] = await Promise.all([
        this.versions.basedOn(country, shown.version),
        this.versions.previous(country, shown.version),
        this.lists.entries(shown.version),
      ]);
      return (
        <VersionPage
          ctx={ctx}
          country={country}
          shown={shown}
          basedOn={basedOn}
          previous={previous}
          entries={entries}
        />
      );
    });
  }

  @Get('diff')
  @Public()
  diff(
    @Param('code') code: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const country = await this.lists.country(code);
      return (
        <DiffPage ctx={ctx} country={country} diff={await this.versions.diff(country, from, to)} />
      );
    });
  }
}
