import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import type { MembershipRow, PostRow, VacancyPostingRow } from '../../db/schema/index.ts';
import { loaderById, loaderWithParams } from '../../graphql/loader.ts';
import {
  holdersByPostIds,
  membershipCounts,
  membershipPages,
  membershipsByIds,
  peopleByIds,
  peopleOnRosters,
  postCountsByOrganizationIds,
  postPagesByOrganizationIds,
  postsByIds,
  type MembershipPageParams,
  type MembershipParent,
  type MembershipStatus,
  type PostPageParams,
} from './seats.repository.ts';
import { openPostingByPostIds, termsUntilByPostIds } from './open-seats.repository.ts';
import { compositionRulesByOrganizationIds, nominatorsByPostIds } from './seat-filling.repository.ts';
import type { CompositionRuleRow, PostNominatorRow } from '../../db/schema/index.ts';

export function createSeatLoaders(db: Database) {
  const membershipLoaders = (parent: MembershipParent) => ({
    page: loaderWithParams<MembershipPageParams, MembershipRow[]>((ids, params) => membershipPages(db, parent, ids, params), () => []),
    count: loaderWithParams<{ status: MembershipStatus; at: string }, number>((ids, params) => membershipCounts(db, parent, ids, params), () => 0),
  });
  return {
    postById: loaderById((ids) => postsByIds(db, ids)),
    membershipById: loaderById((ids) => membershipsByIds(db, ids)),
    personById: loaderById((ids) => peopleByIds(db, ids)),
    isOnRosterByPersonId: new DataLoader<number, boolean>(async (ids) => {
      const onRosters = await peopleOnRosters(db, ids);
      return ids.map((id) => onRosters.has(id));
    }),
    holdersByPostId: loaderWithParams<{ at: string }, MembershipRow[]>((ids, { at }) => holdersByPostIds(db, ids, at), () => []),
    postPageByOrganizationId: loaderWithParams<PostPageParams, PostRow[]>((ids, params) => postPagesByOrganizationIds(db, ids, params), () => []),
    postCountByOrganizationId: loaderWithParams<{ includeAbolished: boolean; at: string }, number>(
      (ids, params) => postCountsByOrganizationIds(db, ids, params),
      () => 0,
    ),
    /** Each seat's terms started by `at`, for its vacancy reasons. */
    termsUntilByPostId: loaderWithParams<{ at: string }, MembershipRow[]>((ids, { at }) => termsUntilByPostIds(db, ids, at), () => []),
    openPostingByPostId: loaderWithParams<{ at: string }, VacancyPostingRow | null>((ids, { at }) => openPostingByPostIds(db, ids, at), () => null),
    nominatorsByPostId: new DataLoader<number, PostNominatorRow[]>(async (ids) => {
      const byPost = await nominatorsByPostIds(db, ids);
      return ids.map((id) => byPost.get(id) ?? []);
    }),
    compositionRulesByOrganizationId: new DataLoader<number, CompositionRuleRow[]>(async (ids) => {
      const byOrganization = await compositionRulesByOrganizationIds(db, ids);
      return ids.map((id) => byOrganization.get(id) ?? []);
    }),
    membershipsOf: {
      organization: membershipLoaders('organization'),
      post: membershipLoaders('post'),
      person: membershipLoaders('person'),
    },
  };
}
