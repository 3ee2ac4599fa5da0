/** The dataset importer's public surface (used by the CLI and `npm start`). */
export { importDataset } from './import-dataset.ts';
export { datasetContentHash, isDatasetCurrent } from './content-hash.ts';
export { DatasetImportError, DatasetValidationError } from './errors.ts';
export { readDataset, type Dataset } from './read-dataset.ts';
export { addSampleMembers } from './sample-members.ts';
export { formatSummary, type ImportSummary, type MissingRow, type RemovedRow, type TableCounts } from './summary.ts';
export { StaffLinkConflictError } from './write-links.ts';
