import { stringify } from 'csv-stringify/sync';
import type { ReportCell, RepresentationReport } from '../demographics/reports.service.ts';
import { neutralizeFormula } from './csv.ts';

export const REPRESENTATION_REPORT_COLUMNS = ['section', 'question', 'category', 'count', 'share', 'baseline_share', 'difference_from_baseline'] as const;

/** What a withheld count reads as in the file: the word, never a number. */
export const SUPPRESSED = 'suppressed';

function row(section: string, question: string, cell: ReportCell): (string | number | null)[] {
  return [section, question, cell.category, cell.isSuppressed ? SUPPRESSED : cell.count, cell.share, cell.baselineShare, cell.differenceFromBaseline];
}

/**
 * The published report as CSV (RFC 4180, CRLF): one line per number the API publishes, made from
 * the same suppressed report object, so a withheld count is written `suppressed` and its true value
 * never reaches the file.
 */
export function representationReportCsv(report: RepresentationReport): string {
  const rows = [
    [...REPRESENTATION_REPORT_COLUMNS],
    row('respondents', '', report.respondents),
    ...report.questions.flatMap((q) => [...q.statuses.map((c) => row('status', q.question, c)), ...q.categories.map((c) => row('category', q.question, c))]),
    row('interpretation_requests', '', report.interpretationRequests.requests),
    ...report.interpretationRequests.languages.map((c) => row('interpretation_language', '', c)),
  ];
  return stringify(rows, { record_delimiter: 'windows', cast: { string: neutralizeFormula } });
}
