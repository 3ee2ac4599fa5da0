import { eq, isNull } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notificationOutbox } from '../../src/db/schema/index.ts';
import { createDispatcher } from '../../src/notifications/dispatcher.ts';
import { createLogSender, type NotificationSender, type OutgoingNotification } from '../../src/notifications/sender.ts';
import type { TestApi } from '../helpers/test-api.ts';
import { applicantInput, type Body, openRecruitment, submit } from './recruitment-support.ts';

let api: TestApi;
let body: Body;
let postingId: string;
const silent = createLogger('silent');

beforeAll(async () => {
  ({ api, body, postingId } = await openRecruitment());
});
afterAll(() => api.dispose());
// Each test starts from an empty outbox (only its own rows are pending).
beforeEach(async () => {
  await api.db.update(notificationOutbox).set({ sentAt: new Date() }).where(isNull(notificationOutbox.sentAt));
});

async function applications(n: number) {
  for (let i = 0; i < n; i++) {
    const { data } = await submit(api, applicantInput(postingId, body, { email: `outbox${i}@example.org` }));
    expect(data!.applicationSubmit.userErrors).toEqual([]);
  }
}

function recordingSender(): NotificationSender & { sent: OutgoingNotification[] } {
  const sent: OutgoingNotification[] = [];
  return { sent, send: async (n) => void sent.push(n) };
}

const pending = async () => api.db.select().from(notificationOutbox).where(isNull(notificationOutbox.sentAt));

describe('notification dispatcher', () => {
  it('sends each pending message once with its outbox id as idempotency key, and marks it sent', async () => {
    await applications(3);
    const sender = recordingSender();
    const dispatcher = createDispatcher({ db: api.db, sender, logger: silent });
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 3, failed: 0 });
    expect(sender.sent.map((n) => n.kind)).toEqual(['APPLICATION_RECEIVED', 'APPLICATION_RECEIVED', 'APPLICATION_RECEIVED']);
    expect(sender.sent.map((n) => n.recipient).sort()).toEqual(['outbox0@example.org', 'outbox1@example.org', 'outbox2@example.org']);
    expect(await pending()).toEqual([]);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, failed: 0 });
    expect(sender.sent).toHaveLength(3);
  });

  it('resends after a crash between sending and marking sent, with the same idempotency key; nothing is lost', async () => {
    await applications(1);
    const [row] = await pending();
    // The first process sends, then dies before marking: its send never returns.
    const delivered: OutgoingNotification[] = [];
    const crashing = createDispatcher({ db: api.db, sender: { send: (n) => (delivered.push(n), new Promise<void>(() => {})) }, logger: silent, leaseMs: 60_000 });
    void crashing.dispatchOnce();
    await expect.poll(() => delivered.length).toBe(1);
    const [leased] = await api.db.select().from(notificationOutbox).where(eq(notificationOutbox.id, row!.id));
    expect(leased).toMatchObject({ sentAt: null, attempts: 1 });

    // While the lease holds, a second dispatcher leaves the row alone.
    const sender = recordingSender();
    const restarted = createDispatcher({ db: api.db, sender, logger: silent, leaseMs: 60_000 });
    expect(await restarted.dispatchOnce()).toEqual({ sent: 0, failed: 0 });
    // After the lease, it sends again under the same key, and marks it sent.
    expect(await restarted.dispatchOnce(new Date(Date.now() + 61_000))).toEqual({ sent: 1, failed: 0 });
    expect(sender.sent[0]!.idempotencyKey).toBe(delivered[0]!.idempotencyKey);
    expect(sender.sent[0]!.idempotencyKey).toBe(String(row!.id));
    expect(sender.sent[0]!.attempt).toBe(2);
    expect(await pending()).toEqual([]);
  });

  it('retries a failed send later with backoff, keeping the error', async () => {
    await applications(1);
    let fail = true;
    const sent: OutgoingNotification[] = [];
    const sender: NotificationSender = { send: async (n) => { if (fail) throw new Error('provider unavailable'); sent.push(n); } };
    const dispatcher = createDispatcher({ db: api.db, sender, logger: silent });
    const now = new Date();
    expect(await dispatcher.dispatchOnce(now)).toEqual({ sent: 0, failed: 1 });
    const [row] = await pending();
    expect(row).toMatchObject({ attempts: 1, lastError: 'provider unavailable' });
    expect(row!.availableAt.getTime()).toBe(now.getTime() + 30_000);
    fail = false;
    expect(await dispatcher.dispatchOnce(new Date(now.getTime() + 10_000))).toEqual({ sent: 0, failed: 0 });
    expect(await dispatcher.dispatchOnce(new Date(now.getTime() + 31_000))).toEqual({ sent: 1, failed: 0 });
    expect(sent[0]!.idempotencyKey).toBe(String(row!.id));
  });

  it('concurrent dispatchers never claim the same row', async () => {
    await applications(12);
    const a = recordingSender();
    const b = recordingSender();
    const one = createDispatcher({ db: api.db, sender: a, logger: silent, batchSize: 5 });
    const two = createDispatcher({ db: api.db, sender: b, logger: silent, batchSize: 5 });
    await Promise.all([one.dispatchOnce(), two.dispatchOnce(), one.dispatchOnce(), two.dispatchOnce()]);
    const keys = [...a.sent, ...b.sent].map((n) => n.idempotencyKey);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    expect(await pending()).toEqual([]);
  });

  it('the default log sender logs kind and outbox id, never the recipient', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    await createLogSender(logger).send({ idempotencyKey: '42', kind: 'DECISION', recipient: 'secret.recipient@example.org', payload: { postingTitle: 't' }, attempt: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'DECISION', outboxId: '42' });
    expect(lines[0]).not.toContain('secret.recipient');
  });
});
