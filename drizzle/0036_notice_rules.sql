-- Land-use notice rules as data (issue 15): each city's procedures (Philadelphia's zoning variance,
-- New York's ULURP, Portland's neighborhood contact), the organization kinds each notifies and how
-- far it reaches (the area holding the site, or within a distance of it), and the deadlines counted
-- from the filing. Imported from the dataset's notice_*.csv files; `noticeRecipients` reads them.
CREATE TYPE "public"."notice_deadline_start" AS ENUM('FILING', 'PREVIOUS_STEP');--> statement-breakpoint
CREATE TYPE "public"."notice_reach" AS ENUM('CONTAINS_SITE', 'WITHIN_DISTANCE');--> statement-breakpoint
CREATE TYPE "public"."notice_requirement" AS ENUM('MUST', 'SHOULD');--> statement-breakpoint
CREATE TABLE "notice_deadlines" (
	"jurisdiction_id" integer NOT NULL,
	"procedure_code" text NOT NULL,
	"step" smallint NOT NULL,
	"label" text NOT NULL,
	"responsible" text NOT NULL,
	"days" smallint NOT NULL,
	"counted_from" "notice_deadline_start" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_deadlines_pkey" PRIMARY KEY("jurisdiction_id","procedure_code","step"),
	CONSTRAINT "notice_deadlines_step_check" CHECK ("notice_deadlines"."step" > 0 and ("notice_deadlines"."step" > 1 or "notice_deadlines"."counted_from" = 'FILING')),
	CONSTRAINT "notice_deadlines_days_check" CHECK ("notice_deadlines"."days" between 0 and 3650)
);
--> statement-breakpoint
CREATE TABLE "notice_procedures" (
	"jurisdiction_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"sort_order" smallint DEFAULT 0 NOT NULL,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_procedures_pkey" PRIMARY KEY("jurisdiction_id","code"),
	CONSTRAINT "notice_procedures_code_check" CHECK ("notice_procedures"."code" ~ '^[A-Z][A-Z0-9_]*$')
);
--> statement-breakpoint
CREATE TABLE "notice_rules" (
	"jurisdiction_id" integer NOT NULL,
	"procedure_code" text NOT NULL,
	"organization_kind" text NOT NULL,
	"requirement" "notice_requirement" NOT NULL,
	"reach" "notice_reach" NOT NULL,
	"distance_meters" double precision,
	"registered_only" boolean DEFAULT false NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notice_rules_pkey" PRIMARY KEY("jurisdiction_id","procedure_code","organization_kind"),
	CONSTRAINT "notice_rules_distance_check" CHECK (("notice_rules"."reach" = 'WITHIN_DISTANCE') = ("notice_rules"."distance_meters" is not null) and ("notice_rules"."distance_meters" is null or "notice_rules"."distance_meters" between 0 and 10000))
);
--> statement-breakpoint
ALTER TABLE "notice_deadlines" ADD CONSTRAINT "notice_deadlines_procedure_fk" FOREIGN KEY ("jurisdiction_id","procedure_code") REFERENCES "public"."notice_procedures"("jurisdiction_id","code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "notice_procedures" ADD CONSTRAINT "notice_procedures_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_rules" ADD CONSTRAINT "notice_rules_procedure_fk" FOREIGN KEY ("jurisdiction_id","procedure_code") REFERENCES "public"."notice_procedures"("jurisdiction_id","code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "notice_rules" ADD CONSTRAINT "notice_rules_kind_fk" FOREIGN KEY ("jurisdiction_id","organization_kind") REFERENCES "public"."organization_kinds"("jurisdiction_id","code") ON DELETE cascade ON UPDATE cascade;