import { SetMetadata } from '@nestjs/common';
import { Role } from './role';

/**
 * Where a country-bound role finds the country to check: the argument at `arg` (a dotted
 * path such as `input.hostCountry`), read as `kind`. `hostCountry` is the code itself; other
 * kinds name a record whose country is loaded from the database, never taken from the client.
 */
/**
 * What an argument names: a country code itself, or a record whose stored country is loaded
 * by the lookup its feature registers with the CountryScope.
 */
export type CountryArgumentKind =
  'hostCountry' | 'listVersion' | 'entry' | 'webhookEndpoint' | 'webhookDelivery' | 'auditEvent';

export interface CountryLocator {
  arg: string;
  kind: CountryArgumentKind;
  /**
   * When the argument is absent the call is allowed and the operation itself must narrow
   * what it returns to the caller's country (used by list filters).
   */
  optional?: boolean;
}

/** Who may call an operation. Every Query and Mutation declares exactly one. */
export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | {
      kind: 'roles';
      /** Roles allowed whatever the country. */
      anyCountry: Role[];
      /** Roles allowed only for their own country, found by `country`. */
      ownCountry: Role[];
      country?: CountryLocator;
    };

export const ACCESS_POLICY = 'registry:access-policy';

/** Anyone, including anonymous callers. */
export const Public = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);

/** Any authenticated principal. */
export const Authenticated = () =>
  SetMetadata(ACCESS_POLICY, { kind: 'authenticated' } satisfies AccessPolicy);

/** Only these roles, whatever country the record belongs to. */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS_POLICY, {
    kind: 'roles',
    anyCountry: roles,
    ownCountry: [],
  } satisfies AccessPolicy);

/** `anyCountry` roles everywhere, `ownCountry` roles only on records of their own country. */
export const CountryRoles = (options: {
  anyCountry: Role[];
  ownCountry: Role[];
  country: CountryLocator;
}) => SetMetadata(ACCESS_POLICY, { kind: 'roles', ...options } satisfies AccessPolicy);

/** Renders a policy for people (README policy table, error messages). */
export function describePolicy(policy: AccessPolicy): string {
  switch (policy.kind) {
    case 'public':
      return 'anyone';
    case 'authenticated':
      return 'any authenticated principal';
    case 'roles': {
      const parts = [...policy.anyCountry];
      const own = policy.ownCountry.map((r) => `${r} (own country)`);
      return [...parts, ...own].join(', ');
    }
  }
}
