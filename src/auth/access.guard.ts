import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { ACCESS_POLICY, AccessPolicy } from './access';
import { CallerAuthenticator } from './caller-authenticator';
import { PolicyCheck } from './policy-check';
import './caller';
import { AuthContext } from './principal';

/**
 * The one guard: every Query and Mutation must declare an {@link AccessPolicy}; a handler
 * without one is refused (fail closed). The policy itself is checked by {@link PolicyCheck}.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly policies: PolicyCheck,
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
      return this.policies.authorize(policy, ctx.principal, gql.getArgs<Record<string, unknown>>());
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
    return this.policies.authorize(policy, principal, {
      ...(req.query as Record<string, unknown>),
    });
  }
}
