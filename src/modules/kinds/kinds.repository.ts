import { asc, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { divisionKinds, organizationKinds, type DivisionKindRow, type OrganizationKindRow } from '../../db/schema/index.ts';

/** A kind's names in the jurisdiction's other locales: locale → [name, pluralName]. */
export type KindNames = Record<string, [string, string]>;

/** A kind as the kindInfo fields read it: its row and its names in the city's languages. */
export type DivisionKindInfoMapper = DivisionKindRow & { names: KindNames };
export type OrganizationKindInfoMapper = OrganizationKindRow & { names: KindNames };

/** The division kinds of these jurisdictions with their other-locale names, in display order: one statement. */
export function divisionKindsOf(db: Database, jurisdictionIds: readonly number[]): Promise<Array<DivisionKindRow & { names: KindNames }>> {
  return db
    .select({
      ...divisionKindsColumns(),
      names: sql<KindNames>`(select coalesce(json_object_agg(n.locale, json_build_array(n.name, n.plural_name)), '{}'::json)
        from division_kind_names n where n.jurisdiction_id = "division_kinds"."jurisdiction_id" and n.code = "division_kinds"."code")`,
    })
    .from(divisionKinds)
    .where(inArray(divisionKinds.jurisdictionId, [...jurisdictionIds]))
    .orderBy(asc(divisionKinds.jurisdictionId), asc(divisionKinds.sortOrder), asc(divisionKinds.code));
}

/** The organization kinds of these jurisdictions with their other-locale names, in display order: one statement. */
export function organizationKindsOf(db: Database, jurisdictionIds: readonly number[]): Promise<Array<OrganizationKindRow & { names: KindNames }>> {
  return db
    .select({
      ...organizationKindsColumns(),
      names: sql<KindNames>`(select coalesce(json_object_agg(n.locale, json_build_array(n.name, n.plural_name)), '{}'::json)
        from organization_kind_names n where n.jurisdiction_id = "organization_kinds"."jurisdiction_id" and n.code = "organization_kinds"."code")`,
    })
    .from(organizationKinds)
    .where(inArray(organizationKinds.jurisdictionId, [...jurisdictionIds]))
    .orderBy(asc(organizationKinds.jurisdictionId), asc(organizationKinds.sortOrder), asc(organizationKinds.code));
}

function divisionKindsColumns() {
  const t = divisionKinds;
  return { jurisdictionId: t.jurisdictionId, code: t.code, category: t.category, name: t.name, pluralName: t.pluralName, overlapPolicy: t.overlapPolicy, locate: t.locate, sortOrder: t.sortOrder, source: t.source, origin: t.origin, createdAt: t.createdAt, updatedAt: t.updatedAt };
}

function organizationKindsColumns() {
  const t = organizationKinds;
  return {
    jurisdictionId: t.jurisdictionId, code: t.code, category: t.category, name: t.name, pluralName: t.pluralName, recognitionModel: t.recognitionModel,
    registrationTermMonths: t.registrationTermMonths, registrationIntakeMonth: t.registrationIntakeMonth, locate: t.locate, sortOrder: t.sortOrder, source: t.source, origin: t.origin, createdAt: t.createdAt, updatedAt: t.updatedAt,
  };
}
