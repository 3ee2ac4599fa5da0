-- Servers keep jurisdictions in memory: every GraphQL root field and export resolves one by slug,
-- and reading it on each request was a statement per request for a row that changes about never
-- (src/modules/jurisdictions/jurisdiction-cache.ts). Any write to the table, by the import or by
-- plain SQL, tells every listening server to forget what it holds; NOTIFY is sent at commit.
CREATE FUNCTION "notify_jurisdictions_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('jurisdictions_changed', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "jurisdictions_notify_change" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "jurisdictions" FOR EACH STATEMENT EXECUTE FUNCTION "notify_jurisdictions_changed"();
