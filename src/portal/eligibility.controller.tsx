import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { EligibilityQuestions, readForm } from './eligibility-question';
import { EntrySearch, asksSomething, readSearchForm } from './entry-search';
import { PageResponder, pageContext } from './page';
import { PublicLists } from './public-lists';
import { EligibilityPage } from './views/eligibility';
import { SearchPageView } from './views/search';

/**
 * The portal's two questions, both plain GET forms so that every answer has an address and
 * works without JavaScript: "is my activity eligible?" (with its signed receipt) and "which
 * entries in force match?".
 */
@Controller()
export class EligibilityController {
  constructor(
    private readonly lists: PublicLists,
    private readonly questions: EligibilityQuestions,
    private readonly entries: EntrySearch,
    private readonly pages: PageResponder,
  ) {}

  @Get('eligibility')
  @Public()
  eligibility(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const today = this.lists.today();
      const { asked, form } = readForm(ctx.query);
      const [countries, outcome] = await Promise.all([
        this.lists.countriesInForce(today),
        asked ? this.questions.ask(form, ctx.t) : Promise.resolve({ kind: 'none' as const }),
      ]);
      // The form comes back with its problems, as the reader's error: not an error page.
      if (outcome.kind === 'problems') void reply.code(400);
      const receiptHref =
        outcome.kind === 'answer' && this.questions.signsReceipts
          ? `/eligibility/receipt?${ctx.query.toString()}`
          : null;
      return (
        <EligibilityPage
          ctx={ctx}
          countries={countries.map((c) => c.country)}
          form={form}
          today={today}
          outcome={outcome}
          receiptHref={receiptHref}
        />
      );
    });
  }

  /**
   * The signed receipt of the answer to the same query, as a JSON download. Never cached: it
   * states when it was issued and cites the latest checkpoint.
   */
  @Get('eligibility/receipt')
  @Public()
  async receipt(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const ctx = pageContext(req);
    const { asked, form } = readForm(ctx.query);
    void reply.header('cache-control', 'no-store');
    const outcome = asked
      ? await this.questions.ask(form, ctx.t)
      : {
          kind: 'problems' as const,
          problems: [{ field: 'country', message: ctx.t('eligibility:problem.hostCountry') }],
        };
    if (outcome.kind !== 'answer') {
      const problems = outcome.kind === 'problems' ? outcome.problems : [];
      await reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send(problems.map((p) => p.message).join('\n'));
      return;
    }
    const receipt = await this.questions.receipt(outcome.result);
    if (!receipt) {
      await reply.code(404).type('text/plain; charset=utf-8').send(ctx.t('error.notFound'));
      return;
    }
    const name = `eligibility-receipt-${outcome.result.hostCountry}-${outcome.result.on}.json`;
    await reply
      .header('content-disposition', `attachment; filename="${name}"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(receipt, null, 2));
  }

  @Get('search')
  @Public()
  search(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.pages.send(req, reply, async (ctx) => {
      const today = this.lists.today();
      const form = readSearchForm(ctx.query);
      const on = this.lists.dateParam(form.on);
      const [countries, page] = await Promise.all([
        this.lists.countriesInForce(today),
        asksSomething(form) || form.after ? this.entries.search(form, on) : Promise.resolve(null),
      ]);
      return (
        <SearchPageView
          ctx={ctx}
          countries={countries.map((c) => c.country)}
          form={form}
          on={on}
          today={today}
          page={page}
        />
      );
    });
  }
}
