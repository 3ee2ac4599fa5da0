import { readdirSync, readFileSync } from 'node:fs';
import { projectPath } from '../project-root.ts';

export const schemaFolder = projectPath('schema');

/** The SDL contract: every schema/*.graphql file, in name order. */
export function loadTypeDefs(): string {
  return readdirSync(schemaFolder)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(`${schemaFolder}/${f}`, 'utf8'))
    .join('\n');
}
