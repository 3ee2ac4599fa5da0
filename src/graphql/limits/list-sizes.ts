import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.ts';

type Args = Record<string, unknown>;

/** `nodes(ids:)` refuses more ids than this (src/modules/node/node.resolvers.ts). */
const MAX_NODE_IDS = 100;
/** `_entities(representations:)` (FEDERATION=on) refuses more than this (src/graphql/federation.ts). */
export const MAX_ENTITY_REPRESENTATIONS = 100;

/**
 * How many items the cost analysis assumes a plain (unpaginated) list returns per parent. These
 * lists are small by the nature of the domain: each bound covers a city larger than Portland (its
 * largest count in brackets), except where a rare row exceeds it. A bound too low lets a query cost
 * more than estimated, by that factor; too high refuses legitimate queries such as the directory.
 */
const LIST_SIZES: Record<string, number | ((args: Args) => number)> = {
  'Query.nodes': (args) => Math.min(Array.isArray(args.ids) ? args.ids.length : 0, MAX_NODE_IDS),
  // Federation's entity lookup: one object per representation, like nodes(ids:).
  'Query._entities': (args) => Math.min(Array.isArray(args.representations) ? args.representations.length : 0, MAX_ENTITY_REPRESENTATIONS),
  'Query.councilDistricts': 10, // [4]
  'Query.districtCoalitions': 10, // [7 until 2024, 4 since]
  'Query.apiKeys': 20, // administrators only
  'Division.overlaps': 50, // a council district's neighborhoods [35]
  // One organization of a kind serves an area on a date: its association, its coalition office [1].
  'Division.organizations': (args) => (args.kind ? 1 : 3),
  'Division.overlapAgreements': 10,
  'Location.neighborhoods': 5, // more than one only where boundaries overlap by agreement
  'Location.neighborhoodAssociations': 5,
  'Location.districtCoalitions': 5,
  'Location.businessDistricts': 5,
  'Location.businessDistrictAssociations': 5,
  'Location.divisions': 10, // every division containing one point [4]
  'Organization.councilDistricts': 10, // at most the city's districts [4]
  'Organization.memberOf': 10, // dated links in coalitions and networks [2]
  'Organization.recognitionHistory': 10,
  // Holders on one date, at most the seat's maxHolders: 3 on a council seat, 5 to 15 on an advisory
  // body's shared member seat [15]. Most seats are not full; 10 keeps the directory under the limit.
  'Post.holders': 10,
  'Post.openings': 10, // free places on one date: as holders, at most maxHolders
  'Post.eligibilityRules': 4, // district, seat, posting summary, minimum age
  'PostAbolishPayload.endedMemberships': 10, // as holders
  'AuditEvent.changes': 20, // the fields of one object
  'ChangeFeed.entries': 100, // at most `first` of Query.changes, 1–100
  // Recruitment: a posting recruits for a few seats of one body (at most 50) and asks a few questions;
  // an application prefers a few of those seats and has one check per rule and one event per step.
  'VacancyPosting.posts': 5,
  'VacancyPosting.questions': 5,
  'VacancyPosting.requirements': 3,
  'Application.seatPreferences': 3,
  'Application.eligibility': 5,
  'Application.answers': 5,
  'Application.history': 6,
  // Representation reports: the form's 11 questions, 4 statuses each; a closed list has at most 10
  // categories, an open one (languages, ZIP codes) those with k or more respondents in the city.
  'RepresentationReport.questions': 11,
  'ReportQuestion.statuses': 4,
  'ReportQuestion.categories': 20,
  'InterpretationRequests.languages': 20,
  // Compliance: the staff lists return at most `first` (1–500, default 100); a kind has a handful
  // of requirements [6 in Portland]; an association's evidence is a few rows a year.
  'Query.complianceOverdue': (args) => Math.min(typeof args.first === 'number' ? Math.max(args.first, 0) : 100, 500),
  'Query.complianceDue': (args) => Math.min(typeof args.first === 'number' ? Math.max(args.first, 0) : 100, 500),
  'OrganizationCompliance.requirements': 10,
  'Organization.complianceEvidence': 20,
};

/** Lists bounded by name on every type. */
const LIST_SIZES_BY_NAME: Record<string, number> = {
  userErrors: 10, // one per input field at most, and inputs are small
  // A record's stored translations: a few fields in each of a city's languages (Portland 3 × 15).
  translations: 30,
  locales: 20, // a jurisdiction's site languages [16]
};

/** For a list no one has bounded yet: as many as a default page. */
const UNKNOWN_LIST_SIZE = DEFAULT_PAGE_SIZE;

/** Items a plain list field is assumed to return for one parent. */
export function listSize(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, args: Args): number {
  const size = LIST_SIZES[`${parent.name}.${field.name}`];
  if (typeof size === 'function') return size(args);
  return size ?? LIST_SIZES_BY_NAME[field.name] ?? UNKNOWN_LIST_SIZE;
}

/** A Relay connection: a `…Connection` type with `pageInfo`, paged by `first`/`last`. */
export function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return isObjectType(type) && type.name.endsWith('Connection') && 'pageInfo' in type.getFields();
}

/**
 * Items one page of a connection may hold: `first` or `last`, else the default page size. A value
 * out of range is capped here because the resolver refuses it with a precise BAD_USER_INPUT.
 */
export function pageSize(args: Args): number {
  const requested = args.first ?? args.last;
  const size = typeof requested === 'number' ? requested : DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(size, 0), MAX_PAGE_SIZE);
}

/**
 * Fields whose work is a scan, not the objects they return: what one such field costs on top of its
 * objects, and how many of them one operation may ask for (aliases included). `search` compares the
 * query with every organization and posting of the jurisdiction by trigram similarity (about 45 ms
 * on the embedded database for a 200-character query), whatever its `first`; `totalCount` scans
 * them again. Costed like SCAN_COST objects, a search is dearer than a 100-object page, so a
 * budget buys about a hundred a minute; three per operation leave room for a page of each kind.
 */
export const SEARCH_SCAN_COST = 2_500;
export const MAX_SEARCHES_PER_OPERATION = 3;

const SCAN_COSTS: Record<string, number> = {
  'Query.search': SEARCH_SCAN_COST,
  'SearchConnection.totalCount': SEARCH_SCAN_COST,
  // Staff's people search compares the query with every person of the jurisdiction the same way.
  'Query.peopleSearch': SEARCH_SCAN_COST,
  'PersonSearchConnection.totalCount': SEARCH_SCAN_COST,
};

/** The scan cost of a field (0 for most), added once per time the field is resolved. */
export function scanCost(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): number {
  return SCAN_COSTS[`${parent.name}.${field.name}`] ?? 0;
}

/** Fields one operation may select only so many times, by `Type.field`. */
export const SCANS_PER_OPERATION: Readonly<Record<string, number>> = { 'Query.search': MAX_SEARCHES_PER_OPERATION, 'Query.peopleSearch': MAX_SEARCHES_PER_OPERATION };
