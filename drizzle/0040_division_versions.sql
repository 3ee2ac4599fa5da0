-- Dated boundary changes (issue 15): a division row may be an earlier version of an area
-- (version_of = the area's latest version). associationBoundarySet with effectiveOn keeps the old
-- boundary in such a row, valid until that day, and gives the latest version the new boundary from
-- it; readers "as of" a date (locate, noticeRecipients, Division.organizations) join organizations
-- on coalesce(version_of, id). The OCD id names the area, so it stays unique among latest versions
-- only.
ALTER TABLE "divisions" DROP CONSTRAINT "divisions_jurisdiction_id_ocd_id_unique";--> statement-breakpoint
ALTER TABLE "divisions" ADD COLUMN "version_of" integer;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_version_of_divisions_id_fk" FOREIGN KEY ("version_of") REFERENCES "public"."divisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "divisions_jurisdiction_id_ocd_id_unique" ON "divisions" USING btree ("jurisdiction_id","ocd_id") WHERE "divisions"."version_of" is null;--> statement-breakpoint
CREATE INDEX "divisions_version_of_idx" ON "divisions" USING btree ("version_of");--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_version_of_check" CHECK ("divisions"."version_of" <> "divisions"."id");