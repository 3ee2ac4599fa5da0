-- The representation reports read demographic answers as `civic_graph_reporting`, a role that can
-- read two aggregate views and nothing else in the schema: no row of demographics.responses, ever.
-- The report service switches to it with SET LOCAL ROLE for the one statement it runs, so a bug in
-- the API's report path cannot select individual answers. Roles belong to the whole server, so the
-- role may already exist (another database, a concurrent test run): both races are harmless.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'civic_graph_reporting') THEN
    CREATE ROLE civic_graph_reporting NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN
    NULL;
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the role civic_graph_reporting does not exist and % may not create it: run migrations as a role with CREATEROLE, or have an administrator run CREATE ROLE civic_graph_reporting NOLOGIN first', current_user;
END
$$;
--> statement-breakpoint
-- The API switches to the role (SET LOCAL ROLE), so the role it logs in as must be a member.
-- A superuser is a member of every role already; a second concurrent grant is harmless.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'civic_graph_reporting', 'MEMBER') THEN
    EXECUTE format('GRANT civic_graph_reporting TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON SCHEMA "demographics" FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON ALL TABLES IN SCHEMA "demographics" FROM PUBLIC;
--> statement-breakpoint
-- Respondents per finest group: (jurisdiction, year, context, body, council district).
CREATE VIEW "demographics"."respondent_counts" AS
SELECT jurisdiction_id, reporting_year, context, organization_id, council_district_id, count(*)::integer AS respondents
FROM "demographics"."responses"
GROUP BY jurisdiction_id, reporting_year, context, organization_id, council_district_id;
--> statement-breakpoint
-- Answers per finest group, question, status and (for ANSWERED) chosen category. Questions not in a
-- response's answers were not asked: NOT_ASKED = respondents minus the other statuses.
-- Self-described text is never selected.
CREATE VIEW "demographics"."answer_counts" AS
SELECT r.jurisdiction_id, r.reporting_year, r.context, r.organization_id, r.council_district_id,
       a.key AS question, a.value ->> 'status' AS status, v.category, count(*)::integer AS responses
FROM "demographics"."responses" r
CROSS JOIN LATERAL jsonb_each(r.answers) a
LEFT JOIN LATERAL jsonb_array_elements_text(
  CASE WHEN a.value ->> 'status' = 'ANSWERED' THEN coalesce(a.value -> 'values', '[]'::jsonb) ELSE '[]'::jsonb END
) v(category) ON true
GROUP BY r.jurisdiction_id, r.reporting_year, r.context, r.organization_id, r.council_district_id, a.key, a.value ->> 'status', v.category;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "demographics" TO civic_graph_reporting;
--> statement-breakpoint
GRANT SELECT ON "demographics"."respondent_counts", "demographics"."answer_counts" TO civic_graph_reporting;
