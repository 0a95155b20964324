import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { PageResponder } from './page';
import { PublishedCheckpoints } from './published-checkpoints';
import { TransparencyPage } from './views/transparency';

/**
 * `/transparency`: the latest signed checkpoint and the public key, with downloads, and how
 * to verify and watch the log. The downloads are plain text, so that the tools (and `curl`)
 * take them as they are.
 */
@Controller('transparency')
export class TransparencyController {
  constructor(
    private readonly published: PublishedCheckpoints,
    private readonly pages: PageResponder,
  ) {}

  @Get()
  @Public()
  page(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const [checkpoint, publicKey] = await Promise.all([
        this.published.latest(),
        this.published.publicKey(),
      ]);
      return <TransparencyPage ctx={ctx} checkpoint={checkpoint} publicKey={publicKey} />;
    });
  }

  /** The latest checkpoint as a C2SP signed note, as `auditCheckpoint { note }` gives it. */
  @Get('checkpoint')
  @Public()
  async checkpoint(@Res() reply: FastifyReply): Promise<void> {
    const checkpoint = await this.published.latest();
    await download(reply, 'checkpoint.txt', checkpoint?.note);
  }

  /** The base64 Ed25519 key, the form `--public-key` takes. */
  @Get('public-key')
  @Public()
  async publicKey(@Res() reply: FastifyReply): Promise<void> {
    const key = await this.published.publicKey();
    await download(reply, 'registry-public-key.txt', key === undefined ? undefined : `${key}\n`);
  }
}

/**
 * A text file to save; 404 when there is nothing yet. Not cached for long: a new checkpoint
 * may be signed at any moment and a monitor must see it.
 */
async function download(
  reply: FastifyReply,
  filename: string,
  body: string | undefined,
): Promise<void> {
  if (body === undefined) {
    await reply
      .code(404)
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send('Not found\n');
    return;
  }
  await reply
    .header('cache-control', 'public, max-age=60')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .type('text/plain; charset=utf-8')
    .send(body);
}
