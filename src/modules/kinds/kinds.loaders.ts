import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import { divisionKindsOf, organizationKindsOf } from './kinds.repository.ts';
import { emptyKinds, type JurisdictionKinds } from './kinds.service.ts';

export function createKindLoaders(db: Database) {
  return {
    /** Every kind of each jurisdiction, with their names: two statements for any number of jurisdictions. */
    kindsByJurisdictionId: new DataLoader<number, JurisdictionKinds>(async (ids) => {
      const [divisionRows, organizationRows] = await Promise.all([divisionKindsOf(db, ids), organizationKindsOf(db, ids)]);
      const byId = new Map<number, JurisdictionKinds>(ids.map((id) => [id, emptyKinds()]));
      for (const row of divisionRows) byId.get(row.jurisdictionId)?.division.set(row.code, row);
      for (const row of organizationRows) byId.get(row.jurisdictionId)?.organization.set(row.code, row);
      return ids.map((id) => byId.get(id)!);
    }),
  };
}
