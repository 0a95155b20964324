import { decodeKeyCursor, encodeCursor } from '../../src/graphql/pagination';

describe('decodeKeyCursor', () => {
  const forged = (json: string) => Buffer.from(`entry:${json}`, 'utf8').toString('base64url');

  it('returns the key of a cursor it encoded', () => {
    const cursor = encodeCursor('entry', JSON.stringify(['GHA', 'GHA-SOLAR 🌞']));
    expect(decodeKeyCursor('entry', cursor)).toEqual(['GHA', 'GHA-SOLAR 🌞']);
  });

  it.each([
    ['NUL', '["GHA\\u0000","x"]'],
    ['a lone surrogate', '["GHA","\\ud800"]'],
    ['a non-string', '["GHA",1]'],
    ['an empty key', '[]'],
  ])('refuses a forged key with %s, which would reach the database', (_label, json) => {
    expect(() => decodeKeyCursor('entry', forged(json))).toThrow(
      'after: not a cursor returned by this list',
    );
  });
});
