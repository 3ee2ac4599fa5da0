import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

/** Request headers a browser client may send: auth, JSON, Apollo's CSRF-prevention headers, our request id. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
/** Response headers a browser client may read: the rate-limit state and the request id for support. */
const EXPOSED_HEADERS = ['ratelimit', 'ratelimit-policy', 'retry-after', 'x-request-id'];

export type CorsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<'preflight-answered' | 'continue'>;

/**
 * CORS with an exact allow-list of origins (CORS_ORIGINS), through the `cors` package. An origin
 * not on the list gets no Access-Control-Allow-Origin, so browsers withhold the response from it;
 * an empty list allows no cross-origin browser calls at all (server-to-server clients are unaffected).
 * A preflight (OPTIONS) is answered here with 204.
 */
export function createCors(origins: readonly string[]): CorsHandler {
  const middleware = cors({
    origin: origins.length > 0 ? [...origins] : false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (req, res) =>
    new Promise((resolve, reject) => {
      // `cors` ends a preflight itself (synchronously, the allow-list being static) and calls next() otherwise.
      middleware(req as never, res as never, (error?: unknown) => (error ? reject(error) : resolve('continue')));
      if (res.writableEnded) resolve('preflight-answered');
    });
}
