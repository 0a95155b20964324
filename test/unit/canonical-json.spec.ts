import { canonicalize } from '../../src/audit/canonical-json';

describe('canonicalize (RFC 8785)', () => {
  describe('literals', () => {
    it.each([
      [null, 'null'],
      [true, 'true'],
      [false, 'false'],
      ['', '""'],
      ['abc', '"abc"'],
    ])('%j -> %s', (value, expected) => {
      expect(canonicalize(value)).toBe(expected);
    });
  });

  describe('property sorting', () => {
    it('sorts keys by UTF-16 code units (RFC 8785 section 3.2.3 example)', () => {
      const input = {
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      };
      // Code units: \r = 0x000D, "1" = 0x0031, 0x0080, 0x00F6, 0x20AC, 0xD83D (high surrogate
      // of U+1F600), 0xFB33. The emoji sorts BEFORE U+FB33 although its code point is higher.
      expect(canonicalize(input)).toBe(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
          '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
          '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });

    it('puts a control-character key first and escapes it', () => {
      expect(canonicalize({ a: 1, '\u0001': 2, ' ': 3 })).toBe('{"\\u0001":2," ":3,"a":1}');
    });

    it('compares code units, not numeric values, for digit keys', () => {
      // "10" < "2" < "a" < "b" by code units; numeric order would put 2 before 10.
      expect(canonicalize({ b: 1, 2: 2, a: 3, 10: 4 })).toBe('{"10":4,"2":2,"a":3,"b":1}');
    });

    it('orders uppercase before lowercase and a prefix before its extensions', () => {
      expect(canonicalize({ ab: 1, a: 2, B: 3, aa: 4 })).toBe('{"B":3,"a":2,"aa":4,"ab":1}');
    });

    it('does not depend on insertion order', () => {
      expect(canonicalize({ x: 1, y: { q: 1, p: 2 } })).toBe(
        canonicalize({ y: { p: 2, q: 1 }, x: 1 }),
      );
    });
  });

  describe('structure', () => {
    it('sorts nested objects and keeps array order, with no white space', () => {
      const value = {
        z: [3, { b: 2, a: [true, null, { d: 'x', c: 'y' }] }, 1],
        a: { y: {}, x: [] },
      };
      expect(canonicalize(value)).toBe(
        '{"a":{"x":[],"y":{}},"z":[3,{"a":[true,null,{"c":"y","d":"x"}],"b":2},1]}',
      );
    });

    it('produces no white space even for strings containing none', () => {
      const out = canonicalize({ a: [1, 2], b: { c: 'd' } });
      expect(out).not.toMatch(/\s/);
    });

    it('omits undefined object members', () => {
      expect(canonicalize({ a: undefined, b: 1, c: undefined })).toBe('{"b":1}');
      expect(canonicalize({ only: undefined })).toBe('{}');
    });

    it('writes undefined array items as null, as JSON does', () => {
      expect(canonicalize([1, undefined, 2])).toBe('[1,null,2]');
    });
  });

  describe('numbers in ECMAScript form', () => {
    it.each([
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1, '-1'],
      [100, '100'],
      [0.1, '0.1'],
      [4.5, '4.5'],
      [0.002, '0.002'],
      [0.000001, '0.000001'],
      [1e-7, '1e-7'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [1.5e300, '1.5e+300'],
      [333333333.3333333, '333333333.3333333'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
      [5e-324, '5e-324'],
      [-1.7976931348623157e308, '-1.7976931348623157e+308'],
    ])('%p -> %s', (value, expected) => {
      expect(canonicalize(value)).toBe(expected);
      expect(canonicalize({ n: value })).toBe(`{"n":${expected}}`);
    });

    it.each([NaN, Infinity, -Infinity])('throws on %p', (value) => {
      expect(() => canonicalize(value)).toThrow(TypeError);
      expect(() => canonicalize({ nested: [value] })).toThrow(TypeError);
    });
  });

  describe('string escaping', () => {
    it.each([
      ['quote', 'a"b', '"a\\"b"'],
      ['backslash', 'a\\b', '"a\\\\b"'],
      ['solidus kept', 'a/b', '"a/b"'],
      ['unit separator', '\u001f', '"\\u001f"'],
      ['start of heading', '\u0001', '"\\u0001"'],
      ['short escapes', '\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
      ['DEL kept', '\u007f', '"\u007f"'],
      [
        'non-ASCII kept',
        'G\u00f6teborg \u20ac \ud83d\ude00',
        '"G\u00f6teborg \u20ac \ud83d\ude00"',
      ],
      ['line separator kept', '\u2028', '"\u2028"'],
    ])('%s', (_label, value, expected) => {
      expect(canonicalize(value)).toBe(expected);
    });

    it('escapes object keys the same way as values', () => {
      expect(canonicalize({ 'a"\\\u001f': 'v' })).toBe('{"a\\"\\\\\\u001f":"v"}');
    });
  });

  describe('ill-formed strings (no canonical form, or not storable)', () => {
    it.each([
      ['a lone high surrogate', 'a\ud800b', /lone UTF-16 surrogate/],
      ['a lone low surrogate', '\udc00', /lone UTF-16 surrogate/],
      ['a low surrogate before a high one', '\ude00\ud83d', /lone UTF-16 surrogate/],
      ['a surrogate pair cut at the end', 'x\ud83d', /lone UTF-16 surrogate/],
      ['NUL', '\u0000', /NUL character/],
      ['NUL inside text', 'safe\u0000tail', /NUL character/],
    ])('refuses %s, as a value, nested, and as a key', (_label, text, reason) => {
      expect(() => canonicalize(text)).toThrow(TypeError);
      expect(() => canonicalize(text)).toThrow(reason);
      expect(() => canonicalize({ a: [1, { b: text }] })).toThrow(reason);
      expect(() => canonicalize({ [text]: 1 })).toThrow(/object key/);
    });

    it('says which string, escaped (no raw control characters in the message)', () => {
      expect(() => canonicalize('tab\there\u0000')).toThrow(
        'Cannot canonicalize a string holding a NUL character (U+0000): "tab\\there\\u0000"',
      );
    });

    it('still writes well-formed surrogate pairs, raw', () => {
      expect(canonicalize({ '\ud83d\ude00': '\ud83d\ude00' })).toBe(
        '{"\ud83d\ude00":"\ud83d\ude00"}',
      );
    });
  });

  it('writes strings that need no escape exactly as JSON.stringify does', () => {
    // The writer skips JSON.stringify for such strings; the two must never differ.
    for (let code = 0x20; code < 0x3000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const text = `a${String.fromCharCode(code)}z`;
      expect(canonicalize(text)).toBe(JSON.stringify(text));
    }
  });

  it('throws on values JSON cannot carry', () => {
    expect(() => canonicalize(() => 1)).toThrow(TypeError);
    expect(() => canonicalize(Symbol('s'))).toThrow(TypeError);
    expect(() => canonicalize(BigInt(1))).toThrow(TypeError);
    expect(() => canonicalize(undefined)).toThrow(TypeError);
  });
});
