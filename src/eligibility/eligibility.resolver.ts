import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CheckpointsService } from '../audit/checkpoints.service';
import { SignedStatement } from '../audit/statement';
import { Public } from '../auth/access';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { EligibilityQuery, EligibilityResult, ReceiptModel } from './eligibility.models';
import { EligibilityResultView, EligibilityService } from './eligibility.service';
import { receiptContent } from './receipt';

/**
 * What answering one question costs beyond the fields it returns (finding the version in
 * force, evaluating every matching entry), in the query-cost plugin's units: a batch of 100
 * costs at least 20,000, the default mark of an expensive operation.
 */
const QUESTION_WORK = 200;

@Resolver(() => EligibilityResult)
export class EligibilityResolver {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly checkpoints: CheckpointsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => EligibilityResult, { complexity: QUESTION_WORK })
  @Public()
  checkEligibility(
    @Args('query', { type: () => EligibilityQuery }) query: EligibilityQuery,
  ): Promise<EligibilityResultView> {
    return this.eligibility.check(query);
  }

  @Query(() => [EligibilityResult], {
    description: 'At most 100 queries per call.',
    complexity: QUESTION_WORK,
  })
  @Public()
  checkEligibilityBatch(
    @Args('queries', { type: () => [EligibilityQuery] }) queries: EligibilityQuery[],
  ): Promise<EligibilityResultView[]> {
    return this.eligibility.checkBatch(queries);
  }

  /**
   * Signed only when asked for (the field is selected), so answers without receipts cost
   * nothing; the latest checkpoint comes from a cache refreshed every second.
   */
  @ResolveField(() => ReceiptModel, {
    nullable: true,
    description:
      'Signed statement of this answer (docs/domain.md section 6); null when the registry has no signing key.',
  })
  async receipt(@Parent() result: EligibilityResultView): Promise<SignedStatement | null> {
    const latest = await this.checkpoints.latestCited();
    return (
      this.checkpoints.signStatement(
        receiptContent(this.config.audit.origin, this.clock.now(), result, latest),
      ) ?? null
    );
  }
}
