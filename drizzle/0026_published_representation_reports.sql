CREATE TABLE "published_reports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "published_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"reporting_year" smallint NOT NULL,
	"context" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"tables" jsonb NOT NULL,
	CONSTRAINT "published_reports_jurisdiction_id_reporting_year_context_unique" UNIQUE("jurisdiction_id","reporting_year","context"),
	CONSTRAINT "published_reports_context_check" CHECK ("published_reports"."context" in ('APPLICANT', 'MEMBER', 'EXIT')),
	CONSTRAINT "published_reports_reporting_year_check" CHECK ("published_reports"."reporting_year" between 2000 and 2100)
);
--> statement-breakpoint
ALTER TABLE "published_reports" ADD CONSTRAINT "published_reports_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;