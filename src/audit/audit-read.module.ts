import { Module } from '@nestjs/common';
import { AuditEventConnectionResolver, AuditResolver } from './audit.resolver';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { CheckpointsService } from './checkpoints.service';

/** This feature's GraphQL API. */
export const AUDIT_RESOLVERS = [AuditEventConnectionResolver, AuditResolver] as const;

/** Reading, verifying and checkpointing the audit log. */
@Module({
  providers: [AuditRepository, AuditService, CheckpointsService],
  exports: [AuditRepository, AuditService, CheckpointsService],
})
export class AuditReadModule {}
