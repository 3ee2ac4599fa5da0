import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { jurisdictions, type JurisdictionRow } from '../../db/schema/index.ts';
import { rowsByIds } from '../../db/rows-by-ids.ts';

export function jurisdictionsByIds(db: Database, ids: readonly number[]): Promise<JurisdictionRow[]> {
  return rowsByIds(db, jurisdictions, ids);
}

export function jurisdictionsBySlugs(db: Database, slugs: readonly string[]): Promise<JurisdictionRow[]> {
  return db.select().from(jurisdictions).where(inArray(jurisdictions.slug, [...slugs]));
}
