import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../context.ts';

/**
 * Request bodies above this are refused before parsing. Documents are small; the largest
 * legitimate body is a boundary (associationBoundarySet accepts up to 2 MB of GeoJSON).
 */
export const MAX_BODY_BYTES = 2_500_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (!contentType?.toLowerCase().startsWith('application/json') && !contentType?.toLowerCase().startsWith('application/graphql-response+json')) {
    return raw;
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export interface RequestInfo {
  headers: HeaderMap;
  requestId: string;
}

/** A caller's own request id is kept when it is short and plain; otherwise a fresh one is made. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * A plain Node HTTP server: /graphql goes to Apollo (GET and POST), /healthz answers liveness.
 * No framework: Apollo's executeHTTPGraphQLRequest does the GraphQL-over-HTTP work.
 */
export function createHttpServer(
  apollo: ApolloServer<GraphQLContext>,
  contextFor: (request: RequestInfo) => Promise<GraphQLContext>,
  logger: Logger,
): Server {
  return createServer(async (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    try {
      // Inside the try: a malformed request line must be a 400, never an unhandled rejection.
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new HttpError(400, 'Malformed request URL');
      }
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/') {
        res.writeHead(302, { location: '/graphql' });
        return res.end();
      }
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found' });

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = req.method === 'POST' ? await readBody(req) : '';
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parseBody(raw, req.headers['content-type']) },
        context: () => contextFor({ headers, requestId }),
      });
      const outHeaders: Record<string, string> = {};
      for (const [key, value] of response.headers) outHeaders[key] = value;
      res.writeHead(response.status ?? 200, outHeaders);
      if (response.body.kind === 'complete') return res.end(response.body.string);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof HttpError) {
        // The request body may be partly unread (413): this connection cannot carry another request.
        res.setHeader('connection', 'close');
        return sendJson(res, error.status, { errors: [{ message: error.message }] });
      }
      logger.error({ err: error, requestId }, 'HTTP request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      else res.end();
    }
  });
}
