import { JsonValue } from './canonical-json';

/** One changed leaf between two snapshots, addressed like `criteria[0].threshold`. */
export interface FieldChange {
  path: string;
  before: JsonValue | null;
  after: JsonValue | null;
}

const isObject = (v: unknown): v is Record<string, JsonValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const childPath = (base: string, key: string): string => (base ? `${base}.${key}` : key);

/**
 * Field-level differences between two JSON snapshots. Objects are compared key by key and
 * arrays index by index, so a changed threshold shows as `criteria[0].threshold`; anything
 * else that differs is reported whole at its path. Keys come out sorted, so the result is
 * deterministic. A missing snapshot (create, delete) compares as an empty object.
 */
export function fieldChanges(before: JsonValue | null, after: JsonValue | null): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (path: string, a: JsonValue | undefined, b: JsonValue | undefined): void => {
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(childPath(path, key), a[key], b[key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const length = Math.max(a.length, b.length);
      for (let i = 0; i < length; i++) walk(`${path}[${i}]`, a[i], b[i]);
      return;
    }
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) {
      changes.push({ path, before: a ?? null, after: b ?? null });
    }
  };
  walk('', before ?? {}, after ?? {});
  return changes;
}
