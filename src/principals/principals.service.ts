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
   */
  async bootstrapAdmin(key: string): Promise<boolean> {
    return this.changes.run(
      {
        actor: SYSTEM_ACTOR,
        reason: 'Bootstrap administrator from BOOTSTRAP_ADMIN_KEY',
        requestId: null,
      },
      async (change) => {
        await this.principals.lockBootstrap(change);
        if (await this.principals.activeAdminExists(change)) {
          change.unchanged();
          return false;
        }
        const saved = await this.principals.insert(
          change,
          this.newEntity('admin', Role.ADMIN, null, hashApiKey(key)),
        );
        change.record({
          action: AuditAction.CREATE,
          entityType: 'Principal',
          entityId: saved.id,
          hostCountry: null,
          before: null,
          after: principalSnapshot(saved),
        });
        return true;
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
