CREATE TYPE "public"."composition_rule_kind" AS ENUM('MIN_SHARE_NOMINATED', 'MAX_SHARE_CITY_EMPLOYEES');--> statement-breakpoint
CREATE TYPE "public"."term_limit_counting" AS ENUM('CONSECUTIVE_TERMS', 'TOTAL_TERMS');--> statement-breakpoint
CREATE TABLE "composition_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "composition_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"code" text NOT NULL,
	"rule" "composition_rule_kind" NOT NULL,
	"numerator" integer NOT NULL,
	"denominator" integer NOT NULL,
	"description" text,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "composition_rules_organization_id_code_unique" UNIQUE("organization_id","code"),
	CONSTRAINT "composition_rules_share_check" CHECK ("composition_rules"."denominator" >= 1 and "composition_rules"."numerator" >= 0 and "composition_rules"."numerator" <= "composition_rules"."denominator")
);
--> statement-breakpoint
CREATE TABLE "post_nominators" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "post_nominators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"post_id" integer NOT NULL,
	"position" integer NOT NULL,
	"nominator_post_id" integer,
	"nominator_organization_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_nominators_post_id_position_unique" UNIQUE("post_id","position"),
	CONSTRAINT "post_nominators_one_nominator_check" CHECK (num_nonnulls("post_nominators"."nominator_post_id", "post_nominators"."nominator_organization_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "voting" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "confirmed_by_organization_id" integer;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "alternate_for_post_id" integer;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "term_anchor" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "stagger_classes" integer;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "holdover_limit_months" integer;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "term_limit_counting" "term_limit_counting" DEFAULT 'CONSECUTIVE_TERMS' NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "min_age" integer;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "nominated_by_post_id" integer;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "nominated_by_organization_id" integer;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "is_city_employee" boolean;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "confirmed_by_organization_id" integer;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "confirmed_on" date;--> statement-breakpoint
ALTER TABLE "composition_rules" ADD CONSTRAINT "composition_rules_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "composition_rules" ADD CONSTRAINT "composition_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_nominators" ADD CONSTRAINT "post_nominators_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_nominators" ADD CONSTRAINT "post_nominators_nominator_post_id_posts_id_fk" FOREIGN KEY ("nominator_post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_nominators" ADD CONSTRAINT "post_nominators_nominator_organization_id_organizations_id_fk" FOREIGN KEY ("nominator_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "composition_rules_jurisdiction_id_idx" ON "composition_rules" USING btree ("jurisdiction_id");--> statement-breakpoint
CREATE INDEX "post_nominators_nominator_post_id_idx" ON "post_nominators" USING btree ("nominator_post_id");--> statement-breakpoint
CREATE INDEX "post_nominators_nominator_organization_id_idx" ON "post_nominators" USING btree ("nominator_organization_id");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_confirmed_by_organization_id_organizations_id_fk" FOREIGN KEY ("confirmed_by_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_alternate_for_post_id_organization_id_fk" FOREIGN KEY ("alternate_for_post_id","organization_id") REFERENCES "public"."posts"("id","organization_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_nominated_by_post_id_posts_id_fk" FOREIGN KEY ("nominated_by_post_id") REFERENCES "public"."posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_nominated_by_organization_id_organizations_id_fk" FOREIGN KEY ("nominated_by_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_confirmed_by_organization_id_organizations_id_fk" FOREIGN KEY ("confirmed_by_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_alternate_not_self_check" CHECK ("posts"."alternate_for_post_id" is null or "posts"."alternate_for_post_id" <> "posts"."id");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_term_anchor_check" CHECK ("posts"."term_anchor" is null or "posts"."term_anchor" ~ '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$');--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_stagger_classes_check" CHECK ("posts"."stagger_classes" is null or ("posts"."stagger_classes" >= 2 and "posts"."term_anchor" is not null));--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_holdover_limit_check" CHECK ("posts"."holdover_limit_months" is null or "posts"."holdover_limit_months" >= 0);--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_min_age_check" CHECK ("posts"."min_age" is null or "posts"."min_age" between 0 and 120);--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_one_nominator_check" CHECK (num_nonnulls("memberships"."nominated_by_post_id", "memberships"."nominated_by_organization_id") <= 1);--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_confirmation_check" CHECK (("memberships"."confirmed_by_organization_id" is null) = ("memberships"."confirmed_on" is null));