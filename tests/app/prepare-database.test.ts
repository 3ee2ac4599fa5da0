import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.ts';
import { describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/app.ts';
import { organizations } from '../../src/db/schema/index.ts';
import { copyDataset, editFile } from '../helpers/dataset-folder.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('prepareDatabase (what npm start runs)', () => {
  it('imports on first start, then skips an unchanged dataset', async () => {
    const { handle, dispose } = await createTestDatabase();
    const { logger, lines } = capturingLogger();
    try {
      const options = { datasetDirs: [(await import('../helpers/dataset-folder.ts')).portlandDatasetDir], sampleMembers: false, jurisdiction: 'portland', logger };
      await prepareDatabase(handle, options);
      await prepareDatabase(handle, options);
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['dataset imported', 'dataset already imported']));
    } finally {
      await dispose();
    }
  });

  it('keeps serving the data it has when a changed dataset cannot be imported', async () => {
    const { handle, dispose } = await createTestDatabase();
    const copy = await copyDataset();
    const { logger, lines } = capturingLogger();
    try {
      const options = { datasetDirs: [copy.dir], sampleMembers: false, jurisdiction: 'portland', logger };
      await prepareDatabase(handle, options);
      const before = (await handle.db.select().from(organizations)).length;
      await editFile(copy.dir, 'organizations.csv', (text) => text.replace(',NEIGHBORHOOD_ASSOCIATION,', ',NOT_A_KIND,'));
      await expect(prepareDatabase(handle, options)).resolves.toBeUndefined();
      expect(lines.find((l) => l.msg === 'dataset import refused; serving the data already in the database')).toBeDefined();
      expect((await handle.db.select().from(organizations)).length).toBe(before);
    } finally {
      await copy.remove();
      await dispose();
    }
  });

  it('refuses to start on an empty database whose dataset cannot be imported', async () => {
    const { handle, dispose } = await createTestDatabase();
    const copy = await copyDataset();
    try {
      await editFile(copy.dir, 'organizations.csv', (text) => text.replace(',NEIGHBORHOOD_ASSOCIATION,', ',NOT_A_KIND,'));
      const { logger } = capturingLogger();
      await expect(prepareDatabase(handle, { datasetDirs: [copy.dir], sampleMembers: false, jurisdiction: 'portland', logger })).rejects.toThrow(/NOT_A_KIND|kind/);
    } finally {
      await copy.remove();
      await dispose();
    }
  });
});
