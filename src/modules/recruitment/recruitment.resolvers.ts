import { canManage } from '../../auth/viewer.ts';
import type {
  ApplicationConnectionResolvers,
  ApplicationEventResolvers,
  ApplicationResolvers,
  ApplicationSeatPreferenceResolvers,
  EligibilityCheckResolvers,
  MembershipResolvers,
  MutationResolvers,
  OrganizationResolvers,
  QueryResolvers,
  VacancyPostingConnectionResolvers,
  VacancyPostingResolvers,
} from '../../graphql/__generated__/resolvers-types.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { connectionFields } from '../../graphql/mappers.ts';
import { applicationAmend, applicationByToken, applicationSubmit, applicationWithdraw, currentStatus } from './applications.service.ts';
import { isEligible } from './eligibility.ts';
import { deadlineOf, isAcceptingOn, postingsOfOrganization, todayForPosting, vacancyPostingCreate, vacancyPostings, vacancyPostingTransition, vacancyPostingUpdate } from './postings.service.ts';
import { applicationAppoint, applicationDecline, applicationEligibilityDecide, applicationInterviewSchedule, applicationsExpire, applicationStep, staffApplications } from './workflow.service.ts';

export const Query: Pick<QueryResolvers, 'vacancyPostings' | 'application' | 'applications'> = {
  vacancyPostings: (_parent, args, ctx) => vacancyPostings(ctx, args),
  application: (_parent, { token }, ctx) => applicationByToken(ctx, token),
  applications: (_parent, args, ctx) => staffApplications(ctx, args),
};

export const VacancyPosting: VacancyPostingResolvers = {
  id: (row) => toGlobalId('VacancyPosting', row.id),
  organization: async (row, _args, ctx) => (await ctx.loaders.organizationById.load(row.organizationId))!,
  applicationDeadline: (row) => deadlineOf(row),
  isAcceptingApplications: async (row, _args, ctx) => isAcceptingOn(row, await todayForPosting(ctx, row)),
  timeCommitmentMinHoursPerMonth: (row) => row.timeCommitmentMinHours,
  timeCommitmentMaxHoursPerMonth: (row) => row.timeCommitmentMaxHours,
  posts: (row, _args, ctx) => ctx.loaders.postsByPostingId.load(row.id),
};

export const VacancyPostingConnection: VacancyPostingConnectionResolvers = connectionFields;

export const Organization: Pick<OrganizationResolvers, 'vacancyPostings'> = {
  vacancyPostings: (row, args, ctx) => postingsOfOrganization(ctx, row, args),
};

export const Membership: Pick<MembershipResolvers, 'application'> = {
  // Private: an appointee's application is for staff of the jurisdiction only.
  application: (row, _args, ctx) =>
    row.applicationId != null && canManage(ctx.viewer, row.jurisdictionId) ? ctx.loaders.applicationById.load(row.applicationId) : null,
};

/**
 * Every Application reaches a resolver only through the token holder's own read or a staff path,
 * so its fields need no further checks, except `actor` in its history (staff only).
 */
export const Application: ApplicationResolvers = {
  id: (row) => toGlobalId('Application', row.id),
  posting: async (row, _args, ctx) => (await ctx.loaders.vacancyPostingById.load(row.postingId))!,
  status: (row) => currentStatus(row),
  residencePoint: (row) => (row.residenceLatitude != null && row.residenceLongitude != null ? { latitude: row.residenceLatitude, longitude: row.residenceLongitude } : null),
  residenceDivision: (row, _args, ctx) => (row.residenceDivisionId != null ? ctx.loaders.divisionById.load(row.residenceDivisionId) : null),
  attestedRequirementIds: (row) => row.attestedRequirements,
  answers: (row) => Object.entries(row.answers).map(([questionId, answer]) => ({ questionId, answer })),
  seatPreferences: (row, _args, ctx) => ctx.loaders.seatPreferencesByApplicationId.load(row.id),
  eligibility: (row, _args, ctx) => ctx.loaders.eligibilityByApplicationId.load(row.id),
  isEligible: async (row, _args, ctx) => {
    const [checks, preferences] = await Promise.all([ctx.loaders.eligibilityByApplicationId.load(row.id), ctx.loaders.seatPreferencesByApplicationId.load(row.id)]);
    return isEligible(checks, preferences.map((p) => p.postId));
  },
  membership: (row, _args, ctx) => ctx.loaders.membershipByApplicationId.load(row.id),
  history: (row, _args, ctx) => ctx.loaders.eventsByApplicationId.load(row.id),
};

export const ApplicationEvent: ApplicationEventResolvers = {
  // Who on staff acted is for staff; the applicant sees that something happened and why.
  actor: async (row, _args, ctx) => {
    const application = await ctx.loaders.applicationById.load(row.applicationId);
    return application && canManage(ctx.viewer, application.jurisdictionId) ? row.actorSubject : null;
  },
};

export const ApplicationSeatPreference: ApplicationSeatPreferenceResolvers = {
  post: async (row, _args, ctx) => (await ctx.loaders.postById.load(row.postId))!,
};

export const EligibilityCheck: EligibilityCheckResolvers = {
  post: (row, _args, ctx) => (row.postId != null ? ctx.loaders.postById.load(row.postId) : null),
};

export const ApplicationConnection: ApplicationConnectionResolvers = {
  edges: connectionFields.edges,
};

export const Mutation: MutationResolvers = {
  vacancyPostingCreate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await vacancyPostingCreate(ctx, input);
    return { posting: value, userErrors };
  },
  vacancyPostingUpdate: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await vacancyPostingUpdate(ctx, input);
    return { posting: value, userErrors };
  },
  vacancyPostingPublish: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await vacancyPostingTransition(ctx, 'publish', input);
    return { posting: value, userErrors };
  },
  vacancyPostingClose: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await vacancyPostingTransition(ctx, 'close', input);
    return { posting: value, userErrors };
  },
  vacancyPostingCancel: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await vacancyPostingTransition(ctx, 'cancel', input);
    return { posting: value, userErrors };
  },
  applicationSubmit: async (_parent, { input }, ctx) => {
    const { value, userErrors, retryAfterSeconds } = await applicationSubmit(ctx, input);
    return { application: value?.application ?? null, token: value?.token ?? null, retryAfterSeconds: retryAfterSeconds ?? null, userErrors };
  },
  applicationAmend: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationAmend(ctx, input);
    return { application: value, userErrors };
  },
  applicationWithdraw: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationWithdraw(ctx, input);
    return { application: value, userErrors };
  },
  applicationReviewStart: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationStep(ctx, 'applicationReviewStart', input);
    return { application: value, userErrors };
  },
  applicationRecommend: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationStep(ctx, 'applicationRecommend', input);
    return { application: value, userErrors };
  },
  applicationInterviewSchedule: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationInterviewSchedule(ctx, input);
    return { application: value, userErrors };
  },
  applicationDecline: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationDecline(ctx, input);
    return { application: value, userErrors };
  },
  applicationAppoint: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationAppoint(ctx, input);
    return { application: value?.application ?? null, membership: value?.membership ?? null, userErrors };
  },
  applicationEligibilityDecide: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationEligibilityDecide(ctx, input);
    return { application: value, userErrors };
  },
  applicationsExpire: async (_parent, { input }, ctx) => {
    const { value, userErrors } = await applicationsExpire(ctx, input);
    return { expiredCount: value ?? 0, userErrors };
  },
};
