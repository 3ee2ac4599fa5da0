-- Replaces the capacity check of 0001, which had two faults:
-- 1. It locked the post FOR UPDATE, which conflicts with the FOR KEY SHARE lock the membership's
--    foreign key check already holds, so concurrent appointments to one post deadlocked.
-- 2. It relied on a fresh snapshot per statement, which only READ COMMITTED gives: under
--    REPEATABLE READ, concurrent transactions each counted the holders of their own old snapshot.
-- Now the trigger WRITES the post row (a no-op update). Concurrent appointments to one post then
-- queue on that row lock; under READ COMMITTED the next one re-reads and counts every committed
-- holder, and under REPEATABLE READ or SERIALIZABLE it fails with a serialization error (40001)
-- instead of over-filling the seat. The update changes no key column, so it takes FOR NO KEY
-- UPDATE and does not conflict with the FOR KEY SHARE lock of the membership's foreign key check.
CREATE OR REPLACE FUNCTION "enforce_post_max_holders"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  capacity integer;
  peak integer;
BEGIN
  IF NEW.post_id IS NULL THEN
    RETURN NEW;
  END IF;
  UPDATE posts SET max_holders = max_holders WHERE id = NEW.post_id RETURNING max_holders INTO capacity;
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
