/**
 * `npm run schema:release`: records the printed schema as the released one
 * (src/graphql/released/schema.graphql), the base `npm run schema:check` compares against. Run it
 * when a release goes out, after `npm run codegen`; commit the file with the release. It refuses a
 * schema that breaks the one released before (the same check as CI), and a stale printed schema.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { loadTypeDefs } from '../graphql/type-defs.ts';
import { checkSchemaChange } from '../graphql/schema-contract.ts';
import { projectPath } from '../project-root.ts';

const PRINTED_SCHEMA = projectPath('src/graphql/__generated__/schema.graphql');
const RELEASED_SCHEMA = projectPath('src/graphql/released/schema.graphql');

async function main(): Promise<number> {
  const printed = readFileSync(PRINTED_SCHEMA, 'utf8');
  if (printSchema(lexicographicSortSchema(buildSchema(loadTypeDefs()))).trim() !== printed.trim()) {
    console.error('schema:release: the printed schema is stale; run `npm run codegen` first.');
    return 1;
  }
  // The first release has nothing before it to break.
  const report = existsSync(RELEASED_SCHEMA) ? await checkSchemaChange(readFileSync(RELEASED_SCHEMA, 'utf8'), printed) : { breaking: [] };
  if (report.breaking.length > 0) {
    console.error(`schema:release: refused, ${report.breaking.length} breaking change(s); see \`npm run schema:check\`.`);
    return 1;
  }
  const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string };
  const day = new Date().toISOString().slice(0, 10);
  const header =
    `# The last released schema (civic-graph ${version}, ${day}): what partners build on. Written by\n` +
    '# `npm run schema:release`; do not edit. `npm run schema:check` fails CI on a change that breaks it.\n';
  writeFileSync(RELEASED_SCHEMA, header + printed);
  console.log(`schema:release: ${RELEASED_SCHEMA} now holds the schema of ${version} (${day}).`);
  return 0;
}

process.exitCode = await main();
