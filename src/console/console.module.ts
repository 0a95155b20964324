import { AuditReadModule } from '../audit/audit-read.module';
import { Module } from '@nestjs/common';
import { BulkModule } from '../bulk/bulk.module';
import { CountriesModule } from '../countries/countries.module';
import { ListsModule } from '../positive-lists/lists.module';
import { PrincipalsModule } from '../principals/principals.module';
import { ConsoleGuard } from './console-access';
import { ConsoleExceptionFilter, ConsolePages } from './console-pages';
import { EntriesController } from './entries.controller';
import { ConsoleSessionController } from './session.controller';
import { SignInLimiter } from './sign-in-limiter';
import { WorkspaceController } from './workspace.controller';
import { ConsoleImportController } from './import.controller';
import { RateLimitModule } from '../graphql/rate-limit-store';
import { ConsoleAuditController } from './audit.controller';
import { ConsoleOidcController } from './oidc.controller';
import { OidcSignIn } from './oidc-sign-in';
import { AdminController } from './admin.controller';

/** Every controller of the workspace: each route declares the operation it follows. */
export const CONSOLE_CONTROLLERS = [
  ConsoleSessionController,
  ConsoleOidcController,
  WorkspaceController,
  ConsoleImportController,
  EntriesController,
  ConsoleAuditController,
  AdminController,
] as const;

/**
 * The officials' workspace under /console: pages built on the portal's templates, styles and
 * languages, behind a session signed in with an API key or with the identity provider
 * (OpenID Connect).
 */
@Module({
  imports: [
    PrincipalsModule,
    CountriesModule,
    ListsModule,
    BulkModule,
    AuditReadModule,
    RateLimitModule,
  ],
  controllers: [...CONSOLE_CONTROLLERS],
  providers: [ConsolePages, ConsoleGuard, ConsoleExceptionFilter, SignInLimiter, OidcSignIn],
})
export class ConsoleModule {}
