import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import { primaryOf } from '../../db/replicas.ts';
import { jurisdictionCacheOf } from '../jurisdictions/jurisdiction-cache.ts';
import { divisionKindsOf, organizationKindsOf, type DivisionKindInfoMapper, type OrganizationKindInfoMapper } from './kinds.repository.ts';

/** A jurisdiction's kinds by code, as one loader answer. */
export interface JurisdictionKinds {
  division: Map<string, DivisionKindInfoMapper>;
  organization: Map<string, OrganizationKindInfoMapper>;
}

export const emptyKinds = (): JurisdictionKinds => ({ division: new Map(), organization: new Map() });

/** Every kind of each jurisdiction, with their names: two statements for any number of jurisdictions. */
async function readKinds(db: Database, ids: readonly number[]): Promise<Map<number, JurisdictionKinds>> {
  const [divisionRows, organizationRows] = await Promise.all([divisionKindsOf(db, ids), organizationKindsOf(db, ids)]);
  const byId = new Map<number, JurisdictionKinds>(ids.map((id) => [id, emptyKinds()]));
  for (const row of divisionRows) byId.get(row.jurisdictionId)?.division.set(row.code, row);
  for (const row of organizationRows) byId.get(row.jurisdictionId)?.organization.set(row.code, row);
  return byId;
}

export function createKindLoaders(db: Database) {
  // Held across requests with the jurisdictions where the server keeps them (jurisdiction-cache.ts),
  // read from the primary as they are: none of the two statements once warm.
  const cache = db ? jurisdictionCacheOf(db) : undefined;
  const primary = db && primaryOf(db);
  return {
    kindsByJurisdictionId: new DataLoader<number, JurisdictionKinds>(async (ids) => {
      const byId = cache ? await cache.definitionsOf('kinds', ids, (missing) => readKinds(primary, missing)) : await readKinds(db, ids);
      return ids.map((id) => byId.get(id) ?? emptyKinds());
    }),
  };
}
