import type { Logger } from 'pino';
import { createServiceScope } from '../context.ts';
import type { Database } from '../db/client.ts';
import { refusalAsHttp } from '../errors.ts';
import { representationReport, type RepresentationReportFilter } from '../modules/demographics/reports.service.ts';
import { representationReportCsv } from '../modules/exports/representation-report-csv.ts';
import { HttpError, type HttpRoute } from './http-server.ts';

const PATH = '/exports/representation-report.csv';
const CONTEXTS = new Set(['APPLICANT', 'MEMBER', 'EXIT']);
const BODY_KINDS = new Set(['BOARD', 'COMMISSION', 'COMMITTEE', 'TASK_FORCE', 'OTHER']);

/**
 * GET /exports/representation-report.csv?year=2026&context=APPLICANT[&organization=<id> |
 * &bodyKind=BOARD | &councilDistrict=<id>][&jurisdiction=slug]: the published (suppressed)
 * `representationReport` as CSV, read the same way as the GraphQL field (so from the copy the
 * year's first read froze). Public, not cached by HTTP: the first read of a year decides it.
 */
export function representationReportRoute(database: Database, defaultJurisdiction: string, logger: Logger): HttpRoute {
  return async (req, res, url, requestId) => {
    if (url.pathname !== PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      throw new HttpError(405, 'Exports are read with GET');
    }
    const q = url.searchParams;
    const year = Number(q.get('year'));
    const context = q.get('context') ?? '';
    if (!q.get('year') || !Number.isInteger(year)) throw new HttpError(400, 'year is required: a year such as 2026');
    if (!CONTEXTS.has(context)) throw new HttpError(400, 'context is required: APPLICANT, MEMBER or EXIT');
    const bodyKind = q.get('bodyKind');
    if (bodyKind !== null && !BODY_KINDS.has(bodyKind)) throw new HttpError(400, 'bodyKind must be BOARD, COMMISSION, COMMITTEE, TASK_FORCE or OTHER');
    const filter: RepresentationReportFilter = {
      year,
      context: context as RepresentationReportFilter['context'],
      organization: q.get('organization'),
      bodyKind: bodyKind as RepresentationReportFilter['bodyKind'],
      councilDistrict: q.get('councilDistrict'),
    };
    let csv: string;
    let slug: string;
    try {
      const scope = createServiceScope({ db: database, defaultJurisdiction, logger, requestId });
      const report = await representationReport(scope, { jurisdiction: q.get('jurisdiction'), filter });
      slug = q.get('jurisdiction') ?? defaultJurisdiction;
      csv = representationReportCsv(report);
    } catch (error) {
      // The service's refusals are safe to show (they name the parameter); anything else is a 500.
      const refusal = refusalAsHttp(error);
      if (refusal) throw new HttpError(refusal.status, refusal.message);
      throw error;
    }
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${slug}-representation-report-${year}-${context.toLowerCase()}.csv"`,
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : csv);
    return true;
  };
}
