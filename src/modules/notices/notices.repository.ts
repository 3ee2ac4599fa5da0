import { and, asc, eq, getTableColumns, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { divisions, noticeDeadlines, noticeProcedures, noticeRules, organizations, type NoticeDeadlineRow, type NoticeProcedureRow, type NoticeRuleRow, type OrganizationRow } from '../../db/schema/index.ts';
import { inEffectOn } from '../../db/temporal.ts';
import { areaId, rowVersion } from '../geography/geography.repository.ts';

/** A rule or deadline as the procedure's statement aggregates it (without its row timestamps). */
export type NoticeRuleRecord = Omit<NoticeRuleRow, 'createdAt' | 'updatedAt'>;
export type NoticeDeadlineRecord = Omit<NoticeDeadlineRow, 'createdAt' | 'updatedAt'>;

export interface ProcedureWithRules extends NoticeProcedureRow {
  rules: NoticeRuleRecord[];
  deadlines: NoticeDeadlineRecord[];
}

/**
 * The city's procedures with their rules and deadlines, in one statement (`code` narrows it to one):
 * each procedure's rules (by organization kind) and deadlines (by step) come aggregated with it.
 */
export async function proceduresOf(db: Database, jurisdictionId: number, code?: string): Promise<ProcedureWithRules[]> {
  const rules = sql<NoticeRuleRecord[]>`coalesce((select json_agg(json_build_object(
      'jurisdictionId', r.jurisdiction_id, 'procedureCode', r.procedure_code, 'organizationKind', r.organization_kind,
      'requirement', r.requirement, 'reach', r.reach, 'distanceMeters', r.distance_meters, 'registeredOnly', r.registered_only,
      'role', r.role) order by r.organization_kind)
    from ${noticeRules} r where r.jurisdiction_id = ${noticeProcedures.jurisdictionId} and r.procedure_code = ${noticeProcedures.code}), '[]'::json)`;
  const deadlines = sql<NoticeDeadlineRecord[]>`coalesce((select json_agg(json_build_object(
      'jurisdictionId', d.jurisdiction_id, 'procedureCode', d.procedure_code, 'step', d.step, 'label', d.label,
      'responsible', d.responsible, 'days', d.days, 'countedFrom', d.counted_from) order by d.step)
    from ${noticeDeadlines} d where d.jurisdiction_id = ${noticeProcedures.jurisdictionId} and d.procedure_code = ${noticeProcedures.code}), '[]'::json)`;
  const rows = await db
    .select({ procedure: getTableColumns(noticeProcedures), rules, deadlines })
    .from(noticeProcedures)
    .where(and(eq(noticeProcedures.jurisdictionId, jurisdictionId), code === undefined ? undefined : eq(noticeProcedures.code, code)))
    .orderBy(asc(noticeProcedures.sortOrder), asc(noticeProcedures.code));
  // Drivers return json as text or as objects: read both the same way.
  const parsed = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
  return rows.map((r) => ({ ...r.procedure, rules: parsed(r.rules), deadlines: parsed(r.deadlines) }));
}

export interface NoticeCandidate {
  division: { id: number; kind: string; version: string };
  /** Null for a division read for itself: of the city's extent kind (is the site in the city?) or a council district. */
  organization: OrganizationRow | null;
}

/**
 * Divisions whose bounding box comes within `reach` degrees of the site (the box of the site grown
 * by the largest distance a rule reaches), valid on `on`, with the organizations of `kinds` whose
 * area they are and that exist on `on`; and the divisions of `areaKinds` (the city's extent, its
 * council districts) whose box comes as near. One statement; the exact test on the boundaries runs in the service.
 */
export function noticeCandidates(
  db: Database,
  args: {
    jurisdictionId: number;
    longitude: number;
    latitude: number;
    reachLongitude: number;
    reachLatitude: number;
    on: string;
    kinds: readonly string[];
    /** Division kinds read without organizations: the city's extent kind and its council districts' kinds. */
    areaKinds: readonly string[];
  },
): Promise<NoticeCandidate[]> {
  const { boundary: _boundary, ...columns } = getTableColumns(divisions);
  const on = args.on;
  const siteBox = sql`box(point(${args.longitude - args.reachLongitude}::float8, ${args.latitude - args.reachLatitude}::float8), point(${args.longitude + args.reachLongitude}::float8, ${args.latitude + args.reachLatitude}::float8))`;
  return db
    .select({ division: { id: columns.id, kind: columns.kind, version: rowVersion }, organization: getTableColumns(organizations) })
    .from(divisions)
    .leftJoin(
      organizations,
      and(eq(organizations.divisionId, areaId), sql`${organizations.kind} = any(${sql.param([...args.kinds])}::text[])`, inEffectOn(organizations.foundedOn, organizations.dissolvedOn, on)),
    )
    .where(
      and(
        eq(divisions.jurisdictionId, args.jurisdictionId),
        isNotNull(divisions.boundary),
        // The same expression as the divisions' GiST index, so the index answers it.
        sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude})) && ${siteBox}`,
        inEffectOn(divisions.validFrom, divisions.validUntil, on),
        sql`(${organizations.id} is not null or ${divisions.kind} = any(${sql.param([...args.areaKinds])}::text[]))`,
      ),
    )
    .orderBy(asc(divisions.id), asc(organizations.id)) as Promise<NoticeCandidate[]>;
}
