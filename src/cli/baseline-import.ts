/**
 * `npm run baseline:import -- <file.csv> [--jurisdiction slug] [--source "name"]`: replaces the
 * jurisdiction's population baseline of that source (default: the file's name) with the CSV, in one
 * transaction; a bad line (named with its column) changes nothing. Uses DATABASE_URL when set,
 * else the PGlite folder DATA_DIR (see src/config.ts). The CSV format is in schema/reports.graphql.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { createDatabase, type Database, type DatabaseHandle } from '../db/client.ts';
import { auditEvents, jurisdictions } from '../db/schema/index.ts';
import { councilDistrictsByOcdId, parseBaselineCsv, replaceBaseline } from '../modules/demographics/baselines.ts';
import { describeError } from '../log-safety.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { jurisdiction: { type: 'string' }, source: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new Error('usage: npm run baseline:import -- <file.csv> [--jurisdiction slug] [--source "name"]');
  const file = positionals[0]!;
  const text = await readFile(file, 'utf8');
  const source = values.source ?? basename(file);
  const config = loadConfig();
  let handle: DatabaseHandle | undefined;
  try {
    handle = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
    const db = handle.db as Database;
    const slug = values.jurisdiction ?? config.DEFAULT_JURISDICTION;
    const [jurisdiction] = await db.select().from(jurisdictions).where(eq(jurisdictions.slug, slug));
    if (!jurisdiction) throw new Error(`no jurisdiction has the slug "${slug}"`);
    const count = await db.transaction(async (tx) => {
      const rows = parseBaselineCsv(text, source, await councilDistrictsByOcdId(tx as unknown as Database, jurisdiction.id));
      const stored = await replaceBaseline(tx as unknown as Database, jurisdiction.id, source, rows);
      await tx.insert(auditEvents).values({
        jurisdictionId: jurisdiction.id,
        action: 'populationBaselineImport',
        subjectType: 'Jurisdiction',
        subjectId: jurisdiction.id,
        actorSubject: 'cli',
        actorRole: 'ADMIN',
        changes: { populationBaseline: { before: null, after: { source, rows: stored } } },
      });
      return stored;
    });
    console.error(`${count} baseline rows of "${source}" stored for ${jurisdiction.slug}`);
  } finally {
    await handle?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`baseline:import: ${describeError(error)}`);
  process.exit(1);
});
