import { Client } from 'pg';
import { eventually } from '../support/eventually';
import { solarEntry } from '../support/list-fixtures';
import { gqlPost, ServiceProcess, startService } from '../support/service-process';
import { ADMIN_KEY } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { signatureIsValid, WebhookReceiver } from '../support/webhook-receiver';

/**
 * kill -9 mid-delivery: the compiled service sends a webhook, the receiver holds the request
 * open, the service is killed. Started again on the same database, it sends the event again
 * with the same webhook-id once the dead instance's lease has ended: at least once, nothing lost.
 */
describe('webhooks: killing the service mid-delivery', () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  let service: ServiceProcess | undefined;
  const env = () => ({
    DATABASE_URL: db.url,
    BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_POLL_INTERVAL_MS: '500',
    RATE_LIMIT_AUTHENTICATED: '0',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    if (service) await service.stop();
    await receiver.close();
    await db.drop();
  });

  it('delivers the event after a restart, with the same webhook-id', async () => {
    service = await startService(env());
    const must = async (query: string, variables: Record<string, unknown>, key = ADMIN_KEY) => {
      const res = await gqlPost(service!.url, query, variables, key);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data;
    };
    await must(
      'mutation($i: RegisterHostCountryInput!) { registerHostCountry(input: $i) { code } }',
      {
        i: { code: 'GHA', name: 'Ghana', reason: 'set-up' },
      },
    );
    await must('mutation($i: UpsertNdcSectorInput!) { upsertNdcSector(input: $i) { code } }', {
      i: {
        hostCountry: 'GHA',
        code: 'ENERGY',
        name: 'Energy',
        ipccSector: 'ENERGY',
        ipccCategories: ['1.A.1'],
        reason: 'set-up',
      },
    });
    const official = (
      await must('mutation($i: CreatePrincipalInput!) { createPrincipal(input: $i) { apiKey } }', {
        i: { name: 'official', role: 'OFFICIAL', hostCountry: 'GHA', reason: 'set-up' },
      })
    ).createPrincipal.apiKey as string;
    const { secret } = (
      await must(
        'mutation($i: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $i) { secret } }',
        {
          i: {
            url: receiver.url('/held'),
            hostCountry: 'GHA',
            events: ['DRAFT_ENTRY_CHANGED'],
            reason: 'kill drill',
          },
        },
      )
    ).registerWebhookEndpoint;
    const draft = (
      await must(
        'mutation($i: CreateDraftInput!) { createDraft(input: $i) { id } }',
        { i: { hostCountry: 'GHA', title: 'GHA', reason: 'x' } },
        official,
      )
    ).createDraft;

    // The first attempt is held open; the kill comes while the service waits for an answer.
    receiver.behaviour = () => (receiver.received.length === 1 ? 'hang' : 200);
    await must(
      'mutation($i: AddEntryInput!) { addEntry(input: $i) { id } }',
      { i: { listVersionId: draft.id, entry: solarEntry(), reason: 'x' } },
      official,
    );
    expect(await eventually(() => receiver.received.length === 1, 10_000)).toBe(true);
    service.child.kill('SIGKILL');
    expect(await service.exited).toBeNull();

    service = await startService(env());
    expect(await eventually(() => receiver.received.length >= 2, 30_000)).toBe(true);
    const [held, again] = receiver.received;
    expect(again.id).toBe(held.id);
    expect(again.body).toBe(held.body);
    expect(signatureIsValid(secret, again)).toBe(true);
    const delivered = async () =>
      (await query(`SELECT status, attempts FROM webhook_delivery WHERE id = $1`, [held.id]))[0];
    expect(await eventually(async () => (await delivered())?.status === 'DELIVERED', 10_000)).toBe(
      true,
    );
  });

  async function query(text: string, params: unknown[]) {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  }
});
