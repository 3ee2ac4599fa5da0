import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../context.ts';
import { cachedAnswersOf } from '../graphql/caching/cached-answer.ts';
import type { CostLimiter } from '../graphql/limits/rate-limiter.ts';
import { RequestBudget } from '../graphql/limits/request-budget.ts';
import { documentTextOf, documentTooLarge, documentWithinLimit, MAX_DOCUMENT_BYTES } from '../graphql/limits/document-size.ts';
import { withinRequest } from '../db/request-scope.ts';
import { clientAddressOf } from './client-address.ts';
import { createCors } from './cors.ts';
import type { Metrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';

/**
 * Request bodies above this are refused before parsing. Documents are small (MAX_DOCUMENT_BYTES
 * bounds their text); the largest legitimate body is a boundary (associationBoundarySet accepts up
 * to 2 MB of GeoJSON in variables).
 */
export const MAX_BODY_BYTES = 2_500_000;

/** A refusal with an HTTP status and a message safe to show; routes throw it for bad parameters. */
export class HttpError extends Error {
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
  /** The client's address (TRUST_PROXY decides whether X-Forwarded-For counts). */
  clientAddress: string;
  /** The caller's rate-limit budget for this request; null when the server has no limiter. */
  budget: RequestBudget | null;
}

/**
 * A handler for a path outside /graphql (the bulk exports). It answers and returns true when the
 * path is its own, or returns false to let the next route look.
 */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string) => Promise<boolean>;

/** Everything beyond GraphQL itself; each part is off when not given (tests pick what they exercise). */
export interface HttpServerOptions {
  /** Rate limits: every /graphql response carries RateLimit headers, a refusal is a 429. */
  rateLimiter?: CostLimiter;
  /** Proxies whose X-Forwarded-For is believed (see client-address.ts). */
  trustProxy?: number;
  /** A /graphql request not answered within this fails with 503 REQUEST_TIMEOUT. */
  requestTimeoutMs?: number;
  /** Browser origins allowed to call the API (CORS). */
  corsOrigins?: readonly string[];
  /** Served at GET /metrics, and fed by every request. */
  metrics?: Metrics;
  /** When set, GET /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** GET /readyz; without it /readyz answers as /healthz does. */
  readiness?: () => Promise<Readiness>;
  /** Paths outside /graphql (the bulk exports under /exports/), tried in order. */
  routes?: HttpRoute[];
}

class RequestTimeout extends Error {}

/** Servers told to drain (src/index.ts on SIGTERM): every answer closes its connection. */
const draining = new WeakSet<Server>();
/** Each server's requests not yet answered, so that a drain reaches those in flight too. */
const unanswered = new WeakMap<Server, Set<ServerResponse>>();

/**
 * From now on every answer carries `Connection: close` (those in flight included), so each kept-alive
 * connection is closed by its next answer instead of being reset under a request, and /readyz answers
 * 503 so a load balancer stops sending new ones. The server keeps listening: the caller closes it
 * after the drain window.
 */
export function beginDrain(server: Server): void {
  draining.add(server);
  for (const res of unanswered.get(server) ?? []) if (!res.headersSent) res.setHeader('connection', 'close');
}

/**
 * One `Vary` with every field the answer depends on: CORS sets `Vary: Origin` on the response,
 * the cache headers add `Authorization, Accept`, every /graphql answer `Accept-Language`; a header given to writeHead would replace the
 * other instead of adding to it, and a CDN would then serve one origin's answer to another.
 */
function mergedVary(res: ServerResponse, extra: string | undefined): { vary?: string } {
  const present = res.getHeader('vary');
  const fields = [present, extra]
    .flatMap((value) => (Array.isArray(value) ? value : value === undefined ? [] : [String(value)]))
    .flatMap((value) => value.split(','))
    .map((field) => field.trim())
    .filter(Boolean);
  const unique = [...new Map(fields.map((field) => [field.toLowerCase(), field])).values()];
  return unique.length > 0 ? { vary: unique.join(', ') } : {};
}

function jsonAnswer(status: number, body: unknown) {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function within<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (!ms) return work;
  let timer: NodeJS.Timeout;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RequestTimeout()), ms))),
  ]);
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Every /graphql answer says the language it is in (`Content-Language`, the request's negotiated
 * locale, see src/language/request-language.ts) and that it varies by `Accept-Language`, so a shared cache (CDN)
 * never serves a Spanish answer to an English request.
 */
async function withContentLanguage(out: Record<string, string>, context: () => Promise<GraphQLContext>): Promise<Record<string, string>> {
  let locale: string | null = null;
  try {
    locale = await (await context()).language.contentLanguage();
  } catch {
    // The context failed (Apollo answered that); the answer goes out without the header.
  }
  return locale ? { ...out, 'content-language': locale } : out;
}

function withVaryAcceptLanguage(out: Record<string, string>): Record<string, string> {
  return { ...out, vary: out.vary ? `${out.vary}, Accept-Language` : 'Accept-Language' };
}

/** Paths answered here; any other is labelled "unmatched" in metrics, so paths cannot flood the series. */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/']);

/** A caller's own request id is kept when it is short and plain; otherwise a fresh one is made. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * A plain Node HTTP server: /graphql goes to Apollo (GET and POST), /healthz answers liveness,
 * /readyz readiness, /metrics Prometheus. No framework: Apollo's executeHTTPGraphQLRequest does
 * the GraphQL-over-HTTP work; rate limits, CORS, the request timeout and metrics wrap it here.
 */
export function createHttpServer(
  apollo: ApolloServer<GraphQLContext>,
  contextFor: (request: RequestInfo) => Promise<GraphQLContext>,
  logger: Logger,
  options: HttpServerOptions = {},
): Server {
  const { rateLimiter, metrics } = options;
  // The response cache's hit path, when the server has a response cache (src/graphql/caching/cached-answer.ts).
  const cachedAnswers = cachedAnswersOf(apollo);
  const cors = createCors(options.corsOrigins ?? []);

  async function answerGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, abandon: AbortController): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const clientAddress = clientAddressOf(req, options.trustProxy ?? 0);
    const budget = rateLimiter
      ? new RequestBudget(rateLimiter, clientAddress, (caller) => metrics?.rateLimitRefusals.inc({ tier: caller.tier }))
      : null;
    const withBudgetHeaders = async (out: Record<string, string>) => {
      // An answer a CDN may keep is replayed to other callers: no caller's own budget on it.
      if (!budget || /^public\b/.test(out['cache-control'] ?? '')) return out;
      const status = budget.status ?? (await budget.current(null));
      return { ...out, ...rateLimitHeaders(status, budget.retryAfterSeconds) };
    };

    // Made once: the cached-answer path and Apollo share it.
    let contextValue: Promise<GraphQLContext> | undefined;
    const context = () => (contextValue ??= contextFor({ headers, requestId, clientAddress, budget }));

    // Given up at the timeout (abandon.abort()): the request's statements are cancelled then (src/db/request-scope.ts).
    const work = (async () => {
      const raw = req.method === 'POST' ? await readBody(req) : '';
      const method = req.method ?? 'GET';
      const parsed = parseBody(raw, req.headers['content-type']);
      const text = documentTextOf(method, parsed, url);
      if (text !== undefined && !documentWithinLimit(text)) {
        return jsonAnswer(413, { errors: [documentTooLarge(Buffer.byteLength(text, 'utf8'), MAX_DOCUMENT_BYTES)] });
      }
      const cached = cachedAnswers ? await cachedAnswers({ method, headers, body: parsed, context }) : null;
      if (cached) return { ...cached, headers: await withContentLanguage(cached.headers, context) };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: url.search, body: parsed },
        context,
      });
      let body = '';
      if (response.body.kind === 'complete') body = response.body.string;
      else for await (const chunk of response.body.asyncIterator) body += chunk;
      const outHeaders: Record<string, string> = {};
      for (const [key, value] of response.headers) outHeaders[key] = value;
      return { status: response.status ?? 200, headers: await withContentLanguage(outHeaders, context), body };
    })();

    let answer: { status: number; headers: Record<string, string>; body: string };
    try {
      answer = await within(work, options.requestTimeoutMs);
    } catch (error) {
      if (error instanceof HttpError) {
        // The request body may be partly unread (413): this connection cannot carry another request.
        res.setHeader('connection', 'close');
        answer = jsonAnswer(error.status, { errors: [{ message: error.message }] });
      } else if (error instanceof RequestTimeout) {
        // The operation may still be running: its result is dropped, its statements (running or
        // waiting for a connection) are cancelled now, and any it would send next are refused.
        abandon.abort();
        work.catch((late) => logger.warn({ err: late, requestId }, 'timed-out request failed after its answer'));
        metrics?.requestTimeouts.inc();
        logger.warn({ requestId, timeoutMs: options.requestTimeoutMs }, 'request timed out');
        res.setHeader('connection', 'close');
        const message = `The request was not answered within ${options.requestTimeoutMs} ms and was stopped. Ask for less (smaller pages), or retry later.`;
        answer = jsonAnswer(503, { errors: [{ message, extensions: { code: 'REQUEST_TIMEOUT', requestId } }] });
      } else {
        throw error;
      }
    }
    const out = await withBudgetHeaders(withVaryAcceptLanguage(answer.headers));
    // With its length known the answer goes out in one write, headers included; without, Node
    // would frame it as chunked (a writev of several pieces, and a terminating chunk).
    res.writeHead(answer.status, { ...out, ...mergedVary(res, out.vary), 'content-length': String(Buffer.byteLength(answer.body)) });
    res.end(answer.body);
  }

  const pending = new Set<ServerResponse>();
  // Each request is one database scope (src/db/request-scope.ts): its statements are cancelled when it
  // is given up, and share one place in the embedded database's queue and one time budget.
  const server = createServer((req, res) => {
    const abandon = new AbortController();
    // GraphQL requests get the statement-time budget; the streamed exports only their turns.
    const budgeted = !req.url?.startsWith('/exports/');
    // Not awaited: Node's request listener ignores what it returns, and handle() answers its own
    // failures (its catch sends the 4xx/5xx), so the promise is settled without an onlooker.
    void withinRequest(abandon.signal, () => handle(req, res, abandon), { budgeted });
  });
  async function handle(req: IncomingMessage, res: ServerResponse, abandon: AbortController): Promise<unknown> {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const closing = draining.has(server);
    if (closing) res.setHeader('connection', 'close');
    else {
      pending.add(res);
      res.once('close', () => pending.delete(res));
    }
    const started = process.hrtime.bigint();
    let route = 'unmatched';
    if (metrics) {
      res.once('finish', () => {
        metrics.httpRequests.inc({ route, method: req.method ?? 'GET', status: String(res.statusCode) });
        metrics.httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
      });
    }
    try {
      // Inside the try: a malformed request line must be a 400, never an unhandled rejection.
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new HttpError(400, 'Malformed request URL');
      }
      if (ROUTES.has(url.pathname)) route = url.pathname;
      if ((await cors(req, res)) === 'preflight-answered') return;

      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        if (closing) return sendJson(res, 503, { status: 'not ready', reason: 'shutting down' });
        const readiness: Readiness = options.readiness ? await options.readiness() : { ready: true };
        if (!readiness.ready) return sendJson(res, 503, { status: 'not ready', reason: readiness.reason });
        return sendJson(res, 200, readiness.degraded?.length ? { status: 'ready', degraded: readiness.degraded } : { status: 'ready' });
      }
      if (url.pathname === '/metrics' && metrics) {
        if (options.metricsToken && !bearerMatches(req.headers.authorization, options.metricsToken)) {
          res.setHeader('www-authenticate', 'Bearer');
          return sendJson(res, 401, { error: 'This server requires a bearer token for /metrics' });
        }
        const rendered = await metrics.render();
        res.writeHead(200, { 'content-type': rendered.contentType });
        return res.end(rendered.body);
      }
      if (url.pathname === '/') {
        res.writeHead(302, { location: '/graphql' });
        return res.end();
      }
      if (url.pathname.startsWith('/exports/')) route = '/exports';
      for (const handler of options.routes ?? []) if (await handler(req, res, url, requestId)) return;
      if (url.pathname !== '/graphql') {
        route = 'unmatched';
        return sendJson(res, 404, { error: 'Not found' });
      }
      // A preflight from an origin not on the allow-list: answered, without any CORS header.
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'content-length': '0' });
        return res.end();
      }
      await answerGraphQL(req, res, url, requestId, abandon);
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
  }
  unanswered.set(server, pending);
  return server;
}
