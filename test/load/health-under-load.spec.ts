import { join } from 'node:path';
import { percentile, probeHealth, spawnTraffic } from '../../scripts/traffic';
import { countryWithPeople, publishedVersion, solarEntry } from '../support/list-fixtures';
import { ServiceProcess, startService } from '../support/service-process';
import { ADMIN_KEY, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const CLIENTS = 50;
const LOAD_SECONDS = 8;
const BATCH_SIZE = 100;

/**
 * Issue #12: while 50 clients each run batches of 100 eligibility questions back to back,
 * a load balancer asking /health must still get its answer within 100 ms (p99).
 */
describe('/health under 50 concurrent batches', () => {
  let db: TestDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The list in force, written through the API by an in-process instance on this database.
    const setUp = await TestApp.start({}, undefined, db);
    const people = await countryWithPeople(setUp, 'GHA');
    await publishedVersion(setUp, people, 'GHA', [solarEntry()]);
    await setUp.app.close();
    service = await startService({
      DATABASE_URL: db.url,
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('answers /health within 100 ms at p99 while the batches run, and the batches are served', async () => {
    const queries = Array.from({ length: BATCH_SIZE }, (_, i) => ({
      hostCountry: 'GHA',
      activityKey: 'GHA-SOLAR-UTILITY',
      parameters: [{ name: 'capacityMW', number: 1 + (i % 80) }],
      baselineYear: 2030,
    }));
    const body = JSON.stringify({
      query: `query($qs: [EligibilityQuery!]!) { checkEligibilityBatch(queries: $qs) {
        status explanation listVersion { version }
        matches { status missingParameters baselineValue explanation criteria { outcome actual } } } }`,
      variables: { qs: queries },
    });
    // The load in a process of its own, so that its work does not delay this process's
    // probes: one connection per client, each with its own address in X-Forwarded-For (the
    // service trusts the loopback proxy), sending batch after batch.
    const load = spawnTraffic(join(__dirname, '..', '..', 'dist', 'scripts', 'traffic.js'), {
      url: service.url,
      body,
      connections: CLIENTS,
      seconds: LOAD_SECONDS,
      addresses: { kind: 'distinct', prefix: '198.18.0' },
    });
    // Give the load a second to build up, then probe as a load balancer would.
    const { latencies: sorted, failures } = await probeHealth(
      service.url.replace(/\/graphql$/, '/health'),
      load,
      1000,
    );
    const result = await load;
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const served = result.statuses['200'] ?? 0;
    process.stdout.write(
      `health under ${CLIENTS} concurrent batches of ${BATCH_SIZE}: ${sorted.length} probes, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; batches served ${served} (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms), refused ${result.requests - served}\n`,
    );
    expect(failures).toEqual([]);
    expect(sorted.length).toBeGreaterThan(100);
    // Every client was served: the batches ran while /health was probed.
    expect(result.errors + result.timeouts).toBe(0);
    expect(served).toBeGreaterThanOrEqual(CLIENTS);
    expect(result.statuses).toEqual({ 200: served });
    expect(p99).toBeLessThan(100);
  }, 60_000);
});
