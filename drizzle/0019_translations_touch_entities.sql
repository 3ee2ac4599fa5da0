-- Translations are text of public records (organizations, seats, postings): a write to one must
-- move the data version that keys the response cache and tell partners following `changes` to
-- re-read the record. A translation is not an entity of the feed of its own, so, like coalition
-- links (touch_owner, migration 0008), it touches the record it translates: an UPDATE of the
-- organization or seat; for a posting, the posting, whose own trigger (migration 0011) touches its
-- body (a draft's translation reveals no more than a draft's edit already does). Meetings have no
-- table yet: their translations touch nothing until they do.
CREATE FUNCTION "translations_touch_entity"() RETURNS trigger
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
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "translations_touch_entity" AFTER INSERT OR UPDATE OR DELETE ON "translations" FOR EACH ROW EXECUTE FUNCTION "translations_touch_entity"();
--> statement-breakpoint

-- Translations have no foreign key (one table for every kind of record): a record's translations
-- go with it. TG_ARGV[0] is the record's translatable_entity_type.
CREATE FUNCTION "delete_translations_of"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM translations WHERE entity_type = TG_ARGV[0]::translatable_entity_type AND entity_id = OLD.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "organizations_delete_translations" AFTER DELETE ON "organizations" FOR EACH ROW EXECUTE FUNCTION "delete_translations_of"('ORGANIZATION');
--> statement-breakpoint
CREATE TRIGGER "posts_delete_translations" AFTER DELETE ON "posts" FOR EACH ROW EXECUTE FUNCTION "delete_translations_of"('POST');
--> statement-breakpoint
CREATE TRIGGER "vacancy_postings_delete_translations" AFTER DELETE ON "vacancy_postings" FOR EACH ROW EXECUTE FUNCTION "delete_translations_of"('VACANCY_POSTING');
