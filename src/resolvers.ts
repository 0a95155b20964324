import { AuditEventConnectionResolver, AuditResolver } from './audit/audit.resolver';
import { PrincipalsResolver } from './auth/principals.resolver';
import { CountriesResolver } from './countries/countries.resolver';

/** Every GraphQL resolver; the app registers these and the schema file is printed from them. */
export const RESOLVERS = [
  AuditEventConnectionResolver,
  AuditResolver,
  CountriesResolver,
  PrincipalsResolver,
] as const;
