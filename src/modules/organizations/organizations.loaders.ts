import type { Database } from '../../db/client.ts';
import DataLoader from 'dataloader';
import type { BoundaryAgreementRow, OrganizationContactChannelRow, OrganizationRegistrationRow, OrganizationLinkRow, OrganizationRow, RecognitionRow } from '../../db/schema/index.ts';
import { loaderById, loaderWithParams } from '../../graphql/loader.ts';
import { agreementsByDivisionIds } from './boundary.repository.ts';
import { recognitionsByOrganizationIds } from './recognition.repository.ts';
import { registrationTermsByOrganizationIds } from './registration.repository.ts';
import {
  coalitionsByMemberIds,
  contactChannelsByOrganizationIds,
  linksByMemberIds,
  memberOrganizationCounts,
  memberOrganizationPages,
  organizationsByDivisionIds,
  organizationsByIds,
  type MemberPageParams,
} from './organizations.repository.ts';

type LinkKind = OrganizationLinkRow['kind'];

export function createOrganizationLoaders(db: Database) {
  return {
    organizationById: loaderById((ids) => organizationsByIds(db, ids)),
    organizationsByDivisionId: loaderWithParams<{ kinds: OrganizationRow['kind'][] | null; at: string }, OrganizationRow[]>(
      (ids, params) => organizationsByDivisionIds(db, ids, params),
      () => [],
    ),
    linksByMemberId: loaderWithParams<{ kind: LinkKind | null; at: string | null }, OrganizationLinkRow[]>(
      (ids, params) => linksByMemberIds(db, ids, params),
      () => [],
    ),
    coalitionByMemberId: loaderWithParams<{ at: string }, OrganizationRow | null>(
      (ids, { at }) => coalitionsByMemberIds(db, ids, at),
      () => null,
    ),
    memberOrganizationPage: loaderWithParams<MemberPageParams, OrganizationRow[]>(
      (ids, params) => memberOrganizationPages(db, ids, params),
      () => [],
    ),
    /** Every recognition period of an organization, oldest first; `recognition(at:)` picks from it. */
    recognitionsByOrganizationId: new DataLoader<number, RecognitionRow[]>(async (ids) => {
      const byId = await recognitionsByOrganizationIds(db, ids);
      return ids.map((id) => byId.get(id) ?? []);
    }),
    contactChannelsByOrganizationId: loaderWithParams<{ at: string }, OrganizationContactChannelRow[]>(
      (ids, { at }) => contactChannelsByOrganizationIds(db, ids, at),
      () => [],
    ),
    /** Every registration term of an organization, oldest first; `registration(at:)` reads it only for a day before the latest term. */
    registrationTermsByOrganizationId: new DataLoader<number, OrganizationRegistrationRow[]>(async (ids) => {
      const byId = await registrationTermsByOrganizationIds(db, ids);
      return ids.map((id) => byId.get(id) ?? []);
    }),
    boundaryAgreementsByDivisionId: new DataLoader<number, BoundaryAgreementRow[]>(async (ids) => {
      const byId = await agreementsByDivisionIds(db, ids);
      return ids.map((id) => byId.get(id) ?? []);
    }),
    memberOrganizationCount: loaderWithParams<{ kind: LinkKind | null; at: string }, number>(
      (ids, params) => memberOrganizationCounts(db, ids, params),
      () => 0,
    ),
  };
}
