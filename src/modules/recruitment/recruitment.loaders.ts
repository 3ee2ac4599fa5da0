import DataLoader from 'dataloader';
import type { Database } from '../../db/client.ts';
import type { ApplicationRow, ApplicationEligibilityRow, ApplicationEventRow, ApplicationSeatPreferenceRow, MembershipRow, PostRow, VacancyPostingRow } from '../../db/schema/index.ts';
import { loaderById, loaderWithParams } from '../../graphql/loader.ts';
import {
  applicationsByIds,
  eligibilityByApplicationIds,
  eventsByApplicationIds,
  membershipsByApplicationIds,
  postingCountsByOrganizationIds,
  postingPagesByOrganizationIds,
  postingsByIds,
  postsByPostingIds,
  preferencesByApplicationIds,
  type PostingPageParams,
  type PostingStatus,
} from './recruitment.repository.ts';

/** Loaders keyed by posting or application id: one statement per nested level, whatever the page size. */
export function createRecruitmentLoaders(db: Database) {
  const byKey = <V>(fetch: (ids: readonly number[]) => Promise<Map<number, V[]>>) =>
    new DataLoader<number, V[]>(async (ids) => {
      const map = await fetch(ids);
      return ids.map((id) => map.get(id) ?? []);
    });
  return {
    vacancyPostingById: loaderById<VacancyPostingRow>((ids) => postingsByIds(db, ids)),
    applicationById: loaderById<ApplicationRow>((ids) => applicationsByIds(db, ids)),
    postsByPostingId: byKey<PostRow>((ids) => postsByPostingIds(db, ids)),
    postingPageByOrganizationId: loaderWithParams<PostingPageParams, VacancyPostingRow[]>((ids, params) => postingPagesByOrganizationIds(db, ids, params), () => []),
    postingCountByOrganizationId: loaderWithParams<{ statuses: PostingStatus[] }, number>((ids, params) => postingCountsByOrganizationIds(db, ids, params), () => 0),
    seatPreferencesByApplicationId: byKey<ApplicationSeatPreferenceRow>((ids) => preferencesByApplicationIds(db, ids)),
    eligibilityByApplicationId: byKey<ApplicationEligibilityRow>((ids) => eligibilityByApplicationIds(db, ids)),
    eventsByApplicationId: byKey<ApplicationEventRow>((ids) => eventsByApplicationIds(db, ids)),
    membershipByApplicationId: new DataLoader<number, MembershipRow | null>(async (ids) => {
      const rows = await membershipsByApplicationIds(db, ids);
      const byId = new Map(rows.map((r) => [r.applicationId!, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
