import { and, count, eq, exists, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { memberships, people, type PersonRow } from '../../db/schema/index.ts';
import { nameKey, pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';
import { hitColumn, rankedMatch, type Ranked } from './search.repository.ts';

// Staff-only reads: the caller (people-search.service.ts) checks that the viewer manages the jurisdiction.

/** One person found, with how their name matched (rankedMatch() over name and sort name). */
export interface PersonSearchHit extends Ranked {
  person: PersonRow;
}

export interface PeopleSearchQuery {
  jurisdictionId: number;
  /** Trimmed user text, 1–200 characters. */
  text: string;
  /** Only people with a term of service in this organization; null for anyone. */
  organizationId: number | null;
  /** Only people with a term of service on this seat; null for any. */
  postId: number | null;
}

/** Best first, as `search`: match tier, then score, then name, then id (unique). */
export const peopleSearchKeyset: Keyset<PersonSearchHit> = {
  keys: [plainKey(hitColumn('tier'), 'int'), plainKey(hitColumn('neg_score'), 'int'), nameKey(hitColumn('label')), plainKey(hitColumn('id'), 'int')],
  direction: 'asc',
  valuesOf: (hit) => [hit.tier, hit.negScore, hit.person.name, hit.person.id],
};

/** Any term on record (past, current or later) in the organization and/or on the seat. */
function heldTerm(db: Database, query: PeopleSearchQuery): SQL | undefined {
  if (query.organizationId == null && query.postId == null) return undefined;
  return exists(
    db
      .select({ one: sql`1` })
      .from(memberships)
      .where(
        and(
          eq(memberships.personId, people.id),
          query.organizationId != null ? eq(memberships.organizationId, query.organizationId) : undefined,
          query.postId != null ? eq(memberships.postId, query.postId) : undefined,
        ),
      ),
  );
}

/** The candidates with their rank: matched on public roster names only, never on private details. */
function hitsQuery(db: Database, query: PeopleSearchQuery) {
  const match = rankedMatch(people.name, people.sortName, query.text);
  return db
    .select({
      id: sql<number>`${people.id}`.as('id'),
      label: sql<string>`${people.name}`.as('label'),
      tier: match.tier.as('tier'),
      negScore: match.negScore.as('neg_score'),
    })
    .from(people)
    .where(and(eq(people.jurisdictionId, query.jurisdictionId), match.candidate, heldTerm(db, query)))
    .as('hits');
}

/** One page of people, ranked, with their rows: one statement. */
export async function peopleSearchPage(db: Database, query: PeopleSearchQuery, page: PageRequest): Promise<PersonSearchHit[]> {
  const clauses = pageClauses(peopleSearchKeyset, page);
  const rows = await db
    .select({ person: getTableColumns(people), tier: sql<number>`${hitColumn('tier')}`, negScore: sql<number>`${hitColumn('neg_score')}` })
    .from(hitsQuery(db, query))
    .innerJoin(people, eq(people.id, sql`${hitColumn('id')}`))
    .where(clauses.where)
    .orderBy(...clauses.orderBy)
    .limit(clauses.limit);
  // Drivers may return computed integers as strings; the cursor needs numbers.
  return rows.map((r) => ({ person: r.person, tier: Number(r.tier), negScore: Number(r.negScore) }));
}

export async function peopleSearchCount(db: Database, query: PeopleSearchQuery): Promise<number> {
  const [row] = await db.select({ n: count() }).from(hitsQuery(db, query));
  return row?.n ?? 0;
}
