-- A membership's residency override reason (why staff appointed someone whose residence could not
-- be confirmed) and its application link are private: staff-only fields. An edit of only those
-- columns must leave no public trace, neither a Membership UPDATE in the change feed nor a new
-- updated_at (which `updatedSince` and the feed's changedAt would show). Both trigger functions
-- now take the names of a table's private columns as extra arguments and ignore them. Without
-- arguments they behave as before (migration 0008).
CREATE OR REPLACE FUNCTION "keep_updated_at_current"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  private_columns text[] := coalesce(TG_ARGV, '{}'::text[]);
BEGIN
  IF (to_jsonb(NEW) - 'updated_at' - private_columns) IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - private_columns) THEN
    NEW.updated_at := now();
  ELSIF (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at') THEN
    -- Only private columns changed (the API also sets updated_at itself): keep the public time.
    NEW.updated_at := OLD.updated_at;
  ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at OR NEW.updated_at < OLD.updated_at THEN
    NEW.updated_at := OLD.updated_at;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "record_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  private_columns text[] := coalesce(TG_ARGV[1:TG_NARGS - 1], '{}'::text[]);
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      VALUES (NEW.jurisdiction_id, TG_ARGV[0]::change_entity_type, NEW.id, 'CREATE');
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      VALUES (OLD.jurisdiction_id, TG_ARGV[0]::change_entity_type, OLD.id, 'DELETE');
  ELSIF (to_jsonb(NEW) - private_columns) IS DISTINCT FROM (to_jsonb(OLD) - private_columns) THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      VALUES (NEW.jurisdiction_id, TG_ARGV[0]::change_entity_type, NEW.id, 'UPDATE');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER "memberships_updated_at" ON "memberships";
--> statement-breakpoint
CREATE TRIGGER "memberships_updated_at" BEFORE UPDATE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"('residency_override_reason', 'application_id');
--> statement-breakpoint
DROP TRIGGER "memberships_record_change" ON "memberships";
--> statement-breakpoint
CREATE TRIGGER "memberships_record_change" AFTER INSERT OR UPDATE OR DELETE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "record_change"('Membership', 'residency_override_reason', 'application_id');
