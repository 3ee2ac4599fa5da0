CREATE TYPE "public"."contact_channel_kind" AS ENUM('ADDRESS', 'PHONE', 'EMAIL');--> statement-breakpoint
CREATE TABLE "organization_contact_channels" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organization_contact_channels_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"kind" "contact_channel_kind" NOT NULL,
	"value" text NOT NULL,
	"source_url" text,
	"note" text,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_contact_channels_organization_id_kind_value_unique" UNIQUE("organization_id","kind","value"),
	CONSTRAINT "organization_contact_channels_value_check" CHECK (length("organization_contact_channels"."value") between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD CONSTRAINT "organization_contact_channels_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_contact_channels" ADD CONSTRAINT "organization_contact_channels_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_contact_channels_jurisdiction_id_idx" ON "organization_contact_channels" USING btree ("jurisdiction_id");--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_jurisdiction_id_source_key_unique" UNIQUE("jurisdiction_id","source_key");--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_post_id_start_date_unique" UNIQUE("person_id","post_id","start_date");