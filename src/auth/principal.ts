import { DomainError } from '../common/errors';
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
 * What the access guard reads from a request's context. The GraphQL edge builds a context
 * that implements it; auth knows nothing of GraphQL's own context beyond this.
 */
export interface AuthContext extends RequestContext {
  /** Set when the request carried a credential that did not authenticate. */
  authError?: DomainError;
}
