import type { OrganizationRow } from '../../db/schema/index.ts';

/** Why an organization cannot take a new term of service (issue 15), as a fact about it. */
export interface BodyClosure {
  /** The fact in a sentence, naming the body: callers add what it forbids. */
  fact: string;
  /** True when another date could pass (a dissolution or founding date); false on every date. */
  dated: boolean;
}

/**
 * Whether a term on one of the body's seats may start on `on`; null when it may. `founding: false`
 * ignores `foundedOn` (a new body recruits its first members before it sits).
 *
 * INACTIVE ("not operating", for example superseded) has no date saying when it stopped, so no
 * date can be shown to fall while it still sat: every date is refused, as openSeats leaves it out
 * on every date. DISSOLVED with no `dissolvedOn` is the same. A dissolution date refuses that day
 * (the first on which the body no longer existed) and later ones, and leaves earlier terms of its
 * past recordable, as a seat's `abolishedOn` does. A status cannot be ACTIVE with a dissolution
 * date (organizations_dissolved_check), so a future `dissolvedOn` is a DISSOLVED body still sitting.
 */
export function bodyClosureOn(
  body: Pick<OrganizationRow, 'name' | 'status' | 'foundedOn' | 'dissolvedOn'>,
  on: string,
  options: { founding: boolean } = { founding: true },
): BodyClosure | null {
  if (body.status === 'INACTIVE') {
    return { fact: `${body.name} is INACTIVE (not operating, with no date on record for when it stopped)`, dated: false };
  }
  if (body.status === 'DISSOLVED' && body.dissolvedOn == null) {
    return { fact: `${body.name} is DISSOLVED with no dissolution date on record`, dated: false };
  }
  if (body.dissolvedOn != null && on >= body.dissolvedOn) return { fact: `${body.name} is dissolved on ${body.dissolvedOn}`, dated: true };
  if (options.founding && body.foundedOn != null && on < body.foundedOn) return { fact: `${body.name} exists from its founding on ${body.foundedOn}`, dated: true };
  return null;
}
