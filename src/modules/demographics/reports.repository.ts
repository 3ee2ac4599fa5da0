import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { primaryOf } from '../../db/replicas.ts';
import { divisions, organizations, populationBaselines, publishedReports, type PopulationBaselineRow, type StoredPublication } from '../../db/schema/index.ts';
import type { AnswerRow, InterpretationRow, RespondentRow, StatusRow } from './publication-set.ts';

type Context = 'APPLICANT' | 'MEMBER' | 'EXIT';

/** execute() answers with rows on PostgreSQL and with { rows } on PGlite. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** `zh-hans` → `zh-Hans` (grouped lower-case in SQL, shown in BCP-47's canonical case); other text as it is. */
function canonicalTag(tag: string | null): string | null {
  if (tag === null) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag;
  } catch {
    return tag;
  }
}

/** Every advisory body of the jurisdiction with its kind and area, and its council districts: two statements. */
export async function reportShape(db: Database, jurisdictionId: number) {
  const [bodies, districts] = await Promise.all([
    db
      .select({ id: organizations.id, bodyKind: organizations.bodyKind, divisionId: organizations.divisionId })
      .from(organizations)
      .where(and(eq(organizations.jurisdictionId, jurisdictionId), eq(organizations.kind, 'ADVISORY_BODY'))),
    db
      .select({ id: divisions.id })
      .from(divisions)
      .where(and(eq(divisions.jurisdictionId, jurisdictionId), eq(divisions.kind, 'COUNCIL_DISTRICT'))),
  ]);
  return { bodies, districtIds: districts.map((d) => d.id) };
}

/**
 * Applicants who asked for interpretation in `year` (the submission's calendar year in the
 * jurisdiction's time zone), per body, council district they said they live in, and preferred
 * language. Aggregated in SQL: no application row leaves the database.
 */
export async function interpretationCounts(db: Database, jurisdictionId: number, timezone: string, year: number): Promise<InterpretationRow[]> {
  const result = await db.execute(sql`
    select p.organization_id as "organizationId",
           d.id as "councilDistrictId",
           nullif(lower(a.preferred_language), '') as "language",
           count(*)::integer as "requests"
    from applications a
    join vacancy_postings p on p.id = a.posting_id
    left join divisions d on d.id = a.residence_division_id and d.kind = 'COUNCIL_DISTRICT'
    where a.jurisdiction_id = ${jurisdictionId}
      and a.interpretation_needed
      and a.submitted_at >= make_timestamptz(${year}::int, 1, 1, 0, 0, 0, ${timezone}::text)
      and a.submitted_at < make_timestamptz(${year + 1}::int, 1, 1, 0, 0, 0, ${timezone}::text)
    group by 1, 2, 3
  `);
  return rowsOf<InterpretationRow>(result).map((r) => ({ ...r, language: canonicalTag(r.language), requests: Number(r.requests) }));
}

/** The baselines of the city and of one council district (if any), of every source. */
export function baselinesFor(db: Database, jurisdictionId: number, divisionId: number | null): Promise<PopulationBaselineRow[]> {
  return db
    .select()
    .from(populationBaselines)
    .where(
      and(
        eq(populationBaselines.jurisdictionId, jurisdictionId),
        divisionId === null ? isNull(populationBaselines.divisionId) : or(isNull(populationBaselines.divisionId), eq(populationBaselines.divisionId, divisionId)),
      ),
    );
}

/**
 * The three aggregate views for one (jurisdiction, year, context), read in a transaction as
 * `civic_graph_reporting`, the role that can read those views and nothing else of the answers
 * (migrations 0017, 0019). Five statements: begin, set role, the reads, commit.
 */
export async function demographicCounts(
  db: Database,
  jurisdictionId: number,
  year: number,
  context: Context,
): Promise<{ respondents: RespondentRow[]; statuses: StatusRow[]; answers: AnswerRow[] }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local role civic_graph_reporting`);
    const where = sql`jurisdiction_id = ${jurisdictionId} and reporting_year = ${year} and context = ${context}::demographics.response_context`;
    const respondents = rowsOf<RespondentRow>(
      await tx.execute(sql`select organization_id as "organizationId", council_district_id as "councilDistrictId", respondents
        from demographics.respondent_counts where ${where}`),
    );
    const statuses = rowsOf<StatusRow>(
      await tx.execute(sql`select organization_id as "organizationId", council_district_id as "councilDistrictId", question, status, respondents
        from demographics.status_counts where ${where}`),
    );
    const answers = rowsOf<AnswerRow>(
      await tx.execute(sql`select organization_id as "organizationId", council_district_id as "councilDistrictId", question, status, category, responses
        from demographics.answer_counts where ${where} and status = 'ANSWERED'`),
    );
    return {
      respondents: respondents.map((r) => ({ ...r, respondents: Number(r.respondents) })),
      statuses: statuses.map((r) => ({ ...r, respondents: Number(r.respondents) })),
      answers: answers.map((r) => ({ ...r, responses: Number(r.responses) })),
    };
  });
}

/** The frozen publications of one (jurisdiction, year), every context that has been read: one statement. */
export async function publishedReportsOf(db: Database, jurisdictionId: number, year: number): Promise<Map<Context, StoredPublication>> {
  const rows = await db
    .select({ context: publishedReports.context, tables: publishedReports.tables })
    .from(publishedReports)
    .where(and(eq(publishedReports.jurisdictionId, jurisdictionId), eq(publishedReports.reportingYear, year)));
  return new Map(rows.map((r) => [r.context as Context, r.tables]));
}

/**
 * Freezes a (jurisdiction, year, context) publication unless a concurrent first read already did,
 * and answers the stored copy, so that concurrent first reads serve the same one: two statements.
 */
export async function freezePublication(db: Database, jurisdictionId: number, year: number, context: Context, tables: StoredPublication): Promise<StoredPublication> {
  await db.insert(publishedReports).values({ jurisdictionId, reportingYear: year, context, tables }).onConflictDoNothing();
  // From the primary, which took the insert: a read replica may not have the row (ours or the
  // concurrent reader's that won) yet.
  const [row] = await primaryOf(db)
    .select({ tables: publishedReports.tables })
    .from(publishedReports)
    .where(and(eq(publishedReports.jurisdictionId, jurisdictionId), eq(publishedReports.reportingYear, year), eq(publishedReports.context, context)));
  return row!.tables;
}
