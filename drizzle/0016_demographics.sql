CREATE SCHEMA "demographics";
--> statement-breakpoint
CREATE TYPE "demographics"."response_context" AS ENUM('APPLICANT', 'MEMBER', 'EXIT');--> statement-breakpoint
CREATE TABLE "demographics"."responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"context" "demographics"."response_context" NOT NULL,
	"reporting_year" smallint NOT NULL,
	"council_district_id" integer,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "responses_reporting_year_check" CHECK ("demographics"."responses"."reporting_year" between 2000 and 2100),
	CONSTRAINT "responses_answers_check" CHECK (jsonb_typeof("demographics"."responses"."answers") = 'object')
);
--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD COLUMN "report_minimum_count" smallint DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "demographics"."responses" ADD CONSTRAINT "responses_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demographics"."responses" ADD CONSTRAINT "responses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demographics"."responses" ADD CONSTRAINT "responses_council_district_id_divisions_id_fk" FOREIGN KEY ("council_district_id") REFERENCES "public"."divisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "responses_jurisdiction_id_reporting_year_context_idx" ON "demographics"."responses" USING btree ("jurisdiction_id","reporting_year","context");--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD CONSTRAINT "jurisdictions_report_minimum_count_check" CHECK ("jurisdictions"."report_minimum_count" between 5 and 100);