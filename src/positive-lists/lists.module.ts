import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ListsRepository } from './lists.repository';
import { ListsService } from './lists.service';

/** Versioned positive and negative lists: drafting, maker-checker publication, diffs, search. */
@Module({
  imports: [AuditModule, AuthModule],
  providers: [ListsRepository, ListsService],
  exports: [ListsRepository, ListsService],
})
export class ListsModule {}
