import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChangeRunner } from '../../src/audit/change-runner';
import { eventually } from '../support/eventually';
import {
  ADD_ENTRY,
  CREATE_DRAFT,
  PUBLISH,
  SUBMIT,
  UPDATE_ENTRY,
  addDays,
  countryWithPeople,
  solarEntry,
  today,
} from '../support/list-fixtures';
import { ADMIN_KEY, TestApp, expectError } from '../support/test-app';
import { WebhookReceiver, signatureIsValid } from '../support/webhook-receiver';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

const ALL_TYPES = [
  'LIST_SUBMITTED',
  'LIST_PUBLISHED',
  'LIST_REJECTED',
  'LIST_WITHDRAWN',
  'LIST_SUPERSEDED',
  'DRAFT_ENTRY_CHANGED',
];
const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) {
  registerWebhookEndpoint(input: $input) { secret endpoint { id url hostCountry events enabled createdBy } } }`;
const DISABLE = `mutation($input: WebhookEndpointChangeInput!) { disableWebhookEndpoint(input: $input) { id enabled disabledReason } }`;
const ENABLE = `mutation($input: WebhookEndpointChangeInput!) { enableWebhookEndpoint(input: $input) { id enabled } }`;
const DELETE = `mutation($input: WebhookEndpointChangeInput!) { deleteWebhookEndpoint(input: $input) { id } }`;
const ROTATE = `mutation($input: WebhookEndpointChangeInput!) { rotateWebhookSecret(input: $input) { secret endpoint { id secretRotatedAt } } }`;
const REPLAY = `mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { id status } }`;
const ENDPOINTS = `query($c: String) { webhookEndpoints(hostCountry: $c) { id hostCountry } }`;
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) { webhookDeliveries(endpointId: $id, first: $first, after: $after) {
  edges { cursor node { id eventType status attempts body log { statusCode error durationMs attemptedAt } } }
  pageInfo { hasNextPage endCursor } } }`;
const REJECT = `mutation($input: ListTransitionInput!) { reject(input: $input) { id status } }`;
const WITHDRAW = `mutation($input: ListTransitionInput!) { withdraw(input: $input) { id status } }`;

const ENV = {
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_POLL_INTERVAL_MS: '500',
  PUBLIC_BASE_URL: 'https://registry.example.org/',
};

describe('webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let ghana: Awaited<ReturnType<typeof countryWithPeople>>;
  let kenyaOfficial: string;

  const ok = async (query: string, variables: Record<string, unknown>, key: string) => {
    const res = await t.gql(query, variables, key);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const register = (input: Record<string, unknown>, key = ADMIN_KEY) =>
    t.gql(REGISTER, { input: { events: ALL_TYPES, reason: 'test', ...input } }, key);
  const registered = async (input: Record<string, unknown>, key = ADMIN_KEY) => {
    const res = await register(input, key);
    expect(res.errors).toBeUndefined();
    return res.data.registerWebhookEndpoint as {
      secret: string;
      endpoint: { id: string; hostCountry: string | null };
    };
  };
  const deliveriesOf = async (endpointId: string) =>
    (await ok(DELIVERIES, { id: endpointId, first: 100 }, ADMIN_KEY)).webhookDeliveries.edges.map(
      (e: { node: unknown }) => e.node,
    );

  beforeAll(async () => {
    t = await TestApp.start(ENV);
    receiver = await WebhookReceiver.start();
    ghana = await countryWithPeople(t, 'GHA');
    const kenya = await countryWithPeople(t, 'KEN');
    kenyaOfficial = kenya.official.key;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });
  beforeEach(async () => {
    receiver.behaviour = () => 204;
    // Each test starts with no endpoint, so no test receives another's events.
    await t.sql('DELETE FROM webhook_endpoint');
  });

  describe('registration', () => {
    it('gives the signing secret once, writes an audit event without it, and lists the endpoint', async () => {
      const before = await t.auditCount();
      const { secret, endpoint } = await registered({
        url: receiver.url(),
        hostCountry: null,
        reason: 'aggregator feed',
      });
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
      expect(endpoint).toMatchObject({ hostCountry: null, enabled: true, createdBy: 'admin' });
      expect(await t.auditCount()).toBe(before + 1);
      const [event] = await t.sql(
        `SELECT action, entity_type, reason, after::text AS after FROM audit_event ORDER BY seq DESC LIMIT 1`,
      );
      expect(event).toMatchObject({
        action: 'CREATE',
        entity_type: 'WebhookEndpoint',
        reason: 'aggregator feed',
      });
      expect(event.after).not.toContain(secret.slice(6, 20));
      // The secret is never readable again: the endpoint type has no such field.
      const res = await t.gql(`{ webhookEndpoints { id secret } }`, {}, ADMIN_KEY);
      expect(expectError(res, 'BAD_USER_INPUT').message).toMatch(/Cannot query field "secret"/);
      // A rotation gives a new one, once.
      const rotated = await ok(
        ROTATE,
        { input: { endpointId: endpoint.id, reason: 'leak' } },
        ADMIN_KEY,
      );
      expect(rotated.rotateWebhookSecret.secret).toMatch(/^whsec_/);
      expect(rotated.rotateWebhookSecret.secret).not.toBe(secret);
    });

    it('lets officials manage their own country only; an endpoint of all countries is not theirs', async () => {
      const own = await registered({ url: receiver.url(), hostCountry: 'GHA' }, ghana.official.key);
      expect(own.endpoint.hostCountry).toBe('GHA');
      expectError(
        await register({ url: receiver.url(), hostCountry: 'KEN' }, ghana.official.key),
        'FORBIDDEN',
      );
      expectError(
        await register({ url: receiver.url(), hostCountry: null }, ghana.official.key),
        'FORBIDDEN',
      );
      expectError(
        await register({ url: receiver.url(), hostCountry: 'GHA' }, ghana.approver.key),
        'FORBIDDEN',
      );
      expectError(
        await t.gql(REGISTER, { input: { url: receiver.url(), events: ALL_TYPES, reason: 'x' } }),
        'UNAUTHENTICATED',
      );
      const global = await registered({ url: receiver.url(), hostCountry: null });
      // Another country's official, and any official for an all-country endpoint: no such endpoint.
      const before = await t.auditCount();
      expectError(
        await t.gql(
          DISABLE,
          { input: { endpointId: own.endpoint.id, reason: 'x' } },
          kenyaOfficial,
        ),
        'NOT_FOUND',
      );
      expectError(
        await t.gql(
          DISABLE,
          { input: { endpointId: global.endpoint.id, reason: 'x' } },
          ghana.official.key,
        ),
        'NOT_FOUND',
      );
      expect(await t.auditCount()).toBe(before);
      const listed = await ok(ENDPOINTS, {}, ghana.official.key);
      expect(listed.webhookEndpoints).toEqual([{ id: own.endpoint.id, hostCountry: 'GHA' }]);
      expect((await ok(ENDPOINTS, {}, ADMIN_KEY)).webhookEndpoints).toHaveLength(2);
      // Disable, enable and delete are audited changes of the owner.
      const disabled = await ok(
        DISABLE,
        { input: { endpointId: own.endpoint.id, reason: 'maintenance' } },
        ghana.official.key,
      );
      expect(disabled.disableWebhookEndpoint).toMatchObject({
        enabled: false,
        disabledReason: 'maintenance',
      });
      expectError(
        await t.gql(
          DISABLE,
          { input: { endpointId: own.endpoint.id, reason: 'again' } },
          ghana.official.key,
        ),
        'INVALID_STATE',
      );
      await ok(
        ENABLE,
        { input: { endpointId: own.endpoint.id, reason: 'back' } },
        ghana.official.key,
      );
      await ok(
        DELETE,
        { input: { endpointId: own.endpoint.id, reason: 'gone' } },
        ghana.official.key,
      );
      const events = await t.sql(
        `SELECT action FROM audit_event WHERE entity_type = 'WebhookEndpoint' AND entity_id = $1 ORDER BY seq`,
        [own.endpoint.id],
      );
      expect(events.map((e) => e.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'DELETE']);
    });

    it.each([
      ['http to a host not allow-listed', 'http://example.org/hooks', /must use https/],
      ['a private address', 'https://10.0.0.7/hooks', /10\.0\.0\.7, which is not a public address/],
      ['link-local (cloud metadata)', 'https://169.254.169.254/latest', /not a public address/],
      ['IPv6 loopback', 'https://[::1]/hooks', /not a public address/],
      [
        'an IPv4-mapped private address',
        'https://[::ffff:192.168.1.1]/hooks',
        /not a public address/,
      ],
      [
        'a host name resolving to loopback',
        'https://localhost/hooks',
        /resolves to (127\.0\.0\.1|::1)/,
      ],
      ['not a URL', 'hooks.example.org', /absolute URL/],
      ['credentials in the URL', 'https://user:pw@example.org/', /user name or password/],
    ])(
      'refuses %s with BAD_USER_INPUT on input.url, changing nothing',
      async (_what, url, message) => {
        const before = await t.auditCount();
        const error = expectError(await register({ url, hostCountry: 'GHA' }), 'BAD_USER_INPUT');
        expect(error.extensions?.fields).toEqual([
          { field: 'input.url', message: expect.stringMatching(message) },
        ]);
        expect(await t.auditCount()).toBe(before);
        expect(await t.sql('SELECT id FROM webhook_endpoint')).toEqual([]);
      },
    );
  });

  describe('delivery', () => {
    it('sends an event for every workflow step, signed, to a real receiver', async () => {
      const { secret, endpoint } = await registered({
        url: receiver.url('/all'),
        hostCountry: 'GHA',
      });
      const other = await registered({
        url: receiver.url('/published-elsewhere'),
        hostCountry: 'KEN',
        events: ['LIST_PUBLISHED'],
      });
      const official = ghana.official.key;
      const approver = ghana.approver.key;
      const draft = (
        await ok(
          CREATE_DRAFT,
          { input: { hostCountry: 'GHA', title: 'GHA list', reason: 'new' } },
          official,
        )
      ).createDraft;
      const entry = (
        await ok(
          ADD_ENTRY,
          { input: { listVersionId: draft.id, entry: solarEntry(), reason: 'add' } },
          official,
        )
      ).addEntry;
      await ok(
        UPDATE_ENTRY,
        {
          input: {
            entryId: entry.id,
            expectedRevision: 1,
            entry: solarEntry({ name: 'Solar parks' }),
            reason: 'rename',
          },
        },
        official,
      );
      await ok(SUBMIT, { input: { listVersionId: draft.id, reason: 'ready' } }, official);
      await ok(REJECT, { input: { listVersionId: draft.id, reason: 'not yet' } }, approver);
      await ok(SUBMIT, { input: { listVersionId: draft.id, reason: 'ready again' } }, official);
      await ok(
        PUBLISH,
        { input: { listVersionId: draft.id, effectiveFrom: today(), reason: 'ok' } },
        approver,
      );
      const next = (
        await ok(
          CREATE_DRAFT,
          { input: { hostCountry: 'GHA', title: 'GHA list 2', reason: 'v2' } },
          official,
        )
      ).createDraft;
      await ok(SUBMIT, { input: { listVersionId: next.id, reason: 'ready' } }, official);
      await ok(
        PUBLISH,
        { input: { listVersionId: next.id, effectiveFrom: addDays(today(), 5), reason: 'ok' } },
        approver,
      );
      await ok(WITHDRAW, { input: { listVersionId: next.id, reason: 'mistake' } }, approver);

      const expected = [
        'DRAFT_ENTRY_CHANGED',
        'DRAFT_ENTRY_CHANGED',
        'LIST_SUBMITTED',
        'LIST_REJECTED',
        'LIST_SUBMITTED',
        'LIST_PUBLISHED',
        'LIST_SUBMITTED',
        'LIST_SUPERSEDED',
        'LIST_PUBLISHED',
        'LIST_WITHDRAWN',
      ];
      const mine = () => receiver.received.filter((r) => r.path === '/all');
      expect(await eventually(() => mine().length >= expected.length, 15_000)).toBe(true);
      // Delivered concurrently, so in any order: the same multiset, each signed.
      expect(
        mine()
          .map((r) => r.json.type)
          .sort(),
      ).toEqual([...expected].sort());
      for (const got of mine()) {
        expect([got.json.type, signatureIsValid(secret, got)]).toEqual([got.json.type, true]);
        expect(signatureIsValid(secret.replace(/^whsec_./, 'whsec_A'), got)).toBe(false);
      }
      expect(new Set(mine().map((r) => r.id)).size).toBe(expected.length);
      const published = mine().find(
        (r) => r.json.type === 'LIST_PUBLISHED' && r.json.data.version === 1,
      )!;
      expect(published.json.data).toEqual({
        hostCountry: 'GHA',
        listVersionId: draft.id,
        version: 1,
        status: 'PUBLISHED',
        effectiveFrom: today(),
        effectiveUntil: null,
        contentDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
        url: 'https://registry.example.org/countries/GHA/versions/1',
      });
      const superseded = mine().find((r) => r.json.type === 'LIST_SUPERSEDED')!;
      expect(superseded.json.data).toMatchObject({
        version: 1,
        effectiveUntil: addDays(today(), 5),
      });
      const renamed = mine()
        .filter((r) => r.json.type === 'DRAFT_ENTRY_CHANGED')
        .map((r) => r.json.data.entry);
      expect(renamed).toEqual(
        expect.arrayContaining([
          { id: entry.id, key: 'GHA-SOLAR-UTILITY', action: 'CREATE' },
          { id: entry.id, key: 'GHA-SOLAR-UTILITY', action: 'UPDATE' },
        ]),
      );
      // Kenya's endpoint heard nothing of Ghana.
      expect(receiver.received.filter((r) => r.path === '/published-elsewhere')).toEqual([]);
      expect(await deliveriesOf(other.endpoint.id)).toEqual([]);
      const log = await deliveriesOf(endpoint.id);
      expect(log).toHaveLength(expected.length);
      for (const d of log)
        expect(d).toMatchObject({
          status: 'DELIVERED',
          attempts: 1,
          log: [{ statusCode: 204, error: null }],
        });
    });

    it('sends nothing for a change that rolled back', async () => {
      const { endpoint } = await registered({
        url: receiver.url('/rollback'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      const draft =
        (
          await t.sql(
            `SELECT id FROM positive_list_version WHERE host_country_code = 'GHA' AND status = 'DRAFT'`,
          )
        )[0] ??
        (
          await ok(
            CREATE_DRAFT,
            { input: { hostCountry: 'GHA', title: 'rollback', reason: 'x' } },
            ghana.official.key,
          )
        ).createDraft;
      // A part of the change that fails after the outbox was written rolls all of it back.
      let failing = true;
      t.app
        .get(ChangeRunner)
        .beforeCommit(() =>
          failing
            ? Promise.reject(new Error('a later step of the change failed'))
            : Promise.resolve(),
        );
      const failed = await t.gql(
        ADD_ENTRY,
        {
          input: {
            listVersionId: draft.id,
            entry: solarEntry({ key: 'ROLLED-BACK' }),
            reason: 'x',
          },
        },
        ghana.official.key,
      );
      expectError(failed, 'INTERNAL_SERVER_ERROR');
      expect(
        await t.sql('SELECT id FROM webhook_delivery WHERE endpoint_id = $1', [endpoint.id]),
      ).toEqual([]);
      failing = false;
      await ok(
        ADD_ENTRY,
        {
          input: { listVersionId: draft.id, entry: solarEntry({ key: 'COMMITTED' }), reason: 'x' },
        },
        ghana.official.key,
      );
      const got = () => receiver.received.filter((r) => r.path === '/rollback');
      expect(await eventually(() => got().length === 1, 10_000)).toBe(true);
      // Waits for the dispatcher to have looked at the table after the commit (the entry was
      // delivered), then: only the committed change's event exists and arrived.
      expect(got().map((r) => r.json.data.entry.key)).toEqual(['COMMITTED']);
      expect(
        await t.sql('SELECT id FROM webhook_delivery WHERE endpoint_id = $1', [endpoint.id]),
      ).toHaveLength(1);
    });

    it('retries a receiver answering 500 with the same id, logs every attempt, and replays with the same id', async () => {
      const { endpoint } = await registered({
        url: receiver.url('/flaky'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      let calls = 0;
      receiver.behaviour = (r) => (r.path === '/flaky' && ++calls <= 2 ? 500 : 200);
      await touchDraftEntry('RETRIED');
      const got = () => receiver.received.filter((r) => r.path === '/flaky');
      expect(await eventually(() => got().length === 3, 10_000)).toBe(true);
      expect(new Set(got().map((r) => r.id)).size).toBe(1);
      const body = got()[0].body;
      expect(got().every((r) => r.body === body)).toBe(true);
      const delivered = async () => (await deliveriesOf(endpoint.id))[0];
      expect(await eventually(async () => (await delivered()).status === 'DELIVERED', 5000)).toBe(
        true,
      );
      const delivery = await delivered();
      expect(delivery).toMatchObject({ id: got()[0].id, attempts: 3 });
      expect(delivery.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        500, 500, 200,
      ]);
      expect(delivery.log[0].error).toBe('HTTP 500');

      const replayed = await ok(
        REPLAY,
        { input: { deliveryId: delivery.id, reason: 'receiver lost it' } },
        ADMIN_KEY,
      );
      expect(replayed.replayWebhookDelivery).toEqual({ id: delivery.id, status: 'PENDING' });
      expect(await eventually(() => got().length === 4, 10_000)).toBe(true);
      expect(got()[3]).toMatchObject({ id: delivery.id, body });
      const [audit] = await t.sql(
        `SELECT action, entity_type, reason FROM audit_event ORDER BY seq DESC LIMIT 1`,
      );
      expect(audit).toEqual({
        action: 'UPDATE',
        entity_type: 'WebhookDelivery',
        reason: 'receiver lost it',
      });
      // Another country's official cannot see this delivery; the owner can.
      expectError(
        await t.gql(REPLAY, { input: { deliveryId: delivery.id, reason: 'x' } }, kenyaOfficial),
        'NOT_FOUND',
      );
    });

    it('cuts a receiver that hangs off at the timeout and tries again', async () => {
      const { endpoint } = await registered({
        url: receiver.url('/hang'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      receiver.behaviour = (r) => (r.path === '/hang' ? 'hang' : 204);
      await touchDraftEntry('HUNG');
      const attempts = async () => (await deliveriesOf(endpoint.id))[0]?.log ?? [];
      expect(await eventually(async () => (await attempts()).length >= 2, 15_000)).toBe(true);
      const [first] = await attempts();
      expect(first).toMatchObject({ statusCode: null, error: 'timed out after 1000 ms' });
      await ok(DISABLE, { input: { endpointId: endpoint.id, reason: 'stop' } }, ADMIN_KEY);
    });

    it('checks the address again at delivery time: a host that now resolves to loopback gets nothing', async () => {
      const { endpoint } = await registered({
        url: receiver.url('/moved'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      // As if its DNS now answered with a loopback address (rebinding): localhost is not
      // allow-listed here, only 127.0.0.1 is.
      const port = new URL(receiver.url()).port;
      await t.sql(`UPDATE webhook_endpoint SET url = $2 WHERE id = $1`, [
        endpoint.id,
        `https://localhost:${port}/moved`,
      ]);
      await touchDraftEntry('MOVED');
      const attempts = async () => (await deliveriesOf(endpoint.id))[0]?.log ?? [];
      expect(await eventually(async () => (await attempts()).length >= 1, 10_000)).toBe(true);
      expect((await attempts())[0]).toMatchObject({
        statusCode: null,
        error: expect.stringMatching(/^refused: its host localhost resolves to (127\.0\.0\.1|::1)/),
      });
      expect(receiver.received.filter((r) => r.path === '/moved')).toEqual([]);
      await ok(DISABLE, { input: { endpointId: endpoint.id, reason: 'stop' } }, ADMIN_KEY);
    });

    it('disables an endpoint that failed without interruption for WEBHOOK_DISABLE_AFTER_DAYS', async () => {
      const { endpoint } = await registered({
        url: receiver.url('/down'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      receiver.behaviour = () => 503;
      await t.sql(
        `UPDATE webhook_endpoint SET failing_since = now() - interval '6 days' WHERE id = $1`,
        [endpoint.id],
      );
      await touchDraftEntry('DOWN');
      const state = async () =>
        (
          await t.sql('SELECT enabled, disabled_reason FROM webhook_endpoint WHERE id = $1', [
            endpoint.id,
          ])
        )[0];
      expect(await eventually(async () => (await state()).enabled === false, 10_000)).toBe(true);
      expect((await state()).disabled_reason).toMatch(
        /^Disabled automatically: every delivery attempt failed since .* \(5 days or more\)$/,
      );
      const [audit] = await t.sql(
        `SELECT actor_name, reason FROM audit_event WHERE entity_type = 'WebhookEndpoint' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
        [endpoint.id],
      );
      expect(audit).toEqual({
        actor_name: 'system',
        reason: 'Every delivery attempt failed for 5 days without interruption',
      });
    });

    it('pages the delivery log by keyset, newest first', async () => {
      const { endpoint } = await registered({
        url: receiver.url('/pages'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      for (const key of ['PAGE-A', 'PAGE-B', 'PAGE-C']) await touchDraftEntry(key);
      const first = (await ok(DELIVERIES, { id: endpoint.id, first: 2 }, ADMIN_KEY))
        .webhookDeliveries;
      expect(first.edges).toHaveLength(2);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const rest = (
        await ok(
          DELIVERIES,
          { id: endpoint.id, first: 2, after: first.pageInfo.endCursor },
          ADMIN_KEY,
        )
      ).webhookDeliveries;
      expect(rest.edges).toHaveLength(1);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      const keys = [...first.edges, ...rest.edges].map(
        (e: { node: { body: string } }) => JSON.parse(e.node.body).data.entry.key,
      );
      expect(keys).toEqual(['PAGE-C', 'PAGE-B', 'PAGE-A']);
      expectError(
        await t.gql(DELIVERIES, { id: endpoint.id, after: 'bogus' }, ADMIN_KEY),
        'BAD_USER_INPUT',
      );
    });
  });

  it('is managed from the CLI: register, list, replay, disable, each audited', async () => {
    const cli = async (...args: string[]) =>
      (
        await run(process.execPath, [CLI, 'webhooks', ...args], {
          env: { ...process.env, DATABASE_URL: t.db.url, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
        })
      ).stdout;
    const registeredOut = await cli(
      'register',
      '--country',
      'GHA',
      '--url',
      receiver.url('/cli'),
      '--events',
      'DRAFT_ENTRY_CHANGED',
      '--reason',
      'registered from the CLI',
    );
    const id = /^([0-9a-f-]{36}) {2}GHA {2}DRAFT_ENTRY_CHANGED {2}enabled/m.exec(registeredOut)![1];
    const secret = /^signing secret \(shown once.*\): (whsec_\S+)$/m.exec(registeredOut)![1];
    expect(await cli('list', '--country', 'GHA')).toContain(id);
    await expect(
      cli('register', '--url', receiver.url(), '--events', 'NOPE'),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown event type(s): NOPE'),
    });

    await touchDraftEntry('FROM-CLI');
    const got = () => receiver.received.filter((r) => r.path === '/cli');
    expect(await eventually(() => got().length === 1, 10_000)).toBe(true);
    expect(signatureIsValid(secret, got()[0])).toBe(true);
    // The CLI sends nothing itself: the replay it records wakes the service's dispatcher.
    expect(await cli('replay', got()[0].id, '--reason', 'receiver lost it')).toContain(
      `delivery ${got()[0].id} (DRAFT_ENTRY_CHANGED) will be sent again`,
    );
    expect(await eventually(() => got().length === 2, 10_000)).toBe(true);
    expect(got()[1].id).toBe(got()[0].id);
    expect(await cli('disable', id, '--reason', 'moved')).toContain('disabled (moved)');
    const events = await t.sql(
      `SELECT actor_name, action, reason FROM audit_event
        WHERE entity_id IN ($1, $2) ORDER BY seq`,
      [id, got()[0].id],
    );
    expect(events).toEqual([
      { actor_name: 'system', action: 'CREATE', reason: 'registered from the CLI' },
      { actor_name: 'system', action: 'UPDATE', reason: 'receiver lost it' },
      { actor_name: 'system', action: 'UPDATE', reason: 'moved' },
    ]);
  });

  it('two instances on one database never send one delivery twice at once', async () => {
    const second = await TestApp.start(ENV, undefined, t.db);
    try {
      const { endpoint } = await registered({
        url: receiver.url('/twice'),
        hostCountry: 'GHA',
        events: ['DRAFT_ENTRY_CHANGED'],
      });
      receiver.maxConcurrentPerId = 0;
      receiver.behaviour = async () => {
        await new Promise((r) => setTimeout(r, 50));
        return 200;
      };
      for (let i = 0; i < 30; i++) await touchDraftEntry(`TWICE-${i}`);
      const got = () => receiver.received.filter((r) => r.path === '/twice');
      expect(await eventually(() => got().length >= 30, 20_000)).toBe(true);
      expect(
        await eventually(
          async () =>
            (
              await t.sql(
                `SELECT 1 FROM webhook_delivery WHERE endpoint_id = $1 AND status <> 'DELIVERED'`,
                [endpoint.id],
              )
            ).length === 0,
        ),
      ).toBe(true);
      const rows = await t.sql(`SELECT attempts FROM webhook_delivery WHERE endpoint_id = $1`, [
        endpoint.id,
      ]);
      expect(rows).toEqual(Array.from({ length: 30 }, () => ({ attempts: 1 })));
      // Each delivery was sent exactly once, by one instance or the other.
      expect(got()).toHaveLength(30);
      expect(new Set(got().map((r) => r.id)).size).toBe(30);
      expect(receiver.maxConcurrentPerId).toBe(1);
    } finally {
      await second.app.close();
    }
  });

  /** One audited entry change in GHA's open draft (opened if there is none). */
  async function touchDraftEntry(key: string): Promise<void> {
    const [open] = await t.sql<{ id: string }>(
      `SELECT id FROM positive_list_version WHERE host_country_code = 'GHA' AND status = 'DRAFT'`,
    );
    const draftId =
      open?.id ??
      (
        await ok(
          CREATE_DRAFT,
          { input: { hostCountry: 'GHA', title: 'touch', reason: 'x' } },
          ghana.official.key,
        )
      ).createDraft.id;
    await ok(
      ADD_ENTRY,
      { input: { listVersionId: draftId, entry: solarEntry({ key }), reason: 'x' } },
      ghana.official.key,
    );
  }
});
