CREATE TABLE "change_log_horizons" (
	"jurisdiction_id" integer PRIMARY KEY NOT NULL,
	"xid" "xid8" NOT NULL,
	"id" bigint NOT NULL,
	"pruned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "changes_changed_at_idx" ON "changes" USING btree ("changed_at");