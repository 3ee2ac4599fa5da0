import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { jurisdictions, type JurisdictionRow } from '../../db/schema/index.ts';

export function jurisdictionsByIds(db: Database, ids: readonly number[]): Promise<JurisdictionRow[]> {
  return db.select().from(jurisdictions).where(inArray(jurisdictions.id, [...ids]));
}

export function jurisdictionsBySlugs(db: Database, slugs: readonly string[]): Promise<JurisdictionRow[]> {
  return db.select().from(jurisdictions).where(inArray(jurisdictions.slug, [...slugs]));
}
