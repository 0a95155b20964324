import { AuditEventConnectionResolver, AuditResolver } from './audit/audit.resolver';
import { PrincipalsResolver } from './auth/principals.resolver';
import { CountriesResolver } from './countries/countries.resolver';
import { EligibilityResolver } from './eligibility/eligibility.resolver';
import {
  ActivityEntryResolver,
  BaselineRuleResolver,
  EntryConnectionResolver,
  HostCountryListsResolver,
  ListVersionResolver,
} from './positive-lists/lists.resolver';

/** Every GraphQL resolver; the app registers these and the schema file is printed from them. */
export const RESOLVERS = [
  AuditEventConnectionResolver,
  AuditResolver,
  CountriesResolver,
  PrincipalsResolver,
  ListVersionResolver,
  ActivityEntryResolver,
  BaselineRuleResolver,
  EntryConnectionResolver,
  HostCountryListsResolver,
  EligibilityResolver,
] as const;
