import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  demographicResponses,
  demographicSurveyInvitations,
  type DemographicSurveyInvitationRow,
  type NewDemographicResponseRow,
  type NewDemographicSurveyInvitationRow,
} from '../../db/schema/index.ts';

/** Stores one response; returns nothing, so no caller can hand its id on. */
export async function insertDemographicResponse(tx: Database, row: NewDemographicResponseRow): Promise<void> {
  await tx.insert(demographicResponses).values(row);
}

export async function insertSurveyInvitations(tx: Database, rows: NewDemographicSurveyInvitationRow[]): Promise<void> {
  await tx.insert(demographicSurveyInvitations).values(rows);
}

export async function surveyInvitationByHash(db: Database, tokenHash: string): Promise<DemographicSurveyInvitationRow | null> {
  const [row] = await db.select().from(demographicSurveyInvitations).where(eq(demographicSurveyInvitations.tokenHash, tokenHash));
  return row ?? null;
}

/** Takes the invitation away: of two concurrent submissions with one token, one gets the row, the other null. */
export async function deleteSurveyInvitation(tx: Database, tokenHash: string): Promise<DemographicSurveyInvitationRow | null> {
  const [row] = await tx.delete(demographicSurveyInvitations).where(eq(demographicSurveyInvitations.tokenHash, tokenHash)).returning();
  return row ?? null;
}
