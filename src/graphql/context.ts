import type { Request } from 'express';
import { DomainError } from '../common/errors';
import { AuthenticatedPrincipal, RequestContext } from '../auth/principal';
import { Loaders } from './loaders';

/** Request-scoped state: who is calling, the request id, and this request's DataLoaders. */
export interface GraphqlContext extends RequestContext {
  req: Request;
  /** Set when the request carried a credential that did not authenticate. */
  authError?: DomainError;
  loaders: Loaders;
}

export type { AuthenticatedPrincipal };
