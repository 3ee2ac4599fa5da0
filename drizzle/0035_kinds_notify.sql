-- Servers keep each jurisdiction's kinds in memory beside the jurisdiction itself
-- (src/modules/jurisdictions/jurisdiction-cache.ts): `locate` and every kindInfo read them, and
-- reading them was two statements per request for rows only an import changes. A write to any
-- kinds table notifies the jurisdictions' channel (migration 0014), so every server forgets the
-- jurisdictions and their kinds together, at commit.
CREATE TRIGGER "division_kinds_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "division_kinds" FOR EACH STATEMENT EXECUTE FUNCTION "notify_jurisdictions_changed"();
--> statement-breakpoint
CREATE TRIGGER "organization_kinds_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization_kinds" FOR EACH STATEMENT EXECUTE FUNCTION "notify_jurisdictions_changed"();
--> statement-breakpoint
CREATE TRIGGER "division_kind_names_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "division_kind_names" FOR EACH STATEMENT EXECUTE FUNCTION "notify_jurisdictions_changed"();
--> statement-breakpoint
CREATE TRIGGER "organization_kind_names_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization_kind_names" FOR EACH STATEMENT EXECUTE FUNCTION "notify_jurisdictions_changed"();
