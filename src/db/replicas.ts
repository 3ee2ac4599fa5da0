import { withReplicas } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

/**
 * Routes reads to read replicas and everything else to the primary (Drizzle's `withReplicas`):
 * `select` and the relational `query` API go to a random replica; insert, update, delete, execute
 * and transactions (with every read inside them) go to the primary.
 */
export function withReadReplicas(primary: Database, replicas: Database[]): Database {
  if (replicas.length === 0) return primary;
  return withReplicas(primary, replicas as [Database, ...Database[]]) as unknown as Database;
}

/** The primary behind a replica-routing database (or the database itself when there are no replicas). */
export function primaryOf(db: Database): Database {
  return (db as { $primary?: Database }).$primary ?? db;
}

/**
 * One replica for the whole of a request. Replicas lag by different amounts, so reads of one
 * request spread over several could disagree (a data version read on one, the data on another;
 * page two of a feed older than page one). The pinned database still sends writes, `execute` and
 * transactions to the primary; reads that must match its `select`s go through `readerOf`.
 */
export function pinReplica(db: Database): Database {
  const replicas = (db as { $replicas?: Database[] }).$replicas;
  if (!replicas || replicas.length <= 1) return db;
  const chosen = replicas[Math.floor(Math.random() * replicas.length)]!;
  return withReadReplicas(primaryOf(db), [chosen]);
}

/**
 * The database a pinned request reads from (its one replica, or the database itself without
 * replicas): for raw statements (`execute`) that must see what the request's `select`s see.
 */
export function readerOf(db: Database): Database {
  const replicas = (db as { $replicas?: Database[] }).$replicas;
  if (!replicas || replicas.length === 0) return db;
  // Several replicas means the caller did not pin: any one is as good as another then.
  return replicas[Math.floor(Math.random() * replicas.length)]!;
}
