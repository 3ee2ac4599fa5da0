/**
 * `npm run schema:check`: the breaking-change check CI runs (.ci/run). Compares the printed schema
 * (src/graphql/__generated__/schema.graphql, kept fresh by `npm run codegen`) with the last released
 * one (src/graphql/released/schema.graphql, written by `npm run schema:release`) and exits 1 on a
 * breaking change not covered by a dated deprecation in the released schema (src/graphql/schema-contract.ts).
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../project-root.ts';
import { checkSchemaChange } from '../graphql/schema-contract.ts';

const PRINTED_SCHEMA = projectPath('src/graphql/__generated__/schema.graphql');
const RELEASED_SCHEMA = projectPath('src/graphql/released/schema.graphql');

async function main(): Promise<number> {
  const report = await checkSchemaChange(readFileSync(RELEASED_SCHEMA, 'utf8'), readFileSync(PRINTED_SCHEMA, 'utf8'));
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    console.log(`${title} (${lines.length}):`);
    for (const line of lines) console.log(`  ${line}`);
  };
  section('Breaking', report.breaking);
  section('Allowed (deprecated with a date in the released schema)', report.allowed);
  section('Dangerous (allowed)', report.dangerous);
  section('Safe', report.safe);
  if (report.breaking.length > 0) {
    console.error(
      `schema:check: ${report.breaking.length} breaking change(s) against the released schema. Deprecate first ` +
        '(@deprecated(reason: "YYYY-MM-DD: use …")), release (npm run schema:release), and remove in a later release.',
    );
    return 1;
  }
  console.log(`schema:check: no breaking change against the released schema (${report.safe.length + report.dangerous.length + report.allowed.length} change(s)).`);
  return 0;
}

process.exitCode = await main();
