import { createHmac } from 'node:crypto';
import { AuditAction } from '../../src/audit/audit-action';
import { retryDelayMs } from '../../src/webhooks/retry';
import { eventBody, listEventsOf, WebhookEventType } from '../../src/webhooks/webhook-events';
import { checkUrlForm, isPublicAddress, urlForAudit } from '../../src/webhooks/webhook-url';
import { sendDelivery, signedHeaders } from '../../src/webhooks/webhook-sender';

describe('webhook retries', () => {
  it('double from the base up to the cap, jittered between half and all of it', () => {
    const low = (n: number) => retryDelayMs(n, 5000, 3_600_000, () => 0);
    const high = (n: number) => retryDelayMs(n, 5000, 3_600_000, () => 1);
    expect([1, 2, 3, 4].map(high)).toEqual([5000, 10_000, 20_000, 40_000]);
    expect([1, 2, 3, 4].map(low)).toEqual([2500, 5000, 10_000, 20_000]);
    expect(high(20)).toBe(3_600_000);
    expect(high(10_000)).toBe(3_600_000);
  });

  it('keep retrying for at least 24 hours before a delivery can run out of its window', () => {
    // With the defaults, the slowest schedule (no jitter) still makes many attempts a day.
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 86_400_000) elapsed += retryDelayMs(++attempts, 5000, 3_600_000, () => 1);
    expect(attempts).toBeGreaterThan(20);
  });
});

describe('webhook URLs', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['192.0.2.1', false],
    ['224.0.0.1', false],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('must be https, or http only to an allow-listed host, and carry no credentials', () => {
    expect(checkUrlForm('https://example.org/x', []).allowListed).toBe(false);
    expect(() => checkUrlForm('http://example.org/x', [])).toThrow(/must use https/);
    expect(checkUrlForm('http://127.0.0.1:9/x', ['127.0.0.1']).allowListed).toBe(true);
    expect(checkUrlForm('http://[::1]:9/x', ['::1']).allowListed).toBe(true);
    expect(() => checkUrlForm('ftp://example.org/', ['example.org'])).toThrow(/must use https/);
    expect(() => checkUrlForm('https://a:b@example.org/', [])).toThrow(/user name or password/);
    expect(() => checkUrlForm('/relative', [])).toThrow(/absolute URL/);
  });

  it('are shown in the audit trail without their query', () => {
    expect(urlForAudit('https://example.org/hooks?token=secret')).toBe(
      'https://example.org/hooks?…',
    );
    expect(urlForAudit('https://example.org/hooks')).toBe('https://example.org/hooks');
  });
});

describe('webhook events of a change', () => {
  const version = (status: string, extra: object = {}) => ({
    id: 'v1',
    hostCountry: 'GHA',
    version: 2,
    status,
    effectiveFrom: null,
    effectiveUntil: null,
    contentDigest: null,
    ...extra,
  });

  it('are the workflow steps of versions and the entry changes of drafts, in order', () => {
    const events = listEventsOf([
      {
        action: AuditAction.SUPERSEDE,
        entityType: 'PositiveListVersion',
        entityId: 'v0',
        hostCountry: 'GHA',
        before: version('PUBLISHED'),
        after: version('PUBLISHED', { id: 'v0', version: 1, effectiveUntil: '2027-01-01' }),
      },
      {
        action: AuditAction.PUBLISH,
        entityType: 'PositiveListVersion',
        entityId: 'v1',
        hostCountry: 'GHA',
        before: version('SUBMITTED'),
        after: version('PUBLISHED', {
          effectiveFrom: '2027-01-01',
          contentDigest: 'ab'.repeat(32),
        }),
      },
      {
        action: AuditAction.DELETE,
        entityType: 'ActivityEntry',
        entityId: 'e1',
        hostCountry: 'GHA',
        before: { id: 'e1', listVersionId: 'v3', key: 'GHA-SOLAR' },
        after: null,
      },
      // No webhook event: a new draft, a discarded one, a timeline fix, another entity.
      {
        action: AuditAction.CREATE,
        entityType: 'PositiveListVersion',
        entityId: 'v3',
        hostCountry: 'GHA',
        before: null,
        after: version('DRAFT'),
      },
      {
        action: AuditAction.DELETE,
        entityType: 'PositiveListVersion',
        entityId: 'v4',
        hostCountry: 'GHA',
        before: version('DRAFT'),
        after: version('DISCARDED'),
      },
      {
        action: AuditAction.UPDATE,
        entityType: 'PositiveListVersion',
        entityId: 'v0',
        hostCountry: 'GHA',
        before: version('PUBLISHED'),
        after: version('PUBLISHED'),
      },
      {
        action: AuditAction.CREATE,
        entityType: 'NdcSector',
        entityId: 's',
        hostCountry: 'GHA',
        before: null,
        after: {},
      },
    ]);
    expect(events.map((e) => [e.type, e.listVersionId])).toEqual([
      [WebhookEventType.LIST_SUPERSEDED, 'v0'],
      [WebhookEventType.LIST_PUBLISHED, 'v1'],
      [WebhookEventType.DRAFT_ENTRY_CHANGED, 'v3'],
    ]);
    expect(events[2].entry).toEqual({ id: 'e1', key: 'GHA-SOLAR', action: AuditAction.DELETE });
    expect(events[2].version).toBeNull();
  });

  it('have a body with the version, its digest and the link to its public page', () => {
    const [published] = listEventsOf([
      {
        action: AuditAction.PUBLISH,
        entityType: 'PositiveListVersion',
        entityId: 'v1',
        hostCountry: 'GHA',
        before: null,
        after: version('PUBLISHED', {
          effectiveFrom: '2027-01-01',
          contentDigest: 'cd'.repeat(32),
        }),
      },
    ]);
    const body = JSON.parse(
      eventBody(
        { ...published, version: published.version! },
        new Date('2026-12-02T10:00:00Z'),
        'https://r.example',
      ),
    );
    expect(body).toEqual({
      type: 'LIST_PUBLISHED',
      timestamp: '2026-12-02T10:00:00.000Z',
      data: {
        hostCountry: 'GHA',
        listVersionId: 'v1',
        version: 2,
        status: 'PUBLISHED',
        effectiveFrom: '2027-01-01',
        effectiveUntil: null,
        contentDigest: 'cd'.repeat(32),
        url: 'https://r.example/countries/GHA/versions/2',
      },
    });
  });
});

describe('sending a delivery', () => {
  const delivery = (url: string) => ({
    id: 'd1',
    url,
    secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
    body: '{}',
  });

  it('checks the address again when it connects, refusing non-public ones', async () => {
    // localhost is resolved by the system's resolver (no network): to a loopback address.
    const outcome = await sendDelivery(delivery('https://localhost:9/hooks'), {
      allowedHosts: [],
      timeoutMs: 5000,
    });
    expect(outcome).toMatchObject({
      ok: false,
      statusCode: null,
      error: expect.stringMatching(/^refused: its host localhost resolves to (127\.0\.0\.1|::1)/),
    });
  });

  it('refuses a literal private address and plain http without connecting', async () => {
    for (const url of ['https://10.0.0.1/hooks', 'https://[::ffff:127.0.0.1]/x']) {
      expect(
        (await sendDelivery(delivery(url), { allowedHosts: [], timeoutMs: 5000 })).error,
      ).toMatch(/^refused: .* is not a public address$/);
    }
    expect(
      (await sendDelivery(delivery('http://8.8.8.8/hooks'), { allowedHosts: [], timeoutMs: 5000 }))
        .error,
    ).toMatch(/^refused: must use https/);
  });

  it('signs id, timestamp and body as Standard Webhooks does', () => {
    const headers = signedHeaders(delivery('https://example.org/'), new Date(1_796_000_000_999));
    expect(headers['webhook-id']).toBe('d1');
    expect(headers['webhook-timestamp']).toBe('1796000000');
    const expected = createHmac('sha256', Buffer.alloc(32, 1))
      .update('d1.1796000000.{}')
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });
});
