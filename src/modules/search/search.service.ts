import type { GraphQLContext } from '../../context.ts';
import { canManage } from '../../auth/viewer.ts';
import type { OrganizationRow, VacancyPostingRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection } from '../../graphql/pagination.ts';
import { resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { searchCount, searchKeyset, searchPage, type SearchHit, type SearchKind } from './search.repository.ts';

export const MAX_QUERY_LENGTH = 200;
const ALL_KINDS: readonly SearchKind[] = [
  'ADVISORY_BODY',
  'NEIGHBORHOOD_ASSOCIATION',
  'BUSINESS_DISTRICT_ASSOCIATION',
  'DISTRICT_COALITION',
  'COMMUNITY_ORGANIZATION',
  'COMMUNITY_BOARD',
  'COUNCIL',
  'NETWORK',
  'OTHER_ORGANIZATION',
  'VACANCY_POSTING',
];
/** As `vacancyPostings` shows them: drafts and cancelled postings are staff-only. */
const PUBLIC_POSTING_STATUSES: VacancyPostingRow['status'][] = ['OPEN', 'CLOSED'];
const ALL_POSTING_STATUSES: VacancyPostingRow['status'][] = ['DRAFT', 'OPEN', 'CLOSED', 'CANCELLED'];

export interface SearchArgs {
  query: string;
  kinds?: readonly SearchKind[] | null;
  kindCode?: readonly string[] | null;
  jurisdiction?: string | null;
  first?: number | null;
  after?: string | null;
}

/** The text a search looks for: `query` trimmed, 1–200 characters, else BAD_USER_INPUT naming it. */
export function searchQueryText(query: string): string {
  const text = query.trim();
  if (text.length === 0) throw badUserInput('query must not be empty', 'query');
  if (text.length > MAX_QUERY_LENGTH) throw badUserInput(`query must be at most ${MAX_QUERY_LENGTH} characters`, 'query');
  return text;
}

export async function search(ctx: GraphQLContext, args: SearchArgs): Promise<ConnectionMapper<SearchHit>> {
  const text = searchQueryText(args.query);
  if (args.kinds != null && args.kinds.length === 0) throw badUserInput('kinds must name at least one kind; omit it to search every kind', 'kinds');
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const postingStatuses = canManage(ctx.viewer, jurisdiction.id) ? ALL_POSTING_STATUSES : PUBLIC_POSTING_STATUSES;
  const query = { jurisdictionId: jurisdiction.id, text, kinds: [...new Set(args.kinds ?? ALL_KINDS)], kindCodes: args.kindCode ?? null, postingStatuses };
  const page = parsePageArgs({ first: args.first, after: args.after }, searchKeyset.keys);
  const hits = await searchPage(ctx.db, query, page);
  return toConnection(hits, searchKeyset, page, () => searchCount(ctx.db, query));
}

/** The object a hit stands for, through the request's loaders (one batch per page). */
export async function resultOf(ctx: GraphQLContext, hit: SearchHit): Promise<OrganizationRow | VacancyPostingRow> {
  const row = hit.source === 'VACANCY_POSTING' ? await ctx.loaders.vacancyPostingById.load(hit.id) : await ctx.loaders.organizationById.load(hit.id);
  // The hit was read in this request; a row deleted since is a conflict no client can fix.
  if (!row) throw new Error(`search hit ${hit.source} ${hit.id} vanished`);
  return row;
}
