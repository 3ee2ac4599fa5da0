import type { Database } from '../../db/client.ts';
import type { OrganizationLinkRow, OrganizationRow } from '../../db/schema/index.ts';
import { loaderById, loaderWithParams } from '../../graphql/loader.ts';
import {
  coalitionsByMemberIds,
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
    organizationsByDivisionId: loaderWithParams<{ kind: OrganizationRow['kind'] | null; at: string }, OrganizationRow[]>(
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
    memberOrganizationCount: loaderWithParams<{ kind: LinkKind | null; at: string }, number>(
      (ids, params) => memberOrganizationCounts(db, ids, params),
      () => 0,
    ),
  };
}
