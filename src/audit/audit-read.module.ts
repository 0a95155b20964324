import { Injectable, Module } from '@nestjs/common';
import {
  AuditCheckpointConnectionResolver,
  AuditCheckpointResolver,
  AuditEventConnectionResolver,
  AuditResolver,
} from './audit.resolver';
import { AuditRepository } from './audit.repository';
import { AuditTreeRepository } from './audit-tree.repository';
import { AuditService } from './audit.service';
import { CheckpointsService } from './checkpoints.service';
import { PublicDataVersion } from '../graphql/http-cache';

/** The audit log's head as the version of everything public (see PublicDataVersion). */
@Injectable()
export class AuditedDataVersion extends PublicDataVersion {
  constructor(private readonly audit: AuditRepository) {
    super();
  }

  current(): Promise<string> {
    return this.audit.changeMark();
  }
}

/** This feature's GraphQL API. */
export const AUDIT_RESOLVERS = [
  AuditEventConnectionResolver,
  AuditResolver,
  AuditCheckpointResolver,
  AuditCheckpointConnectionResolver,
] as const;

/** Reading, verifying and checkpointing the audit log. */
@Module({
  providers: [
    AuditRepository,
    AuditTreeRepository,
    AuditService,
    CheckpointsService,
    { provide: PublicDataVersion, useClass: AuditedDataVersion },
  ],
  exports: [AuditRepository, AuditService, CheckpointsService, PublicDataVersion],
})
export class AuditReadModule {}
