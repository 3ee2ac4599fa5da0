/**
 * Builds the trusted-documents manifest (Apollo's persisted query manifest format) from a client's
 * operations: `npm run trusted-documents -- <files or folders of .graphql> --out <file>`.
 * Folders are searched recursively for .graphql/.gql files; a glob is expanded by the shell.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildManifest, type SourceFile } from '../graphql/persisted/build-manifest.ts';

function graphqlFilesIn(path: string): string[] {
  if (!statSync(path, { throwIfNoEntry: false })) throw new Error(`${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(graphql|gql)$/.test(name))
    .sort()
    .map((name) => join(path, name));
}

try {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length === 0 || !values.out) {
    throw new Error('usage: npm run trusted-documents -- <files or folders of .graphql> --out <manifest.json>');
  }
  const files: SourceFile[] = positionals.flatMap(graphqlFilesIn).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  if (files.length === 0) throw new Error('no .graphql files found');
  const manifest = buildManifest(files);
  writeFileSync(values.out, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`${manifest.operations.length} operations from ${files.length} files written to ${values.out}`);
} catch (error) {
  console.error(`trusted-documents: ${(error as Error).message}`);
  process.exit(1);
}
