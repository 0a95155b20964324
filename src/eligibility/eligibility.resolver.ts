import { Args, Query, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/access';
import { EligibilityQuery, EligibilityResult } from './eligibility.models';
import { EligibilityResultView, EligibilityService } from './eligibility.service';

@Resolver(() => EligibilityResult)
export class EligibilityResolver {
  constructor(private readonly eligibility: EligibilityService) {}

  @Query(() => EligibilityResult)
  @Public()
  checkEligibility(
    @Args('query', { type: () => EligibilityQuery }) query: EligibilityQuery,
  ): Promise<EligibilityResultView> {
    return this.eligibility.check(query);
  }

  @Query(() => [EligibilityResult], { description: 'At most 100 queries per call.' })
  @Public()
  checkEligibilityBatch(
    @Args('queries', { type: () => [EligibilityQuery] }) queries: EligibilityQuery[],
  ): Promise<EligibilityResultView[]> {
    return this.eligibility.checkBatch(queries);
  }
}
