import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { divisions, populationBaselines, type NewPopulationBaselineRow } from '../../db/schema/index.ts';
import { checkedString, text } from '../../input/vocabulary.ts';
import { QUESTION_BY_KEY, type QuestionKey } from './questions.ts';

/**
 * Population baselines from CSV (`npm run baseline:import`, `populationBaselineImport`): one
 * import replaces the jurisdiction's rows of its source, in one transaction, or changes nothing.
 */

export const BASELINE_COLUMNS = ['division', 'question', 'category', 'share', 'source_year'] as const;
export const BASELINE_CSV_MAX_BYTES = 1_000_000;

/** The canonical form of a BCP-47 tag (as the form stores answers: `zh-hans` is `zh-Hans`), or null. */
function canonicalTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
const ZIP = /^\d{5}$/;

/** One problem of a baseline CSV, naming where it is. */
export interface BaselineIssue {
  line: number | null;
  column: (typeof BASELINE_COLUMNS)[number] | null;
  message: string;
}

export class BaselineCsvError extends Error {
  constructor(readonly issues: BaselineIssue[]) {
    super(issues.map(describeIssue).join('\n'));
  }
}

export function describeIssue(issue: BaselineIssue): string {
  const where = [issue.line !== null ? `line ${issue.line}` : null, issue.column !== null ? `column ${issue.column}` : null].filter(Boolean).join(', ');
  return where ? `${where}: ${issue.message}` : issue.message;
}

const rowSchema = z
  .object({
    division: checkedString().max(300),
    question: z.enum([...QUESTION_BY_KEY.keys()] as [QuestionKey, ...QuestionKey[]], 'must be a question of the demographic form, such as RACE_ETHNICITY'),
    category: text(100),
    share: z
      .string()
      .trim()
      .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a number from 0 to 1, such as 0.125')
      .transform(Number),
    source_year: z
      .string()
      .trim()
      .regex(/^\d{4}$/, 'must be a year such as 2023')
      .transform(Number)
      .refine((y) => y >= 1900 && y <= 2100, 'must be between 1900 and 2100'),
  })
  .superRefine((row, ctx) => {
    const question = QUESTION_BY_KEY.get(row.question)!;
    const known = question.categories
      ? question.categories.includes(row.category)
      : question.valueFormat === 'ZIP'
        ? ZIP.test(row.category)
        : canonicalTag(row.category) !== null;
    if (!known) {
      const expected = question.categories ? `one of ${question.categories.join(', ')}` : question.valueFormat === 'ZIP' ? 'a 5-digit ZIP code' : 'a BCP-47 language tag';
      ctx.addIssue({ code: 'custom', path: ['category'], message: `must be ${expected} for ${row.question}` });
    }
  })
  // Language categories compared with the answers' canonical tags.
  .transform((row) => (QUESTION_BY_KEY.get(row.question)!.valueFormat === 'BCP47' ? { ...row, category: canonicalTag(row.category)! } : row));

/**
 * Parses and checks a baseline CSV against the jurisdiction's council districts (by OCD id). Every
 * problem is reported at once, with its line and column; throws BaselineCsvError when any.
 */
export function parseBaselineCsv(text: string, source: string, districtIdsByOcdId: ReadonlyMap<string, number>): Omit<NewPopulationBaselineRow, 'jurisdictionId'>[] {
  const issues: BaselineIssue[] = [];
  const sourceName = source.trim();
  if (sourceName.length < 1 || sourceName.length > 200) issues.push({ line: null, column: null, message: 'source: must be 1 to 200 characters' });
  if (Buffer.byteLength(text, 'utf8') > BASELINE_CSV_MAX_BYTES) throw new BaselineCsvError([{ line: null, column: null, message: 'the CSV must be at most 1 MB' }]);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    throw new BaselineCsvError([{ line: null, column: null, message: `not valid CSV: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const [header, ...body] = records;
  if (!header || header.record.map((c) => c.trim()).join(',') !== BASELINE_COLUMNS.join(',')) {
    throw new BaselineCsvError([{ line: 1, column: null, message: `the header must be exactly "${BASELINE_COLUMNS.join(',')}"` }]);
  }
  if (body.length === 0) issues.push({ line: null, column: null, message: 'the CSV has no rows' });
  const rows: Omit<NewPopulationBaselineRow, 'jurisdictionId'>[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length !== BASELINE_COLUMNS.length) {
      issues.push({ line, column: null, message: `has ${record.length} cells, expected ${BASELINE_COLUMNS.length}` });
      continue;
    }
    const parsed = rowSchema.safeParse(Object.fromEntries(BASELINE_COLUMNS.map((c, i) => [c, record[i]!])));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ line, column: (issue.path[0] as BaselineIssue['column']) ?? null, message: issue.message });
      continue;
    }
    const row = parsed.data;
    let divisionId: number | null = null;
    if (row.division !== '') {
      divisionId = districtIdsByOcdId.get(row.division) ?? null;
      if (divisionId === null) {
        issues.push({ line, column: 'division', message: `"${row.division.slice(0, 100)}" is not the OCD id of a council district of the jurisdiction (empty for the city)` });
        continue;
      }
    }
    const key = `${row.division}|${row.question}|${row.category}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ line, column: 'category', message: `${row.question} ${row.category} is given twice for this division (first on line ${first})` });
      continue;
    }
    seen.set(key, line);
    rows.push({ divisionId, question: row.question, category: row.category, share: row.share, source: sourceName, sourceYear: row.source_year });
  }
  if (issues.length > 0) throw new BaselineCsvError(issues);
  return rows;
}

/** Council districts of the jurisdiction by OCD id. */
export async function councilDistrictsByOcdId(db: Database, jurisdictionId: number): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: divisions.id, ocdId: divisions.ocdId })
    .from(divisions)
    .where(and(eq(divisions.jurisdictionId, jurisdictionId), eq(divisions.kind, 'COUNCIL_DISTRICT')));
  return new Map(rows.map((r) => [r.ocdId, r.id]));
}

/** Replaces the jurisdiction's baseline of `source` with `rows`; call inside a transaction. */
export async function replaceBaseline(tx: Database, jurisdictionId: number, source: string, rows: Omit<NewPopulationBaselineRow, 'jurisdictionId'>[]): Promise<number> {
  await tx.delete(populationBaselines).where(and(eq(populationBaselines.jurisdictionId, jurisdictionId), eq(populationBaselines.source, source.trim())));
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.insert(populationBaselines).values(rows.slice(i, i + 1000).map((r) => ({ ...r, jurisdictionId })));
  }
  return rows.length;
}
