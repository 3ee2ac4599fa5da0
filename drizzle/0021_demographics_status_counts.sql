-- Respondents per finest group, question and status. answer_counts counts choices, so for a question
-- with multiple selection it cannot say how many respondents ANSWERED (one chooses several
-- categories); the reports need that number to derive NOT_ASKED and to protect the answerers who did
-- not choose a category. An aggregate like the other two views, readable by the reporting role only.
CREATE VIEW "demographics"."status_counts" AS
SELECT r.jurisdiction_id, r.reporting_year, r.context, r.organization_id, r.council_district_id,
       a.key AS question, a.value ->> 'status' AS status, count(*)::integer AS respondents
FROM "demographics"."responses" r
CROSS JOIN LATERAL jsonb_each(r.answers) a
GROUP BY r.jurisdiction_id, r.reporting_year, r.context, r.organization_id, r.council_district_id, a.key, a.value ->> 'status';
--> statement-breakpoint
GRANT SELECT ON "demographics"."status_counts" TO civic_graph_reporting;
