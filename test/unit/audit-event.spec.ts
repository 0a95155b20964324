import { createHash } from 'node:crypto';
import {
  AuditEventView,
  EVENT_LAYOUT,
  SYSTEM_ACTOR,
  canonicalEvent,
  eventHash,
  exportedEvent,
} from '../../src/audit/audit-event';
import { canonicalize } from '../../src/audit/canonical-json';
import { chainOf } from '../support/event-chain';

type Unsigned = Omit<AuditEventView, 'hash'>;

const event = (): Unsigned => ({
  seq: 7,
  occurredAt: '2026-03-01T12:34:56.789Z',
  actor: {
    principalId: '3f1c8a52-9b7e-4c55-a1d2-0c7e2f6b9d10',
    name: 'Ama Mensah',
    role: 'COUNTRY_ADMIN',
    hostCountry: 'GHA',
  },
  action: 'SECTOR_UPSERTED',
  entityType: 'NdcSector',
  entityId: 'GHA/ENERGY',
  hostCountry: 'GHA',
  reason: 'NDC 2021 sector list',
  requestId: 'req-42',
  changes: [{ path: 'name', before: 'Power', after: 'Energy' }],
  before: { code: 'ENERGY', name: 'Power' },
  after: { code: 'ENERGY', name: 'Energy' },
  prevHash: 'ab'.repeat(32),
});

/**
 * SHA-256(0x00 || canonical) with node:crypto rather than through src/audit/merkle. It takes
 * the canonical form from the code under test, so it checks only the hashing step; the
 * golden values below pin the whole thing.
 */
const leafHashOf = (canonical: string): string =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from([0x00]), Buffer.from(canonical, 'utf8')]))
    .digest('hex');

/**
 * Golden values computed outside the code: each canonical form was written by hand (keys
 * sorted, no white space, absent values as null, RFC 8785 string escapes and numbers) and
 * hashed in a shell, e.g. for the first one:
 *
 *   B='{"action":"SECTOR_UPSERTED",...,"seq":7}'   # the string below, byte for byte
 *   printf '\000%s' "$B" | sha256sum              # hex(SHA-256(0x00 || UTF-8 bytes))
 *
 * (printf '%s' passes the text through untouched; its UTF-8 bytes were checked with od.)
 */
const GOLDEN: [string, () => Unsigned, string, string][] = [
  [
    'a sector update by a country official',
    event,
    String.raw`{"action":"SECTOR_UPSERTED","actor":{"hostCountry":"GHA","name":"Ama Mensah","principalId":"3f1c8a52-9b7e-4c55-a1d2-0c7e2f6b9d10","role":"COUNTRY_ADMIN"},"after":{"code":"ENERGY","name":"Energy"},"before":{"code":"ENERGY","name":"Power"},"changes":[{"after":"Energy","before":"Power","path":"name"}],"entityId":"GHA/ENERGY","entityType":"NdcSector","hostCountry":"GHA","occurredAt":"2026-03-01T12:34:56.789Z","prevHash":"abababababababababababababababababababababababababababababababab","reason":"NDC 2021 sector list","requestId":"req-42","seq":7}`,
    '0ec0854625fae3f5e48a0078d74a0c55a1268f7285f5ff7e1a9a27dd87d5100b',
  ],
  [
    'non-ASCII text (2-, 3- and 4-byte UTF-8)',
    () => ({ ...event(), reason: 'Mise \u00e0 jour \u20ac \ud83d\ude00' }),
    '{"action":"SECTOR_UPSERTED","actor":{"hostCountry":"GHA","name":"Ama Mensah","principalId":"3f1c8a52-9b7e-4c55-a1d2-0c7e2f6b9d10","role":"COUNTRY_ADMIN"},"after":{"code":"ENERGY","name":"Energy"},"before":{"code":"ENERGY","name":"Power"},"changes":[{"after":"Energy","before":"Power","path":"name"}],"entityId":"GHA/ENERGY","entityType":"NdcSector","hostCountry":"GHA","occurredAt":"2026-03-01T12:34:56.789Z","prevHash":"abababababababababababababababababababababababababababababababab","reason":"Mise \u00e0 jour \u20ac \ud83d\ude00","requestId":"req-42","seq":7}',
    'd042062341c015c465556200d1a99ef22b8f50635bfaa1832b7829393a489924',
  ],
  [
    'the first event, by SYSTEM: nulls, escapes, numbers and unsorted input keys',
    () => ({
      seq: 1,
      occurredAt: '2026-03-01T00:00:00.000Z',
      actor: SYSTEM_ACTOR,
      action: 'CREATE',
      entityType: 'NdcSector',
      entityId: 'GHA/ENERGY',
      hostCountry: null,
      reason: 'a"b\\c\nd\u001fe',
      requestId: null,
      changes: [{ path: 'code', before: null, after: 'ENERGY' }],
      before: null,
      after: { tags: ['a', 1e21, true], code: 'ENERGY', capacityMw: 12.5 },
      prevHash: '0'.repeat(64),
    }),
    String.raw`{"action":"CREATE","actor":{"hostCountry":null,"name":"system","principalId":null,"role":"SYSTEM"},"after":{"capacityMw":12.5,"code":"ENERGY","tags":["a",1e+21,true]},"before":null,"changes":[{"after":"ENERGY","before":null,"path":"code"}],"entityId":"GHA/ENERGY","entityType":"NdcSector","hostCountry":null,"occurredAt":"2026-03-01T00:00:00.000Z","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","reason":"a\"b\\c\nd\u001fe","requestId":null,"seq":1}`,
    '6a7368ed3d294595756d89b7aafb134b40f6661c095f7a21f91a40191693a3d8',
  ],
];

describe('canonicalEvent', () => {
  it('is the RFC 8785 form of exactly the listed fields', () => {
    expect(canonicalEvent(event())).toBe(
      '{"action":"SECTOR_UPSERTED",' +
        '"actor":{"hostCountry":"GHA","name":"Ama Mensah",' +
        '"principalId":"3f1c8a52-9b7e-4c55-a1d2-0c7e2f6b9d10","role":"COUNTRY_ADMIN"},' +
        '"after":{"code":"ENERGY","name":"Energy"},' +
        '"before":{"code":"ENERGY","name":"Power"},' +
        '"changes":[{"after":"Energy","before":"Power","path":"name"}],' +
        '"entityId":"GHA/ENERGY","entityType":"NdcSector","hostCountry":"GHA",' +
        `"occurredAt":"2026-03-01T12:34:56.789Z","prevHash":"${'ab'.repeat(32)}",` +
        '"reason":"NDC 2021 sector list","requestId":"req-42","seq":7}',
    );
  });

  it('has exactly the documented keys, at every level', () => {
    const parsed = JSON.parse(canonicalEvent(event()));
    expect(Object.keys(parsed).sort()).toEqual(
      [
        'seq',
        'occurredAt',
        'actor',
        'action',
        'entityType',
        'entityId',
        'hostCountry',
        'reason',
        'requestId',
        'changes',
        'before',
        'after',
        'prevHash',
      ].sort(),
    );
    expect(Object.keys(parsed.actor).sort()).toEqual(
      ['principalId', 'name', 'role', 'hostCountry'].sort(),
    );
    expect(Object.keys(parsed.changes[0]).sort()).toEqual(['after', 'before', 'path']);
  });

  it('leaves out hash, and any other extra property', () => {
    const withExtras = { ...event(), hash: 'f'.repeat(64), extra: 'ignored' };
    const canonical = canonicalEvent(withExtras);
    expect(canonical).toBe(canonicalEvent(event()));
    expect(canonical).not.toContain('"hash"');
    expect(canonical).not.toContain('extra');
  });

  it('drops extra properties inside actor and changes', () => {
    const base = event();
    const noisy = {
      ...base,
      actor: { ...base.actor, email: 'ama@example.org' },
      changes: [{ ...base.changes[0], note: 'x' }],
    };
    expect(canonicalEvent(noisy)).toBe(canonicalEvent(base));
  });

  it('writes absent values as null', () => {
    const sparse = {
      ...event(),
      actor: SYSTEM_ACTOR,
      hostCountry: null,
      reason: null,
      requestId: null,
      changes: [{ path: 'code', before: null, after: 'ENERGY' }],
      before: null,
      after: { code: 'ENERGY' },
    };
    const parsed = JSON.parse(canonicalEvent(sparse));
    expect(parsed.actor).toEqual({
      principalId: null,
      name: 'system',
      role: 'SYSTEM',
      hostCountry: null,
    });
    expect(parsed.hostCountry).toBeNull();
    expect(parsed.reason).toBeNull();
    expect(parsed.requestId).toBeNull();
    expect(parsed.before).toBeNull();
    expect(parsed.changes).toEqual([{ path: 'code', before: null, after: 'ENERGY' }]);
  });

  it('writes undefined values as null rather than omitting them', () => {
    const base = event();
    const loose = {
      ...base,
      actor: { ...base.actor, principalId: undefined, hostCountry: undefined },
      hostCountry: undefined,
      reason: undefined,
      requestId: undefined,
      changes: [{ path: 'x', before: undefined, after: undefined }],
      before: undefined,
      after: undefined,
    } as unknown as Unsigned;
    const parsed = JSON.parse(canonicalEvent(loose));
    expect(parsed.actor.principalId).toBeNull();
    expect(parsed.actor.hostCountry).toBeNull();
    expect(parsed.changes).toEqual([{ path: 'x', before: null, after: null }]);
    for (const key of ['hostCountry', 'reason', 'requestId', 'before', 'after']) {
      expect(parsed).toHaveProperty(key, null);
    }
  });
});

describe('eventHash', () => {
  it.each(GOLDEN)(
    'gives the golden canonical form and hash for %s',
    (_label, make, canonical, hash) => {
      expect(canonicalEvent(make())).toBe(canonical);
      expect(eventHash(make())).toBe(hash);
    },
  );

  it('is hex(SHA-256(0x00 || UTF-8(canonical form)))', () => {
    const e = event();
    const hash = eventHash(e);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(leafHashOf(canonicalEvent(e)));
  });

  it('hashes non-ASCII text as UTF-8', () => {
    const e = { ...event(), reason: 'Mise \u00e0 jour \u20ac \ud83d\ude00' };
    expect(eventHash(e)).toBe(leafHashOf(canonicalEvent(e)));
    expect(canonicalEvent(e)).toContain('Mise \u00e0 jour \u20ac \ud83d\ude00');
    // Not the UTF-16 code units, nor Latin-1: the golden value above pins the UTF-8 bytes.
    expect(eventHash(e)).toBe(GOLDEN[1][3]);
  });

  it('does not depend on the key order of the input', () => {
    const e = event();
    const shuffled = Object.fromEntries(Object.entries(e).reverse()) as unknown as Unsigned;
    expect(eventHash(shuffled)).toBe(eventHash(e));
  });

  const mutations: [string, (e: Unsigned) => Unsigned][] = [
    ['seq', (e) => ({ ...e, seq: 8 })],
    ['occurredAt', (e) => ({ ...e, occurredAt: '2026-03-01T12:34:56.790Z' })],
    ['actor.principalId', (e) => ({ ...e, actor: { ...e.actor, principalId: null } })],
    ['actor.name', (e) => ({ ...e, actor: { ...e.actor, name: 'Kofi' } })],
    ['actor.role', (e) => ({ ...e, actor: { ...e.actor, role: 'ADMIN' } })],
    ['actor.hostCountry', (e) => ({ ...e, actor: { ...e.actor, hostCountry: 'KEN' } })],
    ['action', (e) => ({ ...e, action: 'SECTOR_DELETED' })],
    ['entityType', (e) => ({ ...e, entityType: 'HostCountry' })],
    ['entityId', (e) => ({ ...e, entityId: 'GHA/WASTE' })],
    ['hostCountry', (e) => ({ ...e, hostCountry: null })],
    ['reason', (e) => ({ ...e, reason: 'typo' })],
    ['requestId', (e) => ({ ...e, requestId: null })],
    ['changes (path)', (e) => ({ ...e, changes: [{ ...e.changes[0], path: 'title' }] })],
    ['changes (before)', (e) => ({ ...e, changes: [{ ...e.changes[0], before: 'power' }] })],
    ['changes (after)', (e) => ({ ...e, changes: [{ ...e.changes[0], after: null }] })],
    ['changes (empty)', (e) => ({ ...e, changes: [] })],
    ['before', (e) => ({ ...e, before: { code: 'ENERGY', name: 'Power ' } })],
    ['after', (e) => ({ ...e, after: null })],
    ['prevHash', (e) => ({ ...e, prevHash: 'ab'.repeat(31) + 'ac' })],
  ];

  it.each(mutations)('changes when %s changes', (_field, mutate) => {
    const original = event();
    const changed = mutate(event());
    expect(canonicalEvent(changed)).not.toBe(canonicalEvent(original));
    expect(eventHash(changed)).not.toBe(eventHash(original));
    expect(eventHash(changed)).toBe(leafHashOf(canonicalEvent(changed)));
  });

  it('does not change when only hash changes', () => {
    const e = event();
    expect(eventHash({ ...e, hash: 'x' } as Unsigned)).toBe(eventHash(e));
  });
});

describe('the event layout and its writers', () => {
  it('lists exactly the fields of section 8, with hash', () => {
    expect(Object.keys(EVENT_LAYOUT)).toEqual([
      'seq',
      'occurredAt',
      'actor',
      'action',
      'entityType',
      'entityId',
      'hostCountry',
      'reason',
      'requestId',
      'changes',
      'before',
      'after',
      'prevHash',
      'hash',
    ]);
  });

  // The writers lay members out from the layout instead of sorting at run time: the result
  // must be what canonicalize() gives for the same fields, whatever the events hold.
  const varied = chainOf(30);

  it('writes canonicalEvent as canonicalize() of the event without hash', () => {
    for (const e of varied) {
      const { hash: _hash, ...unsigned } = e;
      expect(canonicalEvent(e)).toBe(canonicalize(unsigned));
    }
  });

  it('writes exportedEvent as canonicalize() of the whole event', () => {
    for (const e of varied) expect(exportedEvent(e)).toBe(canonicalize(e));
  });

  it('refuses, as canonicalize does, a value with no canonical form', () => {
    expect(() => canonicalEvent({ ...event(), reason: 'a\u0000b' })).toThrow(/NUL/);
    expect(() => canonicalEvent({ ...event(), after: { x: '\ud800' } })).toThrow(/surrogate/);
    expect(() => canonicalEvent({ ...event(), changes: {} as never })).toThrow(TypeError);
  });
});
