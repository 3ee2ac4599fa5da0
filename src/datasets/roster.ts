/**
 * Roster status for converters (issue 13, "unknown is not vacant"): a body with seats is RECORDED
 * when the dataset lists its holders (memberships.csv), NOT_RECORDED otherwise, so its seats are
 * never offered as vacancies. Bodies without seats have no roster to speak of: left empty (read as
 * NOT_RECORDED). A converter that knows a roster to be incomplete sets PARTLY_RECORDED itself.
 */
import type { OrganizationRecord, PostRecord } from './format.ts';

export function withRosterStatus<O extends OrganizationRecord>(
  organizations: readonly O[],
  posts: readonly Pick<PostRecord, 'organization_key'>[],
  /** Keys of organizations whose holders the dataset lists (the organization_key of memberships.csv rows). */
  organizationsWithHolders: ReadonlySet<string>,
  /** The day the listed holders were true (the roster source's date); null when not stated. */
  asOf: string | null = null,
): (O & Required<Pick<OrganizationRecord, 'roster_status' | 'roster_as_of' | 'registered_on' | 'registration_expires_on'>>)[] {
  const withSeats = new Set(posts.map((p) => p.organization_key));
  return organizations.map((o) => {
    const recorded = organizationsWithHolders.has(o.key);
    return {
      ...o,
      roster_status: o.roster_status ?? (recorded ? 'RECORDED' : withSeats.has(o.key) ? 'NOT_RECORDED' : null),
      roster_as_of: o.roster_as_of ?? (recorded ? asOf : null),
      registered_on: o.registered_on ?? null,
      registration_expires_on: o.registration_expires_on ?? null,
    };
  });
}
