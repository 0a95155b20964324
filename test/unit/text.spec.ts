import {
  MAX_TEXT_PROBLEMS,
  isWellFormedText,
  memberPath,
  textProblem,
  textProblems,
} from '../../src/common/text';

const NUL = 'contains a NUL character, which cannot be stored';
const LONE = 'is not well-formed Unicode: it contains a lone UTF-16 surrogate';

describe('textProblem', () => {
  it.each([
    ['plain ASCII', 'Ghana'],
    ['the empty string', ''],
    ['Latin-1 and BMP text', 'Côte d’Ivoire — Ελλάδα'],
    ['a surrogate pair (emoji)', 'ok 🌍'],
    ['a surrogate pair written as escapes', 'clef \ud834\udd1e'],
    ['other control characters', 'tab\tnew\nline\u0001'],
    ['U+FFFD and noncharacters', '\ufffd\uffff'],
  ])('accepts %s', (_label, text) => {
    expect(textProblem(text)).toBeUndefined();
    expect(isWellFormedText(text)).toBe(true);
  });

  it.each([
    ['a lone high surrogate', 'ok \ud800', LONE],
    ['a lone low surrogate', '\udc00 ok', LONE],
    ['a pair in the wrong order', '\udf0d\ud83c', LONE],
    ['a high surrogate cut off at the end', 'ok 🌍'.slice(0, -1), LONE],
    ['NUL', '\u0000', NUL],
    ['NUL inside text', 'GHA\u0000', NUL],
  ])('refuses %s', (_label, text, message) => {
    expect(textProblem(text)).toBe(message);
    expect(isWellFormedText(text)).toBe(false);
  });
});

describe('memberPath', () => {
  it('uses dots for names and escaped brackets for anything else', () => {
    expect(memberPath('input', 'reason')).toBe('input.reason');
    expect(memberPath('input', '_x9')).toBe('input._x9');
    expect(memberPath('input', 'a b')).toBe('input["a b"]');
    expect(memberPath('input', '9')).toBe('input["9"]');
    // The path itself must stay well-formed: the bad key is written escaped.
    const path = memberPath('input', 'k\ud800');
    expect(path).toBe('input["k\\ud800"]');
    expect(isWellFormedText(path)).toBe(true);
  });
});

describe('textProblems', () => {
  it('finds nothing in well-formed values of every JSON kind', () => {
    expect(
      textProblems({ a: 'x', b: [1, 2.5, true, null, 'y 🌍'], c: { d: { e: 'z' } } }, 'input'),
    ).toEqual([]);
    expect(textProblems(undefined, 'input')).toEqual([]);
    expect(textProblems(42, 'input')).toEqual([]);
  });

  it('names a top-level string by the path given', () => {
    expect(textProblems('a\u0000', 'code')).toEqual([{ field: 'code', message: NUL }]);
  });

  it('names list elements and nested members by their full path', () => {
    const input = {
      reason: 'fine',
      criteria: [{ values: ['North'] }, { parameter: 'p', values: ['ok', 'South\udc00'] }],
    };
    expect(textProblems(input, 'input')).toEqual([
      { field: 'input.criteria[1].values[1]', message: LONE },
    ]);
  });

  it('checks object keys, as in the value of a JSON scalar', () => {
    const json = { nested: [{ 'bad\ud800': 1, 'also\u0000': 'fine' }] };
    expect(textProblems(json, 'after')).toEqual([
      { field: 'after.nested[0]["bad\\ud800"]', message: `key ${LONE}` },
      { field: 'after.nested[0]["also\\u0000"]', message: `key ${NUL}` },
    ]);
  });

  it('reports a bad key and a bad value under it, key first', () => {
    expect(textProblems({ '\u0000': '\ud800' }, 'j')).toEqual([
      { field: 'j["\\u0000"]', message: `key ${NUL}` },
      { field: 'j["\\u0000"]', message: LONE },
    ]);
  });

  it('reports problems in document order', () => {
    const found = textProblems({ a: ['\u0000', { b: '\ud800' }], c: '\u0000' }, 'x');
    expect(found.map((p) => p.field)).toEqual(['x.a[0]', 'x.a[1].b', 'x.c']);
  });

  it(`stops after ${MAX_TEXT_PROBLEMS} problems, or the limit given`, () => {
    const many = Array.from({ length: 1000 }, () => '\u0000');
    expect(textProblems(many, 'v')).toHaveLength(MAX_TEXT_PROBLEMS);
    expect(textProblems(many, 'v', 3).map((p) => p.field)).toEqual(['v[0]', 'v[1]', 'v[2]']);
  });

  it('walks a value nested deeper than the call stack would allow', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const [problem] = textProblems(deep, 'v');
    expect(problem.message).toBe(NUL);
    expect(problem.field).toBe(`v${'[0]'.repeat(200_000)}`);
  });
});
