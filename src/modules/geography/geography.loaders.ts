import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import type { DivisionRow, PostRow } from '../../db/schema/index.ts';
import { loaderById, loaderWithParams } from '../../graphql/loader.ts';
import { councilPostsByDivisionIds, divisionsByIds, overlapsByDivisionIds } from './geography.repository.ts';

export function createGeographyLoaders(db: Database) {
  return {
    divisionById: loaderById((ids) => divisionsByIds(db, ids)),
    overlapsByDivisionId: loaderWithParams<{ kinds: DivisionRow['kind'][] | null }, { division: DivisionRow; share: number }[]>(
      (ids, { kinds }) => overlapsByDivisionIds(db, ids, kinds),
      () => [],
    ),
    councilPostByDivisionId: new DataLoader<number, PostRow | null>(async (ids) => {
      const byDivision = await councilPostsByDivisionIds(db, ids);
      return ids.map((id) => byDivision.get(id) ?? null);
    }),
  };
}
