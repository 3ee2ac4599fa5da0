ALTER TYPE "public"."eligibility_rule" ADD VALUE 'RESIDES_IN_JURISDICTION';--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD COLUMN "extent_kind" text;--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD CONSTRAINT "jurisdictions_extent_kind_check" CHECK ("jurisdictions"."extent_kind" ~ '^[A-Z][A-Z0-9_]*$');--> statement-breakpoint
-- Custom (issue 13, city extent): jurisdictions imported before this migration get the extent their
-- dataset will declare: COUNCIL_DISTRICT wherever such a division with a boundary exists (Portland).
-- The next import sets it from jurisdiction.json's "extent". Text comparison: kinds become data.
UPDATE "jurisdictions" SET "extent_kind" = 'COUNCIL_DISTRICT'
WHERE "extent_kind" IS NULL
  AND EXISTS (SELECT 1 FROM "divisions" d WHERE d."jurisdiction_id" = "jurisdictions"."id" AND d."kind"::text = 'COUNCIL_DISTRICT' AND d."boundary" IS NOT NULL);
