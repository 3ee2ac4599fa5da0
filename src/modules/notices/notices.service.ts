/**
 * Land-use notice (issue 15): who must be told about a case at a point, under the city's rules as
 * data (src/db/schema/notices.ts). The database narrows to divisions whose box comes near the site;
 * containment and distances are computed here on the cached boundaries (no PostGIS in the embedded
 * database), distances in meters on the sphere (turf's geodesic point-to-polygon distance).
 */
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance';
import type { GraphQLContext } from '../../context.ts';
import type { OrganizationRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { addDays, isIsoDate } from '../../input/calendar.ts';
import { boundariesOf } from '../geography/boundary-cache.ts';
import { checkCoordinate, isInExtent } from '../geography/geography.service.ts';
import { dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { divisionCodesOf } from '../kinds/kinds.service.ts';
import { registeredOn } from '../organizations/registration.service.ts';
import { noticeCandidates, proceduresOf, type NoticeRuleRecord, type ProcedureWithRules } from './notices.repository.ts';

/** Meters per degree of latitude (and of longitude at the equator), slightly under the true ~111,320 m
 * so the search box errs wide: the box only narrows candidates, the distance decides. */
const METERS_PER_DEGREE = 111_000;

export interface NoticeRecipientMapper {
  organization: OrganizationRow;
  /** The filing date the recipient was found for: its channels are read as of that day. */
  filedOn: string;
  rule: NoticeRuleRecord;
  distanceMeters: number;
}

export interface NoticeDeadlineMapper {
  step: number;
  label: string;
  responsible: string;
  days: number;
  countedFrom: 'FILING' | 'PREVIOUS_STEP';
  dueOn: string;
}

export interface NoticeListMapper {
  procedure: ProcedureWithRules;
  filedOn: string;
  latitude: number;
  longitude: number;
  isInJurisdiction: boolean;
  /** The council district holding the site on the filing date; null outside the city. */
  councilDistrictId: number | null;
  recipients: NoticeRecipientMapper[];
  deadlines: NoticeDeadlineMapper[];
}

export async function listProcedures(ctx: GraphQLContext, args: { jurisdiction?: string | null }): Promise<ProcedureWithRules[]> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  return proceduresOf(ctx.db, jurisdiction.id);
}

/** Each step's due date: its days from the filing, or from the due date of the step before. */
export function dueDates(procedure: Pick<ProcedureWithRules, 'deadlines'>, filedOn: string): NoticeDeadlineMapper[] {
  const out: NoticeDeadlineMapper[] = [];
  for (const d of procedure.deadlines) {
    const from = d.countedFrom === 'PREVIOUS_STEP' && out.length > 0 ? out.at(-1)!.dueOn : filedOn;
    out.push({ step: d.step, label: d.label, responsible: d.responsible, days: d.days, countedFrom: d.countedFrom, dueOn: addDays(from, d.days) });
  }
  return out;
}

export async function noticeRecipients(
  ctx: GraphQLContext,
  args: { procedure: string; latitude: number; longitude: number; filedOn?: string | null; jurisdiction?: string | null },
): Promise<NoticeListMapper> {
  checkCoordinate(args.latitude, args.longitude);
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const filedOn = dateIn(jurisdiction, args.filedOn);
  const code = args.procedure.trim();
  const [procedure] = code.length <= 100 ? await proceduresOf(ctx.db, jurisdiction.id, code) : [];
  if (!procedure) {
    const known = (await proceduresOf(ctx.db, jurisdiction.id)).map((p) => p.code);
    throw badUserInput(
      `"${code.slice(0, 100)}" is not a notice procedure of ${jurisdiction.name}; its procedures: ${known.length ? known.join(', ') : 'none recorded'}`,
      'procedure',
    );
  }
  const deadlines = dueDates(procedure, filedOn);
  if (deadlines.some((d) => !isIsoDate(d.dueOn))) throw badUserInput("filedOn is too late: the procedure's deadlines would pass 9999-12-31", 'filedOn');

  // The site's council district: its member designates Philadelphia's coordinating RCO (kinds are cached: no statement).
  const councilKinds = await divisionCodesOf(ctx, jurisdiction.id, ['COUNCIL_DISTRICT']);
  const rulesByKind = new Map(procedure.rules.map((r) => [r.organizationKind, r]));
  const reach = Math.max(0, ...procedure.rules.map((r) => r.distanceMeters ?? 0));
  const reachLatitude = reach / METERS_PER_DEGREE;
  const cosine = Math.cos((args.latitude * Math.PI) / 180);
  const reachLongitude = cosine > 0.01 ? reach / (METERS_PER_DEGREE * cosine) : 180;
  const candidates = await noticeCandidates(ctx.db, {
    jurisdictionId: jurisdiction.id,
    longitude: args.longitude,
    latitude: args.latitude,
    reachLongitude,
    reachLatitude,
    on: filedOn,
    kinds: [...rulesByKind.keys()],
    areaKinds: [...(jurisdiction.extentKind ? [jurisdiction.extentKind] : []), ...councilKinds],
  });
  const boundaries = await boundariesOf(ctx.db, candidates.map((c) => c.division));
  // Registered on the filing day, by the term in effect then (a lapse and a renewal count on their days).
  const registered = await registeredOn(ctx, candidates.flatMap((c) => (c.organization && rulesByKind.get(c.organization.kind)?.registeredOnly ? [c.organization] : [])), filedOn);

  const containing = new Map<number, { kind: string }>();
  const recipients = new Map<number, NoticeRecipientMapper>();
  for (const { division, organization } of candidates) {
    const boundary = boundaries.get(division.id);
    if (!boundary) continue;
    const holds = boundary.contains(args.longitude, args.latitude);
    if (holds) containing.set(division.id, { kind: division.kind });
    const rule = organization ? rulesByKind.get(organization.kind) : undefined;
    if (!organization || !rule || recipients.has(organization.id)) continue;
    if (rule.registeredOnly && !registered.has(organization.id)) continue;
    let distanceMeters = 0;
    if (!holds) {
      if (rule.reach !== 'WITHIN_DISTANCE') continue;
      // Negative inside; the site is outside here, so this is the distance to the nearest edge.
      distanceMeters = Math.max(0, pointToPolygonDistance([args.longitude, args.latitude], boundary.geometry, { units: 'meters' }));
      if (distanceMeters > rule.distanceMeters!) continue;
    }
    recipients.set(organization.id, { organization, rule, distanceMeters, filedOn });
  }
  const isInJurisdiction = isInExtent(jurisdiction, [...containing.values()]);
  const councilDistrictId = isInJurisdiction ? ([...containing].find(([, d]) => councilKinds.includes(d.kind))?.[0] ?? null) : null;
  for (const { organization } of recipients.values()) ctx.loaders.organizationById.prime(organization.id, organization);
  const sorted = isInJurisdiction
    ? [...recipients.values()].sort(
        (a, b) =>
          (a.rule.requirement === b.rule.requirement ? 0 : a.rule.requirement === 'MUST' ? -1 : 1) ||
          a.distanceMeters - b.distanceMeters ||
          (a.organization.name < b.organization.name ? -1 : a.organization.name > b.organization.name ? 1 : 0) ||
          a.organization.id - b.organization.id,
      )
    : [];
  return { procedure, filedOn, latitude: args.latitude, longitude: args.longitude, isInJurisdiction, councilDistrictId, recipients: sorted, deadlines };
}
