import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetValidationError } from '../../src/import/index.ts';
import { readDataset } from '../../src/import/read-dataset.ts';
import { copyDataset, editFile } from '../helpers/dataset-folder.ts';

let copy: Awaited<ReturnType<typeof copyDataset>>;
beforeEach(async () => {
  copy = await copyDataset();
});
afterEach(() => copy.remove());

describe('organizations.csv topics', () => {
  it('reads `;`-separated topics, and an empty cell as none', async () => {
    const dataset = await readDataset(copy.dir);
    const byKey = (key: string) => dataset.organizations.find((o) => o.key === key)!;
    expect(byKey('historic-landmarks-commission').topics).toEqual(['LAND_USE_PLANNING', 'HISTORIC_PRESERVATION']);
    expect(byKey('buckman').topics).toEqual([]);
  });

  it('refuses an unknown or repeated topic, naming the line and field', async () => {
    await editFile(copy.dir, 'organizations.csv', (text) =>
      text.replace(',BUDGET_FINANCE\n', ',BUDGET_FINANCE;BUDGET_FINANCE\n').replace(',UTILITIES\n', ',UTILITIES;GARDENING\n'),
    );
    const error = await readDataset(copy.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toMatch(/organizations\.csv line \d+ \(key "community-budget-advisory-board"\): topics: must not repeat a topic/);
    expect((error as Error).message).toMatch(/organizations\.csv line \d+ \(key "portland-utility-board"\): topics\.1: must be topics separated by ;/);
  });
});
