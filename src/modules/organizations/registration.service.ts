/**
 * Registration as Philadelphia runs it (issue 15): an organization of a REGISTRATION kind is
 * registered for terms of the kind's length (two years), accepted in the kind's intake month (June),
 * renewed before a term ends (the next term starts the day it expires) or left to lapse (a gap), and
 * registered anew later. Every term is kept (organization_registrations), so the status on any day
 * is derived from the terms, never stored. A registration, as `Organization.registration` answers it,
 * is an unbroken run of terms (renewals follow one another without a gap); the organization's own
 * registeredOn / registrationExpiresOn are its latest run, which compliance, the expiry job and
 * registrationsExpiring read: a renewal moves only the expiry, a registration after a lapse both.
 */
import { z } from 'zod';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { organizations, type OrganizationRegistrationRow, type OrganizationRow } from '../../db/schema/index.ts';
import type { RegistrationStatus } from '../../graphql/__generated__/resolvers-types.ts';
import { replayRow } from '../../graphql/idempotency.ts';
import { refusalsAsOutcome, refuse, runMutation, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { addMonths } from '../../input/calendar.ts';
import { globalId } from '../../input/vocabulary.ts';
import { asOf } from '../jurisdictions/jurisdictions.service.ts';
import { dateFrom, jurisdictionToday, organizationNamed } from './organizations.mutations.ts';
import { organizationForUpdate, updateOrganization } from './organizations.repository.ts';
import { insertRegistrationTerm, registrationKindOf, registrationTermsOf } from './registration.repository.ts';

export interface RegistrationView {
  registeredOn: string;
  expiresOn: string;
  status: RegistrationStatus;
}

type Term = Pick<OrganizationRegistrationRow, 'registeredOn' | 'expiresOn'>;

/** Terms (any order) joined into unbroken runs: a term starting the day the one before expires renews it. */
export function registrationRuns(terms: readonly Term[]): Term[] {
  const runs: Term[] = [];
  for (const t of [...terms].sort((a, b) => (a.registeredOn < b.registeredOn ? -1 : 1))) {
    const last = runs.at(-1);
    if (last && last.expiresOn === t.registeredOn) last.expiresOn = t.expiresOn;
    else runs.push({ registeredOn: t.registeredOn, expiresOn: t.expiresOn });
  }
  return runs;
}

/**
 * Where an organization's registration stands on `at`, from its terms (any order), as runs: the
 * run in effect (REGISTERED); else the last one ended by then (EXPIRED: lapsed, or never renewed);
 * else the first one (NOT_YET_REGISTERED). Null without terms.
 */
export function registrationOn(terms: readonly Term[], at: string): RegistrationView | null {
  const sorted = registrationRuns(terms);
  const current = sorted.find((t) => t.registeredOn <= at && at < t.expiresOn);
  if (current) return { registeredOn: current.registeredOn, expiresOn: current.expiresOn, status: 'REGISTERED' };
  const ended = sorted.filter((t) => t.expiresOn <= at).at(-1);
  if (ended) return { registeredOn: ended.registeredOn, expiresOn: ended.expiresOn, status: 'EXPIRED' };
  const first = sorted[0];
  return first ? { registeredOn: first.registeredOn, expiresOn: first.expiresOn, status: 'NOT_YET_REGISTERED' } : null;
}

/**
 * The registration on `at` as the organization's latest run alone answers it, or null when an
 * earlier run must be read (a day before the latest run began): most reads need no statement.
 */
function fromLatestTerm(row: OrganizationRow, at: string): RegistrationView | null {
  return at >= row.registeredOn! ? registrationOn([latestRun(row)], at) : null;
}

const latestRun = (row: OrganizationRow): Term => ({ registeredOn: row.registeredOn!, expiresOn: row.registrationExpiresOn! });

/** The terms on record, or the organization's own run when none is (a row written outside the import and the mutations). */
const termsOr = (row: OrganizationRow, terms: readonly Term[]): readonly Term[] => (terms.length ? terms : [latestRun(row)]);

/** The organization's registration with its status on `at` (default today in the city); null when none is on record. */
export async function registrationOf(ctx: GraphQLContext, row: OrganizationRow, atArg: string | null | undefined): Promise<RegistrationView | null> {
  if (row.registeredOn == null || row.registrationExpiresOn == null) return null;
  const at = await asOf(ctx, row.jurisdictionId, atArg);
  return fromLatestTerm(row, at) ?? registrationOn(termsOr(row, await ctx.loaders.registrationTermsByOrganizationId.load(row.id)), at);
}

/** Every registration term of the organization, oldest first, each with its status on `at` (default today). */
export async function registrationsOf(ctx: GraphQLContext, row: OrganizationRow, atArg: string | null | undefined): Promise<RegistrationView[]> {
  if (row.registeredOn == null) return [];
  const at = await asOf(ctx, row.jurisdictionId, atArg);
  const terms = termsOr(row, await ctx.loaders.registrationTermsByOrganizationId.load(row.id));
  return terms.map((t) => ({ registeredOn: t.registeredOn, expiresOn: t.expiresOn, status: registrationOn([t], at)!.status }));
}

/** Whether each organization was registered on `on`; reads earlier terms (one statement for all) only where needed. */
export async function registeredOn(ctx: GraphQLContext, rows: readonly OrganizationRow[], on: string): Promise<Set<number>> {
  const registered = new Set<number>();
  const older: OrganizationRow[] = [];
  for (const row of rows) {
    if (row.registeredOn == null || row.registrationExpiresOn == null) continue;
    const view = fromLatestTerm(row, on);
    if (view === null) older.push(row);
    else if (view.status === 'REGISTERED') registered.add(row.id);
  }
  const terms = await ctx.loaders.registrationTermsByOrganizationId.loadMany(older.map((r) => r.id));
  older.forEach((row, i) => {
    const found = terms[i];
    if (Array.isArray(found) && registrationOn(termsOr(row, found), on)?.status === 'REGISTERED') registered.add(row.id);
  });
  return registered;
}

const registerSchema = z.object({ organizationId: globalId, registeredOn: dateFrom('1900-01-01') });
const renewSchema = z.object({ organizationId: globalId });

const REGISTRATION_FIELDS = ['registeredOn', 'registrationExpiresOn'] as const;
const registrationAudit = (row: OrganizationRow) => Object.fromEntries(REGISTRATION_FIELDS.map((f) => [f, row[f]]));
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthOf = (date: string) => Number(date.slice(5, 7));

/** The kind's rules for the organization, or a refusal when it is not of a REGISTRATION kind. */
async function registrationRules(tx: Database, organization: OrganizationRow) {
  const kind = await registrationKindOf(tx, organization.jurisdictionId, organization.kind);
  if (kind?.recognitionModel !== 'REGISTRATION' || kind.registrationTermMonths == null) {
    refuse('WRONG_ORGANIZATION_KIND', `${organization.name} is not of a kind the city registers for a term (its kind: ${organization.kind})`, ['input', 'organizationId']);
  }
  return { termMonths: kind.registrationTermMonths, intakeMonth: kind.registrationIntakeMonth };
}

function refuseOutsideIntake(intakeMonth: number | null, day: string, what: string, field: string[]): void {
  if (intakeMonth != null && monthOf(day) !== intakeMonth) {
    refuse('REGISTRATION_WINDOW_CLOSED', `${what} is accepted only in ${MONTHS[intakeMonth - 1]}, the city's intake month; ${day} is not in it`, field);
  }
}

/**
 * organizationRegister: staff record a registration, a first one or one after a lapse, from
 * `registeredOn` (in the intake month, not after today) for the kind's term.
 */
export async function organizationRegister(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<OrganizationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(registerSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    return runMutation(ctx, { action: 'organizationRegister', jurisdictionId: existing.jurisdictionId, replay: replayRow<OrganizationRow>(organizations) }, async (tx, audit) => {
      const before = await organizationForUpdate(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      const rules = await registrationRules(tx, before);
      if (input.registeredOn > today) refuse('INVALID_INPUT', `registeredOn: must not be after today (${today})`, ['input', 'registeredOn']);
      refuseOutsideIntake(rules.intakeMonth, input.registeredOn, 'A registration', ['input', 'registeredOn']);
      const latest = (await registrationTermsOf(tx, before.id)).at(-1);
      if (latest && input.registeredOn < latest.expiresOn) {
        refuse(
          'ALREADY_REGISTERED',
          `${before.name} is registered until ${latest.expiresOn} (the term from ${latest.registeredOn}); renew it with organizationRegistrationRenew, or register from ${latest.expiresOn} on`,
          ['input', 'registeredOn'],
        );
      }
      const term = await insertRegistrationTerm(tx, { jurisdictionId: before.jurisdictionId, organizationId: before.id, registeredOn: input.registeredOn, expiresOn: addMonths(input.registeredOn, rules.termMonths) });
      // Registered the day the last term expired: the run goes on unbroken; otherwise a new run starts.
      const runStart = latest && latest.expiresOn === term.registeredOn ? (before.registeredOn ?? term.registeredOn) : term.registeredOn;
      const after = await updateOrganization(tx, before.id, { registeredOn: runStart, registrationExpiresOn: term.expiresOn });
      await audit.record('Organization', before.id, registrationAudit(before), registrationAudit(after));
      return after;
    });
  });
}

/**
 * organizationRegistrationRenew: staff record a renewal, made today in the intake month while the
 * organization is registered; the next term starts the day the current one expires, so the
 * registration never lapses.
 */
export async function organizationRegistrationRenew(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<OrganizationRow>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(renewSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const { today } = await jurisdictionToday(ctx, existing.jurisdictionId);
    return runMutation(ctx, { action: 'organizationRegistrationRenew', jurisdictionId: existing.jurisdictionId, replay: replayRow<OrganizationRow>(organizations) }, async (tx, audit) => {
      const before = await organizationForUpdate(tx, existing.id);
      if (!before) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
      const rules = await registrationRules(tx, before);
      const terms = await registrationTermsOf(tx, before.id);
      const latest = terms.at(-1);
      if (!latest) refuse('NOT_REGISTERED', `${before.name} has never been registered; record its registration with organizationRegister`, ['input', 'organizationId']);
      if (latest.registeredOn > today) {
        refuse('ALREADY_REGISTERED', `${before.name} is already renewed: its next term runs from ${latest.registeredOn} to ${latest.expiresOn}`, ['input', 'organizationId']);
      }
      if (latest.expiresOn <= today) {
        refuse('REGISTRATION_LAPSED', `${before.name}'s registration lapsed on ${latest.expiresOn}; a lapsed organization registers anew (organizationRegister)`, ['input', 'organizationId']);
      }
      refuseOutsideIntake(rules.intakeMonth, today, 'A renewal', ['input', 'organizationId']);
      const term = await insertRegistrationTerm(tx, { jurisdictionId: before.jurisdictionId, organizationId: before.id, registeredOn: latest.expiresOn, expiresOn: addMonths(latest.expiresOn, rules.termMonths) });
      // The run goes on: only its expiry moves.
      const after = await updateOrganization(tx, before.id, { registrationExpiresOn: term.expiresOn });
      await audit.record('Organization', before.id, registrationAudit(before), registrationAudit(after));
      return after;
    });
  });
}
