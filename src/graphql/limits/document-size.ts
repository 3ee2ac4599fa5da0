import type { GraphQLFormattedError } from 'graphql';

/**
 * The most UTF-8 bytes of query text (comments and whitespace included) one request may carry.
 * The largest document the clients send (the nested directory) is about 1 KB, and MAX_TOKENS
 * allows about 30 KB of dense text; comments count here although the token limit skips them.
 * Variables are not counted: a boundary travels in them (MAX_BODY_BYTES bounds the whole body).
 */
export const MAX_DOCUMENT_BYTES = 64 * 1024;

const kib = (bytes: number) => `${bytes / 1024} KiB`;

/** The error of the HTTP 413 answer, code DOCUMENT_TOO_LARGE (listed in src/errors.ts). */
export function documentTooLarge(size: number, maxBytes: number): GraphQLFormattedError {
  return {
    message:
      `The query text is ${size} bytes; this server accepts at most ${kib(maxBytes)} (${maxBytes} bytes), comments and whitespace included. ` +
      'Send values such as GeoJSON in variables, which are not counted here.',
    extensions: { code: 'DOCUMENT_TOO_LARGE', maxDocumentBytes: maxBytes },
  };
}

/** True when a query text is within the limit, counting bytes only when its length could exceed it. */
export function documentWithinLimit(source: string, maxBytes = MAX_DOCUMENT_BYTES): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no count.
  return source.length * 3 <= maxBytes || Buffer.byteLength(source, 'utf8') <= maxBytes;
}

/**
 * The query text of a GraphQL-over-HTTP request (POST JSON body, or GET `query` parameter), for the
 * HTTP server to refuse one over MAX_DOCUMENT_BYTES before Apollo hashes, parses or caches it: the
 * parser's token limit never sees comments, and a parsed document keeps its whole text. Apollo's
 * plugins cannot refuse cleanly before parsing (an error thrown there becomes a 500), and a
 * document found by its persisted-query hash was registered within the limit.
 */
export function documentTextOf(method: string, body: unknown, url: URL): string | undefined {
  if (method === 'GET') return url.searchParams.get('query') ?? undefined;
  const query = body !== null && typeof body === 'object' ? (body as { query?: unknown }).query : undefined;
  return typeof query === 'string' ? query : undefined;
}
