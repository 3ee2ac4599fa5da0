import type { DatabaseHandle, Database } from '../../db/client.ts';
import type { JurisdictionRow } from '../../db/schema/index.ts';
import { primaryOf } from '../../db/replicas.ts';

/** The channel the jurisdictions table's trigger notifies on every write (migration 0014). */
export const JURISDICTIONS_CHANGED = 'jurisdictions_changed';

/** Far more cities than one deployment serves; only found rows are kept, so clients cannot fill it. */
const MAX_ROWS = 1000;

/**
 * Jurisdictions of this process, by slug and by id. Every root field resolves its jurisdiction
 * (the `jurisdiction` argument or the server's default), which was one statement on every request
 * for a row that changes about never. A write to the table (the import, or plain SQL) is notified
 * at commit by a trigger, and the cache forgets everything then; it also forgets everything when
 * its listening connection (re)connects, since notifications sent while it was away are lost.
 * A lookup that started before a notification does not store what it read.
 */
export class JurisdictionCache {
  private generation = 0;
  private readonly bySlug = new Map<string, JurisdictionRow>();
  private readonly byId = new Map<number, JurisdictionRow>();
  /** What else defines a jurisdiction and changes with it (its kinds, migration 0035), by name then id. */
  private readonly definitions = new Map<string, Map<number, unknown>>();

  clear(): void {
    this.generation += 1;
    this.bySlug.clear();
    this.byId.clear();
    this.definitions.clear();
  }

  /**
   * Part of each jurisdiction's definition, by id, read by `fetch` for the ids not held; forgotten
   * with the jurisdictions on every notification. Ids are of jurisdictions a request already
   * resolved, so the store holds at most one entry a city (and is cleared past MAX_ROWS).
   */
  async definitionsOf<V>(name: string, ids: readonly number[], fetch: (missing: number[]) => Promise<Map<number, V>>): Promise<Map<number, V>> {
    let held = this.definitions.get(name) as Map<number, V> | undefined;
    const found = new Map<number, V>();
    const missing: number[] = [];
    for (const id of ids) {
      if (held?.has(id)) found.set(id, held.get(id)!);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const fetched = await fetch(missing);
    if (generation === this.generation) {
      if (!held || held.size >= MAX_ROWS) this.definitions.set(name, (held = new Map()));
      for (const [id, value] of fetched) held.set(id, value);
    }
    for (const [id, value] of fetched) found.set(id, value);
    return found;
  }

  private remember(row: JurisdictionRow): void {
    if (this.byId.size >= MAX_ROWS) this.clear();
    this.bySlug.set(row.slug, row);
    this.byId.set(row.id, row);
  }

  private async lookup<K>(keys: readonly K[], index: Map<K, JurisdictionRow>, fetch: (missing: K[]) => Promise<JurisdictionRow[]>): Promise<JurisdictionRow[]> {
    const found: JurisdictionRow[] = [];
    const missing: K[] = [];
    for (const key of keys) {
      const row = index.get(key);
      if (row) found.push(row);
      else missing.push(key);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const fetched = await fetch(missing);
    if (generation === this.generation) for (const row of fetched) this.remember(row);
    return found.concat(fetched);
  }

  /** The row of this slug if it is held now; never reads the database. */
  peekBySlug(slug: string): JurisdictionRow | undefined {
    return this.bySlug.get(slug);
  }

  rowsBySlug(slugs: readonly string[], fetch: (missing: string[]) => Promise<JurisdictionRow[]>): Promise<JurisdictionRow[]> {
    return this.lookup(slugs, this.bySlug, fetch);
  }

  rowsById(ids: readonly number[], fetch: (missing: number[]) => Promise<JurisdictionRow[]>): Promise<JurisdictionRow[]> {
    return this.lookup(ids, this.byId, fetch);
  }
}

/** The cache of each database that has one, keyed by its primary (requests may hold a pinned replica view). */
const caches = new WeakMap<Database, JurisdictionCache>();

/** This database's jurisdiction cache, or undefined when none was started (every lookup reads the table). */
export function jurisdictionCacheOf(db: Database): JurisdictionCache | undefined {
  return caches.get(primaryOf(db));
}

/**
 * Starts caching jurisdictions for this database: listens for the trigger's notifications first,
 * so that no write can fall between the listening and the first cached read.
 */
export async function startJurisdictionCache(database: DatabaseHandle): Promise<JurisdictionCache> {
  const cache = new JurisdictionCache();
  await database.listen(JURISDICTIONS_CHANGED, () => cache.clear(), () => cache.clear());
  caches.set(primaryOf(database.db), cache);
  return cache;
}
