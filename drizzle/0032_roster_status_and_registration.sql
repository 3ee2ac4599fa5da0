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
--> statement-breakpoint
-- Custom (issue 13): only an organization of a kind whose recognition model is REGISTRATION carries
-- registration dates (Philadelphia's RCOs). A CHECK cannot read organization_kinds, so a trigger
-- refuses the row (SQLSTATE 23514, as a CHECK would). The importer checks the same first and names
-- the row; a kind's model is not expected to change under registered organizations.
CREATE FUNCTION "organizations_registration_kind_check"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.registered_on IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM organization_kinds k
    WHERE k.jurisdiction_id = NEW.jurisdiction_id AND k.code = NEW.kind AND k.recognition_model = 'REGISTRATION'
  ) THEN
    RAISE EXCEPTION 'organization % of kind % has registration dates, but its kind''s recognition model is not REGISTRATION', NEW.slug, NEW.kind
      USING ERRCODE = '23514', CONSTRAINT = 'organizations_registration_kind_check';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "organizations_registration_kind_check" BEFORE INSERT OR UPDATE OF "registered_on", "registration_expires_on", "kind" ON "organizations"
  FOR EACH ROW EXECUTE FUNCTION "organizations_registration_kind_check"();
