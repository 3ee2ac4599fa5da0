-- Custom migration (hand-written; stands alone): typo- and accent-tolerant text search.
-- pg_trgm gives trigram similarity and GIN operator classes; unaccent strips diacritics.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary is looked up through search_path), so no index can use
-- it. This wrapper names the function and dictionary by schema, which makes its result depend on its
-- argument alone, and so may be declared IMMUTABLE. Lower case too: searches ignore case and accents.
CREATE OR REPLACE FUNCTION public.search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS organizations_name_search_idx ON organizations USING gin (public.search_text(name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS organizations_short_name_search_idx ON organizations USING gin (public.search_text(short_name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS divisions_name_search_idx ON divisions USING gin (public.search_text(name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS vacancy_postings_title_search_idx ON vacancy_postings USING gin (public.search_text(title) gin_trgm_ops);
