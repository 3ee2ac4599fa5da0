import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Database } from '../../db/client.ts';
import { ExportParameterError, EXPORTS, parseExportParameters, type ExportDefinition } from './exports.service.ts';

/** The export called `name` (`rosters` or `rosters.csv`), or a clear error listing the exports. */
export function exportNamed(name: string): ExportDefinition {
  const found = EXPORTS.find((e) => e.name === name || `${e.name}.${e.extension}` === name);
  if (!found) throw new ExportParameterError(`No export named "${name}"; exports: ${EXPORTS.map((e) => e.name).join(', ')}`);
  return found;
}

/**
 * Writes an export to a file (or to `out` when it is a stream), with the same parameters and
 * the same public-only content as GET /exports/<name>.<extension>.
 */
export async function writeExport(
  db: Database,
  definition: ExportDefinition,
  query: URLSearchParams,
  defaultJurisdiction: string,
  out: string | Writable,
): Promise<void> {
  const parameters = await parseExportParameters(db, definition, query, defaultJurisdiction);
  const destination = typeof out === 'string' ? createWriteStream(out) : out;
  await pipeline(Readable.from(definition.chunks(db, parameters)), destination, { end: typeof out === 'string' });
}
