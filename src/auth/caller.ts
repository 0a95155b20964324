import { DomainError } from '../common/errors';
import { AuthenticatedPrincipal } from './principal';

/**
 * Who sent a request, worked out once per request at the edge (before rate limiting, which
 * counts per principal) and read from there by the GraphQL context and the REST guard.
 */
export interface Caller {
  principal: AuthenticatedPrincipal | null;
  /** Set when the request carried a credential that did not authenticate. */
  authError?: DomainError;
  /** Whom rate limits and concurrency caps count against: the principal, else the client IP. */
  client: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once per request by the fair-use hook (`identifyCaller`). */
    caller?: Promise<Caller>;
  }
}
