import { compositionRules, postNominators, type NewPostRow, type PostRow } from '../../src/db/schema/index.ts';
import { createOrganization, createPost } from '../helpers/factories.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { gid, USER_ERRORS } from './appointments-support.ts';

/** Shared by the seat-filling tests: a small synthetic community board, shaped like New York's. */

export const APPOINT = `mutation($input: SeatAppointInput!) {
  seatAppoint(input: $input) {
    membership { id startDate scheduledEndDate confirmedOn confirmedBy { slug } isCityEmployee
      nominatedBy { __typename ... on Post { id label } ... on Organization { id slug } } }
    userErrors { code field message compositionRule }
  }
}`;

export const REAPPOINT = `mutation($input: MembershipReappointInput!) {
  membershipReappoint(input: $input) { membership { id startDate confirmedOn nominatedBy { __typename } } ${USER_ERRORS} }
}`;

export interface Board {
  organizationId: number;
  /** Voting seats with nominators (council-member offices and an organization). */
  seats: PostRow[];
  /** The offices that nominate (seats of a "council"). */
  offices: PostRow[];
  nominatorOrganizationId: number;
  /** A non-voting ex officio seat. */
  exOfficio: PostRow;
}

/**
 * A board whose voting places are `seats.length × perSeat`, each voting seat nominated by two
 * council offices and one organization, with the given composition rules (numerator/denominator).
 */
export async function createBoard(
  api: TestApi,
  options: { seats?: number; perSeat?: number; rules?: Array<{ rule: 'MIN_SHARE_NOMINATED' | 'MAX_SHARE_CITY_EMPLOYEES'; numerator: number; denominator: number }>; seat?: Partial<NewPostRow> } = {},
): Promise<Board> {
  const jurisdictionId = api.jurisdictionId;
  const council = await createOrganization(api.db, { jurisdictionId, kind: 'COUNCIL' });
  const offices = [
    await createPost(api.db, { jurisdictionId, organizationId: council.id, label: 'District 7', role: 'council member' }),
    await createPost(api.db, { jurisdictionId, organizationId: council.id, label: 'District 8', role: 'council member' }),
  ];
  const nominatorOrganization = await createOrganization(api.db, { jurisdictionId, kind: 'NETWORK' });
  const board = await createOrganization(api.db, { jurisdictionId });
  const seats: PostRow[] = [];
  for (let i = 0; i < (options.seats ?? 1); i++) {
    const seat = await createPost(api.db, {
      jurisdictionId,
      organizationId: board.id,
      label: `Member ${i + 1}`,
      maxHolders: options.perSeat ?? 4,
      createdOn: '2000-01-01',
      appointingAuthority: 'Borough President',
      ...options.seat,
    });
    await api.db.insert(postNominators).values([
      { postId: seat.id, position: 0, nominatorPostId: offices[0]!.id },
      { postId: seat.id, position: 1, nominatorPostId: offices[1]!.id },
      { postId: seat.id, position: 2, nominatorOrganizationId: nominatorOrganization.id },
    ]);
    seats.push(seat);
  }
  const exOfficio = await createPost(api.db, {
    jurisdictionId,
    organizationId: board.id,
    label: 'Council member (non-voting)',
    selectionMethod: 'EX_OFFICIO',
    voting: false,
    maxHolders: 10,
    createdOn: '2000-01-01',
  });
  for (const [i, r] of (options.rules ?? []).entries()) {
    await api.db.insert(compositionRules).values({ jurisdictionId, organizationId: board.id, code: `rule-${i + 1}`, ...r, description: `Rule ${i + 1}`, source: 'Test' });
  }
  return { organizationId: board.id, seats, offices, nominatorOrganizationId: nominatorOrganization.id, exOfficio };
}

export function appointInput(post: PostRow, personId: number, extra: Record<string, unknown> = {}) {
  return { postId: gid('Post', post.id), personId: gid('Person', personId), startDate: '2025-04-01', ...extra };
}
