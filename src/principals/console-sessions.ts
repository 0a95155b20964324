import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthenticatedPrincipal } from '../auth/principal';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { hashApiKey } from './api-key';
import { principalForSubject, toPrincipal } from './authenticator';
import { ConsoleSessionEntity } from './console-session.entity';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { PrincipalEntity } from './principal.entity';
import { PrincipalsRepository } from './principals.repository';

/** A session id: 256 random bits, like API keys, so a plain SHA-256 is enough to store it. */
const newSessionId = (): string => randomBytes(32).toString('base64url');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export const hashSessionId = (id: string): string =>
  createHash('sha256').update(id, 'utf8').digest('hex');

/** What a session cookie stands for right now. */
export type SessionState =
  | { kind: 'active'; principal: AuthenticatedPrincipal }
  /** It was valid once and timed out (idle or absolute): worth telling the person. */
  | { kind: 'expired' }
  /** Unknown, signed out, or its principal revoked. */
  | { kind: 'none' };

/**
 * Sessions of the officials' workspace: an API key is exchanged for a session id that the
 * browser keeps in a cookie. The principal is resolved as for the API on every request, so
 * revoking a principal ends its sessions too. Only a hash of the id is stored.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    private readonly sessions: ConsoleSessionsRepository,
    private readonly principals: PrincipalsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session for the key's principal, or null for an unknown or revoked key. */
  async signIn(
    apiKey: string,
  ): Promise<{ sessionId: string; principal: AuthenticatedPrincipal } | null> {
    const key = apiKey.trim();
    if (key === '') return null;
    const entity = await this.principals.findByKeyHash(hashApiKey(key));
    if (!entity || entity.revokedAt) return null;
    return this.open(entity);
  }

  /**
   * A new session for the principal of an identity provider's verified subject (the ID
   * token's `sub`), mapped exactly as a bearer token's; null when no registered, unrevoked
   * principal has that subject.
   */
  async signInAs(
    subject: string,
  ): Promise<{ sessionId: string; principal: AuthenticatedPrincipal } | null> {
    const entity = await principalForSubject(this.principals, subject);
    if (entity === null || entity === 'malformed') return null;
    return this.open(entity);
  }

  private async open(
    entity: PrincipalEntity,
  ): Promise<{ sessionId: string; principal: AuthenticatedPrincipal }> {
    const now = this.clock.now();
    const sessionId = newSessionId();
    await this.sessions.deleteExpired(now);
    await this.sessions.insert(
      Object.assign(new ConsoleSessionEntity(), {
        idHash: hashSessionId(sessionId),
        principalId: entity.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.config.console.sessionMaxSeconds * 1000),
        revokedAt: null,
      }),
    );
    return { sessionId, principal: toPrincipal(entity) };
  }

  /** What the cookie's session id stands for; an active session's idle clock restarts. */
  async resolve(sessionId: string | undefined): Promise<SessionState> {
    if (!sessionId || !SESSION_ID.test(sessionId)) return { kind: 'none' };
    const idHash = hashSessionId(sessionId);
    const session = await this.sessions.findWithPrincipal(idHash);
    if (!session || session.revokedAt || session.principal.revokedAt) return { kind: 'none' };
    const now = this.clock.now();
    const idleUntil = session.lastSeenAt.getTime() + this.config.console.sessionIdleSeconds * 1000;
    if (now.getTime() >= idleUntil || now >= session.expiresAt) return { kind: 'expired' };
    await this.sessions.touch(idHash, now);
    return { kind: 'active', principal: toPrincipal(session.principal) };
  }

  /** Ends the session everywhere: the same cookie is refused from now on. */
  async signOut(sessionId: string | undefined): Promise<void> {
    if (!sessionId || !SESSION_ID.test(sessionId)) return;
    await this.sessions.revoke(hashSessionId(sessionId), this.clock.now());
  }
}
