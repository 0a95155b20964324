import DataLoader from 'dataloader';

const stores = new WeakMap<object, Map<object, unknown>>();

/**
 * The value `owner` keeps for this request, created on first use. Keyed by the request's
 * context object, so it lives exactly as long as the request and is never shared between
 * callers; a request that never asks creates nothing.
 */
export function perRequest<T>(context: object, owner: object, create: () => T): T {
  let store = stores.get(context);
  if (!store) {
    store = new Map<object, unknown>();
    stores.set(context, store);
  }
  if (!store.has(owner)) store.set(owner, create());
  return store.get(owner) as T;
}

/**
 * A DataLoader for one-to-many relations: `load(key)` gives every item whose `keyOf` is key
 * (an empty list when there is none), fetched for all keys of a tick in one call.
 */
export function groupedLoader<T>(
  fetch: (keys: string[]) => Promise<T[]>,
  keyOf: (item: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const item of await fetch([...keys])) {
      const key = keyOf(item);
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}
