CREATE TYPE "public"."division_kind_category" AS ENUM('CITY', 'COUNCIL_DISTRICT', 'BOROUGH', 'COMMUNITY_DISTRICT', 'COALITION_AREA', 'NEIGHBORHOOD', 'BUSINESS_DISTRICT', 'ORGANIZATION_AREA', 'SPECIAL_AREA', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."locate_policy" AS ENUM('ONE', 'ALL', 'NONE');--> statement-breakpoint
CREATE TYPE "public"."organization_kind_category" AS ENUM('NEIGHBORHOOD_ASSOCIATION', 'BUSINESS_DISTRICT_ASSOCIATION', 'DISTRICT_COALITION', 'ADVISORY_BODY', 'COUNCIL', 'NETWORK', 'COMMUNITY_ORGANIZATION', 'COMMUNITY_BOARD', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."overlap_policy" AS ENUM('NEVER', 'WITH_AGREEMENT', 'FREELY');--> statement-breakpoint
CREATE TYPE "public"."recognition_model" AS ENUM('RECOGNITION', 'REGISTRATION', 'NONE');--> statement-breakpoint
CREATE TABLE "division_kind_names" (
	"jurisdiction_id" integer NOT NULL,
	"code" text NOT NULL,
	"locale" text NOT NULL,
	"name" text NOT NULL,
	"plural_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "division_kind_names_pkey" PRIMARY KEY("jurisdiction_id","code","locale")
);
--> statement-breakpoint
CREATE TABLE "division_kinds" (
	"jurisdiction_id" integer NOT NULL,
	"code" text NOT NULL,
	"category" "division_kind_category" NOT NULL,
	"name" text NOT NULL,
	"plural_name" text NOT NULL,
	"overlap_policy" "overlap_policy" NOT NULL,
	"locate" "locate_policy" NOT NULL,
	"sort_order" smallint DEFAULT 0 NOT NULL,
	"source" text,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "division_kinds_pkey" PRIMARY KEY("jurisdiction_id","code"),
	CONSTRAINT "division_kinds_code_check" CHECK ("division_kinds"."code" ~ '^[A-Z][A-Z0-9_]*$')
);
--> statement-breakpoint
CREATE TABLE "organization_kind_names" (
	"jurisdiction_id" integer NOT NULL,
	"code" text NOT NULL,
	"locale" text NOT NULL,
	"name" text NOT NULL,
	"plural_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_kind_names_pkey" PRIMARY KEY("jurisdiction_id","code","locale")
);
--> statement-breakpoint
CREATE TABLE "organization_kinds" (
	"jurisdiction_id" integer NOT NULL,
	"code" text NOT NULL,
	"category" "organization_kind_category" NOT NULL,
	"name" text NOT NULL,
	"plural_name" text NOT NULL,
	"recognition_model" "recognition_model" NOT NULL,
	"registration_term_months" smallint,
	"locate" "locate_policy" NOT NULL,
	"sort_order" smallint DEFAULT 0 NOT NULL,
	"source" text,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_kinds_pkey" PRIMARY KEY("jurisdiction_id","code"),
	CONSTRAINT "organization_kinds_code_check" CHECK ("organization_kinds"."code" ~ '^[A-Z][A-Z0-9_]*$'),
	CONSTRAINT "organization_kinds_registration_term_check" CHECK (("organization_kinds"."recognition_model" = 'REGISTRATION') = ("organization_kinds"."registration_term_months" is not null) and ("organization_kinds"."registration_term_months" is null or "organization_kinds"."registration_term_months" > 0))
);
--> statement-breakpoint
-- Custom (issue 13): the check compares kind with an enum literal; it is dropped around the type change and re-added on text.
ALTER TABLE "organizations" DROP CONSTRAINT "organizations_body_kind_check";--> statement-breakpoint
ALTER TABLE "divisions" ALTER COLUMN "kind" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "organizations" ALTER COLUMN "kind" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_body_kind_check" CHECK ("organizations"."body_kind" is null or "organizations"."kind" = 'ADVISORY_BODY');--> statement-breakpoint
-- Custom (issue 13): an existing database gets the old enum values (Portland's kinds) as kinds of every
-- jurisdiction it holds, before the foreign keys below; the next import of the city's kinds.csv updates them.
INSERT INTO "division_kinds" ("jurisdiction_id", "code", "category", "name", "plural_name", "overlap_policy", "locate", "sort_order", "source", "origin")
SELECT j."id", k.code, k.code::"division_kind_category", k.name, k.plural_name, k.overlap::"overlap_policy", k.locate::"locate_policy", k.sort_order, 'migration 0030 (the old division_kind enum)', 'DATASET'
FROM "jurisdictions" j CROSS JOIN (VALUES
  ('CITY', 'City', 'Cities', 'NEVER', 'NONE', 1),
  ('COUNCIL_DISTRICT', 'Council district', 'Council districts', 'NEVER', 'ONE', 2),
  ('COALITION_AREA', 'Coalition area', 'Coalition areas', 'FREELY', 'NONE', 3),
  ('NEIGHBORHOOD', 'Neighborhood', 'Neighborhoods', 'WITH_AGREEMENT', 'ALL', 4),
  ('BUSINESS_DISTRICT', 'Business district', 'Business districts', 'FREELY', 'ALL', 5)
) AS k(code, name, plural_name, overlap, locate, sort_order);--> statement-breakpoint
INSERT INTO "organization_kinds" ("jurisdiction_id", "code", "category", "name", "plural_name", "recognition_model", "locate", "sort_order", "source", "origin")
SELECT j."id", k.code, k.code::"organization_kind_category", k.name, k.plural_name, k.model::"recognition_model", k.locate::"locate_policy", k.sort_order, 'migration 0030 (the old organization_kind enum)', 'DATASET'
FROM "jurisdictions" j CROSS JOIN (VALUES
  ('NEIGHBORHOOD_ASSOCIATION', 'Neighborhood association', 'Neighborhood associations', 'RECOGNITION', 'ALL', 1),
  ('BUSINESS_DISTRICT_ASSOCIATION', 'Business district association', 'Business district associations', 'NONE', 'ALL', 2),
  ('DISTRICT_COALITION', 'District coalition', 'District coalitions', 'NONE', 'ALL', 3),
  ('ADVISORY_BODY', 'Advisory body', 'Advisory bodies', 'NONE', 'NONE', 4),
  ('COUNCIL', 'City council', 'City councils', 'NONE', 'NONE', 5),
  ('NETWORK', 'Network', 'Networks', 'NONE', 'NONE', 6)
) AS k(code, name, plural_name, model, locate, sort_order);--> statement-breakpoint
ALTER TABLE "division_kind_names" ADD CONSTRAINT "division_kind_names_kind_fk" FOREIGN KEY ("jurisdiction_id","code") REFERENCES "public"."division_kinds"("jurisdiction_id","code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "division_kinds" ADD CONSTRAINT "division_kinds_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_kind_names" ADD CONSTRAINT "organization_kind_names_kind_fk" FOREIGN KEY ("jurisdiction_id","code") REFERENCES "public"."organization_kinds"("jurisdiction_id","code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "organization_kinds" ADD CONSTRAINT "organization_kinds_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_kind_fk" FOREIGN KEY ("jurisdiction_id","kind") REFERENCES "public"."division_kinds"("jurisdiction_id","code") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_kind_fk" FOREIGN KEY ("jurisdiction_id","kind") REFERENCES "public"."organization_kinds"("jurisdiction_id","code") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
DROP TYPE "public"."division_kind";--> statement-breakpoint
DROP TYPE "public"."organization_kind";