import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { recognitions, type RecognitionRow } from '../../db/schema/index.ts';

const byStart = [asc(recognitions.startDate), asc(recognitions.id)] as const;

/** Every recognition period of each organization, oldest first: one statement for all of them. */
export async function recognitionsByOrganizationIds(db: Database, organizationIds: readonly number[]): Promise<Map<number, RecognitionRow[]>> {
  const rows = await db
    .select()
    .from(recognitions)
    .where(inArray(recognitions.organizationId, [...organizationIds]))
    .orderBy(...byStart);
  const byOrganization = new Map<number, RecognitionRow[]>(organizationIds.map((id) => [id, []]));
  for (const row of rows) byOrganization.get(row.organizationId)?.push(row);
  return byOrganization;
}

export function recognitionsOf(tx: Database, organizationId: number): Promise<RecognitionRow[]> {
  return tx.select().from(recognitions).where(eq(recognitions.organizationId, organizationId)).orderBy(...byStart);
}

export async function endRecognition(tx: Database, id: number, endDate: string): Promise<RecognitionRow> {
  const [row] = await tx.update(recognitions).set({ endDate }).where(eq(recognitions.id, id)).returning();
  return row!;
}

export async function insertRecognition(tx: Database, values: typeof recognitions.$inferInsert): Promise<RecognitionRow> {
  const [row] = await tx.insert(recognitions).values(values).returning();
  return row!;
}

/** The status in effect on `at` (half-open periods), from periods sorted by start. */
export function recognitionOn(periods: readonly RecognitionRow[], at: string): RecognitionRow | null {
  return periods.find((p) => p.startDate <= at && (p.endDate == null || p.endDate > at)) ?? null;
}
