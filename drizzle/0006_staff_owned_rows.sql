ALTER TABLE "divisions" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
-- Rows existing now came from dataset imports, except those the API created, which carry the
-- API's source keys (`staff-…` seats, `api:…` divisions); organizations created through the API
-- before this migration cannot be told apart and are treated as the dataset's.
UPDATE "divisions" SET "origin" = 'DATASET' WHERE "source_key" NOT LIKE 'api:%';
--> statement-breakpoint
UPDATE "organizations" SET "origin" = 'DATASET';
--> statement-breakpoint
UPDATE "posts" SET "origin" = 'DATASET' WHERE "source_key" NOT LIKE 'staff-%';
