-- Custom migration (hand-written; stands alone): staff find people by name (peopleSearch), with the
-- same typo- and accent-tolerant matching as the public search (0010): GIN trigram indexes on
-- search_text() of the name and of the sort name, so LIKE, % and %>> filters can use them.
CREATE INDEX IF NOT EXISTS people_name_search_idx ON people USING gin (public.search_text(name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS people_sort_name_search_idx ON people USING gin (public.search_text(sort_name) gin_trgm_ops);
