-- The audit log is append-only: no UPDATE, no DELETE, even by the application's own role.
CREATE FUNCTION "refuse_audit_event_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint

CREATE TRIGGER "audit_events_append_only"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "refuse_audit_event_change"();
--> statement-breakpoint

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_audit_event_change"();
--> statement-breakpoint

-- One recognition status per association at any date.
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_no_overlap"
  EXCLUDE USING gist ("organization_id" WITH =, daterange("start_date", "end_date", '[)') WITH &&);
--> statement-breakpoint

-- One agreement per pair of divisions.
CREATE UNIQUE INDEX "boundary_agreements_pair_unique" ON "boundary_agreements" ("division_id", "other_division_id");
