CREATE TYPE "public"."record_origin" AS ENUM('DATASET', 'STAFF');--> statement-breakpoint
ALTER TABLE "organization_links" ADD COLUMN "origin" "record_origin" DEFAULT 'STAFF' NOT NULL;--> statement-breakpoint
-- Who owns a link: the dataset importer reconciles exactly its DATASET links with the dataset
-- (updating, inserting and deleting them); STAFF links (the default, so every API insert is one)
-- are never changed by an import.
-- Every link that exists when this migration runs was written by a dataset import: before it the
-- API had no mutation that creates or edits links. So they are all marked DATASET here, in the same
-- migration, before any staff link can exist.
UPDATE "organization_links" SET "origin" = 'DATASET';
