import { DataSource } from 'typeorm';
import { AuditEventView, canonicalEvent } from '../../src/audit/audit-event';
import { AuditEventRow, toEventView } from '../../src/audit/audit-event-row';
import { AuditRepository } from '../../src/audit/audit.repository';
import { createDataSource } from '../../src/database/data-source';
import { TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * The repository streams the log with jsonb as text and timestamps formatted by PostgreSQL,
 * for speed. What it yields must be exactly what toEventView() makes of the same rows read
 * whole, since verification hashes it: checked here on values chosen to differ if anything
 * in that shortcut were off.
 */
describe('AuditRepository.stream', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  const snapshots = [
    { b: 1.0, a: 1e21, c: [0.1, 1e-7, 'BEYOND A DOUBLE', -0, 5e-324] },
    { 'z z': { y: null, x: [true, false] }, é: '\u2028 \ud83d\ude00 "quoted" \\ \n\t\u001f' },
    { '10': 1, '2': 2, '': 3, '\ue000': 4, '\ud83d\ude00': 5 },
    null,
  ];
  const timestamps = [
    '2026-01-31T09:15:00.000Z',
    '2026-01-31T09:15:00.123456Z',
    '0999-12-31T23:59:59.999Z',
    '0050-06-01T00:00:00.000Z',
    '10000-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
  ];

  /** JSON text for a jsonb column, with a number more precise than a double can hold. */
  const jsonb = (value: unknown) =>
    JSON.stringify(value).replace('"BEYOND A DOUBLE"', '12345678901234567890.5');

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.url, 4);
    await dataSource.initialize();
    // Rows written straight into the table (not chained: only the reading is under test).
    for (const [i, occurredAt] of timestamps.entries()) {
      const before = snapshots[i % snapshots.length];
      const after = snapshots[(i + 1) % snapshots.length];
      await dataSource.query(
        `INSERT INTO audit_event (seq, occurred_at, actor_principal_id, actor_name, actor_role,
           actor_host_country, action, entity_type, entity_id, host_country, reason, request_id,
           changes, before, after, prev_hash, hash)
         VALUES ($1, $2, NULL, 'system', 'SYSTEM', NULL, 'UPDATE', 'NdcSector', $3, 'GHA',
           $4, NULL, $5, $6, $7, $8, $9)`,
        [
          i + 1,
          occurredAt,
          `entity-${i}`,
          i % 2 ? 'a "reason" \u00e9' : null,
          jsonb([{ path: 'x', before, after }]),
          before === null ? null : jsonb(before),
          after === null ? null : jsonb(after),
          String(i).repeat(64).slice(0, 64),
          String(i + 1)
            .repeat(64)
            .slice(0, 64),
        ],
      );
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const streamed = async (batchSize: number) => {
    const events: AuditEventView[] = [];
    const batches: number[] = [];
    for await (const batch of new AuditRepository(dataSource).stream(0, batchSize)) {
      batches.push(batch.length);
      events.push(...batch);
    }
    return { events, batches };
  };

  it('yields exactly the events toEventView makes of the whole rows, in order', async () => {
    const rows: AuditEventRow[] = await dataSource.query('SELECT * FROM audit_event ORDER BY seq');
    const whole = rows.map(toEventView);
    const { events } = await streamed(4);
    expect(events).toEqual(whole);
    expect(events.map(canonicalEvent)).toEqual(whole.map(canonicalEvent));
    // The odd years really came through both paths.
    expect(events.map((e) => e.occurredAt)).toEqual([
      '2026-01-31T09:15:00.000Z',
      '2026-01-31T09:15:00.123Z',
      '0999-12-31T23:59:59.999Z',
      '0050-06-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
    ]);
  });

  it('ends after a short batch, and after an exact multiple of the batch size', async () => {
    expect((await streamed(4)).batches).toEqual([4, 2]);
    expect((await streamed(3)).batches).toEqual([3, 3]);
    expect((await streamed(100)).batches).toEqual([6]);
  });
});
