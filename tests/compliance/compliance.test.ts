/**
 * Compliance (issue 15): each city's requirements as data (src/datasets/<city>/compliance.ts), the
 * evidence staff record and withdraw, and each requirement's status on a date, derived when read.
 * Dates are fixed in the past (2024–2025) so the answers do not depend on the day the test runs,
 * except where "today" is the point (a withdrawal counts from the city's today).
 */
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import { auditEvents, complianceEvidence, complianceLapses, jurisdictions, organizations, type OrganizationRow } from '../../src/db/schema/index.ts';
import { todayIn } from '../../src/graphql/dates.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { addDays } from '../../src/input/calendar.ts';
import { recordRegistrationExpiries } from '../../src/modules/organizations/registration-expiry.ts';
import { recordComplianceLapses } from '../../src/modules/compliance/compliance-lapses.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
const cityIds: Record<string, number> = {};
let today: string;

beforeAll(async () => {
  api = await createTestApi({ template: 'cities' });
  for (const row of await api.db.select().from(jurisdictions)) cityIds[row.slug] = row.id;
  today = todayIn('America/Los_Angeles');
}, 120_000);
afterAll(() => api?.dispose());

const staffOf = (slug: string, subject = 'staff@example.gov') => api.staff({ jurisdictionId: cityIds[slug]!, subject });
const PARTNER = (): Viewer => ({ ...api.staff(), role: 'PARTNER', subject: 'api-key:1', apiKeyId: 1 });

/** The n-th organization of a kind in a city, by name (each test takes its own, so they stay independent). */
async function organizationOf(slug: string, kind: string, n: number): Promise<OrganizationRow> {
  const rows = await api.db
    .select()
    .from(organizations)
    .where(and(eq(organizations.jurisdictionId, cityIds[slug]!), eq(organizations.kind, kind), eq(organizations.status, 'ACTIVE')))
    .orderBy(asc(organizations.name), asc(organizations.id));
  expect(rows.length).toBeGreaterThan(n);
  return rows[n]!;
}

const USER_ERRORS = 'userErrors { code field message }';
const RECORD = /* GraphQL */ `
  mutation ($input: ComplianceEvidenceRecordInput!) {
    complianceEvidenceRecord(input: $input) { evidence { id requirementCode metOn documentUrl note recordedBy withdrawnOn } organization { slug } ${USER_ERRORS} }
  }
`;
const WITHDRAW = /* GraphQL */ `
  mutation ($input: ComplianceEvidenceWithdrawInput!) {
    complianceEvidenceWithdraw(input: $input) { evidence { id withdrawnOn withdrawnBy withdrawalReason } organization { slug } ${USER_ERRORS} }
  }
`;
const COMPLIANCE = /* GraphQL */ `
  query ($id: ID!, $at: Date, $dueSoonDays: Int) {
    node(id: $id) {
      ... on Organization {
        compliance(at: $at, dueSoonDays: $dueSoonDays) {
          at
          isCompliant
          requirements { requirement { code metBy recurrenceMonths organizationKindCode source } status lastMetOn nextDueOn evidence { metOn documentUrl note recordedBy } }
        }
      }
    }
  }
`;

async function record(org: OrganizationRow, input: Record<string, unknown>, viewer: Viewer = staffOf('portland')) {
  const { data, errors } = await api.execute(RECORD, { input: { organizationId: toGlobalId('Organization', org.id), ...input } }, { viewer });
  expect(errors).toBeUndefined();
  expect(data!.complianceEvidenceRecord.userErrors).toEqual([]);
  return data!.complianceEvidenceRecord.evidence;
}

async function compliance(org: OrganizationRow, variables: { at?: string; dueSoonDays?: number } = {}, viewer?: Viewer): Promise<any> {
  const { data, errors } = await api.execute(COMPLIANCE, { id: toGlobalId('Organization', org.id), ...variables }, viewer ? { viewer } : {});
  expect(errors).toBeUndefined();
  return data!.node.compliance;
}

const statusOf = (c: any, code: string) => c.requirements.find((r: any) => r.requirement.code === code);

/** Everything a refused mutation must leave as it was: the evidence rows and the audit log. */
async function snapshot() {
  const [audit] = await api.db.select({ n: count() }).from(auditEvents);
  return { evidence: await api.db.select().from(complianceEvidence).orderBy(asc(complianceEvidence.id)), audit: audit!.n };
}

/** A clean refusal: no top-level error, exactly these codes, a null evidence and organization, nothing stored. */
async function expectRefusal(operation: string, input: Record<string, unknown>, field: string, codes: string[], viewer: Viewer = staffOf('portland')) {
  const before = await snapshot();
  const { data, errors } = await api.execute(operation, { input }, { viewer });
  expect(errors, JSON.stringify(errors)).toBeUndefined();
  const payload = data![field];
  expect(payload.userErrors.map((e: { code: string }) => e.code), JSON.stringify(payload.userErrors)).toEqual(codes);
  expect(payload.evidence).toBeNull();
  expect(payload.organization).toBeNull();
  expect(await snapshot()).toEqual(before);
  return payload.userErrors;
}

describe('requirements as data, per city', () => {
  it("a Portland neighborhood association has the six Standards requirements, each OVERDUE with no evidence", async () => {
    const c = await compliance(await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 0), { at: '2025-01-01' });
    expect(c.requirements.map((r: any) => [r.requirement.code, r.requirement.recurrenceMonths, r.status])).toEqual([
      ['BYLAWS_ON_FILE', null, 'OVERDUE'],
      ['ANNUAL_MEETING', 12, 'OVERDUE'],
      ['ELECTIONS_HELD', 12, 'OVERDUE'],
      ['GRIEVANCE_PROCEDURE', null, 'OVERDUE'],
      ['NONDISCRIMINATION_CLAUSE', null, 'OVERDUE'],
      ['MINUTES_ATTENDANCE_AND_VOTES', 12, 'OVERDUE'],
    ]);
    expect(c.isCompliant).toBe(false);
    for (const r of c.requirements) {
      expect(r.requirement.source).toContain('https://www.portland.gov/');
      expect(r.requirement.organizationKindCode).toBe('NEIGHBORHOOD_ASSOCIATION');
      expect([r.lastMetOn, r.nextDueOn, r.evidence]).toEqual([null, null, null]);
    }
  });

  it("a Philadelphia RCO has the RCO rules, its renewal derived from the registration dates", async () => {
    const rco = await organizationOf('philadelphia', 'REGISTERED_COMMUNITY_ORGANIZATION', 0);
    expect(rco.registrationExpiresOn).not.toBeNull();
    const c = await compliance(rco, { at: addDays(rco.registrationExpiresOn!, -1), dueSoonDays: 0 });
    expect(c.requirements.map((r: any) => [r.requirement.code, r.requirement.metBy])).toEqual([
      ['OPEN_MEETINGS', 'EVIDENCE'],
      ['ELECTED_LEADERSHIP', 'EVIDENCE'],
      ['PARCEL_LIMIT', 'EVIDENCE'],
      ['REGISTRATION_RENEWED', 'REGISTRATION'],
    ]);
    // The last registered day: met (due that day); the expiry day: overdue (the registration reads EXPIRED that day too).
    expect(statusOf(c, 'REGISTRATION_RENEWED')).toMatchObject({ status: 'DUE_SOON', lastMetOn: rco.registeredOn, nextDueOn: addDays(rco.registrationExpiresOn!, -1), evidence: null });
    const expired = await compliance(rco, { at: rco.registrationExpiresOn! });
    expect(statusOf(expired, 'REGISTRATION_RENEWED').status).toBe('OVERDUE');
    const { data } = await api.execute(`query($id: ID!, $at: Date) { node(id: $id) { ... on Organization { registration(at: $at) { status } } } }`, { id: toGlobalId('Organization', rco.id), at: rco.registrationExpiresOn });
    expect(data!.node.registration.status).toBe('EXPIRED');
    // Within 60 days of the last registered day, the renewal reads DUE_SOON.
    expect(statusOf(await compliance(rco, { at: addDays(rco.registrationExpiresOn!, -30) }), 'REGISTRATION_RENEWED').status).toBe('DUE_SOON');
    // Further ahead, plainly met; before the first registered day, not met.
    expect(statusOf(await compliance(rco, { at: addDays(rco.registrationExpiresOn!, -90) }), 'REGISTRATION_RENEWED').status).toBe('MET');
    expect(statusOf(await compliance(rco, { at: addDays(rco.registeredOn!, -1) }), 'REGISTRATION_RENEWED')).toMatchObject({ status: 'OVERDUE', lastMetOn: null });
  });

  it("an RCO whose registration expires today is out of compliance today, and the expiry reaches the change feed", async () => {
    const rco = await organizationOf('philadelphia', 'REGISTERED_COMMUNITY_ORGANIZATION', 2);
    const phlToday = todayIn('America/New_York');
    await api.db.update(organizations).set({ registeredOn: '2024-06-30', registrationExpiresOn: phlToday }).where(eq(organizations.id, rco.id));
    const c = await compliance(rco);
    expect(statusOf(c, 'REGISTRATION_RENEWED')).toMatchObject({ status: 'OVERDUE', lastMetOn: '2024-06-30', nextDueOn: addDays(phlToday, -1) });
    expect(statusOf(await compliance(rco, { at: addDays(phlToday, -1) }), 'REGISTRATION_RENEWED').status).toBe('DUE_SOON');
    // No job is needed for the read above; the expiry job (src/modules/organizations/registration-expiry.ts) puts it in the feed.
    const FEED = `query($since: String) { changes(since: $since, jurisdiction: "philadelphia", entityTypes: [ORGANIZATION], first: 100) { entries { id operation } endCursor hasMore } }`;
    await waitForChangeFeed(api.db);
    let cursor: string | null = null;
    for (;;) {
      const page: any = (await api.execute(FEED, { since: cursor })).data!.changes;
      cursor = page.endCursor;
      if (!page.hasMore) break;
    }
    expect(await recordRegistrationExpiries(api.db, { jurisdictionId: cityIds.philadelphia })).toBeGreaterThanOrEqual(1);
    await waitForChangeFeed(api.db);
    const seen: any[] = [];
    for (;;) {
      const page: any = (await api.execute(FEED, { since: cursor })).data!.changes;
      seen.push(...page.entries);
      cursor = page.endCursor;
      if (!page.hasMore) break;
    }
    expect(seen).toContainEqual({ id: toGlobalId('Organization', rco.id), operation: 'UPDATE' });
  });

  it('New York community boards and advisory bodies have no requirements: compliance is null', async () => {
    expect(await compliance(await organizationOf('nyc', 'COMMUNITY_BOARD', 0))).toBeNull();
    expect(await compliance(await organizationOf('portland', 'ADVISORY_BODY', 0))).toBeNull();
  });
});

describe('an association missing its annual meeting', () => {
  it('shows out of compliance on the right day: met through the due date, overdue the day after', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 1);
    const staff = staffOf('portland');
    for (const code of ['BYLAWS_ON_FILE', 'GRIEVANCE_PROCEDURE', 'NONDISCRIMINATION_CLAUSE']) await record(na, { requirementCode: code, metOn: '2019-05-01' });
    for (const code of ['ELECTIONS_HELD', 'MINUTES_ATTENDANCE_AND_VOTES']) await record(na, { requirementCode: code, metOn: '2024-06-01' });
    const meeting = await record(na, { requirementCode: 'ANNUAL_MEETING', metOn: '2024-03-10', documentUrl: 'https://example.org/minutes-2024.pdf', note: 'Minutes emailed by the chair' });
    expect(meeting).toMatchObject({ requirementCode: 'ANNUAL_MEETING', metOn: '2024-03-10', documentUrl: 'https://example.org/minutes-2024.pdf', note: 'Minutes emailed by the chair', recordedBy: 'staff@example.gov', withdrawnOn: null });

    const onDueDate = await compliance(na, { at: '2025-03-10', dueSoonDays: 0 });
    // Due that very day: still met (DUE_SOON counts as met), and the association is in compliance.
    expect(statusOf(onDueDate, 'ANNUAL_MEETING')).toMatchObject({ status: 'DUE_SOON', lastMetOn: '2024-03-10', nextDueOn: '2025-03-10', evidence: { metOn: '2024-03-10' } });
    expect(onDueDate.isCompliant).toBe(true);
    const dayAfter = await compliance(na, { at: '2025-03-11', dueSoonDays: 0 });
    expect(statusOf(dayAfter, 'ANNUAL_MEETING')).toMatchObject({ status: 'OVERDUE', lastMetOn: '2024-03-10', nextDueOn: '2025-03-10' });
    expect(dayAfter.isCompliant).toBe(false);
    expect(dayAfter.requirements.filter((r: any) => r.status === 'OVERDUE').map((r: any) => r.requirement.code)).toEqual(['ANNUAL_MEETING']);
    // Before the meeting it had not been met; within 60 days of the due date it is DUE_SOON.
    expect(statusOf(await compliance(na, { at: '2024-03-09' }), 'ANNUAL_MEETING').status).toBe('OVERDUE');
    expect(statusOf(await compliance(na, { at: '2025-02-01' }), 'ANNUAL_MEETING').status).toBe('DUE_SOON');
    expect(statusOf(await compliance(na, { at: '2024-06-01' }), 'ANNUAL_MEETING').status).toBe('MET');
    // Met once for good: the bylaws never come due.
    expect(statusOf(dayAfter, 'BYLAWS_ON_FILE')).toMatchObject({ status: 'MET', lastMetOn: '2019-05-01', nextDueOn: null });

    // The staff list: absent on the due date, present the day after, with only the annual meeting missing.
    const OVERDUE = `query($at: Date) { complianceOverdue(at: $at, first: 500) { organization { slug } at isCompliant requirements(status: OVERDUE) { requirement { code } nextDueOn } } }`;
    const before = await api.execute(OVERDUE, { at: '2025-03-10' }, { viewer: staff });
    expect(before.errors).toBeUndefined();
    expect(before.data!.complianceOverdue.map((c: any) => c.organization.slug)).not.toContain(na.slug);
    const after = await api.execute(OVERDUE, { at: '2025-03-11' }, { viewer: staff });
    const entry = after.data!.complianceOverdue.find((c: any) => c.organization.slug === na.slug);
    expect(entry).toEqual({ organization: { slug: na.slug }, at: '2025-03-11', isCompliant: false, requirements: [{ requirement: { code: 'ANNUAL_MEETING' }, nextDueOn: '2025-03-10' }] });
    // Associations with no evidence at all are out of compliance too.
    expect(after.data!.complianceOverdue.length).toBeGreaterThan(1);

    // Coming due: the annual meeting within 60 days of 2025-02-01, not the elections (due 2025-06-01).
    const due = await api.execute(
      `query { complianceDue(at: "2025-02-01", withinDays: 60, first: 500) { organization { slug } requirement { code } status nextDueOn } }`,
      {},
      { viewer: staff },
    );
    expect(due.errors).toBeUndefined();
    const ours = due.data!.complianceDue.filter((r: any) => r.organization.slug === na.slug);
    expect(ours).toEqual([{ organization: { slug: na.slug }, requirement: { code: 'ANNUAL_MEETING' }, status: 'DUE_SOON', nextDueOn: '2025-03-10' }]);
    const dates = due.data!.complianceDue.map((r: any) => r.nextDueOn);
    expect(dates).toEqual([...dates].sort());
  });
});

describe('evidence recorded, then withdrawn', () => {
  it('counts until the day it is withdrawn, stays on record with who and why, and is audited', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 2);
    const metOn = addDays(today, -30);
    const evidence = await record(na, { requirementCode: 'ELECTIONS_HELD', metOn, note: 'staff-only marker 7f3a' });
    expect(statusOf(await compliance(na), 'ELECTIONS_HELD')).toMatchObject({ status: 'MET', lastMetOn: metOn });

    const { data, errors } = await api.execute(WITHDRAW, { input: { evidenceId: evidence.id, reason: 'Recorded for the wrong association' } }, { viewer: staffOf('portland', 'other@example.gov') });
    expect(errors).toBeUndefined();
    expect(data!.complianceEvidenceWithdraw).toEqual({
      evidence: { id: evidence.id, withdrawnOn: today, withdrawnBy: 'other@example.gov', withdrawalReason: 'Recorded for the wrong association' },
      organization: { slug: na.slug },
      userErrors: [],
    });
    // From today on it no longer counts; asked about yesterday, the record still stood.
    expect(statusOf(await compliance(na), 'ELECTIONS_HELD')).toMatchObject({ status: 'OVERDUE', lastMetOn: null, evidence: null });
    expect(statusOf(await compliance(na, { at: addDays(today, -1) }), 'ELECTIONS_HELD')).toMatchObject({ status: 'MET', lastMetOn: metOn });

    // Kept, not deleted: listed with includeWithdrawn.
    const LIST = `query($id: ID!, $all: Boolean) { node(id: $id) { ... on Organization { complianceEvidence(includeWithdrawn: $all) { id withdrawnOn } } } }`;
    const id = toGlobalId('Organization', na.id);
    expect((await api.execute(LIST, { id }, { viewer: staffOf('portland') })).data!.node.complianceEvidence).toEqual([]);
    expect((await api.execute(LIST, { id, all: true }, { viewer: staffOf('portland') })).data!.node.complianceEvidence).toEqual([{ id: evidence.id, withdrawnOn: today }]);

    // Withdrawing twice is refused and changes nothing.
    await expectRefusal(WITHDRAW, { evidenceId: evidence.id, reason: 'again' }, 'complianceEvidenceWithdraw', ['COMPLIANCE_EVIDENCE_WITHDRAWN']);

    // Both changes are in the organization's audited history, newest first.
    const history = await api.execute(
      `query($id: ID!) { changeHistory(id: $id, first: 10) { nodes { action actor changes { field before after } } } }`,
      { id },
      { viewer: staffOf('portland') },
    );
    expect(history.errors).toBeUndefined();
    const events = history.data!.changeHistory.nodes.filter((e: any) => e.action.startsWith('complianceEvidence'));
    expect(events.map((e: any) => [e.action, e.actor])).toEqual([
      ['complianceEvidenceWithdraw', 'other@example.gov'],
      ['complianceEvidenceRecord', 'staff@example.gov'],
    ]);
    expect(JSON.stringify(events[0].changes)).toContain('Recorded for the wrong association');
  });

  it('reaches the change feed as an update of the organization', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 3);
    const FEED = `query($since: String) { changes(since: $since, jurisdiction: "portland", entityTypes: [ORGANIZATION], first: 100) { entries { id operation } endCursor hasMore } }`;
    await waitForChangeFeed(api.db);
    let cursor: string | null = null;
    for (;;) {
      const page: any = (await api.execute(FEED, { since: cursor })).data!.changes;
      cursor = page.endCursor;
      if (!page.hasMore) break;
    }
    await record(na, { requirementCode: 'ANNUAL_MEETING', metOn: '2024-09-15' });
    await waitForChangeFeed(api.db);
    const { data, errors } = await api.execute(FEED, { since: cursor });
    expect(errors).toBeUndefined();
    expect(data!.changes.entries).toEqual([{ id: toGlobalId('Organization', na.id), operation: 'UPDATE' }]);
  });
});

describe('a lapse in the change feed', () => {
  it('the lapse job records an annual meeting lapsing on its day, once, as an update of the organization', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 8);
    await record(na, { requirementCode: 'ANNUAL_MEETING', metOn: '2024-07-04' });
    const portland = cityIds.portland!;
    const FEED = `query($since: String) { changes(since: $since, jurisdiction: "portland", entityTypes: [ORGANIZATION], first: 100) { entries { id operation } endCursor hasMore } }`;
    const readAll = async (since: string | null) => {
      const seen: any[] = [];
      for (;;) {
        const page: any = (await api.execute(FEED, { since })).data!.changes;
        seen.push(...page.entries);
        since = page.endCursor;
        if (!page.hasMore) return { seen, cursor: since };
      }
    };
    await waitForChangeFeed(api.db);
    let { cursor } = await readAll(null);
    // 2025-07-04 is still covered (23:00 in Portland is 06:00 UTC the next day); nothing lapses for it.
    await recordComplianceLapses(api.db, { now: new Date('2025-07-05T06:59:00Z'), jurisdictionId: portland });
    await waitForChangeFeed(api.db);
    const before = await readAll(cursor);
    expect(before.seen).not.toContainEqual({ id: toGlobalId('Organization', na.id), operation: 'UPDATE' });
    // 2025-07-05 in Portland: the first day OVERDUE.
    expect(await recordComplianceLapses(api.db, { now: new Date('2025-07-05T07:00:00Z'), jurisdictionId: portland })).toBeGreaterThanOrEqual(1);
    await waitForChangeFeed(api.db);
    const after = await readAll(before.cursor);
    expect(after.seen).toContainEqual({ id: toGlobalId('Organization', na.id), operation: 'UPDATE' });
    const [lapse] = await api.db.select().from(complianceLapses).where(eq(complianceLapses.organizationId, na.id));
    expect(lapse).toMatchObject({ requirementCode: 'ANNUAL_MEETING', lapsedOn: '2025-07-05' });
    // A second run records nothing again.
    expect(await recordComplianceLapses(api.db, { now: new Date('2025-07-06T12:00:00Z'), jurisdictionId: portland })).toBe(0);
    await waitForChangeFeed(api.db);
    expect((await readAll(after.cursor)).seen).toEqual([]);
  });
});

describe('refusals change nothing', () => {
  it('an unknown requirement, a future date, a bad URL, a derived requirement, a duplicate, a bad id', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 4);
    const organizationId = toGlobalId('Organization', na.id);
    const base = { organizationId, requirementCode: 'ANNUAL_MEETING', metOn: '2024-04-01' };
    const [unknown] = await expectRefusal(RECORD, { ...base, requirementCode: 'OPEN_MEETINGS' }, 'complianceEvidenceRecord', ['COMPLIANCE_REQUIREMENT_UNKNOWN']);
    expect(unknown.field).toEqual(['input', 'requirementCode']);
    expect(unknown.message).toContain('ANNUAL_MEETING');
    const body = await organizationOf('portland', 'ADVISORY_BODY', 0);
    await expectRefusal(RECORD, { ...base, organizationId: toGlobalId('Organization', body.id) }, 'complianceEvidenceRecord', ['COMPLIANCE_REQUIREMENT_UNKNOWN']);
    const [future] = await expectRefusal(RECORD, { ...base, metOn: addDays(today, 2) }, 'complianceEvidenceRecord', ['INVALID_INPUT']);
    expect(future.field).toEqual(['input', 'metOn']);
    await expectRefusal(RECORD, { ...base, metOn: '1899-12-31' }, 'complianceEvidenceRecord', ['INVALID_INPUT']);
    for (const documentUrl of ['ftp://example.org/minutes.pdf', 'javascript:alert(1)', 'minutes.pdf', 'https://']) {
      const [url] = await expectRefusal(RECORD, { ...base, documentUrl }, 'complianceEvidenceRecord', ['INVALID_INPUT']);
      expect(url.field).toEqual(['input', 'documentUrl']);
    }
    await expectRefusal(RECORD, { ...base, note: 'x'.repeat(2001) }, 'complianceEvidenceRecord', ['INVALID_INPUT']);
    await expectRefusal(RECORD, { ...base, organizationId: toGlobalId('Post', na.id) }, 'complianceEvidenceRecord', ['INVALID_ID']);
    await expectRefusal(RECORD, { ...base, organizationId: toGlobalId('Organization', 987654321) }, 'complianceEvidenceRecord', ['NOT_FOUND']);

    const rco = await organizationOf('philadelphia', 'REGISTERED_COMMUNITY_ORGANIZATION', 1);
    const phl = staffOf('philadelphia');
    await expectRefusal(RECORD, { ...base, organizationId: toGlobalId('Organization', rco.id), requirementCode: 'REGISTRATION_RENEWED' }, 'complianceEvidenceRecord', ['COMPLIANCE_REQUIREMENT_DERIVED'], phl);
    await expectRefusal(RECORD, { ...base, organizationId: toGlobalId('Organization', rco.id) }, 'complianceEvidenceRecord', ['COMPLIANCE_REQUIREMENT_UNKNOWN'], phl);

    await record(na, { requirementCode: 'ANNUAL_MEETING', metOn: '2024-04-01' });
    await expectRefusal(RECORD, base, 'complianceEvidenceRecord', ['COMPLIANCE_EVIDENCE_DUPLICATE']);

    await expectRefusal(WITHDRAW, { evidenceId: toGlobalId('ComplianceEvidence', 987654321), reason: 'gone' }, 'complianceEvidenceWithdraw', ['NOT_FOUND']);
    await expectRefusal(WITHDRAW, { evidenceId: organizationId, reason: 'gone' }, 'complianceEvidenceWithdraw', ['INVALID_ID']);
    const [evidence] = await api.db.select().from(complianceEvidence).where(eq(complianceEvidence.organizationId, na.id));
    await expectRefusal(WITHDRAW, { evidenceId: toGlobalId('ComplianceEvidence', evidence!.id), reason: '' }, 'complianceEvidenceWithdraw', ['INVALID_INPUT']);
  });

  it('creating is safe to retry with an Idempotency-Key: one row, the same evidence', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 5);
    const input = { organizationId: toGlobalId('Organization', na.id), requirementCode: 'BYLAWS_ON_FILE', metOn: '2020-02-02' };
    const first = await api.execute(RECORD, { input }, { viewer: staffOf('portland'), idempotencyKey: 'compliance-retry-1' });
    const again = await api.execute(RECORD, { input }, { viewer: staffOf('portland'), idempotencyKey: 'compliance-retry-1' });
    expect(first.data!.complianceEvidenceRecord.userErrors).toEqual([]);
    expect(again.data!.complianceEvidenceRecord).toEqual(first.data!.complianceEvidenceRecord);
    const rows = await api.db.select().from(complianceEvidence).where(eq(complianceEvidence.organizationId, na.id));
    expect(rows).toHaveLength(1);
    // Without the key, the retry is a duplicate and refused.
    await expectRefusal(RECORD, input, 'complianceEvidenceRecord', ['COMPLIANCE_EVIDENCE_DUPLICATE']);
  });
});

describe('who may write and read', () => {
  it('the public, partner apps and staff of another city cannot record or withdraw evidence', async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 6);
    const input = { organizationId: toGlobalId('Organization', na.id), requirementCode: 'ANNUAL_MEETING', metOn: '2024-05-05' };
    const evidence = await record(na, { requirementCode: 'BYLAWS_ON_FILE', metOn: '2018-01-01' });
    for (const [viewer, code] of [
      [undefined, 'UNAUTHENTICATED'],
      [PARTNER(), 'FORBIDDEN'],
      [staffOf('philadelphia'), 'FORBIDDEN'],
    ] as const) {
      const before = await snapshot();
      const recorded = await api.execute(RECORD, { input }, viewer ? { viewer } : {});
      expect(recorded.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      const withdrawn = await api.execute(WITHDRAW, { input: { evidenceId: evidence.id, reason: 'not mine' } }, viewer ? { viewer } : {});
      expect(withdrawn.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(await snapshot()).toEqual(before);
    }
  });

  it("the public and partners read statuses and document links, but not staff's notes or names", async () => {
    const na = await organizationOf('portland', 'NEIGHBORHOOD_ASSOCIATION', 7);
    await record(na, { requirementCode: 'ANNUAL_MEETING', metOn: '2024-10-10', documentUrl: 'https://example.org/agm.pdf', note: 'secret staff note 91c2' });
    for (const viewer of [undefined, PARTNER(), staffOf('philadelphia')]) {
      const c = await compliance(na, { at: '2024-12-01' }, viewer);
      expect(statusOf(c, 'ANNUAL_MEETING')).toMatchObject({ status: 'MET', evidence: { metOn: '2024-10-10', documentUrl: 'https://example.org/agm.pdf', note: null, recordedBy: null } });
      expect(JSON.stringify(c)).not.toContain('secret staff note');
    }
    const staff = await compliance(na, { at: '2024-12-01' }, staffOf('portland'));
    expect(statusOf(staff, 'ANNUAL_MEETING').evidence).toMatchObject({ note: 'secret staff note 91c2', recordedBy: 'staff@example.gov' });
  });

  it('the staff lists are refused to the public, partners and staff of another city', async () => {
    for (const query of ['{ complianceOverdue { organization { slug } } }', '{ complianceDue { organization { slug } } }']) {
      for (const [viewer, code] of [
        [undefined, 'UNAUTHENTICATED'],
        [PARTNER(), 'FORBIDDEN'],
        [staffOf('philadelphia'), 'FORBIDDEN'],
      ] as const) {
        const { data, errors } = await api.execute(query, {}, viewer ? { viewer } : {});
        expect(errors?.map((e) => e.extensions?.code)).toEqual([code]);
        expect(data).toBeNull();
      }
    }
  });

  it('arguments out of range are refused', async () => {
    const staff = staffOf('portland');
    for (const query of ['{ complianceDue(withinDays: 367) { nextDueOn } }', '{ complianceDue(withinDays: -1) { nextDueOn } }', '{ complianceOverdue(first: 501) { at } }', '{ complianceOverdue(first: 0) { at } }']) {
      const { errors } = await api.execute(query, {}, { viewer: staff });
      expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('cost', () => {
  it('the staff lists and compliance on a list of associations cost a constant number of statements', async () => {
    const staff = staffOf('portland');
    const counted = async (query: string) => {
      api.statements.reset();
      const { errors } = await api.execute(query, {}, { viewer: staff });
      expect(errors).toBeUndefined();
      return api.statements.count();
    };
    const overdue = (first: number) => `{ complianceOverdue(at: "2025-03-11", first: ${first}) { organization { name } isCompliant requirements { requirement { code } status evidence { metOn note } } } }`;
    const due = (first: number) => `{ complianceDue(at: "2025-02-01", withinDays: 366, first: ${first}) { organization { name } requirement { code } nextDueOn evidence { metOn } } }`;
    const nested = (first: number) =>
      `{ neighborhoodAssociations(first: ${first}, jurisdiction: "portland") { nodes { name compliance(at: "2025-03-11") { isCompliant requirements { status evidence { metOn } } } complianceEvidence { metOn } } } }`;
    expect(await counted(overdue(2))).toBe(await counted(overdue(90)));
    expect(await counted(due(1))).toBe(await counted(due(50)));
    expect(await counted(nested(2))).toBe(await counted(nested(40)));
    expect(await counted(overdue(90))).toBeLessThanOrEqual(5);
  });
});
