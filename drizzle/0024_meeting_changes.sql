-- Meetings are public objects of their own (all of them, a cancelled one included), so they are an
-- entity of the change feed (`Meeting`, added to change_entity_type in 0023) and keep updated_at
-- current for every writer, as migration 0008 does for divisions, organizations, posts and
-- memberships. Their change rows also move the data version that keys the response cache.
CREATE TRIGGER "meetings_updated_at" BEFORE UPDATE ON "meetings" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "meetings_record_change" AFTER INSERT OR UPDATE OR DELETE ON "meetings" FOR EACH ROW EXECUTE FUNCTION "record_change"('Meeting');
