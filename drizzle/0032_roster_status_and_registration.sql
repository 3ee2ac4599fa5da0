CREATE TYPE "public"."roster_status" AS ENUM('RECORDED', 'PARTLY_RECORDED', 'NOT_RECORDED');--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "roster_status" "roster_status" DEFAULT 'NOT_RECORDED' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "roster_as_of" date;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "registered_on" date;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "registration_expires_on" date;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "registration_expiry_recorded_on" date;--> statement-breakpoint
CREATE INDEX "organizations_registration_expires_on_idx" ON "organizations" USING btree ("registration_expires_on") WHERE "organizations"."registration_expires_on" is not null;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_registration_dates_check" CHECK (("organizations"."registered_on" is null) = ("organizations"."registration_expires_on" is null) and ("organizations"."registered_on" is null or "organizations"."registered_on" < "organizations"."registration_expires_on"));--> statement-breakpoint
-- Custom (issue 13, "unknown is not vacant"): existing rows default to NOT_RECORDED, the honest
-- answer for imported bodies whose holders the dataset never listed. Bodies staff created through
-- the API (organizationCreate) have had their roster kept here from the start: RECORDED, as of the
-- day they were created. (The import writes roster_status from organizations.csv on its next run.)
UPDATE "organizations" o SET "roster_status" = 'RECORDED', "roster_as_of" = (a."occurred_at" AT TIME ZONE j."timezone")::date
  FROM "audit_events" a, "jurisdictions" j
  WHERE a."action" = 'organizationCreate' AND a."subject_type" = 'Organization' AND a."subject_id" = o."id" AND j."id" = o."jurisdiction_id";
