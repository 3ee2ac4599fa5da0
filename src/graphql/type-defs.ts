import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const schemaFolder = fileURLToPath(new URL('../../schema', import.meta.url));

/** The SDL contract: every schema/*.graphql file, in name order. */
export function loadTypeDefs(): string {
  return readdirSync(schemaFolder)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(`${schemaFolder}/${f}`, 'utf8'))
    .join('\n');
}
