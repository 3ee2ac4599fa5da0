CREATE TYPE "public"."division_kind" AS ENUM('CITY', 'COUNCIL_DISTRICT', 'COALITION_AREA', 'NEIGHBORHOOD', 'BUSINESS_DISTRICT');--> statement-breakpoint
CREATE TYPE "public"."organization_kind" AS ENUM('NEIGHBORHOOD_ASSOCIATION', 'BUSINESS_DISTRICT_ASSOCIATION', 'DISTRICT_COALITION', 'ADVISORY_BODY', 'COUNCIL', 'NETWORK');--> statement-breakpoint
CREATE TYPE "public"."organization_link_kind" AS ENUM('DISTRICT_COALITION', 'NETWORK');--> statement-breakpoint
CREATE TYPE "public"."organization_status" AS ENUM('ACTIVE', 'INACTIVE', 'DISSOLVED');--> statement-breakpoint
CREATE TYPE "public"."selection_method" AS ENUM('APPOINTED', 'ELECTED', 'EX_OFFICIO', 'SELF_SELECTED');--> statement-breakpoint
CREATE TYPE "public"."membership_end_reason" AS ENUM('TERM_COMPLETED', 'RESIGNED', 'DEEMED_RESIGNED_ABSENCES', 'REMOVED', 'DECEASED', 'POST_ABOLISHED', 'MOVED_OUT_OF_DISTRICT', 'OTHER');--> statement-breakpoint
CREATE TABLE "jurisdictions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "jurisdictions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"ocd_id" text NOT NULL,
	"timezone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jurisdictions_slug_unique" UNIQUE("slug"),
	CONSTRAINT "jurisdictions_ocd_id_unique" UNIQUE("ocd_id")
);
--> statement-breakpoint
CREATE TABLE "division_overlaps" (
	"division_id" integer NOT NULL,
	"other_division_id" integer NOT NULL,
	"share" real NOT NULL,
	CONSTRAINT "division_overlaps_pkey" PRIMARY KEY("division_id","other_division_id"),
	CONSTRAINT "division_overlaps_share_check" CHECK ("division_overlaps"."share" > 0 and "division_overlaps"."share" <= 1.0001),
	CONSTRAINT "division_overlaps_distinct_check" CHECK ("division_overlaps"."division_id" <> "division_overlaps"."other_division_id")
);
--> statement-breakpoint
CREATE TABLE "divisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "divisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"source_key" text NOT NULL,
	"ocd_id" text NOT NULL,
	"kind" "division_kind" NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"valid_from" date,
	"valid_until" date,
	"boundary" jsonb,
	"min_longitude" double precision,
	"min_latitude" double precision,
	"max_longitude" double precision,
	"max_latitude" double precision,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "divisions_jurisdiction_id_source_key_unique" UNIQUE("jurisdiction_id","source_key"),
	CONSTRAINT "divisions_jurisdiction_id_ocd_id_unique" UNIQUE("jurisdiction_id","ocd_id"),
	CONSTRAINT "divisions_valid_range_check" CHECK ("divisions"."valid_until" is null or "divisions"."valid_from" is null or "divisions"."valid_from" < "divisions"."valid_until"),
	CONSTRAINT "divisions_ocd_id_check" CHECK ("divisions"."ocd_id" ~ '^ocd-division/country:[a-z]{2}(/[a-z_]+:[a-z0-9_.~-]+)*$'),
	CONSTRAINT "divisions_bbox_check" CHECK (("divisions"."boundary" is null and "divisions"."min_longitude" is null and "divisions"."min_latitude" is null and "divisions"."max_longitude" is null and "divisions"."max_latitude" is null)
        or ("divisions"."boundary" is not null and "divisions"."min_longitude" between -180 and "divisions"."max_longitude" and "divisions"."max_longitude" <= 180
            and "divisions"."min_latitude" between -90 and "divisions"."max_latitude" and "divisions"."max_latitude" <= 90))
);
--> statement-breakpoint
CREATE TABLE "organization_links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organization_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"kind" "organization_link_kind" NOT NULL,
	"member_id" integer NOT NULL,
	"parent_id" integer NOT NULL,
	"start_date" date,
	"end_date" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_links_dates_check" CHECK ("organization_links"."end_date" is null or "organization_links"."start_date" is null or "organization_links"."start_date" < "organization_links"."end_date"),
	CONSTRAINT "organization_links_distinct_check" CHECK ("organization_links"."member_id" <> "organization_links"."parent_id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organizations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"slug" text NOT NULL,
	"kind" "organization_kind" NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"description" text,
	"website" text,
	"status" "organization_status" DEFAULT 'ACTIVE' NOT NULL,
	"division_id" integer,
	"overseen_by" text,
	"founded_on" date,
	"dissolved_on" date,
	"min_members" integer,
	"max_members" integer,
	"source_url" text,
	"source_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_jurisdiction_id_slug_unique" UNIQUE("jurisdiction_id","slug"),
	CONSTRAINT "organizations_slug_check" CHECK ("organizations"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "organizations_dates_check" CHECK ("organizations"."dissolved_on" is null or "organizations"."founded_on" is null or "organizations"."founded_on" < "organizations"."dissolved_on"),
	CONSTRAINT "organizations_members_check" CHECK ("organizations"."min_members" is null or "organizations"."max_members" is null or "organizations"."min_members" <= "organizations"."max_members"),
	CONSTRAINT "organizations_dissolved_check" CHECK ("organizations"."dissolved_on" is null or "organizations"."status" = 'DISSOLVED')
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"source_key" text NOT NULL,
	"label" text NOT NULL,
	"role" text NOT NULL,
	"division_id" integer,
	"appointing_authority" text,
	"selection_method" "selection_method" NOT NULL,
	"max_holders" integer DEFAULT 1 NOT NULL,
	"term_length_months" integer,
	"term_limit" integer,
	"takes_applications" boolean DEFAULT false NOT NULL,
	"eligibility" text,
	"created_on" date,
	"abolished_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posts_organization_id_source_key_unique" UNIQUE("organization_id","source_key"),
	CONSTRAINT "posts_id_organization_id_unique" UNIQUE("id","organization_id"),
	CONSTRAINT "posts_max_holders_check" CHECK ("posts"."max_holders" >= 1),
	CONSTRAINT "posts_term_length_check" CHECK ("posts"."term_length_months" is null or "posts"."term_length_months" > 0),
	CONSTRAINT "posts_term_limit_check" CHECK ("posts"."term_limit" is null or "posts"."term_limit" >= 1),
	CONSTRAINT "posts_dates_check" CHECK ("posts"."abolished_on" is null or "posts"."created_on" is null or "posts"."created_on" < "posts"."abolished_on")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "people_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"name" text NOT NULL,
	"sort_name" text,
	"public_bio" text,
	"is_sample" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_private_details" (
	"person_id" integer PRIMARY KEY NOT NULL,
	"email" text,
	"phone" text,
	"home_address" text,
	"home_latitude" double precision,
	"home_longitude" double precision,
	"preferred_language" text,
	"interpreter_needed" boolean,
	"accessibility_needs" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "memberships_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"post_id" integer,
	"role" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"scheduled_end_date" date,
	"end_reason" "membership_end_reason",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_dates_check" CHECK ("memberships"."end_date" is null or "memberships"."start_date" < "memberships"."end_date"),
	CONSTRAINT "memberships_scheduled_end_check" CHECK ("memberships"."scheduled_end_date" is null or "memberships"."start_date" < "memberships"."scheduled_end_date"),
	CONSTRAINT "memberships_end_reason_check" CHECK ("memberships"."end_reason" is null or "memberships"."end_date" is not null)
);
--> statement-breakpoint
CREATE TABLE "dataset_imports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dataset_imports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"content_hash" text NOT NULL,
	"summary" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "division_overlaps" ADD CONSTRAINT "division_overlaps_division_id_divisions_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."divisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "division_overlaps" ADD CONSTRAINT "division_overlaps_other_division_id_divisions_id_fk" FOREIGN KEY ("other_division_id") REFERENCES "public"."divisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_parent_id_divisions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."divisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_links" ADD CONSTRAINT "organization_links_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_links" ADD CONSTRAINT "organization_links_member_id_organizations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_links" ADD CONSTRAINT "organization_links_parent_id_organizations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_division_id_divisions_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."divisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_division_id_divisions_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."divisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_private_details" ADD CONSTRAINT "person_private_details_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_post_id_organization_id_fk" FOREIGN KEY ("post_id","organization_id") REFERENCES "public"."posts"("id","organization_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_imports" ADD CONSTRAINT "dataset_imports_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "division_overlaps_other_division_id_idx" ON "division_overlaps" USING btree ("other_division_id");--> statement-breakpoint
CREATE INDEX "divisions_jurisdiction_id_kind_name_idx" ON "divisions" USING btree ("jurisdiction_id","kind","name","id");--> statement-breakpoint
CREATE INDEX "divisions_parent_id_idx" ON "divisions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "divisions_bbox_idx" ON "divisions" USING gist (box(point("min_longitude", "min_latitude"), point("max_longitude", "max_latitude"))) WHERE "divisions"."boundary" is not null;--> statement-breakpoint
CREATE INDEX "organization_links_member_id_idx" ON "organization_links" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "organization_links_parent_id_idx" ON "organization_links" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "organizations_jurisdiction_id_kind_name_idx" ON "organizations" USING btree ("jurisdiction_id","kind","name","id");--> statement-breakpoint
CREATE INDEX "organizations_division_id_idx" ON "organizations" USING btree ("division_id");--> statement-breakpoint
CREATE INDEX "posts_organization_id_label_idx" ON "posts" USING btree ("organization_id","label","id");--> statement-breakpoint
CREATE INDEX "posts_division_id_idx" ON "posts" USING btree ("division_id");--> statement-breakpoint
CREATE INDEX "posts_jurisdiction_id_open_idx" ON "posts" USING btree ("jurisdiction_id","id") WHERE "posts"."takes_applications";--> statement-breakpoint
CREATE INDEX "people_jurisdiction_id_name_idx" ON "people" USING btree ("jurisdiction_id","name","id");--> statement-breakpoint
CREATE INDEX "memberships_post_id_start_date_idx" ON "memberships" USING btree ("post_id","start_date");--> statement-breakpoint
CREATE INDEX "memberships_organization_id_start_date_idx" ON "memberships" USING btree ("organization_id","start_date","id");--> statement-breakpoint
CREATE INDEX "memberships_person_id_idx" ON "memberships" USING btree ("person_id");