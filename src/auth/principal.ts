import { Actor, SYSTEM_ACTOR } from '../audit/audit-event';
import { Role } from './role';

/** The caller of a request, as stored in the database (never as claimed by the client). */
export interface AuthenticatedPrincipal {
  id: string;
  name: string;
  role: Role;
  hostCountry: string | null;
}

/** What every domain operation knows about the request it serves. */
export interface RequestContext {
  principal: AuthenticatedPrincipal | null;
  requestId: string;
}

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
