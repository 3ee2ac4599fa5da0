/** Errors the importer raises; their messages name the file, row or feature, and field. */

export class DatasetValidationError extends Error {
  constructor(
    readonly folder: string,
    readonly issues: readonly string[],
  ) {
    const shown = issues.slice(0, 25);
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : '';
    super(`Dataset ${folder} is invalid (${issues.length} problem(s)); nothing was imported:\n  ${shown.join('\n  ')}${more}`);
    this.name = 'DatasetValidationError';
  }
}

/** A database refusal during the write; the transaction is rolled back, so nothing was changed. */
export class DatasetImportError extends Error {
  constructor(step: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Import failed while writing ${step}; nothing was changed: ${detail}`, { cause });
    this.name = 'DatasetImportError';
  }
}
