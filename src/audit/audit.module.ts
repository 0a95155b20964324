import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { ChangeRunner } from './change-runner';
import { ContentChecks } from './content-checks';

/**
 * The audit log, the one transactional write path built on it, and the registry of content
 * checks. Global, so every feature shares one instance of each.
 */
@Global()
@Module({
  providers: [AuditLog, ChangeRunner, ContentChecks],
  exports: [AuditLog, ChangeRunner, ContentChecks],
})
export class AuditModule {}
