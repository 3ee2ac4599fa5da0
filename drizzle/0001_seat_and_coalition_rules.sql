-- Rules drizzle-kit cannot express: exclusion constraints (btree_gist) and the seat-capacity trigger.
-- Ranges are half-open [start, end); NULL bounds are unbounded, as daterange() treats them.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint

-- A person never holds the same post twice over overlapping dates.
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_post_no_overlap"
  EXCLUDE USING gist ("post_id" WITH =, "person_id" WITH =, daterange("start_date", "end_date", '[)') WITH &&)
  WHERE ("post_id" IS NOT NULL);
--> statement-breakpoint

-- An association belongs to at most one district coalition at any date.
ALTER TABLE "organization_links" ADD CONSTRAINT "organization_links_one_coalition_at_a_time"
  EXCLUDE USING gist ("member_id" WITH =, daterange("start_date", "end_date", '[)') WITH &&)
  WHERE ("kind" = 'DISTRICT_COALITION');
--> statement-breakpoint

-- The same org-in-org link is never recorded twice over overlapping dates.
ALTER TABLE "organization_links" ADD CONSTRAINT "organization_links_pair_no_overlap"
  EXCLUDE USING gist ("member_id" WITH =, "parent_id" WITH =, "kind" WITH =, daterange("start_date", "end_date", '[)') WITH &&);
--> statement-breakpoint

CREATE INDEX "memberships_post_id_period_idx" ON "memberships"
  USING gist ("post_id", daterange("start_date", "end_date", '[)')) WHERE ("post_id" IS NOT NULL);
--> statement-breakpoint

-- A post never has more overlapping holders than max_holders at any date.
-- The post row is locked first, so concurrent appointments to one post are serialized and the
-- count below (a fresh snapshot per statement under READ COMMITTED) sees every committed holder.
-- The peak concurrency inside the new range is reached at the start of some overlapping term.
CREATE FUNCTION "enforce_post_max_holders"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  capacity integer;
  peak integer;
BEGIN
  IF NEW.post_id IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT max_holders INTO capacity FROM posts WHERE id = NEW.post_id FOR UPDATE;
  SELECT coalesce(max(holders), 0) INTO peak
  FROM (
    SELECT (
      SELECT count(*) FROM memberships m2
      WHERE m2.post_id = NEW.post_id
        AND daterange(m2.start_date, m2.end_date, '[)') @> p.at
    ) AS holders
    FROM (
      SELECT greatest(m.start_date, NEW.start_date) AS at
      FROM memberships m
      WHERE m.post_id = NEW.post_id
        AND daterange(m.start_date, m.end_date, '[)') && daterange(NEW.start_date, NEW.end_date, '[)')
    ) p
  ) counts;
  IF peak > capacity THEN
    RAISE EXCEPTION 'post % would have % holders at once; its maximum is %', NEW.post_id, peak, capacity
      USING ERRCODE = '23P01', CONSTRAINT = 'memberships_post_max_holders';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER "memberships_post_max_holders"
  AFTER INSERT OR UPDATE OF "post_id", "start_date", "end_date" ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION "enforce_post_max_holders"();
--> statement-breakpoint

-- Lowering max_holders below the current peak is refused too.
CREATE FUNCTION "enforce_post_capacity_not_below_holders"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  peak integer;
BEGIN
  SELECT coalesce(max(holders), 0) INTO peak
  FROM (
    SELECT (
      SELECT count(*) FROM memberships m2
      WHERE m2.post_id = NEW.id AND daterange(m2.start_date, m2.end_date, '[)') @> m.start_date
    ) AS holders
    FROM memberships m WHERE m.post_id = NEW.id
  ) counts;
  IF peak > NEW.max_holders THEN
    RAISE EXCEPTION 'post % has % holders at once; max_holders cannot be %', NEW.id, peak, NEW.max_holders
      USING ERRCODE = '23P01', CONSTRAINT = 'posts_max_holders_not_below_holders';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint

CREATE TRIGGER "posts_max_holders_not_below_holders"
  AFTER UPDATE OF "max_holders" ON "posts"
  FOR EACH ROW WHEN (NEW.max_holders < OLD.max_holders)
  EXECUTE FUNCTION "enforce_post_capacity_not_below_holders"();
