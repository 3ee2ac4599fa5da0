import { and, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { organizationKinds, organizations, vacancyPostings, type VacancyPostingRow } from '../../db/schema/index.ts';
import { searchText } from '../../db/search-text.ts';
import { nameKey, pageClauses, plainKey, type Keyset, type PageRequest } from '../../graphql/pagination.ts';

/**
 * What an organization hit is: the category of its kind (organization_kinds.category, shared by every
 * city), with OTHER named OTHER_ORGANIZATION beside VACANCY_POSTING.
 */
export type OrganizationSearchKind =
  | 'ADVISORY_BODY'
  | 'NEIGHBORHOOD_ASSOCIATION'
  | 'BUSINESS_DISTRICT_ASSOCIATION'
  | 'DISTRICT_COALITION'
  | 'COMMUNITY_ORGANIZATION'
  | 'COMMUNITY_BOARD'
  | 'COUNCIL'
  | 'NETWORK'
  | 'OTHER_ORGANIZATION';
export type SearchKind = OrganizationSearchKind | 'VACANCY_POSTING';
type OrganizationKindCategory = (typeof organizationKinds.category.enumValues)[number];
const categoryOf = (kind: OrganizationSearchKind): OrganizationKindCategory => (kind === 'OTHER_ORGANIZATION' ? 'OTHER' : kind);
export type SearchMatch = 'EXACT' | 'PREFIX' | 'WORD' | 'SIMILAR';

const MATCHES: readonly SearchMatch[] = ['EXACT', 'PREFIX', 'WORD', 'SIMILAR'];

/** Which table a hit comes from. */
export type SearchSource = 'ORGANIZATION' | 'VACANCY_POSTING';

/** One ranked search result, before its object is loaded. */
export interface SearchHit {
  source: SearchSource;
  id: number;
  kind: SearchKind;
  label: string;
  /** Index into MATCHES: 0 is the best. */
  tier: number;
  /** −round(score × 10⁶): an integer that sorts ascending, so one keyset direction serves every key. */
  negScore: number;
  /** The text that matched: the name (title), or the short name when that matched better. */
  matchedText: string;
}

/** How a ranked row matched: its tier and score, as rankedMatch() computed them (shared with peopleSearch). */
export type Ranked = Pick<SearchHit, 'tier' | 'negScore'>;

export const matchOf = (hit: Ranked): SearchMatch => MATCHES[hit.tier]!;
export const scoreOf = (hit: Ranked): number => -hit.negScore / 1_000_000;

// Columns of the `hits` subquery; fixed identifiers, never user input.
export const hitColumn = (name: string) => sql.raw(`hits.${name}`);

/** Best first: match tier, then score, then name, source and id (unique), all ascending. */
export const searchKeyset: Keyset<SearchHit> = {
  keys: [plainKey(hitColumn('tier'), 'int'), plainKey(hitColumn('neg_score'), 'int'), nameKey(hitColumn('label')), plainKey(hitColumn('source'), 'text'), plainKey(hitColumn('id'), 'int')],
  direction: 'asc',
  valuesOf: (hit) => [hit.tier, hit.negScore, hit.label, hit.source, hit.id],
};

export interface SearchQuery {
  jurisdictionId: number;
  /** Trimmed user text, 1–200 characters. */
  text: string;
  kinds: readonly SearchKind[];
  /** Only organizations of these kind codes of the jurisdiction; null for any. */
  kindCodes: readonly string[] | null;
  /** Posting statuses the caller may see: OPEN and CLOSED for the public, every one for staff. */
  postingStatuses: readonly VacancyPostingRow['status'][];
}

/**
 * Ranking and matching of one text column (and an optional second name: an organization's short
 * name, a person's sort name) against the query; every comparison is on search_text(), so the GIN
 * trigram indexes serve the candidate filter:
 *   candidates: contains the query (LIKE), a whole word spelled almost like it (strict word
 *   similarity `%>>`, pg_trgm's default threshold 0.5), or similar as a whole (`%`, default 0.3);
 *   tier 0 EXACT: equal; 1 PREFIX: the text or one of its words starts with the query;
 *   2 WORD: contains it or has a near-identical word; 3 SIMILAR: the rest.
 */
export function rankedMatch(name: AnyPgColumn, shortName: AnyPgColumn | null, text: string) {
  const q = searchText(text);
  // LIKE pattern body: the query with its own %, _ and \ escaped, normalized the same way.
  const p = searchText(text.replace(/[\\%_]/g, (c) => `\\${c}`));
  const n = searchText(name);
  const s = shortName ? searchText(shortName) : null;
  const startsWith = (column: SQL) => sql`${column} like ${p} || '%'`;
  const wordStartsWith = sql`(${n} like '% ' || ${p} || '%' or ${n} like '%-' || ${p} || '%')`;
  const contains = sql`${n} like '%' || ${p} || '%'`;
  const nearWord = sql`${n} %>> ${q}`;
  const tier = sql<number>`(case
    when ${n} = ${q} ${s ? sql`or ${s} = ${q}` : sql``} then 0
    when ${startsWith(n)} or ${wordStartsWith} ${s ? sql`or ${startsWith(s)}` : sql``} then 1
    when ${contains} or ${nearWord} then 2
    else 3 end)`;
  const score = sql`greatest(strict_word_similarity(${q}, ${n}), similarity(${q}, ${n}) ${s ? sql`, coalesce(similarity(${q}, ${s}), 0)` : sql``})`;
  const negScore = sql<number>`(-round(${score} * 1000000))::int`;
  const candidate = sql`(${contains} or ${nearWord} or ${n} % ${q} ${s ? sql`or ${startsWith(s)} or ${s} % ${q}` : sql``})`;
  // Whether the second name matched better than the name: equal to the query where the name is
  // not, starting with it where the name does not, or closer by trigram similarity.
  const secondMatched = s
    ? sql<boolean>`(${s} is not null and ((${s} = ${q} and ${n} <> ${q}) or (${startsWith(s)} and not (${n} = ${q} or ${startsWith(n)} or ${wordStartsWith})) or coalesce(similarity(${q}, ${s}), 0) > greatest(strict_word_similarity(${q}, ${n}), similarity(${q}, ${n}))))`
    : sql<boolean>`false`;
  return { tier, negScore, candidate, secondMatched };
}

function hitsQuery(db: Database, query: SearchQuery) {
  const organizationKinds = query.kinds.filter((k): k is OrganizationSearchKind => k !== 'VACANCY_POSTING');
  const wantsPostings = query.kinds.includes('VACANCY_POSTING') && query.postingStatuses.length > 0;
  const organizationHits = organizationKinds.length > 0 || !wantsPostings ? organizationHitsQuery(db, query, organizationKinds) : null;
  const postingHits = wantsPostings ? postingHitsQuery(db, query) : null;
  const union = organizationHits && postingHits ? organizationHits.unionAll(postingHits) : (organizationHits ?? postingHits)!;
  return union.as('hits');
}

function postingHitsQuery(db: Database, query: SearchQuery) {
  const match = rankedMatch(vacancyPostings.title, null, query.text);
  return db
    .select({
      source: sql<SearchSource>`'VACANCY_POSTING'`.as('source'),
      id: sql<number>`${vacancyPostings.id}`.as('id'),
      kind: sql<SearchKind>`'VACANCY_POSTING'`.as('kind'),
      label: sql<string>`${vacancyPostings.title}`.as('label'),
      tier: match.tier.as('tier'),
      negScore: match.negScore.as('neg_score'),
      matchedText: sql<string>`${vacancyPostings.title}`.as('matched_text'),
    })
    .from(vacancyPostings)
    .where(and(eq(vacancyPostings.jurisdictionId, query.jurisdictionId), inArray(vacancyPostings.status, [...query.postingStatuses]), match.candidate));
}

function organizationHitsQuery(db: Database, query: SearchQuery, kinds: readonly OrganizationSearchKind[]) {
  const match = rankedMatch(organizations.name, organizations.shortName, query.text);
  return db
    .select({
      source: sql<SearchSource>`'ORGANIZATION'`.as('source'),
      id: sql<number>`${organizations.id}`.as('id'),
      kind: sql<SearchKind>`(case when ${organizationKinds.category} = 'OTHER' then 'OTHER_ORGANIZATION' else ${organizationKinds.category}::text end)`.as('kind'),
      label: sql<string>`${organizations.name}`.as('label'),
      tier: match.tier.as('tier'),
      negScore: match.negScore.as('neg_score'),
      matchedText: sql<string>`(case when ${match.secondMatched} then ${organizations.shortName} else ${organizations.name} end)`.as('matched_text'),
    })
    .from(organizations)
    .innerJoin(organizationKinds, and(eq(organizationKinds.jurisdictionId, organizations.jurisdictionId), eq(organizationKinds.code, organizations.kind)))
    .where(
      and(
        eq(organizations.jurisdictionId, query.jurisdictionId),
        kinds.length ? inArray(organizationKinds.category, kinds.map(categoryOf)) : sql`false`,
        query.kindCodes ? (query.kindCodes.length ? inArray(organizations.kind, [...query.kindCodes]) : sql`false`) : undefined,
        match.candidate,
      ),
    );
}

export async function searchPage(db: Database, query: SearchQuery, page: PageRequest): Promise<SearchHit[]> {
  const clauses = pageClauses(searchKeyset, page);
  const hits = hitsQuery(db, query);
  const rows = await db.select().from(hits).where(clauses.where).orderBy(...clauses.orderBy).limit(clauses.limit);
  // Drivers may return computed integers as strings; the cursor needs numbers.
  return rows.map((r) => ({ ...r, id: Number(r.id), tier: Number(r.tier), negScore: Number(r.negScore) }));
}

export async function searchCount(db: Database, query: SearchQuery): Promise<number> {
  const [row] = await db.select({ n: count() }).from(hitsQuery(db, query));
  return row?.n ?? 0;
}
