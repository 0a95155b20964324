import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as ipaddr from 'ipaddr.js';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { CallerAuthenticator } from '../auth/caller-authenticator';
import { Caller } from '../auth/caller';
import { AuthenticatedPrincipal } from '../auth/principal';
import { DomainError, ErrorCode, serviceUnavailable } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';
import { isDatabaseUnreachable } from './error-mapping';
import { RateLimitStore, consumeOne } from './rate-limit-store';

/**
 * The network a client IP stands for: the address itself for IPv4, the /64 for IPv6 (one
 * household or host gets a whole /64, so counting single addresses would let one client
 * rotate through billions of them).
 */
export function clientNetwork(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

/** Whom limits count against: an authenticated principal, else the client's network. */
export function clientOf(principal: AuthenticatedPrincipal | null, ip: string | undefined): string {
  return principal ? `principal:${principal.id}` : `ip:${clientNetwork(ip)}`;
}

/**
 * Authenticates the request's credential once and keeps the outcome on the request. A bad
 * credential is not an error here: the guard refuses the operation, and the rate limit counts
 * the request against the client IP meanwhile, so guessing keys is limited too.
 */
export function identifyCaller(
  req: FastifyRequest,
  authenticator: CallerAuthenticator,
  logger: JsonLogger,
): Promise<Caller> {
  req.caller ??= authenticator.authenticate(req.headers.authorization).then(
    (principal) => ({ principal, client: clientOf(principal, req.ip) }),
    (error: unknown) => {
      const client = clientOf(null, req.ip);
      if (error instanceof DomainError) return { principal: null, authError: error, client };
      if (isDatabaseUnreachable(error)) {
        // Raised by the guard as SERVICE_UNAVAILABLE, like any other outage; logged here,
        // where the cause is still at hand.
        logger.emit('error', 'database unreachable', {
          requestId: req.id,
          error: (error as Error).message,
        });
        return { principal: null, authError: serviceUnavailable(), client };
      }
      throw error;
    },
  );
  return req.caller;
}

export type Admission =
  | { admitted: true }
  | {
      admitted: false;
      retryAfterSeconds: number;
      /** The first request refused in this window (of all instances, with Redis). */
      firstRefusal: boolean;
    };

/**
 * Requests per window per client, counted in the RateLimitStore (Redis when REDIS_URL is set,
 * shared by every instance; else this process's memory).
 */
@Injectable()
export class RequestRateLimiter {
  private readonly anonymous?: RateLimiterAbstract;
  private readonly authenticated?: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, store: RateLimitStore) {
    const { anonymousPerWindow, authenticatedPerWindow, windowSeconds } = config.fairUse;
    if (anonymousPerWindow > 0)
      this.anonymous = store.limiter('anonymous', anonymousPerWindow, windowSeconds);
    if (authenticatedPerWindow > 0)
      this.authenticated = store.limiter('principal', authenticatedPerWindow, windowSeconds);
  }

  /** Counts one request of `client`; refused once its window's budget is spent. */
  async admit(client: string): Promise<Admission> {
    const limiter = client.startsWith('principal:') ? this.authenticated : this.anonymous;
    if (!limiter) return { admitted: true };
    const refused = await consumeOne(limiter, client);
    if (!refused) return { admitted: true };
    return {
      admitted: false,
      retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)),
      firstRefusal: refused.consumedPoints === limiter.points + 1,
    };
  }
}

/** RATE_LIMITED, with how long to wait. */
export const rateLimited = (retryAfterSeconds: number, why: string): DomainError =>
  new DomainError(
    ErrorCode.RATE_LIMITED,
    `${why}; retry in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    undefined,
    retryAfterSeconds,
  );

declare module 'fastify' {
  interface FastifyRequest {
    /** Refused by the rate limit: left out of the access log (see below). */
    rateLimited: boolean;
  }
}

/**
 * The HTTP edge of both, as a Fastify `onRequest` hook: identifies the caller, then answers
 * 429 with `Retry-After` and a GraphQL-shaped RATE_LIMITED body once its budget is spent,
 * before the body is even read. `/health` is exempt: load balancers must always be able to ask.
 *
 * A refused request writes no access-log line: a flood of thousands a second would otherwise
 * cost more in logging than in refusing, and drown the log. Instead the first refusal of each
 * client in each window is logged as a warning.
 */
export function registerFairUse(
  fastify: FastifyInstance,
  authenticator: CallerAuthenticator,
  limiter: RequestRateLimiter,
  logger: JsonLogger,
): void {
  // Declared, so that every request object has the same shape from the start.
  fastify.decorateRequest('caller', undefined);
  fastify.decorateRequest('rateLimited', false);
  fastify.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.url === '/health') return;
    const { client } = await identifyCaller(req, authenticator, logger);
    const admission = await limiter.admit(client);
    if (admission.admitted) return;
    req.rateLimited = true;
    if (admission.firstRefusal) {
      logger.emit('warn', 'rate limit reached', {
        requestId: req.id,
        client,
        retryAfterSeconds: admission.retryAfterSeconds,
      });
    }
    const error = rateLimited(admission.retryAfterSeconds, 'Too many requests from this client');
    return reply
      .code(429)
      .header('retry-after', String(admission.retryAfterSeconds))
      .send({
        errors: [
          {
            message: error.message,
            extensions: { code: error.code, retryAfterSeconds: admission.retryAfterSeconds },
          },
        ],
      });
  });
}
