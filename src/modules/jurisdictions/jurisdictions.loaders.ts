import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import type { JurisdictionRow } from '../../db/schema/index.ts';
import { primaryOf } from '../../db/replicas.ts';
import { loaderById } from '../../graphql/loader.ts';
import { jurisdictionCacheOf } from './jurisdiction-cache.ts';
import { jurisdictionsByIds, jurisdictionsBySlugs } from './jurisdictions.repository.ts';

export function createJurisdictionLoaders(db: Database) {
  // Rows kept across requests are read from the primary: a lagging replica must not be remembered.
  const cache = db ? jurisdictionCacheOf(db) : undefined;
  const primary = db && primaryOf(db);
  return {
    jurisdictionById: loaderById((ids) => (cache ? cache.rowsById(ids, (missing) => jurisdictionsByIds(primary, missing)) : jurisdictionsByIds(db, ids))),
    jurisdictionBySlug: new DataLoader<string, JurisdictionRow | null>(async (slugs) => {
      const rows = cache ? await cache.rowsBySlug(slugs, (missing) => jurisdictionsBySlugs(primary, missing)) : await jurisdictionsBySlugs(db, slugs);
      const bySlug = new Map(rows.map((row) => [row.slug, row]));
      return slugs.map((slug) => bySlug.get(slug) ?? null);
    }),
  };
}
