import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The sha256 of a document, in hex: the id APQ clients send in extensions.persistedQuery. */
export function documentHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Apollo's persisted query manifest format (what @apollo/generate-persisted-query-manifest writes
 * and GraphOS/Router read), so one file serves this API and an Apollo toolchain alike.
 */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'id must be a lowercase sha256 hex digest'),
      name: z.string(),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export type PersistedQueryManifest = z.infer<typeof manifestSchema>;
export type ManifestOperation = PersistedQueryManifest['operations'][number];

/** The trusted documents of a deployment, by hash. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Reads and checks a manifest: a malformed file, or an id that is not its body's hash, stops the server. */
export function readTrustedDocuments(path: string): TrustedDocuments {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`TRUSTED_DOCUMENTS: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`TRUSTED_DOCUMENTS: ${path} is not a persisted query manifest: ${problems}`);
  }
  return trustedDocumentsOf(parsed.data);
}

export function trustedDocumentsOf(manifest: PersistedQueryManifest): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const operation of manifest.operations) {
    if (documentHash(operation.body) !== operation.id) {
      throw new Error(`TRUSTED_DOCUMENTS: operation ${operation.name} has an id that is not the sha256 of its body`);
    }
    documents.set(operation.id, operation.body);
  }
  return documents;
}
