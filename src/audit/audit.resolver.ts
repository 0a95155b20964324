import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountryRoles, Public, Roles } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { Role } from '../auth/role';
import { Ctx } from '../auth/request-context.decorator';
import {
  AuditCheckpoint,
  AuditCheckpointConnection,
  AuditEvent,
  AuditEventConnection,
  AuditFilter,
  AuditVerification,
  ConsistencyProof,
  InclusionProof,
} from './audit.models';
import {
  AuditPage,
  AuditService,
  CheckpointPage,
  ConsistencyProofView,
  InclusionProofView,
} from './audit.service';
import { AuditEventView } from './audit-event';
import { ChainVerdict } from './chain-verifier';
import { VerificationProblem } from './content-checks';
import { CheckpointView, signedNote } from './checkpoint';
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

  @Query(() => AuditEvent, {
    description:
      'One event by its seq. AUDITOR and ADMIN see any; OFFICIAL and APPROVER those of their own country (others are NOT_FOUND).',
  })
  @CountryRoles({
    anyCountry: [Role.ADMIN, Role.AUDITOR],
    ownCountry: [Role.OFFICIAL, Role.APPROVER],
    country: { arg: 'seq', kind: 'auditEvent' },
  })
  auditEvent(
    @Ctx() ctx: RequestContext,
    @Args('seq', { type: () => Int }) seq: number,
  ): Promise<AuditEventView> {
    return this.audit.event(ctx, seq);
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

  @Query(() => AuditCheckpointConnection, {
    description: 'Every signed checkpoint, newest first (public).',
  })
  @Public()
  auditCheckpoints(
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<CheckpointPage> {
    return this.audit.checkpointsPage(first, after);
  }

  @Query(() => InclusionProof, {
    description:
      'RFC 6962 inclusion proof of one event in the tree of a given size (public: hashes only).',
  })
  @Public()
  auditInclusionProof(
    @Args('seq', { type: () => Int }) seq: number,
    @Args('treeSize', { type: () => Int }) treeSize: number,
  ): Promise<InclusionProofView> {
    return this.audit.inclusionProof(seq, treeSize);
  }

  @Query(() => ConsistencyProof, {
    description: 'RFC 6962 consistency proof between two tree sizes (public).',
  })
  @Public()
  auditConsistencyProof(
    @Args('fromSize', { type: () => Int }) fromSize: number,
    @Args('toSize', { type: () => Int }) toSize: number,
  ): Promise<ConsistencyProofView> {
    return this.audit.consistencyProof(fromSize, toSize);
  }
}

@Resolver(() => AuditCheckpointConnection)
export class AuditCheckpointConnectionResolver {
  @ResolveField(() => Int)
  totalCount(@Parent() page: CheckpointPage): Promise<number> {
    return page.countTotal();
  }
}

@Resolver(() => AuditCheckpoint)
export class AuditCheckpointResolver {
  @ResolveField(() => String, {
    description: 'C2SP signed note: body, empty line, signature line.',
  })
  note(@Parent() checkpoint: CheckpointView): string {
    return signedNote(checkpoint);
  }
}

@Resolver(() => AuditEventConnection)
export class AuditEventConnectionResolver {
  @ResolveField(() => Int)
  totalCount(@Parent() page: AuditPage): Promise<number> {
    return page.countTotal();
  }
}
