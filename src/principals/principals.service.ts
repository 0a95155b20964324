import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { SYSTEM_ACTOR } from '../audit/audit-event';
import { JsonValue } from '../audit/canonical-json';
import { ChangeRunner } from '../audit/change-runner';
import { DomainError, ErrorCode, conflict, fieldError, notFound } from '../common/errors';
import { CountriesRepository } from '../countries/countries.repository';
import { generateApiKey, hashApiKey } from './api-key';
import { attributionOf } from '../audit/attribution';
import { Clock } from '../common/clock';
import { RequestContext } from '../auth/principal';
import { PrincipalEntity } from './principal.entity';
import { PrincipalsRepository } from './principals.repository';
import { COUNTRY_BOUND_ROLES, Role } from '../auth/role';

/** What the audit trail stores of a principal: never the key or its hash. */
export function principalSnapshot(p: PrincipalEntity): JsonValue {
  return {
    id: p.id,
    name: p.name,
    role: p.role,
    hostCountry: p.hostCountryCode,
    externalSubject: p.externalSubject,
    createdAt: p.createdAt.toISOString(),
    revokedAt: p.revokedAt ? p.revokedAt.toISOString() : null,
  };
}

/** What start-up did with BOOTSTRAP_ADMIN_KEY. */
export enum BootstrapOutcome {
  /** There was no active ADMIN: `admin` was created, holding the key. */
  CREATED = 'CREATED',
  /** An ADMIN is active and the key is an active principal's (`admin` on a restart). */
  KEY_IN_USE = 'KEY_IN_USE',
  /** An ADMIN is active and the key is nobody's: it was not used (it is no way to rotate). */
  NOT_USED = 'NOT_USED',
  /** An ADMIN is active and the key is a revoked principal's: it grants nothing. */
  KEY_REVOKED = 'KEY_REVOKED',
}

/**
 * No ADMIN is active and BOOTSTRAP_ADMIN_KEY is already some principal's key (typically the
 * bootstrap key that a rotation revoked): start-up refuses rather than revive it.
 */
export class BootstrapKeyRefusedError extends Error {
  constructor(holder: PrincipalEntity) {
    super(
      `BOOTSTRAP_ADMIN_KEY is the API key of the ${holder.revokedAt ? 'revoked' : 'existing'} ` +
        `principal "${holder.name}" (${holder.id}), and no active administrator exists: a key is ` +
        'never handed out twice. Set BOOTSTRAP_ADMIN_KEY to a new secret (at least 32 ' +
        'characters) to bootstrap a new administrator, or create one with ' +
        '`npm run cli -- create-principal --role ADMIN --name NAME`.',
    );
    this.name = 'BootstrapKeyRefusedError';
  }
}

export interface NewPrincipal {
  name: string;
  role: Role;
  hostCountry?: string | null;
  externalSubject?: string | null;
  reason: string;
}

@Injectable()
export class PrincipalsService {
  constructor(
    private readonly principals: PrincipalsRepository,
    private readonly countries: CountriesRepository,
    private readonly changes: ChangeRunner,
    private readonly clock: Clock,
  ) {}

  list(): Promise<PrincipalEntity[]> {
    return this.principals.listAll();
  }

  findById(id: string): Promise<PrincipalEntity | null> {
    return this.principals.findById(id);
  }

  /** Creates a principal with a fresh API key; the key is returned once and never stored. */
  async create(
    ctx: RequestContext,
    input: NewPrincipal,
  ): Promise<{ principal: PrincipalEntity; apiKey: string }> {
    const countryBound = COUNTRY_BOUND_ROLES.includes(input.role);
    const hostCountry = input.hostCountry ?? null;
    if (countryBound && !hostCountry) {
      throw fieldError('input.hostCountry', `is required for the ${input.role} role`);
    }
    if (!countryBound && hostCountry) {
      throw fieldError(
        'input.hostCountry',
        `must be empty for the ${input.role} role, which is not bound to a country`,
      );
    }
    const apiKey = generateApiKey();
    const principal = await this.changes.run(attributionOf(ctx, input.reason), async (change) => {
      if (hostCountry && !(await this.countries.findCountryInChange(change, hostCountry))) {
        throw fieldError('input.hostCountry', `host country ${hostCountry} is not registered`);
      }
      if (
        input.externalSubject &&
        (await this.principals.findByExternalSubject(input.externalSubject, change))
      ) {
        throw conflict('Another principal already uses this external subject');
      }
      const entity = this.newEntity(input.name, input.role, hostCountry, hashApiKey(apiKey));
      entity.externalSubject = input.externalSubject ?? null;
      const saved = await this.principals.insert(change, entity);
      change.record({
        action: AuditAction.CREATE,
        entityType: 'Principal',
        entityId: saved.id,
        hostCountry: saved.hostCountryCode,
        before: null,
        after: principalSnapshot(saved),
      });
      return saved;
    });
    return { principal, apiKey };
  }

  async revoke(ctx: RequestContext, principalId: string, reason: string): Promise<PrincipalEntity> {
    return this.changes.run(attributionOf(ctx, reason), async (change) => {
      const principal = await this.principals.findByIdForUpdate(change, principalId);
      if (!principal) throw notFound('Principal', principalId);
      if (principal.revokedAt) {
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          `Principal ${principalId} is already revoked`,
        );
      }
      if (principal.id === ctx.principal?.id) {
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          'An administrator cannot revoke their own principal',
        );
      }
      const before = principalSnapshot(principal);
      principal.revokedAt = this.clock.now();
      await this.principals.markRevoked(change, principal.id, principal.revokedAt);
      change.record({
        action: AuditAction.REVOKE,
        entityType: 'Principal',
        entityId: principal.id,
        hostCountry: principal.hostCountryCode,
        before,
        after: principalSnapshot(principal),
      });
      return principal;
    });
  }

  /**
   * When no active ADMIN exists, creates one named `admin` holding `key`. Safe to run from
   * several instances at once: the check and the insert happen under one lock.
   *
   * A key that already belongs to a principal is never handed out again: a revoked key (say
   * the old bootstrap key, after a rotation) must not come back to life because the last
   * administrator went away, so with no active ADMIN such a key is refused outright. With an
   * active ADMIN nothing is created whatever the key, and the outcome says whether the key is
   * in use, revoked, or simply unused, for start-up to tell the operator.
   */
  async bootstrapAdmin(key: string): Promise<BootstrapOutcome> {
    const keyHash = hashApiKey(key);
    return this.changes.run(
      {
        actor: SYSTEM_ACTOR,
        reason: 'Bootstrap administrator from BOOTSTRAP_ADMIN_KEY',
        requestId: null,
      },
      async (change) => {
        await this.principals.lockBootstrap(change);
        const holder = await this.principals.findByKeyHash(keyHash, change);
        if (await this.principals.activeAdminExists(change)) {
          change.unchanged();
          if (!holder) return BootstrapOutcome.NOT_USED;
          return holder.revokedAt ? BootstrapOutcome.KEY_REVOKED : BootstrapOutcome.KEY_IN_USE;
        }
        if (holder) throw new BootstrapKeyRefusedError(holder);
        const saved = await this.principals.insert(
          change,
          this.newEntity('admin', Role.ADMIN, null, keyHash),
        );
        change.record({
          action: AuditAction.CREATE,
          entityType: 'Principal',
          entityId: saved.id,
          hostCountry: null,
          before: null,
          after: principalSnapshot(saved),
        });
        return BootstrapOutcome.CREATED;
      },
    );
  }

  private newEntity(
    name: string,
    role: Role,
    hostCountry: string | null,
    apiKeyHash: string,
  ): PrincipalEntity {
    const entity = new PrincipalEntity();
    entity.id = randomUUID();
    entity.name = name;
    entity.role = role;
    entity.hostCountryCode = hostCountry;
    entity.apiKeyHash = apiKeyHash;
    entity.externalSubject = null;
    entity.createdAt = this.clock.now();
    entity.revokedAt = null;
    return entity;
  }
}
