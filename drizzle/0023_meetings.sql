CREATE TYPE "public"."meeting_status" AS ENUM('SCHEDULED', 'CANCELLED');--> statement-breakpoint
ALTER TYPE "public"."change_entity_type" ADD VALUE 'Meeting';--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "meetings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone,
	"location" text,
	"online_url" text,
	"public_notice_at" timestamp (3) with time zone,
	"agenda_url" text,
	"agenda_summary" text,
	"minutes_url" text,
	"minutes_approved_on" date,
	"interpretation_languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"accessibility_notes" text,
	"status" "meeting_status" DEFAULT 'SCHEDULED' NOT NULL,
	"cancellation_reason" text,
	"cancelled_at" timestamp (3) with time zone,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_time_range_check" CHECK ("meetings"."ends_at" is null or "meetings"."ends_at" > "meetings"."starts_at"),
	CONSTRAINT "meetings_notice_check" CHECK ("meetings"."public_notice_at" is null or "meetings"."public_notice_at" <= "meetings"."starts_at"),
	CONSTRAINT "meetings_place_check" CHECK ("meetings"."location" is not null or "meetings"."online_url" is not null),
	CONSTRAINT "meetings_urls_check" CHECK (("meetings"."online_url" is null or "meetings"."online_url" ~* '^https?://[^[:space:]]+$')
        and ("meetings"."agenda_url" is null or "meetings"."agenda_url" ~* '^https?://[^[:space:]]+$')
        and ("meetings"."minutes_url" is null or "meetings"."minutes_url" ~* '^https?://[^[:space:]]+$')),
	CONSTRAINT "meetings_interpretation_languages_check" CHECK (cardinality("meetings"."interpretation_languages") <= 30
        and array_to_string("meetings"."interpretation_languages", ' ') ~ '^([A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*( |$))*$'),
	CONSTRAINT "meetings_cancellation_check" CHECK (("meetings"."status" = 'CANCELLED') = ("meetings"."cancelled_at" is not null)
        and ("meetings"."status" = 'CANCELLED' or "meetings"."cancellation_reason" is null))
);
--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meetings_jurisdiction_id_starts_at_idx" ON "meetings" USING btree ("jurisdiction_id","starts_at","id");--> statement-breakpoint
CREATE INDEX "meetings_organization_id_starts_at_idx" ON "meetings" USING btree ("organization_id","starts_at","id");--> statement-breakpoint
CREATE INDEX "meetings_jurisdiction_id_updated_at_idx" ON "meetings" USING btree ("jurisdiction_id","updated_at");