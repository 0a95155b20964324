import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportedEvents } from '../support/registry-fixture';
import { gqlPost, ServiceProcess, startService } from '../support/service-process';
import { ADMIN_KEY } from '../support/test-app';

/**
 * kill -9 drills on the embedded mode: writers are busy when the process dies; after a
 * restart on the same directory every acknowledged write is there with exactly one audit
 * event, nothing half-written is, and the chain verifies.
 */
const UPSERT = 'mutation($i: UpsertNdcSectorInput!) { upsertNdcSector(input: $i) { code } }';

async function writeUntilKilled(
  service: ServiceProcess,
  prefix: string,
  kill: () => void,
): Promise<{ acknowledged: Set<string>; attempted: number }> {
  const acknowledged = new Set<string>();
  let attempted = 0;
  let killed = false;
  const writer = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const code = `${prefix}${w}X${i}`;
      attempted += 1;
      try {
        const res = await gqlPost(
          service.url,
          UPSERT,
          {
            i: {
              hostCountry: 'GHA',
              code,
              name: code,
              ipccSector: 'ENERGY',
              ipccCategories: ['1.A.1'],
              reason: `kill drill ${prefix}`,
            },
          },
          ADMIN_KEY,
          5_000,
        );
        if (res.status === 200 && !res.errors && res.data.upsertNdcSector.code === code)
          acknowledged.add(code);
      } catch {
        return; // the process is gone: this writer is done
      }
    }
  };
  const writers = Array.from({ length: 6 }, (_, w) => writer(w));
  // Let the writers get going, then kill while requests are in flight.
  await new Promise((r) => setTimeout(r, 1_500));
  kill();
  killed = true;
  await Promise.all(writers);
  return { acknowledged, attempted };
}

async function assertIntact(
  service: ServiceProcess,
  prefix: string,
  acknowledged: Set<string>,
): Promise<void> {
  const events = (await exportedEvents(service.url)).filter(
    (e) => e.entityType === 'NdcSector' && e.reason === `kill drill ${prefix}`,
  );
  const res = await gqlPost(service.url, '{ hostCountry(code: "GHA") { sectors { id code } } }');
  const sectors: { id: string; code: string }[] = res.data.hostCountry.sectors;
  const drill = sectors.filter((s) => new RegExp(`^${prefix}\\dX\\d+$`).test(s.code));
  // Every acknowledged write is stored...
  const stored = new Set(drill.map((s) => s.code));
  for (const code of acknowledged) expect([code, stored.has(code)]).toEqual([code, true]);
  // ...each stored sector has exactly one audit event, and no event lacks its sector (a
  // write cut off by the kill is either wholly there, if it committed, or not at all).
  for (const s of drill) {
    expect([s.code, events.filter((e) => e.entityId === s.id).length]).toEqual([s.code, 1]);
  }
  expect(events).toHaveLength(drill.length);
  const verdict = await gqlPost(
    service.url,
    '{ verifyAuditTrail { valid eventsChecked message } }',
    {},
    ADMIN_KEY,
  );
  expect(verdict.data.verifyAuditTrail).toMatchObject({ valid: true });
}

describe('kill -9 drills on the embedded PostgreSQL', () => {
  // Each drill kills its service, so each has a directory and a service of its own.
  const dataDirs: string[] = [];
  const services: ServiceProcess[] = [];

  afterAll(async () => {
    for (const service of services) await service.stop();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A service on a fresh directory with GHA registered, and a way to start it again there. */
  const serviceWithGhana = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plr-kill-'));
    dataDirs.push(dataDir);
    const env = { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, DB_POOL_SIZE: '8' };
    const restart = async () => {
      const started = await startService(env);
      services.push(started);
      return started;
    };
    const service = await restart();
    const setUp = await gqlPost(
      service.url,
      'mutation { registerHostCountry(input: { code: "GHA", name: "Ghana", reason: "set-up" }) { code } }',
      {},
      ADMIN_KEY,
    );
    expect(setUp.errors).toBeUndefined();
    return { service, restart };
  };

  it('the service is killed mid-write: its server is found and restarted, and every acknowledged write is there once', async () => {
    const { service: victim, restart } = await serviceWithGhana();
    const { acknowledged, attempted } = await writeUntilKilled(victim, 'A', () =>
      victim.child.kill('SIGKILL'),
    );
    expect(await victim.exited).toBeNull(); // killed by a signal, not exited
    expect(acknowledged.size).toBeGreaterThan(5);
    expect(attempted).toBeGreaterThan(acknowledged.size); // some were cut off

    const service = await restart();
    expect(service.log.map((l) => l.msg)).toContain(
      'stopping an embedded PostgreSQL left running by an earlier process',
    );
    await assertIntact(service, 'A', acknowledged);
  });

  it('the service and its PostgreSQL are both killed mid-write: crash recovery keeps every acknowledged write', async () => {
    const { service: victim, restart } = await serviceWithGhana();
    const before = (await exportedEvents(victim.url)).length;
    const serverPid = victim.log.find((l) => l.msg === 'embedded PostgreSQL started')
      ?.serverPid as number;
    expect(serverPid).toBeGreaterThan(0);
    const { acknowledged } = await writeUntilKilled(victim, 'B', () => {
      victim.child.kill('SIGKILL');
      process.kill(serverPid, 'SIGKILL');
    });
    expect(await victim.exited).toBeNull();
    expect(acknowledged.size).toBeGreaterThan(5);

    const service = await restart();
    await assertIntact(service, 'B', acknowledged);
    expect((await exportedEvents(service.url)).length).toBeGreaterThan(before);
  });
});
