import { pgEnum, timestamp } from 'drizzle-orm/pg-core';

/** created_at / updated_at on every table: updated_at feeds change feeds (updatedSince). */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

/**
 * Who owns a row's values: the dataset import (DATASET) or staff through the API (STAFF, the
 * default, so every API insert is staff-owned). Imports update DATASET rows only.
 */
export const recordOrigin = pgEnum('record_origin', ['DATASET', 'STAFF']);
