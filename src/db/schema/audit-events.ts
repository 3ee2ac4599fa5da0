import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { jurisdictions } from './jurisdictions.ts';

/**
 * Who changed what, when, and the difference. Written in the same transaction as the change;
 * a trigger (custom migration) refuses UPDATE and DELETE, so the log is append-only.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jurisdictionId: integer()
      .notNull()
      .references(() => jurisdictions.id, { onDelete: 'restrict' }),
    /** The mutation that made the change, e.g. `seatAppoint`. */
    action: text().notNull(),
    /** The changed object's GraphQL type and database id. */
    subjectType: text().notNull(),
    subjectId: integer().notNull(),
    actorSubject: text().notNull(),
    actorRole: text().notNull(),
    /** Changed fields only: `{ field: { before, after } }`. */
    changes: jsonb().$type<Record<string, { before: unknown; after: unknown }>>().notNull(),
    requestId: text(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_events_subject_type_subject_id_id_idx').on(t.subjectType, t.subjectId, t.id)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEventRow = typeof auditEvents.$inferInsert;
