import type { GraphQLContext } from '../../context.ts';
import type { DivisionKindCategory, DivisionRow, JurisdictionRow, OrganizationRow } from '../../db/schema/index.ts';
import { divisionCodesOf, kindCodesFilter } from '../kinds/kinds.service.ts';
import { badUserInput } from '../../errors.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper, LocationMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { boundariesOf } from './boundary-cache.ts';
import { dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import {
  citiesWhoseExtentBoxHolds,
  divisionByOcdId,
  divisionKeyset,
  divisionsCount,
  divisionsOfKindOn,
  divisionsPage,
  locateCandidates,
  type DivisionFilter,
} from './geography.repository.ts';

export async function councilDistricts(ctx: GraphQLContext, args: { jurisdiction?: string | null; at?: string | null }): Promise<DivisionRow[]> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const codes = await divisionCodesOf(ctx, jurisdiction.id, ['COUNCIL_DISTRICT']);
  return divisionsOfKindOn(ctx.db, jurisdiction.id, codes, dateIn(jurisdiction, args.at));
}

export async function findDivision(
  ctx: GraphQLContext,
  args: { id?: string | null; ocdId?: string | null; jurisdiction?: string | null },
): Promise<DivisionRow | null> {
  if ((args.id == null) === (args.ocdId == null)) throw badUserInput('Pass exactly one of id or ocdId', 'id');
  if (args.id != null) return ctx.loaders.divisionById.load(decodeGlobalId(args.id, 'Division', 'id'));
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  return divisionByOcdId(ctx.db, jurisdiction.id, args.ocdId!);
}

export async function listDivisions(
  ctx: GraphQLContext,
  args: PageArgs & { jurisdiction?: string | null; filter?: (DivisionFilter & { kindCode?: readonly string[] | null; category?: readonly DivisionKindCategory[] | null }) | null },
): Promise<ConnectionMapper<DivisionRow>> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const { kind, kindCode, category, ...rest } = args.filter ?? {};
  const kinds = await kindCodesFilter((c: readonly DivisionKindCategory[]) => divisionCodesOf(ctx, jurisdiction.id, c), { kind, kindCode, category });
  const filter: DivisionFilter = { ...rest, kinds };
  if (filter.nameContains && filter.nameContains.length > 200) throw badUserInput('filter.nameContains must be at most 200 characters', 'filter.nameContains');
  const page = parsePageArgs(args, divisionKeyset.keys);
  const rows = await divisionsPage(ctx.db, jurisdiction.id, filter, page);
  return toConnection(rows, divisionKeyset, page, () => divisionsCount(ctx.db, jurisdiction.id, filter));
}

export function checkCoordinate(latitude: number, longitude: number): void {
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw badUserInput(`latitude must be between -90 and 90 degrees; got ${latitude}`, 'latitude');
  }
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw badUserInput(`longitude must be between -180 and 180 degrees; got ${longitude}`, 'longitude');
  }
}

/**
 * Everything at a point. SQL narrows to divisions whose bounding box holds the point (GiST index);
 * the exact containment test runs here on the GeoJSON, since the embedded database has no PostGIS.
 */
export async function locate(
  ctx: GraphQLContext,
  args: { latitude: number; longitude: number; at?: string | null; jurisdiction?: string | null },
): Promise<LocationMapper> {
  checkCoordinate(args.latitude, args.longitude);
  const city = await resolveJurisdiction(ctx, args.jurisdiction);
  const located = await locateIn(ctx, args, city);
  if (args.jurisdiction != null || located.isInJurisdiction) return located;
  // No city named and the point is outside the default city: the city whose extent holds it, if
  // another one does (one statement on the boxes of the cities' extent divisions, only for such
  // points). Outside every city the default city's answer stands (empty, or straying areas only).
  for (const slug of await citiesWhoseExtentBoxHolds(ctx.db, args.longitude, args.latitude, city.id)) {
    const elsewhere = await locateIn(ctx, args, await resolveJurisdiction(ctx, slug));
    if (elsewhere.isInJurisdiction) return elsewhere;
  }
  return located;
}

async function locateIn(
  ctx: GraphQLContext,
  args: { latitude: number; longitude: number; at?: string | null },
  jurisdiction: JurisdictionRow,
): Promise<LocationMapper> {
  const at = dateIn(jurisdiction, args.at);
  // One statement: the candidates with their organizations and coalitions (none for boundaries
  // once they are cached).
  const candidates = await locateCandidates(ctx.db, jurisdiction.id, args.longitude, args.latitude, at);
  const boundaries = await boundariesOf(ctx.db, candidates.map((c) => c.division));
  const divisions: DivisionRow[] = [];
  const organizations: OrganizationRow[] = [];
  const coalitionsOfAssociations: OrganizationRow[] = [];
  for (const { division: { version: _version, ...division }, organizations: atDivision } of candidates) {
    const boundary = boundaries.get(division.id);
    if (!boundary?.contains(args.longitude, args.latitude)) continue;
    divisions.push({ ...division, boundary: boundary.geometry });
    for (const { organization, coalition } of atDivision) {
      organizations.push(organization);
      if (coalition) coalitionsOfAssociations.push(coalition);
    }
    // `divisions { organizations }` on the located day asks for exactly these (existing on `at`, by
    // name, as organizationsByDivisionIds): the candidates' statement already read them. The key's
    // params are built as Division.organizations builds them (no kind filter; same key order; an
    // earlier version of an area keyed by the area).
    ctx.loaders.organizationsByDivisionId.prime({ id: division.versionOf ?? division.id, params: { kinds: null, at } }, atDivision.map((o) => o.organization));
  }
  for (const d of divisions) ctx.loaders.divisionById.prime(d.id, d);
  const isInJurisdiction = isInExtent(jurisdiction, divisions);
  return { jurisdictionId: jurisdiction.id, latitude: args.latitude, longitude: args.longitude, at, divisions, organizations, coalitionsOfAssociations, isInJurisdiction };
}

/**
 * Whether a point lies in the city's extent, given the divisions containing it: the extent is the
 * union of the divisions of the jurisdiction's extent kind, so the point is inside iff one of those
 * containing it is of that kind (no query of its own). Kinds compare as text: they are per-city
 * codes. A jurisdiction with no extent recorded keeps the earlier rule: inside any division.
 */
export function isInExtent(jurisdiction: Pick<JurisdictionRow, 'extentKind'>, containing: readonly Pick<DivisionRow, 'kind'>[]): boolean {
  const kind = jurisdiction.extentKind;
  if (kind == null) return containing.length > 0;
  return containing.some((d) => String(d.kind) === kind);
}
