import { index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { jurisdictions } from './jurisdictions.ts';

export const apiKeyScope = pgEnum('api_key_scope', ['PARTNER']);

/**
 * Keys partner apps present as bearer tokens. Only a SHA-256 hash is stored: keys are 256-bit
 * random, so a slow password hash would add nothing but latency. `prefix` finds the row.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    scope: apiKeyScope().notNull(),
    prefix: text().notNull().unique('api_keys_prefix_unique'),
    keyHash: text().notNull(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('api_keys_jurisdiction_id_idx').on(t.jurisdictionId)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
