import { z } from 'zod';
import { people } from '../../db/schema/index.ts';
import { replayRow, type Replay } from '../../graphql/idempotency.ts';
import { generateApiKey } from '../../auth/api-keys.ts';
import { forbidden, requireManager, requireStaffRole } from '../../auth/authorize.ts';
import { canManage, isAdminOf } from '../../auth/viewer.ts';
import type { GraphQLContext } from '../../context.ts';
import type { ApiKeyRow, AuditEventRow, PersonPrivateDetailsRow, PersonRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { parseGlobalId } from '../../graphql/global-id.ts';
import type { ConnectionMapper } from '../../graphql/mappers.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { parsePageArgs, toConnection, type PageArgs } from '../../graphql/pagination.ts';
import { staffTargetJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import {
  apiKeyForUpdate,
  apiKeysOf,
  auditEventsCount,
  auditEventsPage,
  auditKeyset,
  insertApiKey,
  insertPerson,
  personForUpdate,
  privateDetailsByPersonIds,
  privateDetailsOf,
  rekeyApiKey,
  revokeApiKey,
  updatePerson,
  upsertPrivateDetails,
} from './staff.repository.ts';
import { email, globalId, jurisdictionSlug, languageTag, latitude, longitude, phone, text } from '../../input/vocabulary.ts';

const privateDetailsSchema = z
  .object({
    email: email.nullable(),
    phone: phone.nullable(),
    homeAddress: text(500, { multiline: true }).nullable(),
    homeLatitude: latitude.nullable(),
    homeLongitude: longitude.nullable(),
    preferredLanguage: languageTag.nullable(),
    interpreterNeeded: z.boolean().nullable(),
    accessibilityNeeds: text(2000, { multiline: true }).nullable(),
  })
  .partial()
  .refine((d) => (d.homeLatitude === undefined) === (d.homeLongitude === undefined), {
    message: 'homeLatitude and homeLongitude are set together',
    path: ['homeLatitude'],
  });

const personFieldsSchema = {
  name: text(200),
  sortName: text(200).nullable().optional(),
  publicBio: text(5000, { multiline: true }).nullable().optional(),
  privateDetails: privateDetailsSchema.nullable().optional(),
};

const personCreateSchema = z.object({ jurisdiction: jurisdictionSlug.nullable().optional(), ...personFieldsSchema });
const personUpdateSchema = z.object({ personId: globalId, ...personFieldsSchema, name: personFieldsSchema.name.optional() });

/** Private details are for staff of the person's jurisdiction; everyone else reads null. */
export async function privateDetailsFor(ctx: GraphQLContext, person: PersonRow): Promise<PersonPrivateDetailsRow | null> {
  if (!canManage(ctx.viewer, person.jurisdictionId)) return null;
  const [row] = await privateDetailsByPersonIds(ctx.db, [person.id]);
  return row ?? null;
}


const PRIVATE_FIELDS = ['email', 'phone', 'homeAddress', 'homeLatitude', 'homeLongitude', 'preferredLanguage', 'interpreterNeeded', 'accessibilityNeeds'] as const;

/**
 * The audit log is append-only, so private values never go in it (a wrong address could never be
 * erased): it records which private fields changed, not what they were or became.
 */
function changedPrivateFields(before: PersonPrivateDetailsRow | null, after: PersonPrivateDetailsRow | null): string[] {
  return PRIVATE_FIELDS.filter((field) => (before?.[field] ?? null) !== (after?.[field] ?? null));
}

function auditedPerson(person: PersonRow, privateFieldsChanged: string[]): object {
  return { ...person, ...(privateFieldsChanged.length ? { privateFieldsChanged } : {}) };
}

function withoutNullish<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function personCreate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<PersonRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(personCreateSchema, rawInput);
    const jurisdiction = await staffTargetJurisdiction(ctx, input.jurisdiction);
    return runMutation(ctx, { action: 'personCreate', jurisdictionId: jurisdiction.id, replay: replayRow(people) }, async (tx, audit) => {
      const person = await insertPerson(tx, jurisdiction.id, { name: input.name, sortName: input.sortName ?? null, publicBio: input.publicBio ?? null });
      const details = input.privateDetails ? await upsertPrivateDetails(tx, person.id, withoutNullish(input.privateDetails)) : null;
      await audit.record('Person', person.id, null, auditedPerson(person, changedPrivateFields(null, details)));
      return person;
    });
  });
}

export async function personUpdate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<PersonRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(personUpdateSchema, rawInput);
    const personId = inputId(input.personId, 'Person', ['input', 'personId']);
    const existing = await ctx.loaders.personById.load(personId);
    // A person of another jurisdiction reads as absent: staff elsewhere cannot probe which ids exist.
    if (!existing || !canManage(ctx.viewer, existing.jurisdictionId)) refuse('NOT_FOUND', 'No person has that id', ['input', 'personId']);
    return runMutation(ctx, { action: 'personUpdate', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await personForUpdate(tx, personId);
      if (!before) refuse('NOT_FOUND', 'No person has that id', ['input', 'personId']);
      const detailsBefore = await privateDetailsOf(tx, personId);
      const fields = withoutNullish({ name: input.name, sortName: input.sortName, publicBio: input.publicBio });
      const after = Object.keys(fields).length ? await updatePerson(tx, personId, fields) : before;
      const detailsAfter = input.privateDetails ? await upsertPrivateDetails(tx, personId, withoutNullish(input.privateDetails)) : detailsBefore;
      const privateFieldsChanged = changedPrivateFields(detailsBefore, detailsAfter);
      // An update that changes nothing records nothing.
      if (after !== before || privateFieldsChanged.length) {
        await audit.record('Person', personId, before, auditedPerson(after, privateFieldsChanged));
      }
      return after;
    });
  });
}

/** Loads any audited object to learn its jurisdiction; null when it does not exist. */
async function jurisdictionOfSubject(ctx: GraphQLContext, type: string, id: number): Promise<number | null> {
  const loaders: Record<string, { load(id: number): Promise<{ jurisdictionId: number } | null> }> = {
    Division: ctx.loaders.divisionById,
    Organization: ctx.loaders.organizationById,
    Post: ctx.loaders.postById,
    Membership: ctx.loaders.membershipById,
    Person: ctx.loaders.personById,
    VacancyPosting: ctx.loaders.vacancyPostingById,
    Application: ctx.loaders.applicationById,
    Meeting: ctx.loaders.meetingById,
  };
  const loader = loaders[type];
  return loader ? ((await loader.load(id))?.jurisdictionId ?? null) : null;
}

export async function changeHistory(ctx: GraphQLContext, args: PageArgs & { id: string }): Promise<ConnectionMapper<AuditEventRow>> {
  requireStaffRole(ctx.viewer);
  const decoded = parseGlobalId(args.id);
  if (!decoded) throw badUserInput('id is not a valid id', 'id');
  const jurisdictionId = await jurisdictionOfSubject(ctx, decoded.type, decoded.id);
  // People of another jurisdiction read as absent, as in personUpdate: no probing for private ids.
  const hidden = decoded.type === 'Person' && jurisdictionId != null && !canManage(ctx.viewer, jurisdictionId);
  if (jurisdictionId == null || hidden) throw badUserInput('No object with a change history has that id', 'id');
  requireManager(ctx.viewer, jurisdictionId);
  const page = parsePageArgs(args, auditKeyset.keys);
  const rows = await auditEventsPage(ctx.db, decoded.type, decoded.id, page);
  return toConnection(rows, auditKeyset, page, () => auditEventsCount(ctx.db, decoded.type, decoded.id));
}

function requireAdminOf(ctx: GraphQLContext, jurisdictionId: number): void {
  requireStaffRole(ctx.viewer);
  if (!isAdminOf(ctx.viewer, jurisdictionId)) throw forbidden('Only administrators manage API keys');
}

export async function listApiKeys(ctx: GraphQLContext, slug: string | null | undefined): Promise<ApiKeyRow[]> {
  requireStaffRole(ctx.viewer);
  const jurisdiction = await staffTargetJurisdiction(ctx, slug);
  requireAdminOf(ctx, jurisdiction.id);
  return apiKeysOf(ctx.db, jurisdiction.id);
}

const apiKeyCreateSchema = z.object({ jurisdiction: jurisdictionSlug.nullable().optional(), name: text(200), scope: z.literal('PARTNER') });

/**
 * A retried apiKeyCreate (same Idempotency-Key and input, same staff member) gets the same key with
 * a new secret: the first secret was stored only as a hash and cannot be shown again, and the
 * retry exists because its answer never arrived. The first secret stops working.
 */
const apiKeyReplay: Replay<{ apiKey: ApiKeyRow; key: string }> = {
  ids: ({ apiKey }) => ({ apiKeyId: apiKey.id }),
  async restore(tx, { apiKeyId }) {
    const generated = generateApiKey();
    const apiKey = await rekeyApiKey(tx, apiKeyId!, { prefix: generated.prefix, keyHash: generated.keyHash });
    return { apiKey, key: generated.key };
  },
};

export async function apiKeyCreate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<{ apiKey: ApiKeyRow; key: string }>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(apiKeyCreateSchema, rawInput);
    const jurisdiction = await staffTargetJurisdiction(ctx, input.jurisdiction);
    requireAdminOf(ctx, jurisdiction.id);
    const generated = generateApiKey();
    return runMutation(ctx, { action: 'apiKeyCreate', jurisdictionId: jurisdiction.id, replay: apiKeyReplay }, async (tx, audit) => {
      const apiKey = await insertApiKey(tx, {
        jurisdictionId: jurisdiction.id,
        name: input.name,
        scope: input.scope,
        prefix: generated.prefix,
        keyHash: generated.keyHash,
        createdBy: ctx.viewer.subject ?? 'unknown',
      });
      // The audit keeps the key's name and prefix, never its secret or hash.
      await audit.record('ApiKey', apiKey.id, null, { name: apiKey.name, scope: apiKey.scope, prefix: apiKey.prefix });
      return { apiKey, key: generated.key };
    });
  });
}

const apiKeyRevokeSchema = z.object({ apiKeyId: globalId });

export async function apiKeyRevoke(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ApiKeyRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(apiKeyRevokeSchema, rawInput);
    const id = inputId(input.apiKeyId, 'ApiKey', ['input', 'apiKeyId']);
    const [existing] = (await apiKeysOf(ctx.db, ctx.viewer.jurisdictionId ?? -1)).filter((k) => k.id === id);
    const target = existing ?? (ctx.viewer.jurisdictionId == null ? await apiKeyForUpdate(ctx.db, id) : null);
    if (!target) refuse('NOT_FOUND', 'No API key has that id', ['input', 'apiKeyId']);
    requireAdminOf(ctx, target.jurisdictionId);
    return runMutation(ctx, { action: 'apiKeyRevoke', jurisdictionId: target.jurisdictionId }, async (tx, audit) => {
      const before = await apiKeyForUpdate(tx, id);
      if (!before) refuse('NOT_FOUND', 'No API key has that id', ['input', 'apiKeyId']);
      if (before.revokedAt) return before;
      const after = await revokeApiKey(tx, id);
      await audit.record('ApiKey', id, { revokedAt: before.revokedAt }, { revokedAt: after.revokedAt });
      return after;
    });
  });
}
