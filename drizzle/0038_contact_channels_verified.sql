-- Organizations' public channels as staff keep them (issue 15): two more kinds (the website and the
-- usual meeting place), the day staff last confirmed a channel, and the one channel official notices
-- go to (at most one per organization). A channel belongs to its organization's public record, so a
-- write to one touches the organization (touch_owner, migration 0008): the change feed reports an
-- UPDATE of it and the response cache's data version moves.
ALTER TYPE "public"."contact_channel_kind" ADD VALUE 'WEBSITE';--> statement-breakpoint
ALTER TYPE "public"."contact_channel_kind" ADD VALUE 'MEETING_PLACE';--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD COLUMN "verified_on" date;--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD COLUMN "preferred_for_notices" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_contact_channels_preferred_unique" ON "organization_contact_channels" USING btree ("organization_id") WHERE "organization_contact_channels"."preferred_for_notices";--> statement-breakpoint
CREATE TRIGGER "organization_contact_channels_updated_at" BEFORE UPDATE ON "organization_contact_channels" FOR EACH ROW EXECUTE FUNCTION "keep_updated_at_current"();
--> statement-breakpoint
CREATE TRIGGER "organization_contact_channels_touch_organization" AFTER INSERT OR UPDATE OR DELETE ON "organization_contact_channels" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('organizations', 'organization_id');
