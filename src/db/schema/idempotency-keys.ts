import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One row per Idempotency-Key a creating mutation was called with (src/graphql/idempotency.ts),
 * written in the mutation's own transaction, so a retried request finds what the first one
 * created and gets it again instead of creating a second. Kept 24 hours (a periodic job prunes).
 * Nothing personal is kept: the key and the input only as hashes, the result as ids.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /**
     * Whose key it is: `user:<subject>` (staff), `api-key:<id>` (partner app), or for a caller
     * without an identity `public:<input hash>`: only the same key with the same input finds it.
     */
    owner: text().notNull(),
    /** The mutation field, e.g. `personCreate`. */
    mutation: text().notNull(),
    /** SHA-256 of the client's key: a client may put anything in it, so the key itself is never stored. */
    keyHash: text().notNull(),
    /** SHA-256 of the mutation's arguments; the same key with other arguments is refused. */
    inputHash: text().notNull(),
    /** The ids of what the first request created (the retry reads them again); null until it commits. */
    result: jsonb().$type<Record<string, number>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The one claim per key: a concurrent duplicate waits on it until the first commits or rolls back.
    uniqueIndex('idempotency_keys_owner_mutation_key_hash_unique').on(t.owner, t.mutation, t.keyHash),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
