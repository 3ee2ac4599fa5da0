import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  apiKeys,
  auditEvents,
  people,
  personPrivateDetails,
  type ApiKeyRow,
  type AuditEventRow,
  type PersonPrivateDetailsRow,
  type PersonRow,
} from '../../db/schema/index.ts';
import { pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';

/** Staff-only reads. Nothing here may be called on a path the public can reach without a check. */
export function privateDetailsByPersonIds(db: Database, ids: readonly number[]): Promise<PersonPrivateDetailsRow[]> {
  return db.select().from(personPrivateDetails).where(inArray(personPrivateDetails.personId, [...ids]));
}

export type PersonFields = Pick<PersonRow, 'name' | 'sortName' | 'publicBio'>;
export type PrivateFields = Partial<Omit<PersonPrivateDetailsRow, 'personId' | 'createdAt' | 'updatedAt'>>;

export async function insertPerson(db: Database, jurisdictionId: number, fields: PersonFields): Promise<PersonRow> {
  const [row] = await db.insert(people).values({ jurisdictionId, ...fields }).returning();
  return row!;
}

export async function personForUpdate(db: Database, id: number): Promise<PersonRow | null> {
  const [row] = await db.select().from(people).where(eq(people.id, id)).for('update');
  return row ?? null;
}

export async function updatePerson(db: Database, id: number, fields: Partial<PersonFields>): Promise<PersonRow> {
  // Edited by staff: a later dataset import leaves this person as staff made them.
  const [row] = await db.update(people).set({ ...fields, origin: 'STAFF' }).where(eq(people.id, id)).returning();
  return row!;
}

export async function privateDetailsOf(db: Database, personId: number): Promise<PersonPrivateDetailsRow | null> {
  const [row] = await db.select().from(personPrivateDetails).where(eq(personPrivateDetails.personId, personId));
  return row ?? null;
}

export async function upsertPrivateDetails(db: Database, personId: number, fields: PrivateFields): Promise<PersonPrivateDetailsRow> {
  const [row] = await db
    .insert(personPrivateDetails)
    .values({ personId, ...fields })
    .onConflictDoUpdate({ target: personPrivateDetails.personId, set: { ...fields, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

export const auditKeyset: Keyset<AuditEventRow> = {
  keys: [plainKey(auditEvents.id, 'int')],
  direction: 'desc',
  valuesOf: (row) => [row.id],
};

export function auditEventsPage(db: Database, subjectType: string, subjectId: number, page: PageRequest): Promise<AuditEventRow[]> {
  const clauses = pageClauses(auditKeyset, page);
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, subjectId), clauses.where))
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
}

export async function auditEventsCount(db: Database, subjectType: string, subjectId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, subjectId)));
  return row?.n ?? 0;
}

export function apiKeysOf(db: Database, jurisdictionId: number): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.jurisdictionId, jurisdictionId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function insertApiKey(db: Database, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(values).returning();
  return row!;
}

export async function apiKeyForUpdate(db: Database, id: number): Promise<ApiKeyRow | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
  return row ?? null;
}

/** Gives a key a new secret (an idempotent retry of apiKeyCreate): the old one stops working. */
export async function rekeyApiKey(db: Database, id: number, secret: { prefix: string; keyHash: string }): Promise<ApiKeyRow> {
  const [row] = await db.update(apiKeys).set(secret).where(eq(apiKeys.id, id)).returning();
  return row!;
}

export async function revokeApiKey(db: Database, id: number): Promise<ApiKeyRow> {
  const [row] = await db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, id)).returning();
  return row!;
}
