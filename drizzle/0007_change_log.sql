CREATE TYPE "public"."change_entity_type" AS ENUM('Division', 'Organization', 'Post', 'Membership');--> statement-breakpoint
CREATE TYPE "public"."change_operation" AS ENUM('CREATE', 'UPDATE', 'DELETE');--> statement-breakpoint
CREATE TABLE "changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"entity_type" "change_entity_type" NOT NULL,
	"entity_id" integer NOT NULL,
	"operation" "change_operation" NOT NULL,
	"changed_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "changes_jurisdiction_id_xid_id_idx" ON "changes" USING btree ("jurisdiction_id","xid","id");--> statement-breakpoint
CREATE INDEX "changes_xid_id_idx" ON "changes" USING btree ("xid","id");--> statement-breakpoint
CREATE INDEX "divisions_jurisdiction_id_updated_at_idx" ON "divisions" USING btree ("jurisdiction_id","updated_at");--> statement-breakpoint
CREATE INDEX "organizations_jurisdiction_id_updated_at_idx" ON "organizations" USING btree ("jurisdiction_id","updated_at");--> statement-breakpoint
CREATE INDEX "posts_jurisdiction_id_updated_at_idx" ON "posts" USING btree ("jurisdiction_id","updated_at");--> statement-breakpoint
CREATE INDEX "memberships_jurisdiction_id_updated_at_idx" ON "memberships" USING btree ("jurisdiction_id","updated_at");