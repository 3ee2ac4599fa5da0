CREATE TABLE "demographics"."survey_invitations" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"jurisdiction_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"context" "demographics"."response_context" NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "survey_invitations_context_check" CHECK ("demographics"."survey_invitations"."context" <> 'APPLICANT')
);
--> statement-breakpoint
ALTER TABLE "demographics"."responses" ADD COLUMN "unlinked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "demographics"."survey_invitations" ADD CONSTRAINT "survey_invitations_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demographics"."survey_invitations" ADD CONSTRAINT "survey_invitations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_invitations_expires_at_idx" ON "demographics"."survey_invitations" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "responses_not_unlinked_idx" ON "demographics"."responses" USING btree ("unlinked") WHERE not "demographics"."responses"."unlinked";