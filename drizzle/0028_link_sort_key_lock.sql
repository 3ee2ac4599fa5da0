-- The link reads its member's key with the lock its touch of the member (migration 0008) takes at the
-- end of the same statement, FOR NO KEY UPDATE, instead of FOR SHARE. With FOR SHARE, two writers
-- adding links of one member at once (statements of several rows, as bulk loads write them, or two
-- single-row statements interleaved between the read and the touch) each held the shared lock, then
-- each waited for the other's to touch the member: a deadlock (40P01) that migration 0027 brought in;
-- before it a link took only the foreign key's FOR KEY SHARE, which the touch does not wait for.
-- A rename of the member still waits for this link's transaction, or this reads the new name.
CREATE OR REPLACE FUNCTION "set_link_member_sort_name"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT lower(o.name) INTO NEW.member_sort_name FROM organizations o WHERE o.id = NEW.member_id FOR NO KEY UPDATE;
  NEW.member_sort_name := coalesce(NEW.member_sort_name, '');
  RETURN NEW;
END;
$$;
