import { and, asc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { notificationOutbox, type NotificationOutboxRow } from '../db/schema/index.ts';
import type { NotificationSender } from './sender.ts';

export interface DispatcherOptions {
  db: Database;
  sender: NotificationSender;
  logger: Logger;
  /** Rows claimed per round. */
  batchSize?: number;
  /** How long a claimed row is reserved for this dispatcher; after that another may send it again. */
  leaseMs?: number;
  /** After this many failed attempts a row is left for staff to look at (last_error says why). */
  maxAttempts?: number;
}

export interface DispatchResult {
  sent: number;
  failed: number;
}

/** Wait before attempt n+1 after n failures: 30 s, 1 min, 2 min … capped at 1 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

/**
 * Delivers the notification outbox. Each round claims due rows in a short transaction
 * (`FOR UPDATE SKIP LOCKED`, so concurrent dispatchers never take the same row) and leases them
 * by moving `available_at` forward; then it sends each outside any transaction and marks it sent.
 * A process that dies after sending but before marking leaves the row leased: when the lease ends
 * it is sent again with the same idempotency key (the outbox id). So delivery is at least once,
 * never lost; "exactly once" holds only where the receiving service honours the key.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { db, sender, logger } = options;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 10;

  async function claim(now: Date): Promise<NotificationOutboxRow[]> {
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: notificationOutbox.id })
        .from(notificationOutbox)
        .where(and(isNull(notificationOutbox.sentAt), lte(notificationOutbox.availableAt, now), lt(notificationOutbox.attempts, maxAttempts)))
        .orderBy(asc(notificationOutbox.availableAt), asc(notificationOutbox.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(notificationOutbox)
        .set({ attempts: sql`${notificationOutbox.attempts} + 1`, availableAt: new Date(now.getTime() + leaseMs) })
        .where(inArray(notificationOutbox.id, due.map((r) => r.id)))
        .returning();
    });
  }

  /** One round: claim, send, mark. `now` is injectable so tests can step past a lease. */
  async function dispatchOnce(now: Date = new Date()): Promise<DispatchResult> {
    const rows = await claim(now);
    let sent = 0;
    let failed = 0;
    for (const row of rows) {
      try {
        await sender.send({ idempotencyKey: String(row.id), kind: row.kind, recipient: row.recipient, payload: row.payload, attempt: row.attempts });
        await db.update(notificationOutbox).set({ sentAt: new Date(), lastError: null }).where(eq(notificationOutbox.id, row.id));
        sent++;
      } catch (error) {
        failed++;
        // The error text stays in the table (staff only); the log gets the id and attempt, no recipient.
        const message = error instanceof Error ? error.message : String(error);
        await db
          .update(notificationOutbox)
          .set({ availableAt: new Date(now.getTime() + retryDelayMs(row.attempts)), lastError: message.slice(0, 1000) })
          .where(eq(notificationOutbox.id, row.id));
        logger.warn({ outboxId: row.id, kind: row.kind, attempt: row.attempts }, 'notification send failed; will retry');
      }
    }
    return { sent, failed };
  }

  // Rounds on a timer: startRecruitmentJobs, as a periodic job like the others.
  return { dispatchOnce };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
