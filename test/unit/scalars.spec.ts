import { GraphQLError, Kind, parseValue, valueFromAST } from 'graphql';
import { DateScalar, JsonScalar, isCalendarDate } from '../../src/graphql/scalars';

/** Runs fn and returns the GraphQLError it throws (fails the test if it does not). */
function thrown(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    return e as GraphQLError;
  }
  throw new Error('expected a GraphQLError');
}

const VALID = [
  '2024-02-29',
  '2026-01-01',
  '2026-12-31',
  '2000-02-29',
  '1999-07-15',
  '0001-01-01',
  '9999-12-31',
];
const INVALID = [
  '0000-01-01', // a date to JavaScript, not to PostgreSQL
  '0000-12-31',
  '2023-02-29',
  '1900-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '2026-01-00',
  '2026-1-01',
  '2026-01-1',
  '26-01-01',
  '2026/01/01',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '2026-01-01\n',
  '',
];

describe('isCalendarDate', () => {
  it.each(VALID)('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each(INVALID)('rejects %j', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it("agrees with JavaScript's own calendar on every month and day, leap years and centuries included", () => {
    const viaDate = (value: string) => {
      const date = new Date(`${value}T00:00:00.000Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
    };
    const two = (n: number) => String(n).padStart(2, '0');
    let accepted = 0;
    for (const year of ['0001', '0004', '0100', '1900', '2000', '2023', '2024', '2100', '9999']) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${year}-${two(month)}-${two(day)}`;
          expect([value, isCalendarDate(value)]).toEqual([value, viaDate(value)]);
          if (isCalendarDate(value)) accepted++;
        }
      }
    }
    // 9 years of 365 days and 3 leap days (0004, 2000, 2024; 0100, 1900 and 2100 are not leap).
    expect(accepted).toBe(9 * 365 + 3);
  });
});

describe('DateScalar', () => {
  describe('parseValue (variables)', () => {
    it.each(VALID)('accepts %s unchanged', (value) => {
      expect(DateScalar.parseValue(value)).toBe(value);
    });

    it.each(INVALID)('rejects %j with BAD_USER_INPUT', (value) => {
      const error = thrown(() => DateScalar.parseValue(value));
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toBe(
        `Date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(value)}`,
      );
    });

    it.each([20260101, null, undefined, true, {}, ['2026-01-01'], new Date('2026-01-01')])(
      'rejects the non-string %p',
      (value) => {
        expect(thrown(() => DateScalar.parseValue(value)).extensions.code).toBe('BAD_USER_INPUT');
      },
    );
  });

  describe('parseLiteral (inline arguments)', () => {
    it.each(VALID)('accepts "%s"', (value) => {
      expect(DateScalar.parseLiteral(parseValue(`"${value}"`), undefined)).toBe(value);
      expect(valueFromAST(parseValue(`"${value}"`), DateScalar)).toBe(value);
    });

    it.each(INVALID.filter((v) => !v.includes('\n')))('rejects "%s"', (value) => {
      const error = thrown(() => DateScalar.parseLiteral(parseValue(`"${value}"`), undefined));
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toContain(JSON.stringify(value));
      // valueFromAST reports an invalid literal as undefined.
      expect(valueFromAST(parseValue(`"${value}"`), DateScalar)).toBeUndefined();
    });

    it.each([
      ['an int', '20260101', Kind.INT],
      ['a list', '["2026-01-01"]', Kind.LIST],
      ['an object', '{ date: "2026-01-01" }', Kind.OBJECT],
      ['an enum', 'TODAY', Kind.ENUM],
      ['a boolean', 'true', Kind.BOOLEAN],
    ])('rejects %s literal, naming its kind', (_label, literal, kind) => {
      const error = thrown(() => DateScalar.parseLiteral(parseValue(literal), undefined));
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toContain(kind);
    });
  });

  describe('serialize', () => {
    it('writes a Date as its UTC calendar date', () => {
      expect(DateScalar.serialize(new Date('2026-03-05T00:00:00.000Z'))).toBe('2026-03-05');
      expect(DateScalar.serialize(new Date('2026-03-05T23:59:59.999Z'))).toBe('2026-03-05');
      expect(DateScalar.serialize(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    });

    it('passes a calendar date string through', () => {
      expect(DateScalar.serialize('2024-02-29')).toBe('2024-02-29');
    });

    it.each(['2023-02-29', 'soon', 20260101, null])('refuses %p', (value) => {
      expect(() => DateScalar.serialize(value)).toThrow(GraphQLError);
    });
  });
});

describe('JsonScalar', () => {
  it('passes values through serialize and parseValue unchanged', () => {
    const value = { a: [1, 'x', null, { b: true }] };
    expect(JsonScalar.serialize(value)).toBe(value);
    expect(JsonScalar.parseValue(value)).toBe(value);
  });

  it.each([
    ['a string', '"text"', 'text'],
    ['an int', '42', 42],
    ['a negative float', '-1.5e3', -1500],
    ['a boolean', 'false', false],
    ['null', 'null', null],
    ['an empty list', '[]', []],
    ['an empty object', '{}', {}],
  ])('parses %s literal', (_label, literal, expected) => {
    expect(JsonScalar.parseLiteral(parseValue(literal), undefined)).toEqual(expected);
  });

  it('parses nested objects and lists', () => {
    const ast = parseValue(
      '{ title: "NDC", year: 2030, share: 0.25, ok: true, none: null, ' +
        'criteria: [{ threshold: 10, tags: ["a", "b"] }, [1, [2, []]]] }',
    );
    expect(JsonScalar.parseLiteral(ast, undefined)).toEqual({
      title: 'NDC',
      year: 2030,
      share: 0.25,
      ok: true,
      none: null,
      criteria: [{ threshold: 10, tags: ['a', 'b'] }, [1, [2, []]]],
    });
  });

  it('substitutes variables at any depth', () => {
    const ast = parseValue('{ a: $x, list: [1, $y, { deep: $z }] }');
    expect(JsonScalar.parseLiteral(ast, { x: 'ex', y: [true], z: { k: 1 } })).toEqual({
      a: 'ex',
      list: [1, [true], { deep: { k: 1 } }],
    });
  });

  it('gives undefined for a variable when none are supplied', () => {
    const ast = parseValue('$missing');
    expect(JsonScalar.parseLiteral(ast, undefined)).toBeUndefined();
    expect(JsonScalar.parseLiteral(ast, null)).toBeUndefined();
    expect(JsonScalar.parseLiteral(ast, { other: 1 })).toBeUndefined();
  });

  it('works through valueFromAST', () => {
    expect(valueFromAST(parseValue('{ n: [1, "two"] }'), JsonScalar)).toEqual({ n: [1, 'two'] });
  });

  it('rejects enum literals with BAD_USER_INPUT, also when nested', () => {
    expect(
      thrown(() => JsonScalar.parseLiteral(parseValue('RED'), undefined)).extensions.code,
    ).toBe('BAD_USER_INPUT');
    const nested = thrown(() => JsonScalar.parseLiteral(parseValue('{ a: [RED] }'), undefined));
    expect(nested.message).toBe('JSON cannot represent an enum literal');
  });
});
