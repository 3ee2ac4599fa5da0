import { sql } from 'drizzle-orm';
import { applications, auditEvents, changes, demographicResponses, demographicSurveyInvitations, notificationOutbox } from '../../src/db/schema/index.ts';
import type { TestApi } from '../helpers/test-api.ts';

/** Shared by the demographics tests: a full response carrying distinctive values, and row counts. */

/** Values seeded into responses that must never come back from the API or show in any log. */
export const SECRETS = {
  selfDescribed: 'zebra-heron-selfdesc-7731',
  zip: '99929',
};

/** An answer to every question, with the distinctive values above. */
export function fullResponse(secrets = SECRETS) {
  return {
    answers: [
      { question: 'RACE_ETHNICITY', status: 'ANSWERED', values: ['WHITE', 'ASIAN', 'SELF_DESCRIBED'], selfDescribed: secrets.selfDescribed },
      { question: 'LANGUAGES_AT_HOME', status: 'ANSWERED', values: ['vi', 'zh-Hans'] },
      { question: 'PREFERRED_LANGUAGE', status: 'ANSWERED', values: ['vi'] },
      { question: 'INTERPRETER_NEEDED', status: 'ANSWERED', values: ['YES'] },
      { question: 'INTERPRETER_TYPE', status: 'ANSWERED', values: ['SPOKEN_LANGUAGE'] },
      { question: 'DISABILITY', status: 'DECLINED' },
      { question: 'GENDER_IDENTITY', status: 'ANSWERED', values: ['WOMAN'] },
      { question: 'LGBTQ2SIA', status: 'DONT_KNOW' },
      { question: 'AGE_BAND', status: 'ANSWERED', values: ['FROM_35_TO_44'] },
      { question: 'ZIP', status: 'ANSWERED', values: [secrets.zip] },
      // HOUSING_TENURE left out: not asked.
    ],
  };
}

/** Every stored response, in no particular order. */
export function responseRows(api: TestApi) {
  return api.db.select().from(demographicResponses);
}

export async function countOf(api: TestApi, table: typeof applications | typeof demographicResponses | typeof demographicSurveyInvitations): Promise<number> {
  const [row] = await api.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return Number(row!.n);
}

/** Rows a refused demographic write must leave as they are. */
export async function writeCounts(api: TestApi) {
  return {
    applications: await countOf(api, applications),
    responses: await countOf(api, demographicResponses),
    invitations: await countOf(api, demographicSurveyInvitations),
  };
}

/** Everything besides the responses where a value could linger: audit, change log, outbox, applications, logs. */
export async function traces(api: TestApi): Promise<string> {
  return JSON.stringify([
    await api.db.select().from(auditEvents),
    await api.db.select().from(changes),
    await api.db.select().from(notificationOutbox),
    await api.db.select().from(applications),
    api.logs,
  ]);
}
