/**
 * compliance_requirements.csv as the importer reads it (src/import/read-dataset.ts): the committed
 * files are valid, and a file that breaks the format is refused naming the line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DATASET_FILES } from '../../src/datasets/format.ts';
import { readDataset } from '../../src/import/read-dataset.ts';
import { copyDataset, editFile, portlandDatasetDir } from '../helpers/dataset-folder.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function portlandWith(edit: (text: string) => string): Promise<string> {
  const copy = await copyDataset(portlandDatasetDir);
  cleanups.push(copy.remove);
  await editFile(copy.dir, DATASET_FILES.complianceRequirements, edit);
  return copy.dir;
}

describe('compliance_requirements.csv', () => {
  it("Portland's file gives its neighborhood associations the six Standards requirements", async () => {
    const dataset = await readDataset(portlandDatasetDir);
    expect(dataset.complianceRequirements.map((r) => [r.organization_kind, r.code, r.recurrence_months])).toEqual([
      ['NEIGHBORHOOD_ASSOCIATION', 'BYLAWS_ON_FILE', null],
      ['NEIGHBORHOOD_ASSOCIATION', 'ANNUAL_MEETING', 12],
      ['NEIGHBORHOOD_ASSOCIATION', 'ELECTIONS_HELD', 12],
      ['NEIGHBORHOOD_ASSOCIATION', 'GRIEVANCE_PROCEDURE', null],
      ['NEIGHBORHOOD_ASSOCIATION', 'NONDISCRIMINATION_CLAUSE', null],
      ['NEIGHBORHOOD_ASSOCIATION', 'MINUTES_ATTENDANCE_AND_VOTES', 12],
    ]);
  });

  it('refuses a kind kinds.csv does not define, naming the line', async () => {
    const dir = await portlandWith((t) => t.replace('NEIGHBORHOOD_ASSOCIATION,ANNUAL_MEETING', 'NO_SUCH_KIND,ANNUAL_MEETING'));
    await expect(readDataset(dir)).rejects.toThrow(/compliance_requirements\.csv line 3: organization_kind "NO_SUCH_KIND" is not an ORGANIZATION kind/);
  });

  it('refuses a requirement met by REGISTRATION on a kind that is not registered', async () => {
    const dir = await portlandWith((t) => t.replace(',12,EVIDENCE,', ',,REGISTRATION,'));
    await expect(readDataset(dir)).rejects.toThrow(/met_by REGISTRATION needs a kind whose recognition_model is REGISTRATION/);
  });

  it('refuses a duplicate requirement and a recurrence out of range', async () => {
    const dup = await portlandWith((t) => t.replace('ELECTIONS_HELD', 'ANNUAL_MEETING'));
    await expect(readDataset(dup)).rejects.toThrow(/compliance_requirements\.csv/);
    const range = await portlandWith((t) => t.replace(',12,EVIDENCE,', ',121,EVIDENCE,'));
    await expect(readDataset(range)).rejects.toThrow(/recurrence_months: must be a whole number of months from 1 to 120/);
  });
});
