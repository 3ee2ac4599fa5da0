-- Vacancy postings are public (once published) and show on their body and its seats (openSeats'
-- deadline, Post.openPosting), so a posting's writes must move the data version that keys the
-- response cache, and tell partners following `changes` to re-read what shows them. A posting is
-- not an entity of the feed of its own (a draft's existence is staff-only), so its writes touch its
-- owners, as coalition links and recognitions do (touch_owner, migration 0008): the body, and the
-- seats it recruits for. Applications are private and record nothing; an appointment from one
-- inserts a membership, which records itself.
CREATE TRIGGER "vacancy_postings_touch_organization" AFTER INSERT OR UPDATE OR DELETE ON "vacancy_postings" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('organizations', 'organization_id');
--> statement-breakpoint
CREATE TRIGGER "posting_posts_touch_post" AFTER INSERT OR UPDATE OR DELETE ON "posting_posts" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('posts', 'post_id');
