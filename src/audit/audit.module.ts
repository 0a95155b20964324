import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { ChangeRunner } from './change-runner';

/** The audit log and the one transactional write path built on it. */
@Module({
  providers: [AuditLog, ChangeRunner],
  exports: [AuditLog, ChangeRunner],
})
export class AuditModule {}
