import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { ApplicationEligibilityRow, DivisionRow, PostRow, VacancyPostingRow } from '../../db/schema/index.ts';
import type { NewEligibilityCheck } from './recruitment.repository.ts';

export interface ApplicantFacts {
  residencePoint: { latitude: number; longitude: number } | null;
  /** The council district the applicant says they live in. */
  residenceDivisionId: number | null;
  attestsMinimumAge: boolean | null;
  attestedRequirementIds: readonly string[];
  /**
   * Whether the geocoded home lies in the city's extent (geography isInExtent): null when no home
   * point was given or the city has no extent on record. Read only for seats needing city residence.
   */
  residenceInCity: boolean | null;
}

/** The city a seat's residence rule may be about: its display name. */
export interface CityFacts {
  name: string;
}

/** "Resident(s) of the City of …" in a seat's eligibility text: the seat is for the city's residents. */
const CITY_RESIDENCE = /\bresidents? of the city of\b/i;

/**
 * Whether a seat is for residents of the city: its eligibility text says so, or it is a citywide
 * seat tied to the city's own division (kind CITY, compared as text: kinds are per-city codes).
 */
export function needsCityResidence(post: Pick<PostRow, 'eligibility' | 'divisionId'>, division: Pick<DivisionRow, 'kind'> | undefined): boolean {
  return (post.eligibility != null && CITY_RESIDENCE.test(post.eligibility)) || (division != null && String(division.kind) === 'CITY');
}

/**
 * Evaluates every rule for the seats an applicant prefers. Residence: a given home point is tested
 * against the seat district's boundary (GEOCODED); otherwise the district the applicant names is
 * compared (SELF_ATTESTED). A seat for the city's residents is checked against the city's extent
 * instead (RESIDES_IN_JURISDICTION). Age and other requirements are self-attested. Details never contain
 * the applicant's location, only district names.
 */
export function evaluateEligibility(
  posting: VacancyPostingRow,
  preferredPosts: readonly PostRow[],
  divisionsById: ReadonlyMap<number, DivisionRow>,
  facts: ApplicantFacts,
  city: CityFacts,
): NewEligibilityCheck[] {
  const checks: NewEligibilityCheck[] = [];
  for (const post of preferredPosts) {
    const division = post.divisionId != null ? divisionsById.get(post.divisionId) : undefined;
    if (needsCityResidence(post, division)) checks.push(cityResidenceCheck(post, city, facts));
    // A seat of the city's own division needs no second check; a district seat keeps its own.
    if (post.divisionId == null || String(division?.kind) === 'CITY') continue;
    const name = division?.name ?? 'the seat’s district';
    const base = { rule: 'RESIDES_IN_DIVISION' as const, ruleKey: `post:${post.id}`, postId: post.id };
    if (facts.residencePoint) {
      if (!division?.boundary) {
        checks.push({ ...base, result: 'UNKNOWN', method: 'GEOCODED', detail: `${name} has no boundary on record; staff will confirm your residence` });
        continue;
      }
      const inside = booleanPointInPolygon([facts.residencePoint.longitude, facts.residencePoint.latitude], division.boundary);
      checks.push({
        ...base,
        result: inside ? 'ELIGIBLE' : 'NOT_ELIGIBLE',
        method: 'GEOCODED',
        detail: inside ? `Your home is in ${name}, which the seat “${post.label}” serves` : `Your home is outside ${name}, which the seat “${post.label}” serves`,
      });
    } else {
      const same = facts.residenceDivisionId === post.divisionId;
      checks.push({
        ...base,
        result: same ? 'ELIGIBLE' : 'NOT_ELIGIBLE',
        method: 'SELF_ATTESTED',
        detail: same ? `You say you live in ${name}, which the seat “${post.label}” serves` : `You say you live outside ${name}, which the seat “${post.label}” serves`,
      });
    }
  }
  if (posting.minimumAge != null) {
    const ok = facts.attestsMinimumAge === true;
    checks.push({
      rule: 'MINIMUM_AGE',
      ruleKey: 'age',
      postId: null,
      result: ok ? 'ELIGIBLE' : 'NOT_ELIGIBLE',
      method: 'SELF_ATTESTED',
      detail: ok ? `You attest you are at least ${posting.minimumAge}` : `Members must be at least ${posting.minimumAge}, and you did not attest that you are`,
    });
  }
  for (const requirement of posting.requirements) {
    const ok = facts.attestedRequirementIds.includes(requirement.id);
    checks.push({
      rule: 'REQUIREMENT',
      ruleKey: `requirement:${requirement.id}`,
      postId: null,
      result: ok ? 'ELIGIBLE' : 'NOT_ELIGIBLE',
      method: 'SELF_ATTESTED',
      detail: ok ? `You attest: ${requirement.statement}` : `Not attested: ${requirement.statement}`,
    });
  }
  return checks;
}

/**
 * The applicant lives in the city (RESIDES_IN_JURISDICTION): a geocoded home inside the city's
 * extent, else a council district of the city they name (SELF_ATTESTED; it lies in the city).
 */
function cityResidenceCheck(post: PostRow, city: CityFacts, facts: ApplicantFacts): NewEligibilityCheck {
  const base = { rule: 'RESIDES_IN_JURISDICTION' as const, ruleKey: `city:post:${post.id}`, postId: post.id };
  if (facts.residencePoint) {
    if (facts.residenceInCity == null) {
      return { ...base, result: 'UNKNOWN', method: 'GEOCODED', detail: `${city.name} has no boundary on record; staff will confirm your residence` };
    }
    return facts.residenceInCity
      ? { ...base, result: 'ELIGIBLE', method: 'GEOCODED', detail: `Your home is in ${city.name}, whose residents the seat “${post.label}” is for` }
      : { ...base, result: 'NOT_ELIGIBLE', method: 'GEOCODED', detail: `Your home is outside ${city.name}; the seat “${post.label}” is for its residents` };
  }
  const named = facts.residenceDivisionId != null;
  return named
    ? { ...base, result: 'ELIGIBLE', method: 'SELF_ATTESTED', detail: `You say you live in a council district of ${city.name}, whose residents the seat “${post.label}” is for` }
    : { ...base, result: 'UNKNOWN', method: 'SELF_ATTESTED', detail: `The seat “${post.label}” is for residents of ${city.name}; staff will confirm your residence` };
}

/** Rules about where the applicant lives: decided per preferred seat. */
const RESIDENCE_RULES: ReadonlySet<string> = new Set(['RESIDES_IN_DIVISION', 'RESIDES_IN_JURISDICTION']);

/**
 * Eligible when every rule that is not about residence passes, and at least one preferred seat
 * has no residence rule or a passed one.
 */
export function isEligible(checks: readonly Pick<ApplicationEligibilityRow, 'rule' | 'postId' | 'result'>[], preferredPostIds: readonly number[]): boolean {
  if (checks.some((c) => !RESIDENCE_RULES.has(c.rule) && c.result !== 'ELIGIBLE')) return false;
  return preferredPostIds.some((postId) => checks.every((c) => !RESIDENCE_RULES.has(c.rule) || c.postId !== postId || c.result === 'ELIGIBLE'));
}
