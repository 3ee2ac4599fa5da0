import { desc, eq, sql } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBackgroundJobs } from '../../src/background.ts';
import { loadConfig } from '../../src/config.ts';
import { changeLogHorizons, changes, organizations } from '../../src/db/schema/index.ts';
import { toGlobalId } from '../../src/graphql/global-id.ts';
import { createJobLeadership } from '../../src/job-leadership.ts';
import { pruneChangeLog, startChangeLogRetention } from '../../src/modules/changes/changes-retention.ts';
import { CURSOR_EXPIRED_MESSAGE, encodeChangeCursor } from '../../src/modules/changes/changes.service.ts';
import { waitForChangeFeed } from '../helpers/change-feed.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

const FEED = `query($since: String) { changes(since: $since, first: 100) { entries { id operation } endCursor hasMore } }`;
const silent = createLogger('silent');

let database: PortlandTestDatabase;
let api: HttpInstance;

beforeAll(async () => {
  database = await openTestDatabase();
  api = await startHttpInstance(database.db);
});
afterAll(async () => {
  await api.close();
  await database.dispose();
});

/** The cursor of the last change written so far. */
async function logEnd(): Promise<string> {
  const [last] = await database.db.select({ xid: changes.xid, id: changes.id }).from(changes).orderBy(desc(changes.xid), desc(changes.id)).limit(1);
  return encodeChangeCursor(last!);
}

/** Renames an organization with plain SQL (the triggers log it); returns its change id. */
async function rename(slug: string, name: string): Promise<number> {
  await database.db.update(organizations).set({ name }).where(eq(organizations.slug, slug));
  const [last] = await database.db.select({ id: changes.id }).from(changes).orderBy(desc(changes.id)).limit(1);
  return last!.id;
}

const backdate = (changeId: number, days: number) =>
  database.db.update(changes).set({ changedAt: sql`now() - make_interval(days => ${days})` }).where(eq(changes.id, changeId));

describe('change log retention', () => {
  it('prunes changes older than the retention, and refuses a cursor before them with CURSOR_EXPIRED instead of skipping them', async () => {
    const beforeOld = await logEnd();
    const oldChange = await rename('buckman', 'Buckman (old name)');
    const atOld = await logEnd();
    await backdate(oldChange, 100);
    await rename('kerns', 'Kerns (recent)');
    const [buckman] = await database.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, 'buckman'));

    // Before pruning, the old cursor reads both changes.
    await waitForChangeFeed(database.db);
    const before = await api.post(FEED, { variables: { since: beforeOld } });
    expect(before.body.data.changes.entries).toHaveLength(2);
    expect(before.body.data.changes.entries[0].id).toBe(toGlobalId('Organization', buckman!.id));

    // The background jobs prune what is older than CHANGES_RETENTION_DAYS (90 by default).
    // Like the feed, pruning leaves a change alone while an older transaction still runs.
    await waitForChangeFeed(database.db);
    const jobs = startBackgroundJobs(loadConfig({}), { database: database.handle, logger: silent });
    try {
      await vi.waitFor(async () => expect(await database.db.select().from(changes).where(eq(changes.id, oldChange))).toEqual([]));
    } finally {
      await jobs!.stop();
    }
    expect(await database.db.select({ id: changeLogHorizons.id }).from(changeLogHorizons).where(eq(changeLogHorizons.jurisdictionId, database.jurisdictionId))).toEqual([
      { id: oldChange },
    ]);

    // A cursor before the pruned change would skip it: refused, saying what to do.
    const expired = await api.post(FEED, { variables: { since: beforeOld } });
    expect(expired.status).toBe(200);
    expect(expired.body.data).toBeNull();
    expect(expired.body.errors).toEqual([expect.objectContaining({ message: CURSOR_EXPIRED_MESSAGE, extensions: { code: 'CURSOR_EXPIRED', argument: 'since' } })]);
    expect(CURSOR_EXPIRED_MESSAGE).toMatch(/Resync/);

    // A cursor at (or after) the last pruned change missed nothing: it reads on.
    const fromOld = await api.post(FEED, { variables: { since: atOld } });
    expect(fromOld.body.errors).toBeUndefined();
    expect(fromOld.body.data.changes.entries).toEqual([{ id: expect.any(String), operation: 'UPDATE' }]);
    const upToDate = await api.post(FEED, { variables: { since: fromOld.body.data.changes.endCursor } });
    expect(upToDate.body.data.changes).toMatchObject({ entries: [], hasMore: false });

    // Without since, the feed starts at the oldest change kept.
    const fromStart = await api.post(FEED);
    expect(fromStart.body.errors).toBeUndefined();
    expect(fromStart.body.data.changes.entries.length).toBeGreaterThan(0);
  });

  it('keeps changes younger than the retention, and everything when it is 0', async () => {
    const recent = await rename('sunnyside', 'Sunnyside (89 days)');
    await backdate(recent, 89);
    await waitForChangeFeed(database.db);
    expect(await pruneChangeLog(database.db, 90)).toBe(0);
    const older = await rename('richmond', 'Richmond (200 days)');
    await backdate(older, 200);
    await waitForChangeFeed(database.db);
    // 0: nothing starts, nothing is deleted.
    const leadership = createJobLeadership(database.handle);
    await startChangeLogRetention({ db: database.db, logger: silent, leadership, retentionDays: 0 }).stop();
    await leadership.close();
    expect(await database.db.select({ id: changes.id }).from(changes).where(eq(changes.id, older))).toHaveLength(1);
    expect(await pruneChangeLog(database.db, 90)).toBe(1);
    expect(await database.db.select({ id: changes.id }).from(changes).where(eq(changes.id, recent))).toHaveLength(1);
    // The horizon only moves forward.
    const [horizon] = await database.db.select({ id: changeLogHorizons.id }).from(changeLogHorizons).where(eq(changeLogHorizons.jurisdictionId, database.jurisdictionId));
    expect(horizon!.id).toBe(older);
  });

  it('reads CHANGES_RETENTION_DAYS: 90 by default, 0 to keep everything, never negative', () => {
    expect(loadConfig({}).CHANGES_RETENTION_DAYS).toBe(90);
    expect(loadConfig({ CHANGES_RETENTION_DAYS: '0' }).CHANGES_RETENTION_DAYS).toBe(0);
    expect(() => loadConfig({ CHANGES_RETENTION_DAYS: '-1' })).toThrow(/CHANGES_RETENTION_DAYS/);
  });
});
