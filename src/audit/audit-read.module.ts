import { Module } from '@nestjs/common';
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

/** This feature's GraphQL API. */
export const AUDIT_RESOLVERS = [
  AuditEventConnectionResolver,
  AuditResolver,
  AuditCheckpointResolver,
  AuditCheckpointConnectionResolver,
] as const;

/** Reading, verifying and checkpointing the audit log. */
@Module({
  providers: [AuditRepository, AuditTreeRepository, AuditService, CheckpointsService],
  exports: [AuditRepository, AuditService, CheckpointsService],
})
export class AuditReadModule {}
