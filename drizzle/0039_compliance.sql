-- Compliance as data (issue 15): compliance_requirements holds what each kind of organization must
-- do to keep its standing (Portland's Standards for Neighborhood Associations, Philadelphia's RCO
-- rules), replaced by each import from compliance_requirements.csv; compliance_evidence holds what
-- staff record as proof (a date met, a document link, a note), never deleted: a mistake is
-- withdrawn with a date, by whom and why. A requirement's status is derived from these rows (and
-- from registration dates) when read, never stored. Evidence has no foreign key to its requirement,
-- so that an import replacing the requirements cannot delete the evidence. A change to an
-- organization's evidence touches the organization, so it reaches the change feed and updatedSince.
-- compliance_lapses records, once, each day a requirement lapses (the lapse job): the status is
-- derived, so nothing else changes that day, and this row is what puts the lapse in the change feed.
CREATE TYPE "public"."compliance_met_by" AS ENUM('EVIDENCE', 'REGISTRATION');--> statement-breakpoint
CREATE TABLE "compliance_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"requirement_code" text NOT NULL,
	"met_on" date NOT NULL,
	"document_url" text,
	"note" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_on" date,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text,
	"withdrawal_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliance_evidence_code_check" CHECK ("compliance_evidence"."requirement_code" ~ '^[A-Z][A-Z0-9_]*$'),
	CONSTRAINT "compliance_evidence_document_url_check" CHECK ("compliance_evidence"."document_url" is null or "compliance_evidence"."document_url" ~* '^https?://'),
	CONSTRAINT "compliance_evidence_withdrawal_check" CHECK (("compliance_evidence"."withdrawn_on" is null) = ("compliance_evidence"."withdrawn_at" is null) and ("compliance_evidence"."withdrawn_on" is null) = ("compliance_evidence"."withdrawn_by" is null) and ("compliance_evidence"."withdrawn_on" is null) = ("compliance_evidence"."withdrawal_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "compliance_lapses" (
	"organization_id" integer NOT NULL,
	"requirement_code" text NOT NULL,
	"lapsed_on" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliance_lapses_pkey" PRIMARY KEY("organization_id","requirement_code","lapsed_on")
);
--> statement-breakpoint
CREATE TABLE "compliance_requirements" (
	"jurisdiction_id" integer NOT NULL,
	"organization_kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"recurrence_months" smallint,
	"met_by" "compliance_met_by" NOT NULL,
	"source" text NOT NULL,
	"sort_order" smallint DEFAULT 0 NOT NULL,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliance_requirements_pkey" PRIMARY KEY("jurisdiction_id","organization_kind","code"),
	CONSTRAINT "compliance_requirements_code_check" CHECK ("compliance_requirements"."code" ~ '^[A-Z][A-Z0-9_]*$'),
	CONSTRAINT "compliance_requirements_recurrence_check" CHECK ("compliance_requirements"."recurrence_months" is null or "compliance_requirements"."recurrence_months" between 1 and 120),
	CONSTRAINT "compliance_requirements_registration_check" CHECK ("compliance_requirements"."met_by" = 'EVIDENCE' or "compliance_requirements"."recurrence_months" is null)
);
--> statement-breakpoint
ALTER TABLE "compliance_evidence" ADD CONSTRAINT "compliance_evidence_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_evidence" ADD CONSTRAINT "compliance_evidence_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_lapses" ADD CONSTRAINT "compliance_lapses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_requirements" ADD CONSTRAINT "compliance_requirements_kind_fk" FOREIGN KEY ("jurisdiction_id","organization_kind") REFERENCES "public"."organization_kinds"("jurisdiction_id","code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "compliance_evidence_organization_id_idx" ON "compliance_evidence" USING btree ("organization_id","requirement_code","met_on");--> statement-breakpoint
CREATE INDEX "compliance_evidence_jurisdiction_id_idx" ON "compliance_evidence" USING btree ("jurisdiction_id","requirement_code");
--> statement-breakpoint
CREATE TRIGGER "compliance_evidence_touch_organization" AFTER INSERT OR UPDATE OR DELETE ON "compliance_evidence" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('organizations', 'organization_id');
--> statement-breakpoint
CREATE TRIGGER "compliance_lapses_touch_organization" AFTER INSERT OR UPDATE OR DELETE ON "compliance_lapses" FOR EACH ROW EXECUTE FUNCTION "touch_owner"('organizations', 'organization_id');
