/**
 * Staff mutations of organizations: details, recognition and coalition membership. Each one
 * authorizes, validates its input, then changes rows and writes their audit events in one
 * transaction (runMutation); expected refusals come back as userErrors with nothing stored.
 */
import { z } from 'zod';
import { organizations } from '../../db/schema/index.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { JurisdictionRow, NewOrganizationRow, OrganizationLinkRow, OrganizationRow, RecognitionRow } from '../../db/schema/index.ts';
import { KIND_CODE } from '../../datasets/format.ts';
import { slugify } from '../../datasets/slug.ts';
import { todayIn } from '../../graphql/dates.ts';
import {
  inputId,
  refusalsAsOutcome,
  refuse,
  runMutation,
  validateInput,
  type ConstraintRule,
  type MutationOutcome,
} from '../../graphql/mutation.ts';
import { staffTargetJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { kindsOf } from '../kinds/kinds.service.ts';
import {
  coalitionLinksOf,
  endLink,
  insertLink,
  insertOrganization,
  organizationForUpdate,
  organizationRow,
  updateOrganization,
} from './organizations.repository.ts';
import { date, globalId, httpUrl as vocabularyHttpUrl, jurisdictionSlug, slug, SLUG_MAX, text } from '../../input/vocabulary.ts';
import { endRecognition, insertRecognition, recognitionOn, recognitionsOf } from './recognition.repository.ts';

type OrganizationKind = OrganizationRow['kind'];
type RecognitionStatus = RecognitionRow['status'];

// ── Input rules shared by this module's mutations (the vocabulary is src/input) ─────────────

/** An http(s) link of at most 500 characters (also used by boundary agreements). */
export const httpUrl = vocabularyHttpUrl(500);

/** A calendar date (the Date scalar checked the format) no earlier than `min`. */
export const dateFrom = (min: string) => date({ min });

const memberCount = z.number().int('must be a whole number').min(0, 'must not be negative').max(10_000, 'must be at most 10,000');

/** Day arithmetic on YYYY-MM-DD strings, in UTC so no time zone shifts a day. */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/**
 * The jurisdiction's row and today's date there. Load it before runMutation: inside the
 * transaction only `tx` may be used (on PGlite a query through ctx.db would wait for the
 * transaction to end, forever).
 */
export async function jurisdictionToday(ctx: GraphQLContext, jurisdictionId: number): Promise<{ jurisdiction: JurisdictionRow; today: string }> {
  const jurisdiction = await ctx.loaders.jurisdictionById.load(jurisdictionId);
  if (!jurisdiction) throw new Error(`jurisdiction ${jurisdictionId} is missing`);
  return { jurisdiction, today: todayIn(jurisdiction.timezone) };
}

/**
 * Prefixes a row's fields with its kind and id (`recognition[12].endDate`), so that the audit
 * events of rows recorded under their owning object (an organization, a division) say which row
 * changed. Those owners are what `changeHistory(id:)` can be asked about.
 */
export function rowAudit(label: string, id: number, row: object | null, fields: readonly string[]): Record<string, unknown> | null {
  if (!row) return null;
  const values = row as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [`${label}[${id}].${f}`, values[f] ?? null]));
}

/** "Société Saint-Jean" → "societe-saint-jean"; a long name is cut at a word boundary. */
export function slugFromName(name: string): string {
  let value: string;
  try {
    value = slugify(name);
  } catch {
    refuse('INVALID_INPUT', 'slug: cannot be derived from a name without letters or digits; give one', ['input', 'slug']);
  }
  if (value.length <= SLUG_MAX) return value;
  const cut = value.slice(0, SLUG_MAX + 1).lastIndexOf('-');
  return cut > 0 ? value.slice(0, cut) : value.slice(0, SLUG_MAX);
}

/** Loads the organization an input names (for its jurisdiction); a missing one is NOT_FOUND. */
export async function organizationNamed(ctx: GraphQLContext, globalId: string, field: string[]): Promise<OrganizationRow> {
  const id = inputId(globalId, 'Organization', field);
  const row = await ctx.loaders.organizationById.load(id);
  if (!row) refuse('NOT_FOUND', 'No organization has that id', field);
  return row;
}


// ── organizationCreate / organizationUpdate ──────────────────────────────────────────────────

const EDITABLE_KINDS = ['NEIGHBORHOOD_ASSOCIATION', 'BUSINESS_DISTRICT_ASSOCIATION', 'DISTRICT_COALITION', 'ADVISORY_BODY', 'NETWORK'] as const;
const ALL_KINDS = [...EDITABLE_KINDS, 'COUNCIL'] as const;

const detailFields = {
  name: text(200),
  slug: slug.nullable().optional(),
  shortName: text(50).nullable().optional(),
  description: text(5000, { multiline: true }).nullable().optional(),
  website: httpUrl.nullable().optional(),
  foundedOn: dateFrom('1800-01-01').nullable().optional(),
  overseenBy: text(200).nullable().optional(),
  minMembers: memberCount.nullable().optional(),
  maxMembers: memberCount.nullable().optional(),
  sourceUrl: httpUrl.nullable().optional(),
  bodyKind: z.enum(['BOARD', 'COMMISSION', 'COMMITTEE', 'TASK_FORCE', 'OTHER']).nullable().optional(),
};

const organizationCreateSchema = z
  .object({
    jurisdiction: jurisdictionSlug.nullable().optional(),
    kind: z.enum(ALL_KINDS).nullable().optional(),
    // A kind code of the jurisdiction (kinds.csv): checked against its kinds when the jurisdiction is known.
    kindCode: z
      .string()
      .max(60)
      .regex(KIND_CODE, 'must be a kind code: capital letters, digits and underscores')
      .nullable()
      .optional(),
    ...detailFields,
  })
  .refine((input) => (input.kind == null) !== (input.kindCode == null), { message: 'give exactly one of kind and kindCode', path: ['kindCode'] });

const organizationUpdateSchema = z.object({
  organizationId: globalId,
  ...detailFields,
  name: detailFields.name.optional(),
  slug: slug.optional(),
});

const DETAIL_KEYS = ['name', 'slug', 'shortName', 'description', 'website', 'foundedOn', 'overseenBy', 'minMembers', 'maxMembers', 'sourceUrl', 'bodyKind'] as const;
type DetailInput = Partial<Record<(typeof DETAIL_KEYS)[number], unknown>>;

/** The detail fields the input gives (omitted ones stay as they are). */
function givenDetails(input: DetailInput): Partial<NewOrganizationRow> {
  return Object.fromEntries(DETAIL_KEYS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])) as Partial<NewOrganizationRow>;
}

/** Rules across fields, checked on the organization as it would be stored. */
function checkDetails(row: Pick<OrganizationRow, 'kind' | 'bodyKind' | 'foundedOn' | 'dissolvedOn' | 'minMembers' | 'maxMembers'>, today: string): void {
  if (row.bodyKind != null && row.kind !== 'ADVISORY_BODY') refuse('WRONG_ORGANIZATION_KIND', 'bodyKind: only advisory bodies have a body kind', ['input', 'bodyKind']);
  if (row.foundedOn && row.foundedOn > today) refuse('INVALID_INPUT', `foundedOn: must not be after today (${today})`, ['input', 'foundedOn']);
  if (row.foundedOn && row.dissolvedOn && row.foundedOn >= row.dissolvedOn) {
    refuse('INVALID_DATE_RANGE', `foundedOn must be before the dissolution date ${row.dissolvedOn}`, ['input', 'foundedOn']);
  }
  if (row.minMembers != null && row.maxMembers != null && row.minMembers > row.maxMembers) {
    refuse('INVALID_INPUT', `minMembers (${row.minMembers}) must not be above maxMembers (${row.maxMembers})`, ['input', 'minMembers']);
  }
}

function slugRules(slugValue: string): Record<string, ConstraintRule> {
  return {
    organizations_jurisdiction_id_slug_unique: {
      code: 'SLUG_TAKEN',
      message: `Another organization in the jurisdiction already uses the slug "${slugValue}"; give a different slug`,
      field: ['input', 'slug'],
    },
  };
}

const ORGANIZATION_AUDIT_OMIT = new Set(['createdAt', 'updatedAt']);
const auditable = (row: OrganizationRow) => Object.fromEntries(Object.entries(row).filter(([k]) => !ORGANIZATION_AUDIT_OMIT.has(k)));

/**
 * The kind code an organization is created with: one of the jurisdiction's organization kinds
 * (kinds.csv), and not a council (a city's council comes from its dataset).
 */
async function creatableKind(ctx: GraphQLContext, jurisdiction: JurisdictionRow, code: string, field: 'kind' | 'kindCode'): Promise<string> {
  const kinds = (await kindsOf(ctx, jurisdiction.id)).organization;
  const info = kinds.get(code);
  if (!info) {
    refuse('WRONG_ORGANIZATION_KIND', `${jurisdiction.name} has no organization kind ${code}; its kinds: ${[...kinds.keys()].join(', ')}`, ['input', field]);
  }
  if (info.category === 'COUNCIL') refuse('WRONG_ORGANIZATION_KIND', 'The council cannot be created through the API', ['input', field]);
  return code;
}

export async function organizationCreate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<OrganizationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(organizationCreateSchema, rawInput);
    const jurisdiction = await staffTargetJurisdiction(ctx, input.jurisdiction);
    const slugValue = input.slug ?? slugFromName(input.name);
    const kind = await creatableKind(ctx, jurisdiction, input.kindCode ?? input.kind!, input.kindCode != null ? 'kindCode' : 'kind');
    // A body staff create here has its roster kept here from its first day: RECORDED (unknown is not vacant, issue 13).
    const values: NewOrganizationRow = { jurisdictionId: jurisdiction.id, kind, status: 'ACTIVE', rosterStatus: 'RECORDED', rosterAsOf: todayIn(jurisdiction.timezone), ...givenDetails(input), name: input.name, slug: slugValue };
    return runMutation(ctx, { action: 'organizationCreate', jurisdictionId: jurisdiction.id, constraints: slugRules(slugValue), replay: replayRow(organizations) }, async (tx, audit) => {
      checkDetails({ kind, bodyKind: values.bodyKind ?? null, foundedOn: values.foundedOn ?? null, dissolvedOn: null, minMembers: values.minMembers ?? null, maxMembers: values.maxMembers ?? null }, todayIn(jurisdiction.timezone));
      const organization = await insertOrganization(tx, values);
      await audit.record('Organization', organization.id, null, auditable(organization));
      return organization;
    });
  });
}

export async function organizationUpdate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<OrganizationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(organizationUpdateSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const fields = givenDetails(input);
    const constraints = fields.slug ? slugRules(fields.slug) : {};
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    return runMutation(ctx, { action: 'organizationUpdate', jurisdictionId: existing.jurisdictionId, constraints }, async (tx, audit) => {
      const before = await organizationForUpdate(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      if (before.kind === 'COUNCIL') refuse('WRONG_ORGANIZATION_KIND', 'The council cannot be changed through the API', ['input', 'organizationId']);
      checkDetails({ ...before, ...fields } as OrganizationRow, today);
      const changed = Object.entries(fields).some(([k, v]) => (before as Record<string, unknown>)[k] !== v);
      if (!changed) return before; // nothing to store, so nothing to audit
      const after = await updateOrganization(tx, before.id, fields);
      await audit.record('Organization', before.id, auditable(before), auditable(after));
      return after;
    });
  });
}

// ── Recognition ──────────────────────────────────────────────────────────────────────────────

const RECOGNIZABLE_KINDS = new Set<OrganizationKind>(['NEIGHBORHOOD_ASSOCIATION', 'BUSINESS_DISTRICT_ASSOCIATION']);
const RECOGNITION_FIELDS = ['status', 'startDate', 'endDate', 'basis', 'note'] as const;

const recognitionChangeSchema = z.object({
  organizationId: globalId,
  effectiveOn: dateFrom('1900-01-01'),
  basis: text(500).nullable().optional(),
  note: text(2000, { multiline: true }).nullable().optional(),
});

const STATUS_WORDS: Record<RecognitionStatus, string> = { RECOGNIZED: 'recognized', SUSPENDED: 'suspended', WITHDRAWN: 'withdrawn' };

/** A change of date-bound state must fall within what the calendar and the organization allow. */
function checkEffectiveOn(organization: OrganizationRow, effectiveOn: string, today: string): void {
  const field = ['input', 'effectiveOn'];
  const latest = addYears(today, 1);
  if (effectiveOn > latest) refuse('INVALID_INPUT', `effectiveOn: must be no more than one year ahead (${latest} at the latest)`, field);
  if (organization.foundedOn && effectiveOn < organization.foundedOn) {
    refuse('INVALID_INPUT', `effectiveOn: ${organization.name} was founded on ${organization.foundedOn}`, field);
  }
  if (organization.dissolvedOn && effectiveOn >= organization.dissolvedOn) {
    refuse('INVALID_INPUT', `effectiveOn: ${organization.name} was dissolved on ${organization.dissolvedOn}`, field);
  }
}

export interface RecognitionChange {
  organization: OrganizationRow;
  recognition: RecognitionRow;
}

export async function recognitionChange(
  ctx: GraphQLContext,
  rawInput: unknown,
  status: RecognitionStatus,
  action: 'associationRecognize' | 'associationRecognitionSuspend' | 'associationRecognitionWithdraw',
): Promise<MutationOutcome<RecognitionChange>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(recognitionChangeSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    const constraints: Record<string, ConstraintRule> = {
      recognitions_no_overlap: { code: 'CONFLICT', message: 'The recognition history changed at the same time; read it again and retry' },
    };
    return runMutation(ctx, { action, jurisdictionId: existing.jurisdictionId, constraints }, async (tx, audit) => {
      const organization = await organizationForUpdate(tx, existing.id);
      if (!organization) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      if (!RECOGNIZABLE_KINDS.has(organization.kind)) {
        refuse('WRONG_ORGANIZATION_KIND', `Only neighborhood and business district associations are recognized; ${organization.name} is not one`, ['input', 'organizationId']);
      }
      const { effectiveOn } = input;
      checkEffectiveOn(organization, effectiveOn, today);
      const history = await recognitionsOf(tx, organization.id);
      const latest = history.at(-1);
      if (latest && effectiveOn <= latest.startDate) {
        refuse('OUT_OF_ORDER', `${organization.name} has been ${STATUS_WORDS[latest.status]} since ${latest.startDate}; a change must take effect after that day`, ['input', 'effectiveOn']);
      }
      const current = recognitionOn(history, effectiveOn);
      if (current?.status === status) {
        refuse('RECOGNITION_UNCHANGED', `${organization.name} is already ${STATUS_WORDS[status]} on ${effectiveOn} (since ${current.startDate})`, ['input', 'effectiveOn']);
      }
      if (status === 'SUSPENDED' && current?.status !== 'RECOGNIZED') {
        refuse('NOT_RECOGNIZED', `${organization.name} is not recognized on ${effectiveOn}, so its recognition cannot be suspended`, ['input', 'effectiveOn']);
      }
      if (status === 'WITHDRAWN' && !current) {
        refuse('NOT_RECOGNIZED', `${organization.name} has no recognition on ${effectiveOn} to withdraw`, ['input', 'effectiveOn']);
      }
      if (current) {
        const closed = await endRecognition(tx, current.id, effectiveOn);
        await audit.record('Organization', organization.id, rowAudit('recognition', current.id, current, RECOGNITION_FIELDS), rowAudit('recognition', closed.id, closed, RECOGNITION_FIELDS));
      }
      const recognition = await insertRecognition(tx, {
        jurisdictionId: organization.jurisdictionId,
        organizationId: organization.id,
        status,
        startDate: effectiveOn,
        endDate: null,
        basis: input.basis ?? null,
        note: input.note ?? null,
      });
      await audit.record('Organization', organization.id, null, rowAudit('recognition', recognition.id, recognition, RECOGNITION_FIELDS));
      return { organization, recognition };
    });
  });
}

// ── Coalition membership ─────────────────────────────────────────────────────────────────────

const coalitionMoveSchema = z.object({
  organizationId: globalId,
  coalitionId: globalId,
  effectiveOn: dateFrom('1900-01-01'),
});

const LINK_FIELDS = ['coalition', 'parentId', 'startDate', 'endDate'] as const;

function existsOn(organization: OrganizationRow, at: string): boolean {
  return (organization.foundedOn == null || organization.foundedOn <= at) && (organization.dissolvedOn == null || organization.dissolvedOn > at);
}

export interface CoalitionMove {
  organization: OrganizationRow;
  link: OrganizationLinkRow;
}

export async function associationCoalitionMove(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<CoalitionMove>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(coalitionMoveSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const coalitionId = inputId(input.coalitionId, 'Organization', ['input', 'coalitionId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    const conflict: ConstraintRule = { code: 'CONFLICT', message: "The association's coalition changed at the same time; read it again and retry" };
    const constraints = { organization_links_one_coalition_at_a_time: conflict, organization_links_pair_no_overlap: conflict };
    return runMutation(ctx, { action: 'associationCoalitionMove', jurisdictionId: existing.jurisdictionId, constraints }, async (tx, audit) => {
      // Locked first: a concurrent move of the same association waits here, then sees this one.
      const association = await organizationForUpdate(tx, existing.id);
      if (!association) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      if (association.kind !== 'NEIGHBORHOOD_ASSOCIATION') {
        refuse('WRONG_ORGANIZATION_KIND', `Only neighborhood associations belong to district coalitions; ${association.name} is not one`, ['input', 'organizationId']);
      }
      const coalition = await organizationRow(tx, coalitionId);
      if (!coalition || coalition.jurisdictionId !== association.jurisdictionId) refuse('NOT_FOUND', 'No organization has that id', ['input', 'coalitionId']);
      if (coalition.kind !== 'DISTRICT_COALITION') refuse('WRONG_ORGANIZATION_KIND', `${coalition.name} is not a district coalition`, ['input', 'coalitionId']);
      const { effectiveOn } = input;
      if (!existsOn(coalition, effectiveOn)) {
        const when = coalition.dissolvedOn && coalition.dissolvedOn <= effectiveOn ? `it was dissolved on ${coalition.dissolvedOn}` : `it was founded on ${coalition.foundedOn}`;
        refuse('NOT_FOUND', `${coalition.name} does not exist on ${effectiveOn}: ${when}`, ['input', 'coalitionId']);
      }
      checkEffectiveOn(association, effectiveOn, today);

      const links = await coalitionLinksOf(tx, association.id);
      const current = links.find((l) => (l.startDate == null || l.startDate <= effectiveOn) && (l.endDate == null || l.endDate > effectiveOn));
      if (current?.parentId === coalition.id) {
        refuse('COALITION_UNCHANGED', `${association.name} already belongs to ${coalition.name} on ${effectiveOn}`, ['input', 'coalitionId']);
      }
      if (current?.startDate === effectiveOn) {
        refuse('OUT_OF_ORDER', `${association.name}'s current coalition link already starts on ${effectiveOn}; a move must start after it`, ['input', 'effectiveOn']);
      }
      const later = links.find((l) => l.startDate != null && l.startDate > effectiveOn);
      if (later) refuse('OUT_OF_ORDER', `${association.name} already has a coalition link starting on ${later.startDate}; changes must be made in date order`, ['input', 'effectiveOn']);

      const slugs = new Map<number, string>([[coalition.id, coalition.slug]]);
      if (current) {
        const parent = slugs.get(current.parentId) ?? (await organizationRow(tx, current.parentId))?.slug ?? null;
        const closed = await endLink(tx, current.id, effectiveOn);
        await audit.record(
          'Organization',
          association.id,
          rowAudit('coalitionLink', current.id, { ...current, coalition: parent }, LINK_FIELDS),
          rowAudit('coalitionLink', closed.id, { ...closed, coalition: parent }, LINK_FIELDS),
        );
      }
      const link = await insertLink(tx, {
        jurisdictionId: association.jurisdictionId,
        kind: 'DISTRICT_COALITION',
        memberId: association.id,
        parentId: coalition.id,
        startDate: effectiveOn,
        endDate: null,
      });
      await audit.record('Organization', association.id, null, rowAudit('coalitionLink', link.id, { ...link, coalition: coalition.slug }, LINK_FIELDS));
      return { organization: association, link };
    });
  });
}
