/**
 * `npm run export -- <name> [--out file] [--jurisdiction slug] [--at YYYY-MM-DD] [--kind K1,K2]`:
 * a bulk export (divisions, organizations, posts, rosters) to a file, or to stdout without --out.
 * Uses DATABASE_URL when set, else the PGlite folder DATA_DIR (see src/config.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createDatabase, type DatabaseHandle } from '../db/client.ts';
import { exportNamed, writeExport } from '../modules/exports/write-export.ts';
import { describeError } from '../log-safety.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { out: { type: 'string' }, jurisdiction: { type: 'string' }, at: { type: 'string' }, kind: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    throw new Error('usage: npm run export -- <divisions|organizations|posts|rosters> [--out file] [--jurisdiction slug] [--at YYYY-MM-DD] [--kind KIND,…]');
  }
  const definition = exportNamed(positionals[0]!);
  const query = new URLSearchParams();
  for (const key of ['jurisdiction', 'at', 'kind'] as const) if (values[key] !== undefined) query.set(key, values[key]);
  const config = loadConfig();
  let handle: DatabaseHandle | undefined;
  try {
    handle = await createDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: config.DATABASE_POOL_MAX });
    await writeExport(handle.db, definition, query, config.DEFAULT_JURISDICTION, values.out ?? process.stdout);
    if (values.out) console.error(`${definition.name}.${definition.extension} written to ${values.out}`);
  } finally {
    await handle?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`export: ${describeError(error)}`);
  process.exit(1);
});
