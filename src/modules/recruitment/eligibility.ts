import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { ApplicationEligibilityRow, DivisionRow, PostRow, VacancyPostingRow } from '../../db/schema/index.ts';
import type { NewEligibilityCheck } from './recruitment.repository.ts';

export interface ApplicantFacts {
  residencePoint: { latitude: number; longitude: number } | null;
  /** The council district the applicant says they live in. */
  residenceDivisionId: number | null;
  attestsMinimumAge: boolean | null;
  attestedRequirementIds: readonly string[];
}

/**
 * Evaluates every rule for the seats an applicant prefers. Residence: a given home point is tested
 * against the seat district's boundary (GEOCODED); otherwise the district the applicant names is
 * compared (SELF_ATTESTED). Age and other requirements are self-attested. Details never contain
 * the applicant's location, only district names.
 */
export function evaluateEligibility(
  posting: VacancyPostingRow,
  preferredPosts: readonly PostRow[],
  divisionsById: ReadonlyMap<number, DivisionRow>,
  facts: ApplicantFacts,
): NewEligibilityCheck[] {
  const checks: NewEligibilityCheck[] = [];
  for (const post of preferredPosts) {
    if (post.divisionId == null) continue;
    const division = divisionsById.get(post.divisionId);
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
 * Eligible when every rule that is not about residence passes, and at least one preferred seat
 * has no residence rule or a passed one.
 */
export function isEligible(checks: readonly Pick<ApplicationEligibilityRow, 'rule' | 'postId' | 'result'>[], preferredPostIds: readonly number[]): boolean {
  if (checks.some((c) => c.rule !== 'RESIDES_IN_DIVISION' && c.result !== 'ELIGIBLE')) return false;
  return preferredPostIds.some((postId) => checks.every((c) => c.rule !== 'RESIDES_IN_DIVISION' || c.postId !== postId || c.result === 'ELIGIBLE'));
}
