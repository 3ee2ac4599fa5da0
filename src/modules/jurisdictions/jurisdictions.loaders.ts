import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import type { JurisdictionRow } from '../../db/schema/index.ts';
import { loaderById } from '../../graphql/loader.ts';
import { jurisdictionsByIds, jurisdictionsBySlugs } from './jurisdictions.repository.ts';

export function createJurisdictionLoaders(db: Database) {
  return {
    jurisdictionById: loaderById((ids) => jurisdictionsByIds(db, ids)),
    jurisdictionBySlug: new DataLoader<string, JurisdictionRow | null>(async (slugs) => {
      const bySlug = new Map((await jurisdictionsBySlugs(db, slugs)).map((row) => [row.slug, row]));
      return slugs.map((slug) => bySlug.get(slug) ?? null);
    }),
  };
}
