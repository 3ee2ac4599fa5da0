/**
 * Staff keep organizations' public channels (issue 15): record, verify, prefer for notices, remove;
 * audited, in the change feed, and never a person's private contact.
 */
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, organizationContactChannels } from '../../src/db/schema/index.ts';
import { parseGlobalId, toGlobalId } from '../../src/graphql/global-id.ts';
import { addDays } from '../../src/input/calendar.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { createOrganization } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';
import { SECRETS, createSecretPerson } from '../graphql/privacy-walk-support.ts';

let api: TestApi;
let organizationId: string;
beforeAll(async () => {
  api = await createTestApi();
  const body = await createOrganization(api.db, { jurisdictionId: api.jurisdictionId, name: 'Channel Test Association' });
  organizationId = toGlobalId('Organization', body.id);
  await createSecretPerson(api, api.staff());
}, 120_000);
afterAll(() => api?.dispose());

const FIELDS = 'id kind value sourceUrl note verifiedOn preferredForNotices';
const ADD = `mutation($input: OrganizationContactChannelAddInput!) {
  organizationContactChannelAdd(input: $input) { channel { ${FIELDS} } organization { name contactChannels { ${FIELDS} } } userErrors { code field message } }
}`;
const UPDATE = `mutation($input: OrganizationContactChannelUpdateInput!) {
  organizationContactChannelUpdate(input: $input) { channel { ${FIELDS} } organization { contactChannels { ${FIELDS} } } userErrors { code field message } }
}`;
const REMOVE = `mutation($input: OrganizationContactChannelRemoveInput!) {
  organizationContactChannelRemove(input: $input) { channel { id } organization { contactChannels { id } } userErrors { code field message } }
}`;

/** What a refused change must leave as it was. */
async function stored() {
  const [audit] = await api.db.select({ n: count() }).from(auditEvents);
  return { channels: await api.db.select().from(organizationContactChannels).orderBy(asc(organizationContactChannels.id)), audit: audit!.n };
}

async function write(operation: string, input: Record<string, unknown>, viewer = api.staff()) {
  const result = await api.execute(operation, { input }, { viewer });
  expect(result.errors).toBeUndefined();
  return Object.values(result.data!)[0] as any;
}

async function refused(operation: string, input: Record<string, unknown>, code: string) {
  const before = await stored();
  const payload = await write(operation, input);
  expect(payload.userErrors.map((e: any) => e.code)).toEqual([code]);
  expect(payload.channel).toBeNull();
  expect(payload.organization).toBeNull();
  expect(await stored()).toEqual(before);
  return payload.userErrors[0];
}

describe('organization contact channels kept by staff', () => {
  it('records a channel, then verifies it and makes it the one notices go to, each change audited', async () => {
    const added = await write(ADD, { organizationId, kind: 'EMAIL', value: 'board@channel-test.example.org', sourceUrl: 'https://channel-test.example.org/contact' });
    expect(added.userErrors).toEqual([]);
    expect(added.channel).toMatchObject({ kind: 'EMAIL', value: 'board@channel-test.example.org', verifiedOn: null, preferredForNotices: false });
    const website = await write(ADD, { organizationId, kind: 'WEBSITE', value: 'https://channel-test.example.org', preferredForNotices: true });
    expect(website.channel.preferredForNotices).toBe(true);

    const verified = await write(UPDATE, { id: added.channel.id, verifiedOn: '2026-11-30', preferredForNotices: true });
    expect(verified.userErrors).toEqual([]);
    expect(verified.channel).toMatchObject({ verifiedOn: '2026-11-30', preferredForNotices: true });
    // Only one channel is preferred: the website no longer is.
    const preferred = verified.organization.contactChannels.filter((c: any) => c.preferredForNotices).map((c: any) => c.value);
    expect(preferred).toEqual(['board@channel-test.example.org']);

    const history = await api.execute(`query($id: ID!) { changeHistory(id: $id) { nodes { action changes { field after } } } }`, { id: organizationId }, { viewer: api.staff() });
    const actions = history.data!.changeHistory.nodes.map((n: any) => n.action);
    expect(actions).toEqual(expect.arrayContaining(['organizationContactChannelAdd', 'organizationContactChannelUpdate']));

    const removed = await write(REMOVE, { id: website.channel.id });
    expect(removed.userErrors).toEqual([]);
    expect(removed.organization.contactChannels.map((c: any) => c.id)).toEqual([added.channel.id]);
  });

  it('refuses a person\'s private email or phone as an organization\'s channel, without saying whose', async () => {
    const email = await refused(ADD, { organizationId, kind: 'EMAIL', value: SECRETS.email.toUpperCase() }, 'PERSONAL_CONTACT');
    expect(email.message).not.toContain('Walk');
    // The same phone written another way (digits compared).
    await refused(ADD, { organizationId, kind: 'PHONE', value: SECRETS.phone.replaceAll(' ', '-') }, 'PERSONAL_CONTACT');
    const channel = (await write(ADD, { organizationId, kind: 'PHONE', value: '503-555-0100' })).channel;
    await refused(UPDATE, { id: channel.id, value: SECRETS.phone }, 'PERSONAL_CONTACT');
  });

  it('refuses bad input with a code and changes nothing', async () => {
    await refused(ADD, { organizationId, kind: 'EMAIL', value: 'not-an-email' }, 'INVALID_INPUT');
    await refused(ADD, { organizationId, kind: 'WEBSITE', value: 'javascript:alert(1)' }, 'INVALID_INPUT');
    await refused(ADD, { organizationId, kind: 'ADDRESS', value: '' }, 'INVALID_INPUT');
    await refused(ADD, { organizationId, kind: 'ADDRESS', value: '1 Main St', verifiedOn: '2999-01-01' }, 'INVALID_INPUT');
    await refused(ADD, { organizationId, kind: 'ADDRESS', value: 'x'.repeat(501) }, 'INVALID_INPUT');
    await refused(ADD, { organizationId: toGlobalId('Post', 1), kind: 'ADDRESS', value: '1 Main St' }, 'INVALID_ID');
    await refused(ADD, { organizationId: toGlobalId('Organization', 999_999), kind: 'ADDRESS', value: '1 Main St' }, 'NOT_FOUND');
    await refused(UPDATE, { id: toGlobalId('OrganizationContactChannel', 999_999), note: 'x' }, 'NOT_FOUND');
    await refused(REMOVE, { id: 'not-an-id' }, 'INVALID_ID');
    await write(ADD, { organizationId, kind: 'MEETING_PLACE', value: 'Community Room, 1 Main St' });
    await refused(ADD, { organizationId, kind: 'MEETING_PLACE', value: 'Community Room, 1 Main St' }, 'CONTACT_CHANNEL_EXISTS');
  });

  it('is staff-only to write, and public to read', async () => {
    const before = await stored();
    const anonymous = await api.execute(ADD, { input: { organizationId, kind: 'ADDRESS', value: '2 Main St' } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await stored()).toEqual(before);
    const read = await api.execute(`query($id: ID!) { node(id: $id) { ... on Organization { contactChannels { kind value verifiedOn preferredForNotices } } } }`, { id: organizationId });
    expect(read.errors).toBeUndefined();
    expect(read.data!.node.contactChannels.length).toBeGreaterThan(0);
  });

  it('ends a removed channel that day, keeping it for answers as of earlier days, and dates a new one from the day it is recorded', async () => {
    // A channel from the dataset: in use since before the records.
    const [fromDataset] = await api.db.select().from(organizationContactChannels).where(and(eq(organizationContactChannels.origin, 'DATASET'), isNull(organizationContactChannels.validUntil))).orderBy(asc(organizationContactChannels.id)).limit(1);
    expect(fromDataset?.validFrom).toBeNull();
    const owner = toGlobalId('Organization', fromDataset!.organizationId);
    const channelId = toGlobalId('OrganizationContactChannel', fromDataset!.id);
    const AT = `query($id: ID!, $at: Date) { node(id: $id) { ... on Organization { contactChannels(at: $at) { id value validFrom validUntil } } } }`;
    const channelsOn = async (at?: string) => ((await api.execute(AT, { id: owner, at })).data!.node.contactChannels as any[]).map((c) => c.id);

    const removed = await write(REMOVE, { id: channelId });
    expect(removed.userErrors).toEqual([]);
    expect(removed.organization.contactChannels.map((c: any) => c.id)).not.toContain(channelId);
    const [ended] = await api.db.select().from(organizationContactChannels).where(eq(organizationContactChannels.id, fromDataset!.id));
    const today = ended!.validUntil!;
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await channelsOn(today)).not.toContain(channelId);
    expect(await channelsOn(addDays(today, -1))).toContain(channelId);
    expect(await channelsOn('2000-01-01')).toContain(channelId);

    // History is not edited: an ended channel can be neither updated nor removed again.
    const again = await refused(REMOVE, { id: channelId }, 'NOT_FOUND');
    expect(again.message).toContain(today);
    await refused(UPDATE, { id: channelId, note: 'changed' }, 'NOT_FOUND');

    // The same value may be recorded again: a new channel, from today only.
    const readded = await write(ADD, { organizationId: owner, kind: fromDataset!.kind, value: fromDataset!.value });
    expect(readded.userErrors).toEqual([]);
    expect(await channelsOn(today)).toContain(readded.channel.id);
    expect(await channelsOn(addDays(today, -1))).not.toContain(readded.channel.id);
    // Recorded and removed the same day: it was never in use on a finished day, so it is deleted.
    expect((await write(REMOVE, { id: readded.channel.id })).userErrors).toEqual([]);
    expect(await api.db.select().from(organizationContactChannels).where(eq(organizationContactChannels.id, parseGlobalId(readded.channel.id)!.id))).toEqual([]);
  });

  it("gives a notice's recipient the channel it preferred on the filing date", async () => {
    const buckman = (await api.execute(`{ organization(slug: "buckman") { id } }`)).data!.organization.id;
    const preferred = await write(ADD, { organizationId: buckman, kind: 'EMAIL', value: 'notices@buckman-test.example.org', preferredForNotices: true });
    expect(preferred.userErrors).toEqual([]);
    const [row] = await api.db.select().from(organizationContactChannels).where(eq(organizationContactChannels.id, parseGlobalId(preferred.channel.id)!.id));
    const today = row!.validFrom!;
    const NOTICE = `query($filedOn: Date) { noticeRecipients(procedure: "NEIGHBORHOOD_CONTACT", latitude: 45.5197, longitude: -122.6489, filedOn: $filedOn) {
      recipients { organization { slug } preferredChannel { value } } } }`;
    const buckmanOn = async (filedOn: string) => ((await api.execute(NOTICE, { filedOn })).data!.noticeRecipients.recipients as any[]).find((r) => r.organization.slug === 'buckman');
    expect((await buckmanOn(today)).preferredChannel).toEqual({ value: 'notices@buckman-test.example.org' });
    expect((await buckmanOn(addDays(today, -1))).preferredChannel).toBeNull();
  });

  it('shows in the change feed as an update of the organization', async () => {
    const feed = async (since?: string) => (await api.execute(`query($since: String) { changes(since: $since, first: 100) { entries { id entityType operation } endCursor } }`, { since })).data!.changes;
    let cursor = (await feed()).endCursor;
    for (let page = await feed(cursor); page.entries.length; page = await feed(cursor)) cursor = page.endCursor;
    await write(ADD, { organizationId, kind: 'ADDRESS', value: 'PO Box 42, Portland' });
    await waitForChangeFeed(api.db); // on PostgreSQL another file's open transaction may hold the feed back
    const after = await feed(cursor);
    expect(after.entries).toEqual(expect.arrayContaining([{ id: organizationId, entityType: 'ORGANIZATION', operation: 'UPDATE' }]));
  });
});
