import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { CheckpointsService } from './checkpoints.service';

/** Reading, verifying and checkpointing the audit log. */
@Module({
  providers: [AuditRepository, AuditService, CheckpointsService],
  exports: [AuditRepository, AuditService, CheckpointsService],
})
export class AuditReadModule {}
