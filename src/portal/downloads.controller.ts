import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough, Readable } from 'node:stream';
import { Public } from '../auth/access';
import {
  EXPORT_MEDIA_TYPES,
  ExportFormat,
  ExportShape,
  csvExport,
  csvTemplate,
  jsonExport,
  xlsxExport,
} from '../bulk/entry-export';
import { ListExports, PublishedList } from '../bulk/list-exports';
import { Download, PageResponder } from './page';
import { PageError } from './page-error';
import { PublicLists } from './public-lists';

/** Bumped when the files' layout changes, so caches let go of files in the old layout. */
const LAYOUT = 1;

function formatOf(param: string): ExportFormat {
  const format = Object.values(ExportFormat).find((f) => f === (param as ExportFormat));
  if (!format) throw PageError.notFound();
  return format;
}

function body(lists: PublishedList[], format: ExportFormat, shape: ExportShape) {
  return () => {
    if (format === ExportFormat.XLSX) {
      const out = new PassThrough();
      xlsxExport(lists, shape, out).catch((error: Error) => out.destroy(error));
      return out;
    }
    return Readable.from(
      format === ExportFormat.CSV ? csvExport(lists, shape) : jsonExport(lists, shape),
    );
  };
}

/**
 * Published lists as files (issue #16): a version's entries, every list in force on a date,
 * and the CSV template of an import. Public, as the pages showing the same data are, and
 * cached the same way: a version's file by its content digest (it never changes), the lists
 * in force by the public data version and the date.
 */
@Controller()
export class DownloadsController {
  constructor(
    private readonly exports: ListExports,
    private readonly lists: PublicLists,
    private readonly pages: PageResponder,
  ) {}

  @Get('countries/:code/versions/:number/entries.:format')
  @Public()
  version(
    @Param('code') code: string,
    @Param('number') number: string,
    @Param('format') format: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.sendDownload(req, reply, async (): Promise<Download> => {
      const chosen = formatOf(format);
      const country = await this.lists.country(code);
      const list = /^[1-9]\d{0,6}$/.test(number)
        ? await this.exports.version(country.code, Number(number))
        : null;
      if (!list) throw PageError.notFound();
      return {
        filename: `${country.code}-v${list.version.version}-entries.${chosen}`,
        mediaType: EXPORT_MEDIA_TYPES[chosen],
        // A published version's entries never change; its status (withdrawn) is not in the file.
        tag: {
          data: 'published',
          parts: [LAYOUT, list.version.id, list.version.contentDigest, chosen],
        },
        body: body([list], chosen, { manyLists: false }),
      };
    });
  }

  @Get('lists-in-force.:format')
  @Public()
  inForce(
    @Param('format') format: string,
    @Query('on') on: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.pages.sendDownload(req, reply, async (): Promise<Download> => {
      const chosen = formatOf(format);
      const date = this.lists.dateParam(on);
      const lists = await this.exports.listsInForce(date);
      return {
        filename: `lists-in-force-${date}.${chosen}`,
        mediaType: EXPORT_MEDIA_TYPES[chosen],
        tag: { data: 'public', parts: [LAYOUT, date, chosen] },
        body: body(lists, chosen, { manyLists: true }),
      };
    });
  }

  @Get('templates/entries.csv')
  @Public()
  template(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pages.sendDownload(req, reply, () =>
      Promise.resolve({
        filename: 'entries-template.csv',
        mediaType: EXPORT_MEDIA_TYPES[ExportFormat.CSV],
        tag: { data: 'published', parts: [LAYOUT, 'template'] },
        body: csvTemplate,
      }),
    );
  }
}
