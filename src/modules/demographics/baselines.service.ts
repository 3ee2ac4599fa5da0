import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import { refusalsAsOutcome, runMutation, UserErrorsException, validateInput, type MutationOutcome } from '../../graphql/mutation.ts';
import { staffTargetJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { z } from 'zod';
import { checkedString, jurisdictionSlug, text } from '../../input/vocabulary.ts';
import { BaselineCsvError, councilDistrictsByOcdId, describeIssue, parseBaselineCsv, replaceBaseline } from './baselines.ts';

const inputSchema = z.object({
  // Lines are checked one by one by the CSV reader (baselines.ts); here only what all text keeps.
  csv: checkedString({ multiline: true }),
  source: text(200),
  jurisdiction: jurisdictionSlug.nullable().optional(),
});

/** Staff of the jurisdiction replace one source's baseline; a bad line refuses everything. */
export async function populationBaselineImport(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<number>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(inputSchema, rawInput);
    const jurisdiction = await staffTargetJurisdiction(ctx, input.jurisdiction);
    return runMutation(ctx, { action: 'populationBaselineImport', jurisdictionId: jurisdiction.id }, async (tx, audit) => {
      let rows;
      try {
        rows = parseBaselineCsv(input.csv, input.source, await councilDistrictsByOcdId(tx, jurisdiction.id));
      } catch (error) {
        if (!(error instanceof BaselineCsvError)) throw error;
        // At most 20 problems, each naming its line and column.
        throw new UserErrorsException(error.issues.slice(0, 20).map((issue) => ({ code: 'INVALID_INPUT' as const, field: ['input', 'csv'], message: describeIssue(issue) })));
      }
      const count = await replaceBaseline(tx, jurisdiction.id, input.source, rows);
      await audit.record('Jurisdiction', jurisdiction.id, null, { populationBaseline: { source: input.source, rows: count } });
      return count;
    });
  });
}
