/**
 * Compliance (issue 15): each requirement's status on a date, derived from the evidence on record
 * and the registration dates when read (never stored, so a lapse shows on its day with no job);
 * the staff lists; and the staff mutations recording and withdrawing evidence.
 */
import { z } from 'zod';
import { requireManager, requireStaffRole } from '../../auth/authorize.ts';
import { canManage } from '../../auth/viewer.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { complianceEvidence, type ComplianceEvidenceRow, type ComplianceRequirementRow, type OrganizationRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import type { ComplianceStatus } from '../../graphql/__generated__/resolvers-types.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { addDays, addMonths } from '../../input/calendar.ts';
import { checkedString, globalId, httpUrl, text } from '../../input/vocabulary.ts';
import { asOf, dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { dateFrom, jurisdictionToday, organizationNamed, rowAudit } from '../organizations/organizations.mutations.ts';
import { organizationForUpdate } from '../organizations/organizations.repository.ts';
import { activeOrganizationsOfKinds, evidenceById, evidenceByOrganizationIds, insertEvidence, requirementsByJurisdictionIds, standingEvidence, withdrawEvidence } from './compliance.repository.ts';

export interface RequirementComplianceMapper {
  organization: OrganizationRow;
  requirement: ComplianceRequirementRow;
  status: ComplianceStatus;
  lastMetOn: string | null;
  nextDueOn: string | null;
  evidence: ComplianceEvidenceRow | null;
}

export interface OrganizationComplianceMapper {
  organization: OrganizationRow;
  at: string;
  requirements: RequirementComplianceMapper[];
}

/** A met requirement is DUE_SOON when its next due date is at most this many days away, unless asked otherwise. */
export const DUE_SOON_DAYS = 60;
const MAX_DAYS = 366;
/** At most this many rows per staff list (Philadelphia has about 240 RCOs, Portland 94 associations). */
export const COMPLIANCE_LIST_MAX = 500;

/** Whether evidence counts on `at`: met by then, and not withdrawn by then (a withdrawal counts from its day on). */
export function evidenceCountsOn(evidence: ComplianceEvidenceRow, at: string): boolean {
  return evidence.metOn <= at && (evidence.withdrawnOn == null || evidence.withdrawnOn > at);
}

function metOrDueSoon(nextDueOn: string | null, at: string, dueSoonDays: number): ComplianceStatus {
  return nextDueOn != null && nextDueOn <= addDays(at, dueSoonDays) ? 'DUE_SOON' : 'MET';
}

/**
 * Where one requirement of `organization` stands on `at`. Evidence: the latest counting then; met
 * through `metOn` + `recurrenceMonths` (inclusive), OVERDUE from the next day. Registration: met
 * while registered on `at`, through the day before `expiresOn`. `evidence` is the organization's,
 * in any order.
 */
export function requirementStatus(
  organization: OrganizationRow,
  requirement: ComplianceRequirementRow,
  evidence: readonly ComplianceEvidenceRow[],
  at: string,
  dueSoonDays: number = DUE_SOON_DAYS,
): RequirementComplianceMapper {
  const base = { organization, requirement, evidence: null };
  if (requirement.metBy === 'REGISTRATION') {
    const { registeredOn, registrationExpiresOn: expiresOn } = organization;
    if (registeredOn == null || expiresOn == null || at < registeredOn) return { ...base, status: 'OVERDUE', lastMetOn: null, nextDueOn: null };
    const nextDueOn = addDays(expiresOn, -1);
    return { ...base, lastMetOn: registeredOn, nextDueOn, status: at > nextDueOn ? 'OVERDUE' : metOrDueSoon(nextDueOn, at, dueSoonDays) };
  }
  let latest: ComplianceEvidenceRow | null = null;
  for (const e of evidence) {
    if (e.requirementCode !== requirement.code || !evidenceCountsOn(e, at)) continue;
    if (!latest || e.metOn > latest.metOn || (e.metOn === latest.metOn && e.id > latest.id)) latest = e;
  }
  if (!latest) return { ...base, status: 'OVERDUE', lastMetOn: null, nextDueOn: null };
  const nextDueOn = requirement.recurrenceMonths == null ? null : addMonths(latest.metOn, requirement.recurrenceMonths);
  const status: ComplianceStatus = nextDueOn != null && at > nextDueOn ? 'OVERDUE' : metOrDueSoon(nextDueOn, at, dueSoonDays);
  return { ...base, evidence: latest, lastMetOn: latest.metOn, nextDueOn, status };
}

export function organizationCompliance(
  organization: OrganizationRow,
  requirements: readonly ComplianceRequirementRow[],
  evidence: readonly ComplianceEvidenceRow[],
  at: string,
  dueSoonDays: number,
): OrganizationComplianceMapper | null {
  const own = requirements.filter((r) => r.jurisdictionId === organization.jurisdictionId && r.organizationKind === organization.kind);
  if (own.length === 0) return null;
  return { organization, at, requirements: own.map((r) => requirementStatus(organization, r, evidence, at, dueSoonDays)) };
}

function daysArgument(value: number | null | undefined, name: string): number {
  const days = value ?? DUE_SOON_DAYS;
  if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS) throw badUserInput(`${name} must be from 0 to ${MAX_DAYS}`, name);
  return days;
}

function firstArgument(value: number | null | undefined): number {
  const first = value ?? 100;
  if (!Number.isInteger(first) || first < 1 || first > COMPLIANCE_LIST_MAX) throw badUserInput(`first must be from 1 to ${COMPLIANCE_LIST_MAX}`, 'first');
  return first;
}

/** Organization.compliance: two statements for any number of organizations (requirements, evidence), via loaders. */
export async function complianceOf(ctx: GraphQLContext, organization: OrganizationRow, args: { at?: string | null; dueSoonDays?: number | null }): Promise<OrganizationComplianceMapper | null> {
  const dueSoonDays = daysArgument(args.dueSoonDays, 'dueSoonDays');
  const requirements = await ctx.loaders.complianceRequirementsByJurisdictionId.load(organization.jurisdictionId);
  if (!requirements.some((r) => r.organizationKind === organization.kind)) return null;
  const [at, evidence] = await Promise.all([asOf(ctx, organization.jurisdictionId, args.at), ctx.loaders.complianceEvidenceByOrganizationId.load(organization.id)]);
  return organizationCompliance(organization, requirements, evidence, at, dueSoonDays);
}

const EVIDENCE_LIST_MAX = 200;

export async function complianceEvidenceOf(ctx: GraphQLContext, organization: OrganizationRow, includeWithdrawn: boolean | null | undefined): Promise<ComplianceEvidenceRow[]> {
  const rows = await ctx.loaders.complianceEvidenceByOrganizationId.load(organization.id);
  return rows.filter((e) => includeWithdrawn || e.withdrawnOn == null).slice(0, EVIDENCE_LIST_MAX);
}

/** Staff-only values of evidence read as null to anyone but staff of its city. */
export function staffOnly<T>(ctx: GraphQLContext, evidence: ComplianceEvidenceRow, value: T): T | null {
  return canManage(ctx.viewer, evidence.jurisdictionId) ? value : null;
}

/**
 * Every active organization of a kind with requirements in the jurisdiction, with its statuses on
 * `at`: three statements (requirements, organizations, their evidence) whatever the number of
 * organizations. The statuses are computed here from those rows, so the lists, the lapse job and
 * `Organization.compliance` share one definition; the rows are bounded by the city's associations
 * (hundreds), not by the evidence.
 */
export async function complianceInJurisdiction(db: Database, jurisdictionId: number, at: string, dueSoonDays: number) {
  const requirements = await requirementsByJurisdictionIds(db, [jurisdictionId]);
  const organizations = await activeOrganizationsOfKinds(db, jurisdictionId, [...new Set(requirements.map((r) => r.organizationKind))]);
  const evidence = await evidenceByOrganizationIds(db, organizations.map((o) => o.id));
  const byOrganization = new Map<number, ComplianceEvidenceRow[]>(organizations.map((o) => [o.id, []]));
  for (const e of evidence) byOrganization.get(e.organizationId)?.push(e);
  const statuses = organizations.flatMap((o) => organizationCompliance(o, requirements, byOrganization.get(o.id)!, at, dueSoonDays) ?? []);
  return { requirements, organizations, byOrganization, statuses };
}

async function jurisdictionCompliance(ctx: GraphQLContext, slug: string | null | undefined, atArg: string | null | undefined, dueSoonDays: number) {
  requireStaffRole(ctx.viewer);
  const jurisdiction = await resolveJurisdiction(ctx, slug);
  requireManager(ctx.viewer, jurisdiction.id);
  const { requirements, organizations, byOrganization, statuses } = await complianceInJurisdiction(ctx.db, jurisdiction.id, dateIn(jurisdiction, atArg), dueSoonDays);
  // What nested fields read next is known already: prime the request's loaders with it.
  ctx.loaders.complianceRequirementsByJurisdictionId.prime(jurisdiction.id, requirements);
  for (const o of organizations) {
    ctx.loaders.organizationById.prime(o.id, o);
    ctx.loaders.complianceEvidenceByOrganizationId.prime(o.id, byOrganization.get(o.id)!);
  }
  return statuses;
}

/** complianceOverdue: organizations with a requirement OVERDUE on `at`, by name. */
export async function complianceOverdue(ctx: GraphQLContext, args: { at?: string | null; first?: number | null; jurisdiction?: string | null }): Promise<OrganizationComplianceMapper[]> {
  const first = firstArgument(args.first);
  const all = await jurisdictionCompliance(ctx, args.jurisdiction, args.at, DUE_SOON_DAYS);
  return all.filter((c) => c.requirements.some((r) => r.status === 'OVERDUE')).slice(0, first);
}

/** complianceDue: met requirements whose next due date is within `withinDays` of `at`, soonest first. */
export async function complianceDue(
  ctx: GraphQLContext,
  args: { at?: string | null; withinDays?: number | null; first?: number | null; jurisdiction?: string | null },
): Promise<RequirementComplianceMapper[]> {
  const first = firstArgument(args.first);
  const withinDays = daysArgument(args.withinDays, 'withinDays');
  const all = await jurisdictionCompliance(ctx, args.jurisdiction, args.at, withinDays);
  // Organizations come by name, requirements in the dataset's order: a stable sort keeps both within a day.
  return all
    .flatMap((c) => c.requirements.filter((r) => r.status === 'DUE_SOON'))
    .sort((a, b) => (a.nextDueOn! < b.nextDueOn! ? -1 : a.nextDueOn! > b.nextDueOn! ? 1 : 0))
    .slice(0, first);
}

// ── complianceEvidenceRecord / complianceEvidenceWithdraw ────────────────────────────────────

const recordSchema = z.object({
  organizationId: globalId,
  requirementCode: checkedString().max(100, 'must be at most 100 characters'),
  metOn: dateFrom('1900-01-01'),
  documentUrl: httpUrl(2000).nullable().optional(),
  note: text(2000, { multiline: true }).nullable().optional(),
});

const withdrawSchema = z.object({
  evidenceId: globalId,
  reason: text(2000, { multiline: true }),
});

const AUDITED = ['requirementCode', 'metOn', 'documentUrl', 'note', 'withdrawnOn', 'withdrawnBy', 'withdrawalReason'] as const;
const evidenceAudit = (row: ComplianceEvidenceRow | null) => (row ? rowAudit('complianceEvidence', row.id, row, AUDITED) : null);

/** complianceEvidenceRecord: staff record that an organization met a requirement; audited under the organization. */
export async function complianceEvidenceRecord(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ComplianceEvidenceRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(recordSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    const replay = replayRow<ComplianceEvidenceRow>(complianceEvidence);
    return runMutation(ctx, { action: 'complianceEvidenceRecord', jurisdictionId: existing.jurisdictionId, replay }, async (tx, audit) => {
      // Locked: two records of the same evidence at once wait for each other, so the duplicate check holds.
      const organization = await organizationForUpdate(tx, existing.id);
      if (!organization) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      if (input.metOn > today) refuse('INVALID_INPUT', `metOn: must not be after today (${today})`, ['input', 'metOn']);
      const requirements = (await requirementsByJurisdictionIds(tx, [organization.jurisdictionId])).filter((r) => r.organizationKind === organization.kind);
      const requirement = requirements.find((r) => r.code === input.requirementCode);
      if (!requirement) {
        const known = requirements.map((r) => r.code).join(', ');
        refuse('COMPLIANCE_REQUIREMENT_UNKNOWN', `${input.requirementCode.slice(0, 100)} is not a requirement of ${organization.name}'s kind (${organization.kind}); ${known ? `its requirements: ${known}` : 'that kind has none'}`, ['input', 'requirementCode']);
      }
      if (requirement.metBy !== 'EVIDENCE') {
        refuse('COMPLIANCE_REQUIREMENT_DERIVED', `${requirement.code} is met by the registration dates, not by recorded evidence`, ['input', 'requirementCode']);
      }
      if (await standingEvidence(tx, organization.id, requirement.code, input.metOn)) {
        refuse('COMPLIANCE_EVIDENCE_DUPLICATE', `${organization.name} already has ${requirement.code} evidence met on ${input.metOn}; withdraw it first to correct it`, ['input', 'metOn']);
      }
      const row = await insertEvidence(tx, {
        jurisdictionId: organization.jurisdictionId,
        organizationId: organization.id,
        requirementCode: requirement.code,
        metOn: input.metOn,
        documentUrl: input.documentUrl ?? null,
        note: input.note ?? null,
        recordedBy: ctx.viewer.subject ?? 'unknown',
      });
      await audit.record('Organization', organization.id, null, evidenceAudit(row));
      return row;
    });
  });
}

/** complianceEvidenceWithdraw: a dated correction; the row stays, and stops counting from the city's today. */
export async function complianceEvidenceWithdraw(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ComplianceEvidenceRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(withdrawSchema, rawInput);
    const id = inputId(input.evidenceId, 'ComplianceEvidence', ['input', 'evidenceId']);
    const existing = await evidenceById(ctx.db, id);
    if (!existing) refuse('NOT_FOUND', 'No compliance evidence has that id', ['input', 'evidenceId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    return runMutation(ctx, { action: 'complianceEvidenceWithdraw', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await evidenceById(tx, id, true);
      if (!before) refuse('NOT_FOUND', 'No compliance evidence has that id', ['input', 'evidenceId']);
      if (before.withdrawnOn != null) refuse('COMPLIANCE_EVIDENCE_WITHDRAWN', `That evidence was already withdrawn on ${before.withdrawnOn}`, ['input', 'evidenceId']);
      const after = await withdrawEvidence(tx, before.id, { withdrawnOn: today, withdrawnBy: ctx.viewer.subject ?? 'unknown', withdrawalReason: input.reason });
      await audit.record('Organization', before.organizationId, evidenceAudit(before), evidenceAudit(after));
      return after;
    });
  });
}
