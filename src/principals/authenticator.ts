import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { DomainError, ErrorCode, unauthenticated } from '../common/errors';
import { JsonLogger } from '../logging/json-logger';
import { isSocketUnreachable } from '../common/network';
import { isWellFormedText } from '../common/text';
import { hashApiKey } from './api-key';
import { CallerAuthenticator } from '../auth/caller-authenticator';
import { AuthenticatedPrincipal } from '../auth/principal';
import { PrincipalEntity } from './principal.entity';
import { PrincipalsRepository } from './principals.repository';
import { Role } from '../auth/role';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Turns an `Authorization` header into the principal stored in the database. Bearer values
 * that look like JWTs are verified against the configured OpenID provider (pinned
 * algorithms, issuer, audience, expiry) and matched to a principal by `sub`; anything else
 * is an API key, looked up by its hash. Unknown, revoked or invalid credentials are
 * UNAUTHENTICATED, never anonymous.
 */
@Injectable()
export class Authenticator extends CallerAuthenticator {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly principals: PrincipalsRepository,
    private readonly logger: JsonLogger,
  ) {
    super();
    if (config.oidc) {
      this.jwks = createRemoteJWKSet(new URL(config.oidc.jwksUrl), { cooldownDuration: 30_000 });
    }
  }

  async authenticate(authorization: string | undefined): Promise<AuthenticatedPrincipal | null> {
    if (authorization === undefined || authorization.trim() === '') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('Authorization header must be "Bearer <api key or JWT>"');
    const credential = match[1];
    const entity =
      this.jwks && JWT_SHAPE.test(credential)
        ? await this.principalForJwt(credential)
        : await this.principals.findByKeyHash(hashApiKey(credential));
    if (!entity || entity.revokedAt) throw unauthenticated('Unknown or revoked credential');
    return toPrincipal(entity);
  }

  private async principalForJwt(token: string): Promise<PrincipalEntity | null> {
    const oidc = this.config.oidc!;
    try {
      const { payload } = await jwtVerify(token, this.jwks!, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: oidc.algorithms,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 30,
      });
      const found = await principalForSubject(this.principals, payload.sub);
      if (found === 'malformed') {
        throw unauthenticated('Invalid token: its "sub" claim is not well-formed text');
      }
      return found;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (isKeySetUnreachable(error)) {
        // Not the caller's fault and not a bug: the provider's keys could not be fetched.
        this.logger.emit('error', 'identity provider unreachable', {
          jwksUrl: oidc.jwksUrl,
          error: String((error as { message?: unknown }).message ?? error),
        });
        throw new DomainError(
          ErrorCode.SERVICE_UNAVAILABLE,
          "The identity provider's signing keys cannot be fetched right now, so the token cannot be checked. Retry shortly, or use an API key.",
          undefined,
          30,
        );
      }
      if (error instanceof joseErrors.JOSEError) {
        throw unauthenticated(`Invalid token: ${error.code}`);
      }
      throw error;
    }
  }
}

/**
 * The principal an identity provider's verified `sub` claim stands for: the registered one
 * whose `externalSubject` it equals, or null (none, or revoked). Bearer tokens and the
 * workspace's OpenID Connect sign-in both map people through here, so they cannot disagree;
 * role and country come from the registry, never from the token. A signed token is still
 * input: its subject is looked up as text, so it must be text the database can compare (no
 * NUL, no lone surrogate), never an error of ours: 'malformed' otherwise.
 */
export async function principalForSubject(
  principals: PrincipalsRepository,
  subject: unknown,
): Promise<PrincipalEntity | null | 'malformed'> {
  if (typeof subject !== 'string' || !isWellFormedText(subject)) return 'malformed';
  const entity = await principals.findByExternalSubject(subject);
  return entity && !entity.revokedAt ? entity : null;
}

export function toPrincipal(entity: PrincipalEntity): AuthenticatedPrincipal {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role as Role,
    hostCountry: entity.hostCountryCode,
  };
}

/**
 * Whether verifying failed because the key set could not be fetched: a timeout, a response
 * that is not a key set, or a network error from fetch (not a JOSE error at all).
 */
function isKeySetUnreachable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout) return true;
  if (error instanceof joseErrors.JOSEError)
    return /JSON Web Key Set HTTP response|Expected 200 OK/i.test(error.message);
  if (isSocketUnreachable(error)) return true;
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return (
    (name === 'TypeError' && message === 'fetch failed') ||
    name === 'AbortError' ||
    name === 'TimeoutError'
  );
}
