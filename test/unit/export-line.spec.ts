import { AuditEventView, eventHash } from '../../src/audit/audit-event';
import { canonicalize } from '../../src/audit/canonical-json';
import { duplicateKey, readExportLine } from '../../src/audit/export-line';
import { chainOf, exportLines, rechain } from '../support/event-chain';

const events = chainOf(12);
const lines = exportLines(events);
const line = lines[4];
const links = { seq: 5, prevHash: events[4].prevHash, hash: events[4].hash };

/** The line of event 5 with one member's value text replaced (found by its exact text). */
const withMember = (member: string, replacement: string) => {
  expect(line).toContain(member);
  return line.replace(member, replacement);
};

describe('readExportLine', () => {
  it('reads a line exactly as exported, with its links, and checks its hash', () => {
    for (const [i, text] of lines.entries()) {
      expect(readExportLine(text)).toEqual({
        kind: 'event',
        links: { seq: i + 1, prevHash: events[i].prevHash, hash: events[i].hash },
        contentMatches: true,
      });
    }
  });

  it('reads bytes and text alike', () => {
    expect(readExportLine(Buffer.from(line, 'utf8'))).toEqual(readExportLine(line));
  });

  it('finds an edited value in a canonical line by its hash', () => {
    const edited = withMember('"entityId":"sector-5"', '"entityId":"sector-6"');
    expect(readExportLine(edited)).toEqual({ kind: 'event', links, contentMatches: false });
  });

  it('hashes exactly the canonical form without the hash member', () => {
    // A forger's line with a correct hash over its own (canonical) content is accepted:
    // what the reader hashes is what eventHash hashes.
    const forged = rechain(events.map((e, i) => (i === 4 ? { ...e, reason: 'forged' } : e)));
    const read = readExportLine(exportLines(forged)[4]);
    expect(read).toEqual({
      kind: 'event',
      links: { seq: 5, prevHash: forged[4].prevHash, hash: eventHash(forged[4]) },
      contentMatches: true,
    });
  });

  describe('refuses, saying why (and keeping seq and links when they are readable)', () => {
    const refusedWith = (text: string | Buffer, problem: string | RegExp, keepsLinks = true) => {
      const read = readExportLine(text);
      expect(read).toEqual({
        kind: 'refused',
        links: keepsLinks ? links : undefined,
        problem: typeof problem === 'string' ? problem : expect.stringMatching(problem),
      });
    };

    it('an extra field', () => {
      refusedWith(
        withMember('"entityType":', '"entityType":"NdcSector","extra":1,"x":'),
        'has a field "extra" that audit events do not have',
      );
    });

    it('an extra field inside actor or a change', () => {
      refusedWith(
        withMember('"role":"OFFICIAL"', '"role":"OFFICIAL","salary":1'),
        'has a field "actor.salary" that audit events do not have',
      );
      refusedWith(
        withMember('"path":"name"', '"path":"name","why":null'),
        'has a field "changes[0].why" that audit events do not have',
      );
    });

    it('a missing field', () => {
      refusedWith(withMember(',"requestId":"req-5"', ''), 'lacks the field requestId');
      refusedWith(withMember(',"role":"OFFICIAL"', ''), 'lacks the field actor.role');
    });

    it('a duplicate key whose first, human-visible value is the forged one', () => {
      // JSON.parse keeps the last "reason", the genuine one, so the hash would verify while
      // anyone reading the line sees the first.
      const forged = withMember('"reason":', '"reason":"approved by the minister","reason":');
      expect((JSON.parse(forged) as AuditEventView).reason).toBe(events[4].reason);
      refusedWith(
        forged,
        'has the key "reason" twice: JSON.parse keeps the last value while a reader sees the first, so the first could be a forgery',
      );
    });

    it('a duplicate key deep inside a snapshot, even spelt with an escape', () => {
      refusedWith(
        withMember('"unit":"MW"', '"unit":"MW","\\u0075nit":"kW"'),
        /^has the key "unit" twice/,
      );
    });

    it('white space the canonical form does not have', () => {
      refusedWith(
        withMember('"action":"UPDATE"', '"action": "UPDATE"'),
        'is not in the RFC 8785 canonical form the export writes: from character 11 it reads " \\"UPDATE\\",\\"actor\\":{\\"host" where the canonical form has "\\"UPDATE\\",\\"actor\\":{\\"hostC"',
      );
      refusedWith(line + ' ', /^is not in the RFC 8785 canonical form/);
    });

    it('unsorted keys, at the top or deep inside', () => {
      const top = JSON.stringify(JSON.parse(line));
      const unsorted = `{"seq":5,${top.slice(1).replace(',"seq":5', '')}`;
      expect(JSON.parse(unsorted)).toEqual(JSON.parse(line));
      refusedWith(unsorted, /^is not in the RFC 8785 canonical form/);
      refusedWith(
        withMember('{"threshold":50,"unit":"MW"}', '{"unit":"MW","threshold":50}'),
        /^is not in the RFC 8785 canonical form/,
      );
    });

    it('keys in code point rather than UTF-16 order', () => {
      // U+1F600 is the surrogate pair D83D DE00 in UTF-16, so it sorts before U+E000, although
      // its UTF-8 bytes (F0 ...) sort after those of U+E000 (EE ...).
      const canonical = withMember(
        '"name":"Sector 5"',
        '"name":"Sector 5","\ud83d\ude00":1,"\ue000":2',
      );
      expect(readExportLine(canonical)).toMatchObject({ kind: 'event', contentMatches: false });
      refusedWith(
        withMember('"name":"Sector 5"', '"name":"Sector 5","\ue000":2,"\ud83d\ude00":1'),
        /^is not in the RFC 8785 canonical form/,
      );
    });

    it('raw control characters in a string', () => {
      for (let code = 0; code < 0x20; code++)
        refusedWith(
          withMember('"Sector 5"', `"Sector${String.fromCharCode(code)}5"`),
          'is not valid JSON (truncated or edited?)',
          false,
        );
    });

    it('integer-like keys in numeric rather than text order', () => {
      // Canonical order is "10" before "2"; JSON.parse would put "2" first either way.
      const swapped = line.replace(/"10":("[^"]*"),("2":\[[^\]]*\])/, '$2,"10":$1');
      expect(swapped).not.toBe(line);
      refusedWith(swapped, /^is not in the RFC 8785 canonical form/);
    });

    it.each([
      ['1e400 (reads as Infinity)', '1e400', /^holds a number beyond the range of JSON numbers/],
      ['-1e400', '-1e400', /^holds a number beyond the range/],
      ['1.0', '1.0', /^is not in the RFC 8785 canonical form/],
      ['1E2', '1E2', /^is not in the RFC 8785 canonical form/],
      ['1e2', '1e2', /^is not in the RFC 8785 canonical form/],
      ['-0', '-0', /^is not in the RFC 8785 canonical form/],
      ['a leading zero', '050', /^is not valid JSON/],
    ])('a number written as %s', (_label, number, problem) => {
      refusedWith(
        withMember('"threshold":50', `"threshold":${number}`),
        problem,
        !/^a leading/.test(_label),
      );
    });

    it('escapes the canonical form does not use', () => {
      refusedWith(
        withMember('"UPDATE"', '"UPD\\u0041TE"'),
        /^is not in the RFC 8785 canonical form/,
      );
      refusedWith(
        withMember('"NdcSector"', '"Ndc\\/Sector"'),
        /^is not in the RFC 8785 canonical form/,
      );
    });

    it('changes: [null] and other wrong types', () => {
      const changes = JSON.stringify(events[4].changes.map((c) => canonicalize(c)));
      expect(changes).toBeDefined();
      refusedWith(
        line.replace(/"changes":\[.*?\],"entityId"/, '"changes":[null],"entityId"'),
        'field changes[0] must be an object',
      );
      refusedWith(
        line.replace(/"changes":\[.*?\],"entityId"/, '"changes":{},"entityId"'),
        'field changes must be a list',
      );
      refusedWith(withMember('"action":"UPDATE"', '"action":7'), 'field action must be a string');
      refusedWith(
        withMember('"requestId":"req-5"', '"requestId":["req-5"]'),
        'field requestId must be a string or null',
      );
    });

    it('actor: null', () => {
      refusedWith(
        line.replace(/"actor":\{[^}]*\}/, '"actor":null'),
        'field actor must be an object',
      );
    });

    it.each([
      ['a string', '"5"'],
      ['zero', '0'],
      ['a fraction', '5.5'],
      ['negative', '-5'],
      ['beyond safe integers', '9007199254740993'],
    ])('a seq that is %s', (_label, seq) => {
      refusedWith(
        line.replace(/"seq":5}$/, `"seq":${seq}}`),
        /must be a positive integer|not in the RFC 8785/,
        false,
      );
    });

    it('a hash that is not 64 lowercase hex digits', () => {
      const upper = line.replace(
        `"hash":"${events[4].hash}"`,
        `"hash":"${events[4].hash.toUpperCase()}"`,
      );
      refusedWith(upper, 'field hash must be 64 lowercase hex digits', false);
    });

    it('a lone surrogate, escaped in the line or raw in the text', () => {
      refusedWith(
        withMember('"Sector 5"', '"Sector \\ud800"'),
        'holds a lone UTF-16 surrogate in "Sector \\ud800", which has no canonical form (RFC 8785 needs well-formed Unicode)',
      );
      refusedWith(
        withMember('"role":"OFFICIAL"', '"role":"OFFI\\udc00CIAL"'),
        /^holds a lone UTF-16 surrogate/,
      );
      // As text that no UTF-8 file could hold: refused before it is encoded.
      refusedWith(withMember('"Sector 5"', '"Sector \ud800"'), /^holds a lone UTF-16 surrogate/);
    });

    it('NUL, in a value or a key', () => {
      refusedWith(
        withMember('"reason":', '"reason":"a\\u0000b","x":'),
        /^holds a NUL character \(U\+0000\) in "a\\u0000b", which PostgreSQL cannot store/,
      );
      refusedWith(withMember('"unit":"MW"', '"\\u0000":1,"unit":"MW"'), /^holds a NUL character/);
    });

    it('a byte order mark, a carriage return, a truncated line, an empty one', () => {
      refusedWith(
        `\ufeff${line}`,
        'starts with a byte order mark (U+FEFF), which the export never writes',
        false,
      );
      refusedWith(`${line}\r`, /^ends in a carriage return/, false);
      refusedWith(line.slice(0, -40), 'is not valid JSON (truncated or edited?)', false);
      refusedWith('', 'is empty', false);
      refusedWith('  \t', 'is empty', false);
    });

    it('anything that is not a JSON object', () => {
      for (const text of ['null', '[1]', '"x"', '5', 'true'])
        refusedWith(text, 'is not a JSON object', false);
    });

    it('bytes that are not UTF-8', () => {
      const bytes = Buffer.from(line, 'utf8');
      const at = bytes.indexOf('Sector 5');
      bytes[at] = 0xff;
      refusedWith(bytes, 'is not valid UTF-8', false);
      // Overlong encodings, encoded surrogates, beyond U+10FFFF, cut sequences: not UTF-8.
      for (const bad of [
        [0xc0, 0xaf],
        [0xe0, 0x80, 0xaf],
        [0xf0, 0x80, 0x80, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xe2, 0x82],
        [0x80],
      ]) {
        const spliced = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from(bad),
          bytes.subarray(at + 1),
        ]);
        refusedWith(spliced, 'is not valid UTF-8', false);
      }
    });

    it('a line nested beyond any stack, without throwing', () => {
      const deep = withMember(
        '"before":',
        `"before":${'['.repeat(200_000)}${']'.repeat(200_000)},"x":`,
      );
      expect(readExportLine(deep).kind).toBe('refused');
    });
  });

  it('reads and hashes a line far longer than its reused buffer', () => {
    const [big] = rechain([{ ...events[0], after: { text: 'é'.repeat(700_000) } }]);
    expect(readExportLine(exportLines([big])[0])).toEqual({
      kind: 'event',
      links: { seq: 1, prevHash: big.prevHash, hash: big.hash },
      contentMatches: true,
    });
    // ...and a short line after it is hashed right again.
    expect(readExportLine(line)).toEqual({ kind: 'event', links, contentMatches: true });
  });

  it('accepts a canonical line nested deeper than its fast path follows', () => {
    let nested: unknown = 'bottom';
    for (let i = 0; i < 100; i++) nested = i % 2 ? [nested] : { level: nested };
    const [event] = rechain([{ ...events[0], after: nested as AuditEventView['after'] }]);
    expect(readExportLine(exportLines([event])[0])).toEqual({
      kind: 'event',
      links: { seq: 1, prevHash: event.prevHash, hash: event.hash },
      contentMatches: true,
    });
  });
});

describe('duplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":{"b":1},"c":[{"d":1,"d":2}]}', 'd'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"a":"\\"a\\":","b":1}', undefined],
    ['[{"a":1},{"a":1}]', undefined],
    ['{"a":[],"b":{},"c":"a"}', undefined],
    ['{ "a" : 1 , "a" : 2 }', 'a'],
  ])('%s -> %s', (text, expected) => {
    expect(duplicateKey(text)).toBe(expected);
  });
});

/**
 * The fast reader against the reference definition, on many mangled lines: a line is an
 * event exactly as exported iff it parses, is the canonical form of what it parses to, and
 * has exactly the event's fields with the right types. Deterministic (seeded).
 */
describe('readExportLine against the definition', () => {
  const FIELDS = [
    'action',
    'actor',
    'after',
    'before',
    'changes',
    'entityId',
    'entityType',
    'hash',
    'hostCountry',
    'occurredAt',
    'prevHash',
    'reason',
    'requestId',
    'seq',
  ];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const keysAre = (v: Record<string, unknown>, keys: string[]) =>
    JSON.stringify(Object.keys(v).sort()) === JSON.stringify([...keys].sort());
  const str = (v: unknown) => typeof v === 'string';
  const strOrNull = (v: unknown) => v === null || typeof v === 'string';
  const hex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

  function definition(text: string): 'event' | 'refused' {
    if (!text.isWellFormed()) return 'refused';
    let v: unknown;
    try {
      v = JSON.parse(text);
      if (canonicalize(v) !== text) return 'refused';
    } catch {
      return 'refused';
    }
    if (!isObject(v) || !keysAre(v, FIELDS)) return 'refused';
    const a = v.actor;
    const ok =
      Number.isSafeInteger(v.seq) &&
      (v.seq as number) > 0 &&
      [v.occurredAt, v.action, v.entityType, v.entityId].every(str) &&
      [v.hostCountry, v.reason, v.requestId].every(strOrNull) &&
      hex(v.prevHash) &&
      hex(v.hash) &&
      isObject(a) &&
      keysAre(a, ['principalId', 'name', 'role', 'hostCountry']) &&
      str(a.name) &&
      str(a.role) &&
      strOrNull(a.principalId) &&
      strOrNull(a.hostCountry) &&
      Array.isArray(v.changes) &&
      v.changes.every(
        (c: unknown) => isObject(c) && keysAre(c, ['path', 'before', 'after']) && str(c.path),
      );
    return ok ? 'event' : 'refused';
  }

  // A small deterministic generator (mulberry32).
  let state = 0x5eed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  const PIECES = [
    ' ',
    '"',
    '\\',
    ',',
    ':',
    '{',
    '}',
    '[',
    ']',
    '0',
    '1',
    '9',
    '-',
    '+',
    '.',
    'e',
    'E',
    'u',
    'n',
    'a',
    'z',
    'null',
    'true',
    '\u0000',
    '\u001f',
    '\t',
    '\r',
    '\u007f',
    'é',
    '\u2028',
    '\ud83d\ude00',
    '\ud83d',
    '\ude00',
    '\ufeff',
    '\\u0000',
    '\\u001f',
    '\\u0041',
    '\\u00e9',
    '\\/',
    '\\n',
    '\\u000a',
    '\\ud800',
    '\\udc00',
    '\\ud83d\\ude00',
    '1e400',
    '1.0',
    '-0',
    '1e21',
    '1e+21',
    '0.1',
    ',"extra":1',
    '"hash":',
    '"seq":',
    '"a":1,',
    '{}',
    '[]',
  ];

  const VALUES: unknown[] = [
    null,
    true,
    0,
    -1,
    0.1,
    1e21,
    1e-7,
    5e-324,
    'x',
    '',
    'é\ud83d\ude00',
    'a"b\\c\n\u001f\u007f',
    [],
    {},
    [1, [2, [3]]],
    { b: 1, a: { d: [], c: null } },
    { '10': 1, '2': 2, '': 3 },
    { '\ue000': 1, '\ud83d\ude00': 2 },
    '\u2028',
  ];

  /** A random well-formed variant of an event, as the export would write it. */
  function variant(): string {
    // Through JSON rather than structuredClone, whose objects come from another realm here.
    const event = JSON.parse(JSON.stringify(pick(events))) as Record<string, unknown>;
    const target = pick(['before', 'after', 'reason', 'requestId', 'hostCountry', 'changes']);
    if (target === 'changes') {
      (event.changes as Record<string, unknown>[]).push({
        path: 'p',
        before: pick(VALUES),
        after: pick(VALUES),
      });
    } else if (target === 'before' || target === 'after') {
      event[target] = { [pick(['k', 'K', '0', '\u00e9', 'a b'])]: pick(VALUES), z: pick(VALUES) };
    } else {
      event[target] = pick([null, 'text', 'ünï\ud83d\ude00cödé', 'tab\there']);
    }
    return canonicalize(event);
  }

  function mangle(text: string): string {
    const at = Math.floor(random() * (text.length + 1));
    switch (Math.floor(random() * 5)) {
      case 0:
        return text.slice(0, at) + pick(PIECES) + text.slice(at);
      case 1:
        return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
      case 2:
        return text.slice(0, at) + pick(PIECES) + text.slice(at + 1);
      case 3: {
        const end = Math.min(text.length, at + 1 + Math.floor(random() * 30));
        return text.slice(0, end) + text.slice(at, end) + text.slice(end);
      }
      default: {
        // Swap two members' text at commas: unsorted keys, or broken structure.
        const parts = text.split(',');
        const i = Math.floor(random() * (parts.length - 1));
        [parts[i], parts[i + 1]] = [parts[i + 1], parts[i]];
        return parts.join(',');
      }
    }
  }

  it('agrees on every line, accepted or refused, and checks hashes as eventHash does', () => {
    let accepted = 0;
    for (let n = 0; n < 12_000; n++) {
      let text = n % 3 === 0 ? variant() : pick(lines);
      const rounds = n % 4;
      for (let r = 0; r < rounds; r++) text = mangle(text);
      const read = readExportLine(text);
      const expected = definition(text);
      if (read.kind !== expected)
        throw new Error(`disagree (${expected} expected): ${JSON.stringify(text)}`);
      if (read.kind === 'event') {
        accepted += 1;
        const parsed = JSON.parse(text) as AuditEventView;
        expect(read.contentMatches).toBe(eventHash(parsed) === parsed.hash);
        expect(read.links).toEqual({
          seq: parsed.seq,
          prevHash: parsed.prevHash,
          hash: parsed.hash,
        });
      }
    }
    // Both kinds were exercised, in numbers.
    expect(accepted).toBeGreaterThan(3000);
    expect(accepted).toBeLessThan(11_000);
  });
});
