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
      // topics is followed by the roster and registration columns (FORMAT.md)
      text
        .replace(',BUDGET_FINANCE,NOT_RECORDED,', ',BUDGET_FINANCE;BUDGET_FINANCE,NOT_RECORDED,')
        .replace(',UTILITIES,NOT_RECORDED,', ',UTILITIES;GARDENING,NOT_RECORDED,'),
    );
    const error = await readDataset(copy.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toMatch(/organizations\.csv line \d+ \(key "community-budget-advisory-board"\): topics: must not repeat a topic/);
    expect((error as Error).message).toMatch(/organizations\.csv line \d+ \(key "portland-utility-board"\): topics\.1: must be topics separated by ;/);
  });
});

describe('organizations.csv body_kind', () => {
  it('reads the kind of an advisory body, and none for other organizations', async () => {
    const dataset = await readDataset(copy.dir);
    const byKey = (key: string) => dataset.organizations.find((o) => o.key === key)!;
    expect(byKey('design-commission').body_kind).toBe('COMMISSION');
    expect(byKey('buckman').body_kind).toBeNull();
  });

  it('refuses an unknown body kind, and one on an organization that is not an advisory body, naming the line and field', async () => {
    await editFile(copy.dir, 'organizations.csv', (text) =>
      text
        .replace('(2024-12-27).",,,,,,\n', '(2024-12-27).",BOARD,,,,,\n') // buckman's row
        .replace(',COMMISSION,LAND_USE_PLANNING,NOT_RECORDED,', ',PANEL,LAND_USE_PLANNING,NOT_RECORDED,'),
    );
    const error = await readDataset(copy.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetValidationError);
    expect((error as Error).message).toMatch(/organizations\.csv line \d+ \(key "buckman"\): body_kind: only an ADVISORY_BODY has a body_kind/);
    expect((error as Error).message).toMatch(/organizations\.csv line \d+ \(key "design-commission"\): body_kind: must be BOARD, COMMISSION, COMMITTEE, TASK_FORCE or OTHER/);
  });
});
