import { backendPid, releaseAdvisoryLock, tryAdvisoryLock } from './db/advisory-lock.ts';
import type { DatabaseHandle, DatabaseSession } from './db/client.ts';

/**
 * Which instance runs each periodic job. Every instance ticks every job on its own timer, but a
 * tick runs the job only on the instance that leads it: the one holding the session-level advisory
 * lock `civic-graph:job:<name>` on a connection of its own. The first instance to try takes the
 * lead and keeps it until it stops (then another takes over at its next tick) or dies (its
 * connection ends and PostgreSQL frees the lock; client.ts sets keepalives so that is noticed
 * within about a minute). So each job runs on one instance at a time, once per period across the
 * fleet, not once per instance.
 *
 * Not a transaction-level lock per run: the jobs span many short transactions on purpose (pruning
 * in batches, sending a notification outside any transaction), and on PGlite's one connection a
 * transaction held open around a job would block the job's own statements. Correctness does not
 * rest on the lead: each job still claims its rows (FOR UPDATE SKIP LOCKED, row locks), so two runs
 * overlapping for a moment (a lead lost mid-run with its connection) still do each piece of work once.
 */
export interface JobLeadership {
  /** True when this instance runs `job` now: it leads it already, or has just taken the lead. */
  leads(job: string): Promise<boolean>;
  /** Gives up every job it leads (other instances take them at their next tick) and closes its connection. */
  close(): Promise<void>;
}

const lockName = (job: string) => `civic-graph:job:${job}`;

export function createJobLeadership(database: Pick<DatabaseHandle, 'openSession'>): JobLeadership {
  let session: Promise<DatabaseSession> | null = null;
  /** The server process of the connection the leads were taken on. */
  let connection: number | null = null;
  const led = new Set<string>();

  return {
    async leads(job) {
      session ??= database.openSession().catch((error: unknown) => {
        session = null;
        throw error;
      });
      const { db } = await session;
      const pid = await backendPid(db);
      // postgres.js replaces a dropped connection silently; the locks went with the old one.
      if (pid !== connection) {
        led.clear();
        connection = pid;
      }
      if (!led.has(job) && (await tryAdvisoryLock(db, lockName(job)))) led.add(job);
      return led.has(job);
    },
    async close() {
      if (!session) return;
      const { db, close } = await session;
      session = null;
      // Released one by one for PGlite, whose one connection stays open; a PostgreSQL session's end would free them anyway.
      for (const job of led) await releaseAdvisoryLock(db, lockName(job)).catch(() => {});
      led.clear();
      connection = null;
      await close();
    },
  };
}
