import type { RequestContext } from '../auth/principal';
import type { AuthenticatedPrincipal } from '../auth/principal';
import { Actor, SYSTEM_ACTOR } from './audit-event';
import { ChangeAttribution } from './audit-log';

/**
 * The audit actor for a request's principal. Without one the caller is the system itself
 * (start-up tasks, the CLI): anonymous callers are never allowed to change anything.
 */
export function actorOf(principal: AuthenticatedPrincipal | null): Actor {
  if (!principal) return SYSTEM_ACTOR;
  return {
    principalId: principal.id,
    name: principal.name,
    role: principal.role,
    hostCountry: principal.hostCountry,
  };
}

/** Who makes a change, why, and in which request: what every audit event records. */
export function attributionOf(ctx: RequestContext, reason: string): ChangeAttribution {
  return { actor: actorOf(ctx.principal), reason, requestId: ctx.requestId };
}
