import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab or carriage return)
 * gets a leading apostrophe, as OWASP advises against CSV injection: a name like "=HYPERLINK(…)"
 * typed into a record must stay text when a resident opens the file. Only text cells are touched;
 * numbers and dates are written as they are.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/** RFC 4180 CSV (quoted where needed, CRLF line ends) of rows in batches: the header, then each batch. */
export async function* csvChunks<T>(columns: CsvColumn<T>[], batches: AsyncIterable<T[]>): AsyncGenerator<string> {
  const options = {
    record_delimiter: 'windows' as const,
    cast: { string: neutralizeFormula, boolean: (value: boolean) => (value ? 'true' : 'false') },
  };
  yield stringify([columns.map((c) => c.header)], options);
  for await (const batch of batches) {
    yield stringify(
      batch.map((row) => columns.map((c) => c.value(row) ?? null)),
      options,
    );
  }
}
