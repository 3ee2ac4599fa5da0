/** Reads a dataset CSV: the header must list exactly the format's columns; empty cells become null. */
import { parse } from 'csv-parse/sync';

export interface CsvRow<C extends string> {
  /** 1-based line number in the file where the record starts (the header is line 1). */
  line: number;
  values: Record<C, string | null>;
}

export function parseCsvTable<C extends string>(
  file: string,
  text: string,
  columns: readonly C[],
  issues: string[],
): Array<CsvRow<C>> {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    issues.push(`${file}: not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
  const [header, ...body] = records;
  if (!header || header.record.join(',') !== columns.join(',')) {
    issues.push(`${file}: header must be exactly "${columns.join(',')}" but is "${header?.record.join(',') ?? ''}"`);
    return [];
  }
  const rows: Array<CsvRow<C>> = [];
  for (const { record, info } of body) {
    // info.lines is the line where the record ends; records here span one line unless quoted newlines.
    const line = info.lines - (record.join(',').split('\n').length - 1);
    if (record.length !== columns.length) {
      issues.push(`${file} line ${line}: has ${record.length} cells, expected ${columns.length}`);
      continue;
    }
    const values = {} as Record<C, string | null>;
    columns.forEach((c, i) => {
      const cell = record[i]!;
      values[c] = cell === '' ? null : cell;
    });
    rows.push({ line, values });
  }
  return rows;
}
