import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Viewer } from '../auth/viewer.ts';
import type { Database } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema/index.ts';

/** How long a key is honoured: a retry within a day gets the first result (the sweep runs hourly). */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

/** The header a client sends with a creating mutation to make it safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** A key: 1–255 visible ASCII characters (a UUID is the usual choice). */
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/**
 * The mutation field being resolved and its arguments. Root mutation fields run one after another,
 * and the wrapper around each (see `withMutationCalls`) sets this for the duration of its resolver,
 * so the pipeline (runMutation) knows which field and input a key belongs to without every service
 * passing them along.
 */
const currentCall = new AsyncLocalStorage<{ field: string; args: unknown }>();

type FieldResolver = (parent: unknown, args: unknown, context: unknown, info: { fieldName: string }) => unknown;

/** Wraps every Mutation resolver so runMutation can see the field and arguments it serves. */
export function withMutationCalls<M extends Record<string, unknown>>(mutation: M): M {
  return Object.fromEntries(
    Object.entries(mutation).map(([field, resolver]) => [
      field,
      (parent: unknown, args: unknown, context: unknown, info: { fieldName: string }) =>
        currentCall.run({ field: info.fieldName, args }, () => (resolver as FieldResolver)(parent, args, context, info)),
    ]),
  ) as M;
}

/**
 * How a creating mutation is replayed: the ids of what it created (kept with the key; ids, not the
 * payload, so the record never holds a personal value), and how to read the same value again from
 * them. `restore` runs in the retry's transaction, after the caller's authorization was checked again.
 */
export interface Replay<T> {
  ids(value: T): Record<string, number>;
  restore(tx: Database, ids: Record<string, number>): Promise<T>;
}

/** The replay of a mutation whose value is one row of `table`, read again by its id. */
export function replayRow<T extends { id: number }>(table: PgTable & { id: unknown }): Replay<T> {
  return {
    ids: (row) => ({ id: row.id }),
    async restore(tx, ids) {
      const [row] = await tx
        .select()
        .from(table)
        .where(eq(table.id as never, ids.id));
      return row as unknown as T;
    },
  };
}

/** Why a key cannot be used; runMutation turns it into a userError. */
export type IdempotencyRefusal = { code: 'IDEMPOTENCY_KEY_INVALID' | 'IDEMPOTENCY_KEY_REUSED'; message: string };

export interface IdempotencyClaim {
  owner: string;
  mutation: string;
  keyHash: string;
  inputHash: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** JSON with object keys sorted, so the same input hashes the same whatever order it was sent in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The claim a request with an Idempotency-Key makes, or null when it sent none (or the mutation is
 * not being resolved through GraphQL). A caller without an identity (the public applying) is known
 * only by what it sent: its records are keyed by the key, the mutation and the input's hash together.
 */
export function idempotencyClaimOf(viewer: Viewer, key: string | null): IdempotencyClaim | IdempotencyRefusal | null {
  const call = currentCall.getStore();
  if (key === null || !call) return null;
  if (!KEY_SHAPE.test(key)) {
    return { code: 'IDEMPOTENCY_KEY_INVALID', message: 'The Idempotency-Key header must be 1–255 visible ASCII characters (a UUID, for example)' };
  }
  const inputHash = sha256(canonicalJson(call.args));
  // A signed-in user is the subject in the city their token acts in ("*": every city): the same
  // subject moved to another city must not replay, and so read, what they created in the first.
  const owner =
    viewer.apiKeyId != null
      ? `api-key:${viewer.apiKeyId}`
      : viewer.subject != null && viewer.role !== 'PUBLIC'
        ? `user:${viewer.subject}@${viewer.jurisdictionId ?? '*'}`
        : `public:${inputHash}`;
  return { owner, mutation: call.field, keyHash: sha256(key), inputHash };
}

/**
 * Takes the key for this transaction, or returns the ids the first request with it stored. The
 * insert waits on a concurrent transaction holding the same key (the unique index) until it
 * commits, then finds its row; or, if that one rolled back, takes the key itself.
 */
export async function claimKey(tx: Database, claim: IdempotencyClaim): Promise<{ earlier: null } | { earlier: Record<string, number> } | IdempotencyRefusal> {
  const taken = await tx
    .insert(idempotencyKeys)
    .values({ owner: claim.owner, mutation: claim.mutation, keyHash: claim.keyHash, inputHash: claim.inputHash })
    .onConflictDoNothing()
    .returning({ id: idempotencyKeys.id });
  if (taken.length > 0) return { earlier: null };
  const [first] = await tx
    .select({ inputHash: idempotencyKeys.inputHash, result: idempotencyKeys.result })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.owner, claim.owner), eq(idempotencyKeys.mutation, claim.mutation), eq(idempotencyKeys.keyHash, claim.keyHash)));
  if (first && first.inputHash !== claim.inputHash) {
    return { code: 'IDEMPOTENCY_KEY_REUSED', message: `This Idempotency-Key was already used for ${claim.mutation} with other input; use a new key for a new request` };
  }
  // Committed rows always carry their result (stored in the same transaction as the claim).
  return { earlier: first?.result ?? {} };
}

/** Stores what the first request created, in its transaction. */
export async function recordResult(tx: Database, claim: IdempotencyClaim, ids: Record<string, number>): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ result: ids })
    .where(and(eq(idempotencyKeys.owner, claim.owner), eq(idempotencyKeys.mutation, claim.mutation), eq(idempotencyKeys.keyHash, claim.keyHash)));
}

/** Deletes the keys older than the retention; returns how many went. */
export async function pruneIdempotencyKeys(db: Database, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_HOURS * 3600_000);
  const gone = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).returning({ id: idempotencyKeys.id });
  return gone.length;
}

export const isIdempotencyRefusal = (value: unknown): value is IdempotencyRefusal =>
  typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'string';
