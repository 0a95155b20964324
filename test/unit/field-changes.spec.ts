import { fieldChanges } from '../../src/audit/field-changes';

describe('fieldChanges', () => {
  it('reports every field of a created entity, from null', () => {
    expect(fieldChanges(null, { code: 'GHA', name: 'Ghana' })).toEqual([
      { path: 'code', before: null, after: 'GHA' },
      { path: 'name', before: null, after: 'Ghana' },
    ]);
  });

  it('reports every field of a deleted entity, to null', () => {
    expect(fieldChanges({ name: 'Ghana', code: 'GHA' }, null)).toEqual([
      { path: 'code', before: 'GHA', after: null },
      { path: 'name', before: 'Ghana', after: null },
    ]);
  });

  it('reports a created nested value whole at its top-level key', () => {
    expect(fieldChanges(null, { ndc: { title: 'NDC' } })).toEqual([
      { path: 'ndc', before: null, after: { title: 'NDC' } },
    ]);
  });

  it('addresses a change inside an array of objects as criteria[0].threshold', () => {
    const before = {
      criteria: [
        { threshold: 10, unit: 't' },
        { threshold: 5, unit: 't' },
      ],
    };
    const after = {
      criteria: [
        { threshold: 20, unit: 't' },
        { threshold: 5, unit: 't' },
      ],
    };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'criteria[0].threshold', before: 10, after: 20 },
    ]);
  });

  it('reports an appended array item with before null', () => {
    expect(
      fieldChanges(
        { technologies: ['solar', 'wind'] },
        { technologies: ['solar', 'wind', 'hydro'] },
      ),
    ).toEqual([{ path: 'technologies[2]', before: null, after: 'hydro' }]);
  });

  it('reports a removed array item with after null', () => {
    expect(
      fieldChanges({ technologies: ['solar', 'wind', 'hydro'] }, { technologies: ['solar'] }),
    ).toEqual([
      { path: 'technologies[1]', before: 'wind', after: null },
      { path: 'technologies[2]', before: 'hydro', after: null },
    ]);
  });

  it('returns [] when nothing changed', () => {
    const snapshot = { a: 1, b: { c: [1, { d: 'x' }], e: null }, f: true };
    expect(fieldChanges(snapshot, structuredClone(snapshot))).toEqual([]);
    expect(fieldChanges(null, null)).toEqual([]);
  });

  it('does not report a key order difference as a change', () => {
    expect(fieldChanges({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toEqual([]);
  });

  it('reports a type change from object to string whole at its path', () => {
    expect(fieldChanges({ ndc: { title: 'NDC' } }, { ndc: 'withdrawn' })).toEqual([
      { path: 'ndc', before: { title: 'NDC' }, after: 'withdrawn' },
    ]);
  });

  it('reports a change between array and object whole at its path', () => {
    expect(fieldChanges({ v: [1] }, { v: { 0: 1 } })).toEqual([
      { path: 'v', before: [1], after: { 0: 1 } },
    ]);
  });

  it('reports a value set to null and a value set from null', () => {
    expect(fieldChanges({ a: 1, b: null }, { a: null, b: 2 })).toEqual([
      { path: 'a', before: 1, after: null },
      { path: 'b', before: null, after: 2 },
    ]);
  });

  it('distinguishes 1 from "1" and false from null', () => {
    expect(fieldChanges({ a: 1, b: false }, { a: '1', b: null })).toEqual([
      { path: 'a', before: 1, after: '1' },
      { path: 'b', before: false, after: null },
    ]);
  });

  it('walks deeply nested paths', () => {
    expect(fieldChanges({ a: { b: [[{ c: 1 }]] } }, { a: { b: [[{ c: 2 }]] } })).toEqual([
      { path: 'a.b[0][0].c', before: 1, after: 2 },
    ]);
  });

  it('sorts keys so the result is deterministic regardless of insertion order', () => {
    const before = { zeta: 1, alpha: 1, mid: { z: 1, a: 1 } };
    const after = { mid: { a: 2, z: 2 }, alpha: 2, zeta: 2 };
    const expected = ['alpha', 'mid.a', 'mid.z', 'zeta'];
    expect(fieldChanges(before, after).map((c) => c.path)).toEqual(expected);
    const reordered = fieldChanges({ mid: { a: 1, z: 1 }, alpha: 1, zeta: 1 }, after);
    expect(reordered.map((c) => c.path)).toEqual(expected);
  });

  it('sorts keys by code unit: uppercase before lowercase', () => {
    expect(fieldChanges({}, { b: 1, B: 1, a: 1 }).map((c) => c.path)).toEqual(['B', 'a', 'b']);
  });
});
