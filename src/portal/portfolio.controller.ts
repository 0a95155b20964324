import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Public } from '../auth/access';
import { DomainError, badInput } from '../common/errors';
import { PortfolioCheck } from '../bulk/portfolio';
import { PORTFOLIO_PATH } from '../graphql/http-pipeline';

/**
 * `POST /eligibility/portfolio` with a CSV of projects (`Content-Type: text/csv`): the
 * answers come back as CSV, streamed as they are made (issue #16). Public, as
 * `checkEligibilityBatch` is; the fair-use limits apply as to every route.
 */
@Controller()
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioCheck) {}

  @Post(PORTFOLIO_PATH)
  @Public()
  async check(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      if (!(req.body instanceof Readable))
        throw badInput('Send the portfolio as CSV, with Content-Type: text/csv');
      const answers = await this.portfolio.open(req.body);
      await reply
        .code(200)
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="portfolio-eligibility.csv"')
        .send(Readable.from(answers));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await reply
        .code(400)
        .header('cache-control', 'no-store')
        .send({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    }
  }
}
