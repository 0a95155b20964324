import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers on every response (helmet), with a Content-Security-Policy that allows no
 * inline script and nothing from another origin: the portal's pages load one stylesheet and,
 * at most, scripts of its own. TLS is terminated in front of the service, so requests are not
 * upgraded here (`upgrade-insecure-requests` would break plain-HTTP development).
 */
export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
    },
  },
  // The API is read by clients of any origin; pages are not framed (frame-ancestors).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/** What helmet does to a response, recorded once: headers it sets and headers it removes. */
export interface SecurityHeaders {
  set: [name: string, value: string][];
  removed: string[];
}

/**
 * Runs helmet once on a recording response. Our policy has no per-request part (no nonces, no
 * directive computed from the request), so every response gets the same headers; helmet itself
 * rebuilds its middleware and re-serializes the CSP directives on every response
 * (@fastify/helmet calls `helmet(options)` per request), which a profile of the hot
 * eligibility path counted among its larger costs (issue #13).
 */
export function recordSecurityHeaders(options: Readonly<HelmetOptions>): SecurityHeaders {
  const recorded: SecurityHeaders = { set: [], removed: [] };
  const response = {
    setHeader(name: string, value: unknown) {
      recorded.set.push([name, String(value)]);
      return response;
    },
    removeHeader(name: string) {
      recorded.removed.push(name);
    },
  };
  let failure: unknown;
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => (failure = error),
  );
  if (failure) throw new Error('helmet refused the security header options', { cause: failure });
  return recorded;
}

/**
 * Every response carries the recorded headers, set on the raw response as helmet would, before
 * any route runs: a route may still replace one (the explorer's page replaces the CSP).
 */
export function registerSecurityHeaders(app: NestFastifyApplication): void {
  const { set, removed } = recordSecurityHeaders(SECURITY_HEADER_OPTIONS);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      const raw = reply.raw;
      for (const name of removed) raw.removeHeader(name);
      for (const [name, value] of set) raw.setHeader(name, value);
      done();
    });
}
