import { requireManager, requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { JurisdictionRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { decodeGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { parsePageArgs, toConnection } from '../../graphql/pagination.ts';
import { staffTargetJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { peopleSearchCount, peopleSearchKeyset, peopleSearchPage, type PeopleSearchQuery, type PersonSearchHit } from './people-search.repository.ts';
import { searchQueryText } from './search.service.ts';

export interface PeopleSearchArgs {
  query: string;
  organization?: string | null;
  post?: string | null;
  jurisdiction?: string | null;
  first?: number | null;
  after?: string | null;
}

/**
 * The organization and seat the search is narrowed to, as ids of the jurisdiction. Unknown ids and
 * ids of another city are refused alike (staff read other cities' bodies publicly anyway).
 */
async function narrowing(ctx: GraphQLContext, jurisdiction: JurisdictionRow, args: PeopleSearchArgs): Promise<Pick<PeopleSearchQuery, 'organizationId' | 'postId'>> {
  const organizationId = args.organization != null ? decodeGlobalId(args.organization, 'Organization', 'organization') : null;
  const postId = args.post != null ? decodeGlobalId(args.post, 'Post', 'post') : null;
  const [organization, post] = await Promise.all([
    organizationId != null ? ctx.loaders.organizationById.load(organizationId) : null,
    postId != null ? ctx.loaders.postById.load(postId) : null,
  ]);
  if (organizationId != null && organization?.jurisdictionId !== jurisdiction.id) {
    throw badUserInput(`No organization of ${jurisdiction.slug} has the id given as organization`, 'organization');
  }
  if (postId != null && post?.jurisdictionId !== jurisdiction.id) throw badUserInput(`No seat of ${jurisdiction.slug} has the id given as post`, 'post');
  // Both given: a seat of another body would match no one, which is a mistake worth naming.
  if (organization && post && post.organizationId !== organization.id) throw badUserInput('post is not a seat of the organization given', 'post');
  return { organizationId, postId };
}

/**
 * Staff of the jurisdiction only, checked before anything else is looked at: the public and
 * partners learn nothing from the arguments they send, not even whether they are valid.
 */
export async function peopleSearch(ctx: GraphQLContext, args: PeopleSearchArgs): Promise<ConnectionMapper<PersonSearchHit>> {
  requireStaffRole(ctx.viewer);
  const jurisdiction = await staffTargetJurisdiction(ctx, args.jurisdiction);
  requireManager(ctx.viewer, jurisdiction.id);
  const text = searchQueryText(args.query);
  const page = parsePageArgs({ first: args.first, after: args.after }, peopleSearchKeyset.keys);
  const query: PeopleSearchQuery = { jurisdictionId: jurisdiction.id, text, ...(await narrowing(ctx, jurisdiction, args)) };
  const hits = await peopleSearchPage(ctx.db, query, page);
  // The page read the rows already: fields that load a person (Membership.person) need no statement.
  for (const hit of hits) ctx.loaders.personById.prime(hit.person.id, hit.person);
  return toConnection(hits, peopleSearchKeyset, page, () => peopleSearchCount(ctx.db, query));
}
