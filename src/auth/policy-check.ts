import { Injectable } from '@nestjs/common';
import { forbidden, unauthenticated } from '../common/errors';
import { AccessPolicy } from './access';
import { CountryScope } from './country-scope';
import { AuthenticatedPrincipal } from './principal';

function argAt(args: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => {
    if (value === null || typeof value !== 'object') return undefined;
    return (value as Record<string, unknown>)[key];
  }, args);
}

/**
 * Whether a principal may do what an {@link AccessPolicy} guards, with these arguments:
 * resolves or throws UNAUTHENTICATED, FORBIDDEN, or NOT_FOUND for a record of another
 * country. Country-bound roles are checked against the country of the stored record. The
 * API's guard and the workspace's pages both ask here, so a page and its operation cannot
 * disagree.
 */
@Injectable()
export class PolicyCheck {
  constructor(private readonly countryScope: CountryScope) {}

  async authorize(
    policy: AccessPolicy | undefined,
    principal: AuthenticatedPrincipal | null,
    args: Record<string, unknown>,
  ): Promise<boolean> {
    if (!policy) throw forbidden('This operation has no access policy and is refused');
    if (policy.kind === 'public') return true;
    if (!principal) throw unauthenticated();
    if (policy.kind === 'authenticated') return true;

    if (policy.anyCountry.includes(principal.role)) return true;
    if (policy.ownCountry.includes(principal.role) && policy.country) {
      const value = argAt(args, policy.country.arg);
      if (value === undefined || value === null) {
        if (policy.country.optional) return true;
        throw forbidden('No country to check this role against');
      }
      // A record may be named by a number (an audit event's seq): looked up as its text.
      const id = typeof value === 'number' ? String(value) : value;
      if (typeof id !== 'string') throw forbidden('No country to check this role against');
      const kind = policy.country.kind;
      const country = await this.countryScope.countryOf(kind, id);
      if (country === principal.hostCountry) return true;
      // A record of another country (a draft above all) does not exist for this caller.
      if (kind !== 'hostCountry') throw this.countryScope.hiddenFrom(kind, id);
      throw forbidden(`A ${principal.role} of ${principal.hostCountry} cannot act for ${country}`);
    }
    throw forbidden(`The ${principal.role} role cannot do this`);
  }
}
