import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountryRoles, Public, Roles } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { Role } from '../auth/role';
import { Ctx } from '../auth/request-context.decorator';
import {
  AuditCheckpoint,
  AuditEventConnection,
  AuditFilter,
  AuditVerification,
} from './audit.models';
import { AuditPage, AuditService } from './audit.service';
import { ChainVerdict } from './chain-verifier';
import { VerificationProblem } from './content-checks';
import { CheckpointView } from './checkpoint';
import { CheckpointsService } from './checkpoints.service';

@Resolver()
export class AuditResolver {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: CheckpointsService,
  ) {}

  @Query(() => AuditEventConnection, {
    description: 'AUDITOR and ADMIN see everything; OFFICIAL and APPROVER their own country.',
  })
  @CountryRoles({
    anyCountry: [Role.ADMIN, Role.AUDITOR],
    ownCountry: [Role.OFFICIAL, Role.APPROVER],
    country: { arg: 'filter.hostCountry', kind: 'hostCountry', optional: true },
  })
  auditEvents(
    @Ctx() ctx: RequestContext,
    @Args('filter', { type: () => AuditFilter, nullable: true }) filter?: AuditFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<AuditPage> {
    return this.audit.events(ctx, filter, first, after);
  }

  @Query(() => AuditVerification, { description: 'AUDITOR and ADMIN.' })
  @Roles(Role.ADMIN, Role.AUDITOR)
  verifyAuditTrail(): Promise<ChainVerdict & { problems: VerificationProblem[] }> {
    return this.audit.verify();
  }

  @Query(() => AuditCheckpoint, {
    nullable: true,
    description: 'The latest signed checkpoint of the audit log (public, so anyone can pin it).',
  })
  @Public()
  auditCheckpoint(): Promise<CheckpointView | null> {
    return this.checkpoints.latest();
  }
}

@Resolver(() => AuditEventConnection)
export class AuditEventConnectionResolver {
  @ResolveField(() => Int)
  totalCount(@Parent() page: AuditPage): Promise<number> {
    return page.countTotal();
  }
}
