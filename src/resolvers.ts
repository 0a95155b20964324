import { AUDIT_RESOLVERS } from './audit/audit-read.module';
import { BULK_RESOLVERS } from './bulk/bulk.module';
import { COUNTRIES_RESOLVERS } from './countries/countries.module';
import { ELIGIBILITY_RESOLVERS } from './eligibility/eligibility.module';
import { LISTS_RESOLVERS } from './positive-lists/lists.module';
import { PRINCIPALS_RESOLVERS } from './principals/principals.module';
import { WEBHOOKS_RESOLVERS } from './webhooks/webhooks.module';

/**
 * Every GraphQL resolver, as each feature exports them; the app registers these and the
 * schema file is printed from them.
 */
export const RESOLVERS = [
  ...AUDIT_RESOLVERS,
  ...COUNTRIES_RESOLVERS,
  ...PRINCIPALS_RESOLVERS,
  ...LISTS_RESOLVERS,
  ...ELIGIBILITY_RESOLVERS,
  ...BULK_RESOLVERS,
  ...WEBHOOKS_RESOLVERS,
] as const;
