import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { AuditCheckpointEntity } from '../audit/audit-checkpoint.entity';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { AuditTreeNodeEntity } from '../audit/audit-tree-node.entity';
import { PrincipalEntity } from '../principals/principal.entity';
import { ConsoleSessionEntity } from '../principals/console-session.entity';
import { HostCountryEntity } from '../countries/host-country.entity';
import { IpccCategoryEntity } from '../countries/ipcc-category.entity';
import { NdcSectorEntity } from '../countries/ndc-sector.entity';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { EntrySectorEntity } from '../positive-lists/entry-sector.entity';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { WebhookAttemptEntity } from '../webhooks/webhook-attempt.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity';

// `date` columns are calendar dates, not instants: keep them as 'YYYY-MM-DD' strings instead
// of letting pg turn them into Dates at local midnight. bigint values here (audit seq, counts)
// stay far below 2^53, so numbers are exact and what GraphQL returns.
types.setTypeParser(types.builtins.DATE, (value) => value);
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export const ENTITIES = [
  HostCountryEntity,
  NdcSectorEntity,
  IpccCategoryEntity,
  PrincipalEntity,
  AuditEventEntity,
  AuditCheckpointEntity,
  AuditTreeNodeEntity,
  PositiveListVersionEntity,
  ActivityEntryEntity,
  EntrySectorEntity,
  ConsoleSessionEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
];

/**
 * The one DataSource definition used by the service, the CLI and the tests.
 * `synchronize` is never on: the schema is whatever the committed migrations make it.
 */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: 'positive-list-registry',
    extra: { max: poolSize, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 },
  };
}

export function createDataSource(url: string, poolSize: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
