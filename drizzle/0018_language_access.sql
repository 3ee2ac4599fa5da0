CREATE TYPE "public"."translatable_entity_type" AS ENUM('ORGANIZATION', 'POST', 'VACANCY_POSTING', 'MEETING');--> statement-breakpoint
CREATE TYPE "public"."translation_status" AS ENUM('MACHINE', 'HUMAN', 'REVIEWED');--> statement-breakpoint
CREATE TABLE "translations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "translations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"jurisdiction_id" integer NOT NULL,
	"entity_type" "translatable_entity_type" NOT NULL,
	"entity_id" integer NOT NULL,
	"field" text NOT NULL,
	"locale" text NOT NULL,
	"value" text NOT NULL,
	"status" "translation_status" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "translations_entity_type_entity_id_field_locale_unique" UNIQUE("entity_type","entity_id","field","locale"),
	CONSTRAINT "translations_value_check" CHECK (length("translations"."value") between 1 and 10000),
	CONSTRAINT "translations_locale_check" CHECK (length("translations"."locale") between 2 and 35)
);
--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD COLUMN "default_locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD COLUMN "locales" text[] DEFAULT '{en}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "translations" ADD CONSTRAINT "translations_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "translations_entity_type_locale_entity_id_idx" ON "translations" USING btree ("entity_type","locale","entity_id");--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD CONSTRAINT "jurisdictions_default_locale_listed_check" CHECK ("jurisdictions"."default_locale" = any("jurisdictions"."locales"));