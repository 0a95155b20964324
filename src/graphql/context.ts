import type { FastifyRequest } from 'fastify';
import { AuthContext } from '../auth/principal';

/**
 * Request-scoped state: who is calling and the request id (what the access guard reads),
 * and the HTTP request. Features keep their per-request DataLoaders against this object
 * (see `perRequest`), so nothing here knows about them.
 */
export interface GraphqlContext extends AuthContext {
  req: FastifyRequest;
  /** Whom limits count against (see `clientOf`). */
  client: string;
}
