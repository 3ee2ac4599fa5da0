import { and, asc, eq, getTableColumns, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { divisions, noticeDeadlines, noticeProcedures, noticeRules, organizations, type NoticeDeadlineRow, type NoticeProcedureRow, type NoticeRuleRow, type OrganizationRow } from '../../db/schema/index.ts';
import { rowVersion } from '../geography/geography.repository.ts';

export interface ProcedureWithRules extends NoticeProcedureRow {
  rules: NoticeRuleRow[];
  deadlines: NoticeDeadlineRow[];
}

/**
 * The city's procedures with their rules and deadlines: three statements sent together, whatever
 * the number of procedures (`code` narrows them to one). Rules come by organization kind,
 * deadlines by step.
 */
export async function proceduresOf(db: Database, jurisdictionId: number, code?: string): Promise<ProcedureWithRules[]> {
  const [procedures, rules, deadlines] = await Promise.all([
    db
      .select()
      .from(noticeProcedures)
      .where(and(eq(noticeProcedures.jurisdictionId, jurisdictionId), code === undefined ? undefined : eq(noticeProcedures.code, code)))
      .orderBy(asc(noticeProcedures.sortOrder), asc(noticeProcedures.code)),
    db
      .select()
      .from(noticeRules)
      .where(and(eq(noticeRules.jurisdictionId, jurisdictionId), code === undefined ? undefined : eq(noticeRules.procedureCode, code)))
      .orderBy(asc(noticeRules.organizationKind)),
    db
      .select()
      .from(noticeDeadlines)
      .where(and(eq(noticeDeadlines.jurisdictionId, jurisdictionId), code === undefined ? undefined : eq(noticeDeadlines.procedureCode, code)))
      .orderBy(asc(noticeDeadlines.step)),
  ]);
  return procedures.map((p) => ({
    ...p,
    rules: rules.filter((r) => r.procedureCode === p.code),
    deadlines: deadlines.filter((d) => d.procedureCode === p.code),
  }));
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
  const inEffect = (start: typeof organizations.foundedOn | typeof divisions.validFrom, end: typeof organizations.dissolvedOn | typeof divisions.validUntil) =>
    sql`(${start} is null or ${start} <= ${on}::date) and (${end} is null or ${end} > ${on}::date)`;
  const siteBox = sql`box(point(${args.longitude - args.reachLongitude}::float8, ${args.latitude - args.reachLatitude}::float8), point(${args.longitude + args.reachLongitude}::float8, ${args.latitude + args.reachLatitude}::float8))`;
  return db
    .select({ division: { id: columns.id, kind: columns.kind, version: rowVersion }, organization: getTableColumns(organizations) })
    .from(divisions)
    .leftJoin(
      organizations,
      and(eq(organizations.divisionId, divisions.id), sql`${organizations.kind} = any(${sql.param([...args.kinds])}::text[])`, inEffect(organizations.foundedOn, organizations.dissolvedOn)),
    )
    .where(
      and(
        eq(divisions.jurisdictionId, args.jurisdictionId),
        isNotNull(divisions.boundary),
        // The same expression as the divisions' GiST index, so the index answers it.
        sql`box(point(${divisions.minLongitude}, ${divisions.minLatitude}), point(${divisions.maxLongitude}, ${divisions.maxLatitude})) && ${siteBox}`,
        inEffect(divisions.validFrom, divisions.validUntil),
        sql`(${organizations.id} is not null or ${divisions.kind} = any(${sql.param([...args.areaKinds])}::text[]))`,
      ),
    )
    .orderBy(asc(divisions.id), asc(organizations.id)) as Promise<NoticeCandidate[]>;
}
