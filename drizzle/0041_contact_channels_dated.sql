-- Contact channels answerable "as of" a date (issue 15): a channel has the days it was the
-- organization's, [valid_from, valid_until). Staff add one from today; removing one ends it today
-- (a channel added today and removed today is deleted: it was never in effect on a finished day).
-- Uniqueness (one channel per organization, kind and value; one preferred for notices) holds among
-- current channels only, so an ended channel may be recorded again later. Existing rows are
-- current, with no start on record.
ALTER TABLE "organization_contact_channels" DROP CONSTRAINT "organization_contact_channels_organization_id_kind_value_unique";--> statement-breakpoint
DROP INDEX "organization_contact_channels_preferred_unique";--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD COLUMN "valid_from" date;--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD COLUMN "valid_until" date;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_contact_channels_organization_id_kind_value_unique" ON "organization_contact_channels" USING btree ("organization_id","kind","value") WHERE "organization_contact_channels"."valid_until" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "organization_contact_channels_preferred_unique" ON "organization_contact_channels" USING btree ("organization_id") WHERE "organization_contact_channels"."preferred_for_notices" and "organization_contact_channels"."valid_until" is null;--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD CONSTRAINT "organization_contact_channels_valid_range_check" CHECK ("organization_contact_channels"."valid_until" is null or "organization_contact_channels"."valid_from" is null or "organization_contact_channels"."valid_from" < "organization_contact_channels"."valid_until");