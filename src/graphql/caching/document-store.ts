import type { DocumentNode } from 'graphql';
import { ByteBoundedCache, stringBytes } from './byte-bounded-cache.ts';

/** Parsed and validated documents Apollo keeps (its `documentStore`), by the sha256 of their text. */
export const DOCUMENT_STORE_BYTES = 16 * 1024 * 1024;

/**
 * What a parsed document holds: its source text (every node's `loc` keeps it) plus the AST, its
 * token list and what is derived from it per document (compiled plans and flags in WeakMaps keyed
 * by its nodes), estimated at twice the AST's JSON. Apollo's own estimate is the JSON alone, which
 * leaves out the source: a one-line query after megabytes of comment counted as a few hundred bytes.
 */
export function documentBytes(document: DocumentNode): number {
  return stringBytes(document.loc?.source.body ?? '') + 2 * stringBytes(JSON.stringify(document));
}

export function createDocumentStore(maxBytes = DOCUMENT_STORE_BYTES): ByteBoundedCache<DocumentNode> {
  return new ByteBoundedCache<DocumentNode>(maxBytes, documentBytes);
}
