/**
 * Registration terms from the dataset: an organization the dataset owns has the one term its
 * organizations.csv row states (registered_on, registration_expires_on). That term is upserted as a
 * DATASET term; a DATASET term the row no longer states is deleted. Terms staff recorded
 * (organizationRegister, organizationRegistrationRenew) are never touched, and an organization staff
 * registered is staff-owned, so the import leaves its terms alone.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from './upsert.ts';

export async function writeRegistrationTerms(tx: Tx, jurisdictionId: number): Promise<void> {
  await tx.execute(sql`
    insert into organization_registrations (jurisdiction_id, organization_id, registered_on, expires_on, origin)
    select jurisdiction_id, id, registered_on, registration_expires_on, 'DATASET' from organizations
    where jurisdiction_id = ${jurisdictionId} and origin = 'DATASET' and registered_on is not null
    on conflict (organization_id, registered_on) do update set expires_on = excluded.expires_on, updated_at = now()
    where organization_registrations.origin = 'DATASET' and organization_registrations.expires_on is distinct from excluded.expires_on`);
  await tx.execute(sql`
    delete from organization_registrations r using organizations o
    where r.organization_id = o.id and o.jurisdiction_id = ${jurisdictionId} and o.origin = 'DATASET' and r.origin = 'DATASET'
      and r.registered_on is distinct from o.registered_on`);
}
