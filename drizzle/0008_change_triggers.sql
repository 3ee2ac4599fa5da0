-- The public change log (table `changes`, migration 0007) and current `updated_at` values, kept by
-- triggers so that every writer records: the API, the dataset import and plain SQL alike.
-- Private tables (person_private_details, api_keys, audit_events) write nothing here.

-- updated_at is the time of the last real change: set when any other column changes, kept when a
-- write changes nothing (for example the no-op update the seat-capacity trigger uses as a lock),
-- and kept as given when only updated_at is set (a "touch" from a related record, below).
CREATE FUNCTION "keep_updated_at_current"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at') THEN
    NEW.updated_at := now();
  ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at OR NEW.updated_at < OLD.updated_at THEN
    NEW.updated_at := OLD.updated_at;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint

-- One change row per changed row of a public table; TG_ARGV[0] is its GraphQL type. Updates that
-- change nothing are not changes.
CREATE FUNCTION "record_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      VALUES (NEW.jurisdiction_id, TG_ARGV[0]::change_entity_type, NEW.id, 'CREATE');
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      VALUES (OLD.jurisdiction_id, TG_ARGV[0]::change_entity_type, OLD.id, 'DELETE');
  ELSIF to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      VALUES (NEW.jurisdiction_id, TG_ARGV[0]::change_entity_type, NEW.id, 'UPDATE');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint

-- Records that are not objects of their own change the object they belong to: TG_ARGV[0] is that
-- object's table, the other arguments the columns holding its id. The touch sets updated_at, so the
-- owner's own triggers record an UPDATE and `updatedSince` finds it. Only the owner side is touched
-- (the member of a coalition link, not the coalition), so concurrent writes never lock two owners
-- in opposite orders.
CREATE FUNCTION "touch_owner"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  i integer;
  owner_id integer;
BEGIN
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    IF TG_OP <> 'INSERT' THEN
      owner_id := (to_jsonb(OLD) ->> TG_ARGV[i])::integer;
      EXECUTE format('UPDATE %I SET updated_at = now() WHERE id = $1 AND updated_at IS DISTINCT FROM now()', TG_ARGV[0]) USING owner_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
      owner_id := (to_jsonb(NEW) ->> TG_ARGV[i])::integer;
      EXECUTE format('UPDATE %I SET updated_at = now() WHERE id = $1 AND updated_at IS DISTINCT FROM now()', TG_ARGV[0]) USING owner_id;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint

-- A person is public only as a roster entry, so a change to a person's public fields is reported
-- as an UPDATE of each of their memberships. Private details live in another table and never record.
CREATE FUNCTION "record_roster_person_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.sort_name, NEW.public_bio, NEW.is_sample) IS DISTINCT FROM (OLD.name, OLD.sort_name, OLD.public_bio, OLD.is_sample) THEN
    INSERT INTO changes (jurisdiction_id, entity_type, entity_id, operation)
      SELECT m.jurisdiction_id, 'Membership', m.id, 'UPDATE' FROM memberships m WHERE m.person_id = NEW.id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint

CREATE TRIGGER "divisions_updated_at" BEFORE UPDATE ON "divisions" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "organizations_updated_at" BEFORE UPDATE ON "organizations" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "posts_updated_at" BEFORE UPDATE ON "posts" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "memberships_updated_at" BEFORE UPDATE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "organization_links_updated_at" BEFORE UPDATE ON "organization_links" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "recognitions_updated_at" BEFORE UPDATE ON "recognitions" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "boundary_agreements_updated_at" BEFORE UPDATE ON "boundary_agreements" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "people_updated_at" BEFORE UPDATE ON "people" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint

CREATE TRIGGER "divisions_record_change" AFTER INSERT OR UPDATE OR DELETE ON "divisions" FOR EACH ROW EXECUTE FUNCTION "record_change"('Division');
--> statement-breakpoint
CREATE TRIGGER "organizations_record_change" AFTER INSERT OR UPDATE OR DELETE ON "organizations" FOR EACH ROW EXECUTE FUNCTION "record_change"('Organization');
--> statement-breakpoint
CREATE TRIGGER "posts_record_change" AFTER INSERT OR UPDATE OR DELETE ON "posts" FOR EACH ROW EXECUTE FUNCTION "record_change"('Post');
--> statement-breakpoint
CREATE TRIGGER "memberships_record_change" AFTER INSERT OR UPDATE OR DELETE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "record_change"('Membership');
--> statement-breakpoint

CREATE TRIGGER "organization_links_touch_member" AFTER INSERT OR UPDATE OR DELETE ON "organization_links" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('organizations', 'member_id');
--> statement-breakpoint
CREATE TRIGGER "recognitions_touch_organization" AFTER INSERT OR UPDATE OR DELETE ON "recognitions" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('organizations', 'organization_id');
--> statement-breakpoint
CREATE TRIGGER "boundary_agreements_touch_divisions" AFTER INSERT OR UPDATE OR DELETE ON "boundary_agreements" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('divisions', 'division_id', 'other_division_id');
--> statement-breakpoint
CREATE TRIGGER "division_overlaps_touch_division" AFTER INSERT OR UPDATE OR DELETE ON "division_overlaps" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('divisions', 'division_id');
--> statement-breakpoint
CREATE TRIGGER "people_record_roster_change" AFTER UPDATE ON "people" FOR EACH ROW EXECUTE FUNCTION "record_roster_person_change"();
