ALTER TABLE "people" ADD COLUMN "source_key" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_jurisdiction_id_source_key_unique" UNIQUE("jurisdiction_id","source_key");--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_post_id_start_date_unique" UNIQUE("person_id","post_id","start_date");