import DataLoader from 'dataloader';

/**
 * A per-request loader keyed by (id, params): loads with equal params are batched into one call
 * of `fetch`, which returns results by id. Params must be JSON-serialisable (dates, limits, cursors).
 */
export function loaderWithParams<Params, Value>(
  fetch: (ids: readonly number[], params: Params) => Promise<Map<number, Value>>,
  empty: () => Value,
): DataLoader<{ id: number; params: Params }, Value, string> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, { params: Params; ids: number[] }>();
      for (const { id, params } of keys) {
        const groupKey = JSON.stringify(params);
        const group = groups.get(groupKey) ?? { params, ids: [] };
        group.ids.push(id);
        groups.set(groupKey, group);
      }
      const results = new Map<string, Value>();
      await Promise.all(
        [...groups].map(async ([groupKey, { params, ids }]) => {
          const byId = await fetch([...new Set(ids)], params);
          for (const id of ids) results.set(`${id}|${groupKey}`, byId.get(id) ?? empty());
        }),
      );
      return keys.map(({ id, params }) => results.get(`${id}|${JSON.stringify(params)}`) ?? empty());
    },
    { cacheKeyFn: ({ id, params }) => `${id}|${JSON.stringify(params)}` },
  );
}

/** A per-request loader of rows by primary key: one `where id = any(...)` per tick, results in key order. */
export function loaderById<Row extends { id: number }>(fetch: (ids: readonly number[]) => Promise<Row[]>): DataLoader<number, Row | null> {
  return new DataLoader(async (ids) => {
    const byId = new Map((await fetch(ids)).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
