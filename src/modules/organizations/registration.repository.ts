import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { organizationKinds, organizationRegistrations, type OrganizationRegistrationRow } from '../../db/schema/index.ts';

/** Registration terms of these organizations, oldest first (the loader's batch: one statement). */
export async function registrationTermsByOrganizationIds(db: Database, organizationIds: readonly number[]): Promise<Map<number, OrganizationRegistrationRow[]>> {
  const rows = await db
    .select()
    .from(organizationRegistrations)
    .where(inArray(organizationRegistrations.organizationId, [...organizationIds]))
    .orderBy(asc(organizationRegistrations.organizationId), asc(organizationRegistrations.registeredOn));
  const byOrganization = new Map<number, OrganizationRegistrationRow[]>(organizationIds.map((id) => [id, []]));
  for (const row of rows) byOrganization.get(row.organizationId)?.push(row);
  return byOrganization;
}

/** One organization's terms, oldest first (read under its row lock by the mutations). */
export async function registrationTermsOf(tx: Database, organizationId: number): Promise<OrganizationRegistrationRow[]> {
  return (await registrationTermsByOrganizationIds(tx, [organizationId])).get(organizationId) ?? [];
}

export async function insertRegistrationTerm(tx: Database, values: typeof organizationRegistrations.$inferInsert): Promise<OrganizationRegistrationRow> {
  const [row] = await tx.insert(organizationRegistrations).values({ ...values, origin: 'STAFF' }).returning();
  return row!;
}

/** The kind's registration rules, read in the transaction (not from the per-request kinds cache). */
export async function registrationKindOf(tx: Database, jurisdictionId: number, code: string) {
  const [row] = await tx
    .select({ recognitionModel: organizationKinds.recognitionModel, registrationTermMonths: organizationKinds.registrationTermMonths, registrationIntakeMonth: organizationKinds.registrationIntakeMonth })
    .from(organizationKinds)
    .where(and(eq(organizationKinds.jurisdictionId, jurisdictionId), eq(organizationKinds.code, code)));
  return row ?? null;
}
