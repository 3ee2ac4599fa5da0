-- Meetings have a table now (migration 0023): a translation of a meeting's title or agenda summary
-- touches the meeting, so its updatedAt, the change feed and the response cache follow, as for the
-- other translated records (migration 0019); and a meeting's translations go with it.
CREATE OR REPLACE FUNCTION "translations_touch_entity"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF r.entity_type = 'ORGANIZATION' THEN
    UPDATE organizations SET updated_at = now() WHERE id = r.entity_id AND updated_at IS DISTINCT FROM now();
  ELSIF r.entity_type = 'POST' THEN
    UPDATE posts SET updated_at = now() WHERE id = r.entity_id AND updated_at IS DISTINCT FROM now();
  ELSIF r.entity_type = 'VACANCY_POSTING' THEN
    UPDATE vacancy_postings SET updated_at = now() WHERE id = r.entity_id AND updated_at IS DISTINCT FROM now();
  ELSIF r.entity_type = 'MEETING' THEN
    UPDATE meetings SET updated_at = now() WHERE id = r.entity_id AND updated_at IS DISTINCT FROM now();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "meetings_delete_translations" AFTER DELETE ON "meetings" FOR EACH ROW EXECUTE FUNCTION "delete_translations_of"('MEETING');
