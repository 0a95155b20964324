import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { forbidden, unauthenticated } from '../common/errors';
import type { FastifyRequest } from 'fastify';
import { ACCESS_POLICY, AccessPolicy } from './access';
import { CallerAuthenticator } from './caller-authenticator';
import { CountryScope } from './country-scope';
import './caller';
import { AuthContext, AuthenticatedPrincipal } from './principal';

function argAt(args: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => {
    if (value === null || typeof value !== 'object') return undefined;
    return (value as Record<string, unknown>)[key];
  }, args);
}

/**
 * The one guard: every Query and Mutation must declare an {@link AccessPolicy}; a handler
 * without one is refused (fail closed). Country-bound roles are checked against the country
 * of the stored record.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly countryScope: CountryScope,
    private readonly authenticator: CallerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.get<AccessPolicy | undefined>(
      ACCESS_POLICY,
      context.getHandler(),
    );
    if (context.getType<string>() === 'graphql') {
      const gql = GqlExecutionContext.create(context);
      const ctx = gql.getContext<AuthContext>();
      if (ctx.authError) throw ctx.authError;
      return this.authorize(policy, ctx.principal, gql.getArgs<Record<string, unknown>>());
    }
    // REST routes: the same policies, with the credential read here.
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (policy?.kind === 'public') return true;
    // Identified once by the edge's fair-use hook; authenticated here only without it.
    const principal = req.caller
      ? await req.caller.then((caller) => {
          if (caller.authError) throw caller.authError;
          return caller.principal;
        })
      : await this.authenticator.authenticate(req.headers.authorization);
    return this.authorize(policy, principal, { ...(req.query as Record<string, unknown>) });
  }

  private async authorize(
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
      if (typeof value !== 'string') throw forbidden('No country to check this role against');
      const kind = policy.country.kind;
      const country = await this.countryScope.countryOf(kind, value);
      if (country === principal.hostCountry) return true;
      // A record of another country (a draft above all) does not exist for this caller.
      if (kind !== 'hostCountry') throw this.countryScope.hiddenFrom(kind, value);
      throw forbidden(`A ${principal.role} of ${principal.hostCountry} cannot act for ${country}`);
    }
    throw forbidden(`The ${principal.role} role cannot do this`);
  }
}
