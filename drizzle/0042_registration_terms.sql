-- Registration as Philadelphia runs it (issue 15): organization_registrations keeps every term of an
-- organization's registration, [registered_on, expires_on), so renewals and lapses stay answerable
-- "as of" any day; organizations.registered_on / registration_expires_on mirror the latest term.
-- organization_kinds.registration_intake_month is the month new registrations and renewals are
-- accepted in (kinds.csv; Philadelphia's June intake). Existing registrations become one term each.
CREATE TABLE "organization_registrations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organization_registrations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"registered_on" date NOT NULL,
	"expires_on" date NOT NULL,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_registrations_organization_id_registered_on_unique" UNIQUE("organization_id","registered_on"),
	CONSTRAINT "organization_registrations_dates_check" CHECK ("organization_registrations"."registered_on" < "organization_registrations"."expires_on")
);
--> statement-breakpoint
ALTER TABLE "organization_kinds" ADD COLUMN "registration_intake_month" smallint;--> statement-breakpoint
ALTER TABLE "organization_registrations" ADD CONSTRAINT "organization_registrations_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_registrations" ADD CONSTRAINT "organization_registrations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_registrations_jurisdiction_id_idx" ON "organization_registrations" USING btree ("jurisdiction_id");--> statement-breakpoint
ALTER TABLE "organization_kinds" ADD CONSTRAINT "organization_kinds_registration_intake_month_check" CHECK ("organization_kinds"."registration_intake_month" is null or ("organization_kinds"."recognition_model" = 'REGISTRATION' and "organization_kinds"."registration_intake_month" between 1 and 12));--> statement-breakpoint
INSERT INTO "organization_registrations" ("jurisdiction_id", "organization_id", "registered_on", "expires_on", "origin")
  SELECT "jurisdiction_id", "id", "registered_on", "registration_expires_on", "origin" FROM "organizations" WHERE "registered_on" IS NOT NULL;
