/**
 * Organizations' public office channels as staff keep them (issue 15): recorded, confirmed
 * (`verifiedOn`), marked as where official notices go, and removed; each change audited in one
 * transaction. A channel is part of the organization's public record (the change feed reports an
 * UPDATE of the organization: migration 0038's trigger), so nothing personal may go in it: a value
 * that is a person's private email or phone in the city is refused.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { contactChannelKind, organizationContactChannels, people, personPrivateDetails, type OrganizationContactChannelRow, type OrganizationRow } from '../../db/schema/index.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import { inputId, refusalsAsOutcome, refuse, runMutation, validateInput, type ConstraintRule, type MutationOutcome } from '../../graphql/mutation.ts';
import { date, email, globalId, httpUrl, phone, text } from '../../input/vocabulary.ts';
import { jurisdictionToday, organizationNamed } from './organizations.mutations.ts';

type Kind = (typeof contactChannelKind.enumValues)[number];

/** The value's rule for each kind, as the dataset format states them (src/datasets/FORMAT.md). */
const VALUE_RULES: Record<Kind, z.ZodType<string>> = {
  ADDRESS: text(500),
  MEETING_PLACE: text(500),
  EMAIL: email,
  PHONE: phone,
  WEBSITE: httpUrl(500),
};

const addSchema = z.object({
  organizationId: globalId,
  kind: z.enum(contactChannelKind.enumValues),
  value: z.string(),
  sourceUrl: httpUrl(500).nullish(),
  note: text(500).nullish(),
  verifiedOn: date({ min: '1900-01-01' }).nullish(),
  preferredForNotices: z.boolean().nullish(),
});

const updateSchema = z.object({
  id: globalId,
  value: z.string().nullish(),
  sourceUrl: httpUrl(500).nullish(),
  note: text(500).nullish(),
  verifiedOn: date({ min: '1900-01-01' }).nullish(),
  preferredForNotices: z.boolean().nullish(),
});

const removeSchema = z.object({ id: globalId });

const EXISTS: Record<string, ConstraintRule> = {
  organization_contact_channels_organization_id_kind_value_unique: {
    code: 'CONTACT_CHANNEL_EXISTS',
    message: 'The organization already has a channel of that kind with that value',
    field: ['input', 'value'],
  },
};

const AUDITED = ['kind', 'value', 'sourceUrl', 'note', 'verifiedOn', 'preferredForNotices'] as const;
const audited = (row: OrganizationContactChannelRow | null) => (row ? Object.fromEntries(AUDITED.map((f) => [`contactChannel[${row.id}].${f}`, row[f]])) : {});

function checkedValue(kind: Kind, raw: string): string {
  const parsed = VALUE_RULES[kind].safeParse(raw);
  if (!parsed.success) refuse('INVALID_INPUT', `value: ${parsed.error.issues[0]?.message ?? 'is not valid'} (for a ${kind} channel)`, ['input', 'value']);
  return parsed.data;
}

/**
 * Refuses a value that is a person's private email or phone in the jurisdiction: publishing it as an
 * organization's channel would publish the person's contact. Phones compare by their digits.
 */
async function refusePersonalContact(tx: Database, jurisdictionId: number, kind: Kind, value: string): Promise<void> {
  if (kind !== 'EMAIL' && kind !== 'PHONE') return;
  const matches =
    kind === 'EMAIL'
      ? sql`lower(${personPrivateDetails.email}) = lower(${value})`
      : sql`regexp_replace(${personPrivateDetails.phone}, '[^0-9]', '', 'g') = ${value.replace(/[^0-9]/g, '')}`;
  const [hit] = await tx
    .select({ one: sql<number>`1` })
    .from(personPrivateDetails)
    .innerJoin(people, eq(people.id, personPrivateDetails.personId))
    .where(and(eq(people.jurisdictionId, jurisdictionId), matches))
    .limit(1);
  // Never says whose: the message is seen by staff, and logged nowhere with the value.
  if (hit) refuse('PERSONAL_CONTACT', `This ${kind === 'EMAIL' ? 'email address' : 'phone number'} is a person's private contact on record; an organization's public channel must be the organization's own`, ['input', 'value']);
}

function refuseFutureVerification(verifiedOn: string | null | undefined, today: string): void {
  if (verifiedOn && verifiedOn > today) refuse('INVALID_INPUT', `verifiedOn: must not be after today (${today})`, ['input', 'verifiedOn']);
}

/** Makes `channelId` the organization's one preferred current channel: the earlier one stops being preferred first (unique index). */
async function preferOnly(tx: Database, organizationId: number, channelId: number | null): Promise<void> {
  await tx
    .update(organizationContactChannels)
    .set({ preferredForNotices: false })
    .where(and(eq(organizationContactChannels.organizationId, organizationId), eq(organizationContactChannels.preferredForNotices, true), isNull(organizationContactChannels.validUntil), channelId === null ? undefined : sql`${organizationContactChannels.id} <> ${channelId}`));
}

export interface ChannelChange {
  channel: OrganizationContactChannelRow | null;
  organization: OrganizationRow;
}

export async function contactChannelAdd(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ChannelChange>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(addSchema, rawInput);
    const organization = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const value = checkedValue(input.kind, input.value);
    const { today } = await jurisdictionToday(ctx, organization.jurisdictionId);
    refuseFutureVerification(input.verifiedOn, today);
    const outcome = await runMutation(
      ctx,
      { action: 'organizationContactChannelAdd', jurisdictionId: organization.jurisdictionId, constraints: EXISTS, replay: replayRow<OrganizationContactChannelRow>(organizationContactChannels) },
      async (tx, audit) => {
        await refusePersonalContact(tx, organization.jurisdictionId, input.kind, value);
        if (input.preferredForNotices) await preferOnly(tx, organization.id, null);
        const [row] = await tx
          .insert(organizationContactChannels)
          .values({
            jurisdictionId: organization.jurisdictionId,
            organizationId: organization.id,
            kind: input.kind,
            value,
            sourceUrl: input.sourceUrl ?? null,
            note: input.note ?? null,
            verifiedOn: input.verifiedOn ?? null,
            preferredForNotices: input.preferredForNotices ?? false,
            // The organization's channel from today: a notice filed earlier did not go to it.
            validFrom: today,
            origin: 'STAFF',
          })
          .returning();
        await audit.record('Organization', organization.id, {}, audited(row!));
        return row!;
      },
    );
    return { ...outcome, value: outcome.value ? { channel: outcome.value, organization } : null };
  });
}

async function channelNamed(ctx: GraphQLContext, id: string): Promise<OrganizationContactChannelRow> {
  const channelId = inputId(id, 'OrganizationContactChannel', ['input', 'id']);
  const [row] = await ctx.db.select().from(organizationContactChannels).where(eq(organizationContactChannels.id, channelId));
  if (!row) refuse('NOT_FOUND', 'No contact channel has that id', ['input', 'id']);
  return row;
}

/** The channel, locked; an ended (removed) channel is history, which no mutation changes. */
async function channelForUpdate(tx: Database, id: number): Promise<OrganizationContactChannelRow> {
  const [row] = await tx.select().from(organizationContactChannels).where(eq(organizationContactChannels.id, id)).for('update');
  if (!row) refuse('NOT_FOUND', 'No contact channel has that id', ['input', 'id']);
  if (row.validUntil != null) refuse('NOT_FOUND', `That contact channel was removed on ${row.validUntil}; record it again to use it`, ['input', 'id']);
  return row;
}

export async function contactChannelUpdate(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ChannelChange>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(updateSchema, rawInput);
    const existing = await channelNamed(ctx, input.id);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    refuseFutureVerification(input.verifiedOn, today);
    const outcome = await runMutation(ctx, { action: 'organizationContactChannelUpdate', jurisdictionId: existing.jurisdictionId, constraints: EXISTS }, async (tx, audit) => {
      const before = await channelForUpdate(tx, existing.id);
      const value = input.value != null ? checkedValue(before.kind, input.value) : before.value;
      if (value !== before.value) await refusePersonalContact(tx, before.jurisdictionId, before.kind, value);
      if (input.preferredForNotices) await preferOnly(tx, before.organizationId, before.id);
      const [after] = await tx
        .update(organizationContactChannels)
        .set({
          value,
          ...(input.sourceUrl !== undefined ? { sourceUrl: input.sourceUrl } : {}),
          ...(input.note !== undefined ? { note: input.note } : {}),
          ...(input.verifiedOn != null ? { verifiedOn: input.verifiedOn } : {}),
          ...(input.preferredForNotices != null ? { preferredForNotices: input.preferredForNotices } : {}),
          // Staff-owned from now on: imports leave it as staff set it.
          origin: 'STAFF',
        })
        .where(eq(organizationContactChannels.id, before.id))
        .returning();
      await audit.record('Organization', before.organizationId, audited(before), audited(after!));
      return after!;
    });
    if (!outcome.value) return { ...outcome, value: null };
    const organization = await ctx.loaders.organizationById.load(outcome.value.organizationId);
    return { ...outcome, value: { channel: outcome.value, organization: organization! } };
  });
}

export async function contactChannelRemove(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<ChannelChange>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(removeSchema, rawInput);
    const existing = await channelNamed(ctx, input.id);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    const outcome = await runMutation(ctx, { action: 'organizationContactChannelRemove', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await channelForUpdate(tx, existing.id);
      if (before.validFrom != null && before.validFrom >= today) {
        // Recorded today (or dated later): it was the organization's on no day before, so no answer "as of" a day needs it.
        await tx.delete(organizationContactChannels).where(eq(organizationContactChannels.id, before.id));
      } else {
        // Ends today, kept for answers as of earlier days; staff's from now on, so an import leaves it ended.
        await tx.update(organizationContactChannels).set({ validUntil: today, origin: 'STAFF' }).where(eq(organizationContactChannels.id, before.id));
      }
      await audit.record('Organization', before.organizationId, audited(before), {});
      return before;
    });
    if (!outcome.value) return { ...outcome, value: null };
    const organization = await ctx.loaders.organizationById.load(outcome.value.organizationId);
    return { ...outcome, value: { channel: null, organization: organization! } };
  });
}
