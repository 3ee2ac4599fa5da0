/**
 * Issue 13: what is known of a body's roster ("unknown is not vacant"), one dated fact on the
 * organization row, and the office's list of registrations about to expire (the terms themselves:
 * registration.service.ts).
 */
import { z } from 'zod';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { OrganizationRow } from '../../db/schema/index.ts';
import { rosterStatus } from '../../db/schema/index.ts';
import { refusalsAsOutcome, refuse, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { globalId } from '../../input/vocabulary.ts';
import { badUserInput } from '../../errors.ts';
import { dateIn, resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { dateFrom, jurisdictionToday, organizationNamed } from './organizations.mutations.ts';
import { organizationForUpdate, organizationsWithRegistrationExpiring, updateOrganization } from './organizations.repository.ts';

const rosterStatusSetSchema = z.object({
  organizationId: globalId,
  status: z.enum(rosterStatus.enumValues),
  asOf: dateFrom('1900-01-01'),
});

const ROSTER_FIELDS = ['rosterStatus', 'rosterAsOf'] as const;
const rosterAudit = (row: OrganizationRow) => Object.fromEntries(ROSTER_FIELDS.map((f) => [f, row[f]]));

/** organizationRosterStatusSet: staff record what is known of a body's roster, audited, in one transaction. */
export async function organizationRosterStatusSet(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<OrganizationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(rosterStatusSetSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    return runMutation(ctx, { action: 'organizationRosterStatusSet', jurisdictionId: existing.jurisdictionId }, async (tx, audit) => {
      const before = await organizationForUpdate(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      if (input.asOf > today) refuse('INVALID_INPUT', `asOf: must not be after today (${today})`, ['input', 'asOf']);
      if (before.rosterStatus === input.status && before.rosterAsOf === input.asOf) {
        refuse('ROSTER_UNCHANGED', `${before.name}'s roster is already ${input.status} as of ${input.asOf}`, ['input', 'status']);
      }
      const after = await updateOrganization(tx, before.id, { rosterStatus: input.status, rosterAsOf: input.asOf });
      await audit.record('Organization', before.id, rosterAudit(before), rosterAudit(after));
      return after;
    });
  });
}

/** At most this many organizations per `registrationsExpiring` answer (Philadelphia registers about 240). */
export const REGISTRATIONS_EXPIRING_MAX = 500;

/** registrationsExpiring: registrations ending in [from, before), for the office's renewal reminders. */
export async function registrationsExpiring(
  ctx: GraphQLContext,
  args: { before: string; from?: string | null; first?: number | null; jurisdiction?: string | null },
): Promise<OrganizationRow[]> {
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const from = dateIn(jurisdiction, args.from);
  if (args.before <= from) throw badUserInput(`before (${args.before}) must be after from (${from})`, 'before');
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 1 || first > REGISTRATIONS_EXPIRING_MAX) throw badUserInput(`first must be from 1 to ${REGISTRATIONS_EXPIRING_MAX}`, 'first');
  return organizationsWithRegistrationExpiring(ctx.db, jurisdiction.id, from, args.before, first);
}
