import { eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBackgroundJobs, type BackgroundJobs } from '../../src/background.ts';
import { loadConfig } from '../../src/config.ts';
import { applications, notificationOutbox } from '../../src/db/schema/index.ts';
import type { NotificationSender, OutgoingNotification } from '../../src/notifications/sender.ts';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, type Body, openRecruitment, SUBMIT } from '../recruitment/recruitment-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;
let http: HttpInstance;
let jobs: BackgroundJobs | null = null;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
  http = await startHttpInstance(api.db);
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
});
afterAll(async () => {
  await http.close();
  await api.dispose();
});
// Each test starts with nothing pending but its own rows.
beforeEach(async () => {
  await api.db.update(notificationOutbox).set({ sentAt: new Date() }).where(isNull(notificationOutbox.sentAt));
});

function recordingSender(): NotificationSender & { sent: OutgoingNotification[] } {
  const sent: OutgoingNotification[] = [];
  return { sent, send: async (n) => void sent.push(n) };
}

/** An application submitted over HTTP (it queues APPLICATION_RECEIVED), then backdated past its lifetime. */
async function expiredApplication(email: string): Promise<number> {
  const { body: response } = await http.post(SUBMIT, { variables: { input: applicantInput(postingId, body, { email }) } });
  expect(response.data.applicationSubmit.userErrors).toEqual([]);
  const [row] = await api.db.select({ id: applications.id }).from(applications).where(eq(applications.email, email));
  const day = 24 * 3600_000;
  await api.db.update(applications).set({ submittedAt: new Date(Date.now() - 200 * day), expiresAt: new Date(Date.now() - 100 * day) }).where(eq(applications.id, row!.id));
  return row!.id;
}

const stored = async (id: number) => (await api.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id)))[0]!.status;
const pendingFor = async (id: number) =>
  (await api.db.select().from(notificationOutbox).where(eq(notificationOutbox.applicationId, id))).filter((row) => row.sentAt === null);

describe('BACKGROUND_JOBS', () => {
  it('off: the instance starts neither the dispatcher nor the expiry sweep', async () => {
    const id = await expiredApplication('jobs-off@example.org');
    const sender = recordingSender();
    jobs = startBackgroundJobs(loadConfig({ BACKGROUND_JOBS: 'off' }), { database: api.handle, logger: silent, sender, dispatchEveryMs: 20 });
    expect(jobs).toBeNull();
    // Still pending and still stored as submitted (reads show it EXPIRED; only the sweep stores it).
    expect(await pendingFor(id)).toHaveLength(1);
    expect(await stored(id)).toBe('SUBMITTED');

    // The same rows, with the jobs on: delivered and swept. So nothing else had been doing it.
    jobs = startBackgroundJobs(loadConfig({ BACKGROUND_JOBS: 'on' }), { database: api.handle, logger: silent, sender, dispatchEveryMs: 20 });
    await vi.waitFor(async () => {
      expect(await pendingFor(id)).toHaveLength(0);
      expect(await stored(id)).toBe('EXPIRED');
    });
  });

  it('on (the default): queued notifications are delivered through the sender and due applications expire', async () => {
    expect(loadConfig({}).BACKGROUND_JOBS).toBe(true);
    const id = await expiredApplication('jobs-on@example.org');
    const sender = recordingSender();
    jobs = startBackgroundJobs(loadConfig({}), { database: api.handle, logger: silent, sender, dispatchEveryMs: 20 });
    expect(jobs).not.toBeNull();
    await vi.waitFor(async () => {
      expect(sender.sent.filter((n) => n.recipient === 'jobs-on@example.org').map((n) => n.kind)).toContain('APPLICATION_RECEIVED');
      expect(await stored(id)).toBe('EXPIRED');
    });
    // Stopped: a new message stays queued.
    await jobs!.stop();
    jobs = null;
    const later = await expiredApplication('jobs-stopped@example.org');
    expect(await pendingFor(later)).toHaveLength(1);
  });

  it('accepts only on or off', () => {
    expect(loadConfig({ BACKGROUND_JOBS: 'off' }).BACKGROUND_JOBS).toBe(false);
    expect(() => loadConfig({ BACKGROUND_JOBS: 'no' })).toThrow(/BACKGROUND_JOBS/);
  });
});
