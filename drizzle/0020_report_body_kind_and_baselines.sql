CREATE TYPE "public"."body_kind" AS ENUM('BOARD', 'COMMISSION', 'COMMITTEE', 'TASK_FORCE', 'OTHER');--> statement-breakpoint
CREATE TABLE "population_baselines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "population_baselines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"division_id" integer,
	"question" text NOT NULL,
	"category" text NOT NULL,
	"share" double precision NOT NULL,
	"source" text NOT NULL,
	"source_year" smallint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "population_baselines_jurisdiction_id_source_division_id_question_category_unique" UNIQUE NULLS NOT DISTINCT("jurisdiction_id","source","division_id","question","category"),
	CONSTRAINT "population_baselines_share_check" CHECK ("population_baselines"."share" >= 0 and "population_baselines"."share" <= 1),
	CONSTRAINT "population_baselines_source_year_check" CHECK ("population_baselines"."source_year" between 1900 and 2100),
	CONSTRAINT "population_baselines_source_check" CHECK (length("population_baselines"."source") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "body_kind" "body_kind";--> statement-breakpoint
ALTER TABLE "population_baselines" ADD CONSTRAINT "population_baselines_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "population_baselines" ADD CONSTRAINT "population_baselines_division_id_divisions_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."divisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "population_baselines_jurisdiction_id_division_id_idx" ON "population_baselines" USING btree ("jurisdiction_id","division_id");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_body_kind_check" CHECK ("organizations"."body_kind" is null or "organizations"."kind" = 'ADVISORY_BODY');