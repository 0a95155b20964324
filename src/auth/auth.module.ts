import { Global, Module } from '@nestjs/common';
import { CountryScope } from './country-scope';
import { PolicyCheck } from './policy-check';

/**
 * Access control's shared part: the registry of country lookups the guard checks roles
 * against. Global, because every feature registers the records it owns and none of them
 * should import another to do so. Principals and credentials are the principals feature.
 */
@Global()
@Module({
  providers: [CountryScope, PolicyCheck],
  exports: [CountryScope, PolicyCheck],
})
export class AuthModule {}
