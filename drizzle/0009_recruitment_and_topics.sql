CREATE TYPE "public"."organization_topic" AS ENUM('ARTS_CULTURE', 'BUDGET_FINANCE', 'CLIMATE_ENVIRONMENT', 'ECONOMIC_DEVELOPMENT', 'EQUITY_CIVIL_RIGHTS', 'GOVERNMENT_ELECTIONS', 'HEALTH_HUMAN_SERVICES', 'HISTORIC_PRESERVATION', 'HOUSING', 'LAND_USE_PLANNING', 'PARKS_RECREATION', 'PUBLIC_SAFETY', 'TRANSPORTATION', 'UTILITIES');--> statement-breakpoint
CREATE TYPE "public"."application_status" AS ENUM('SUBMITTED', 'UNDER_REVIEW', 'INTERVIEW_SCHEDULED', 'RECOMMENDED', 'APPOINTED', 'NOT_SELECTED', 'WITHDRAWN', 'EXPIRED');--> statement-breakpoint
CREATE TYPE "public"."eligibility_method" AS ENUM('GEOCODED', 'SELF_ATTESTED', 'STAFF');--> statement-breakpoint
CREATE TYPE "public"."eligibility_result" AS ENUM('ELIGIBLE', 'NOT_ELIGIBLE', 'UNKNOWN');--> statement-breakpoint
CREATE TYPE "public"."eligibility_rule" AS ENUM('RESIDES_IN_DIVISION', 'MINIMUM_AGE', 'REQUIREMENT');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('APPLICATION_RECEIVED', 'INTERVIEW_SCHEDULED', 'DECISION', 'APPLICATION_WITHDRAWN', 'APPLICATION_EXPIRED');--> statement-breakpoint
CREATE TYPE "public"."vacancy_posting_status" AS ENUM('DRAFT', 'OPEN', 'CLOSED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "application_eligibility" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "application_eligibility_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"rule" "eligibility_rule" NOT NULL,
	"rule_key" text NOT NULL,
	"post_id" integer,
	"result" "eligibility_result" NOT NULL,
	"method" "eligibility_method" NOT NULL,
	"detail" text NOT NULL,
	"evaluated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_eligibility_application_id_rule_key_unique" UNIQUE("application_id","rule_key")
);
--> statement-breakpoint
CREATE TABLE "application_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "application_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"from_status" "application_status",
	"to_status" "application_status" NOT NULL,
	"actor_subject" text NOT NULL,
	"actor_role" text NOT NULL,
	"reason" text,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application_seat_preferences" (
	"application_id" integer NOT NULL,
	"posting_id" integer NOT NULL,
	"post_id" integer NOT NULL,
	"rank" integer NOT NULL,
	CONSTRAINT "application_seat_preferences_pkey" PRIMARY KEY("application_id","post_id"),
	CONSTRAINT "application_seat_preferences_application_id_rank_unique" UNIQUE("application_id","rank"),
	CONSTRAINT "application_seat_preferences_rank_check" CHECK ("application_seat_preferences"."rank" >= 1)
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "applications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"posting_id" integer NOT NULL,
	"status" "application_status" DEFAULT 'SUBMITTED' NOT NULL,
	"token_hash" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"full_name" text NOT NULL,
	"email" text,
	"phone" text,
	"residence_latitude" double precision,
	"residence_longitude" double precision,
	"residence_division_id" integer,
	"attests_minimum_age" boolean,
	"attested_requirements" text[] DEFAULT '{}'::text[] NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"preferred_language" text,
	"interpretation_needed" boolean DEFAULT false NOT NULL,
	"accessibility_needs" text,
	"interview_at" timestamp with time zone,
	"decision_reason" text,
	"decided_at" timestamp with time zone,
	"person_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "applications_id_posting_id_unique" UNIQUE("id","posting_id"),
	CONSTRAINT "applications_contact_check" CHECK ("applications"."email" is not null or "applications"."phone" is not null),
	CONSTRAINT "applications_residence_point_check" CHECK (("applications"."residence_latitude" is null) = ("applications"."residence_longitude" is null)),
	CONSTRAINT "applications_residence_range_check" CHECK ("applications"."residence_latitude" is null or ("applications"."residence_latitude" between -90 and 90 and "applications"."residence_longitude" between -180 and 180)),
	CONSTRAINT "applications_expiry_check" CHECK ("applications"."submitted_at" < "applications"."expires_at"),
	CONSTRAINT "applications_not_selected_reason_check" CHECK ("applications"."status" <> 'NOT_SELECTED' or "applications"."decision_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notification_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"application_id" integer NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"recipient" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "notification_outbox_attempts_check" CHECK ("notification_outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "posting_posts" (
	"posting_id" integer NOT NULL,
	"post_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	CONSTRAINT "posting_posts_pkey" PRIMARY KEY("posting_id","post_id")
);
--> statement-breakpoint
CREATE TABLE "vacancy_postings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "vacancy_postings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"status" "vacancy_posting_status" DEFAULT 'DRAFT' NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"seats_available" integer NOT NULL,
	"eligibility_summary" text,
	"time_commitment_min_hours" integer,
	"time_commitment_max_hours" integer,
	"stipend" text,
	"interpretation_languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requirements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"minimum_age" integer,
	"application_lifetime_days" integer DEFAULT 90 NOT NULL,
	"published_at" timestamp with time zone,
	"origin" "record_origin" DEFAULT 'STAFF' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vacancy_postings_id_organization_id_unique" UNIQUE("id","organization_id"),
	CONSTRAINT "vacancy_postings_window_check" CHECK ("vacancy_postings"."opens_on" < "vacancy_postings"."closes_on"),
	CONSTRAINT "vacancy_postings_seats_check" CHECK ("vacancy_postings"."seats_available" >= 1),
	CONSTRAINT "vacancy_postings_time_commitment_check" CHECK (("vacancy_postings"."time_commitment_min_hours" is null or "vacancy_postings"."time_commitment_min_hours" >= 0)
        and ("vacancy_postings"."time_commitment_max_hours" is null or "vacancy_postings"."time_commitment_max_hours" >= 0)
        and ("vacancy_postings"."time_commitment_min_hours" is null or "vacancy_postings"."time_commitment_max_hours" is null or "vacancy_postings"."time_commitment_min_hours" <= "vacancy_postings"."time_commitment_max_hours")),
	CONSTRAINT "vacancy_postings_lifetime_check" CHECK ("vacancy_postings"."application_lifetime_days" between 1 and 730),
	CONSTRAINT "vacancy_postings_minimum_age_check" CHECK ("vacancy_postings"."minimum_age" is null or "vacancy_postings"."minimum_age" between 0 and 120),
	CONSTRAINT "vacancy_postings_questions_check" CHECK (jsonb_typeof("vacancy_postings"."questions") = 'array'),
	CONSTRAINT "vacancy_postings_requirements_check" CHECK (jsonb_typeof("vacancy_postings"."requirements") = 'array')
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "topics" "organization_topic"[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "application_id" integer;--> statement-breakpoint
ALTER TABLE "application_eligibility" ADD CONSTRAINT "application_eligibility_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_eligibility" ADD CONSTRAINT "application_eligibility_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_seat_preferences" ADD CONSTRAINT "application_seat_preferences_application_fk" FOREIGN KEY ("application_id","posting_id") REFERENCES "public"."applications"("id","posting_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_seat_preferences" ADD CONSTRAINT "application_seat_preferences_posting_post_fk" FOREIGN KEY ("posting_id","post_id") REFERENCES "public"."posting_posts"("posting_id","post_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_posting_id_vacancy_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."vacancy_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_residence_division_id_divisions_id_fk" FOREIGN KEY ("residence_division_id") REFERENCES "public"."divisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posting_posts" ADD CONSTRAINT "posting_posts_posting_id_organization_id_fk" FOREIGN KEY ("posting_id","organization_id") REFERENCES "public"."vacancy_postings"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posting_posts" ADD CONSTRAINT "posting_posts_post_id_organization_id_fk" FOREIGN KEY ("post_id","organization_id") REFERENCES "public"."posts"("id","organization_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vacancy_postings" ADD CONSTRAINT "vacancy_postings_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vacancy_postings" ADD CONSTRAINT "vacancy_postings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_events_application_id_id_idx" ON "application_events" USING btree ("application_id","id");--> statement-breakpoint
CREATE INDEX "applications_posting_id_status_idx" ON "applications" USING btree ("posting_id","status","id");--> statement-breakpoint
CREATE INDEX "applications_expires_at_idx" ON "applications" USING btree ("expires_at") WHERE "applications"."status" in ('SUBMITTED', 'UNDER_REVIEW', 'INTERVIEW_SCHEDULED', 'RECOMMENDED');--> statement-breakpoint
CREATE INDEX "notification_outbox_pending_idx" ON "notification_outbox" USING btree ("available_at","id") WHERE "notification_outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "notification_outbox_application_id_idx" ON "notification_outbox" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "posting_posts_post_id_idx" ON "posting_posts" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "vacancy_postings_jurisdiction_id_closes_on_idx" ON "vacancy_postings" USING btree ("jurisdiction_id","closes_on","id");--> statement-breakpoint
CREATE INDEX "vacancy_postings_organization_id_idx" ON "vacancy_postings" USING btree ("organization_id","closes_on","id");--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_application_id_unique" UNIQUE("application_id");