import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logger.ts';
import { generateApiKey } from '../../src/auth/api-keys.ts';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { createJwtVerifier, signStaffToken } from '../../src/auth/jwt.ts';
import { createContext } from '../../src/context.ts';
import type { Database } from '../../src/db/client.ts';
import { apiKeys } from '../../src/db/schema/index.ts';
import { createHttpServer, type HttpServerOptions } from '../../src/http/http-server.ts';
import type { SubmissionRateLimit } from '../../src/graphql/limits/submission-rate-limit.ts';
import { createApolloServer, type ServerOptions } from '../../src/server.ts';

export const JWT_SETTINGS = { secret: 'test-secret-that-is-long-enough-for-hs256!!', issuer: 'civic-graph', audience: 'civic-graph' };

export interface HttpInstance {
  /** http://127.0.0.1:<port> */
  base: string;
  /** POSTs an operation as JSON; `token` becomes a bearer token. */
  post(query: string, options?: { token?: string; variables?: object; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  /** GETs an operation (query string parameters), as a CDN-cacheable client would. */
  get(query: string, options?: { token?: string; variables?: object; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

type ApolloOptions = Partial<Omit<ServerOptions, 'logger' | 'metrics'>>;

/**
 * The real HTTP server wired as src/index.ts wires it (authentication, budget in the context),
 * with the options a test exercises, listening on a free port of 127.0.0.1.
 */
export async function startHttpInstance(
  db: Database,
  options: HttpServerOptions &
    ApolloOptions & { logger?: Logger; defaultJurisdiction?: string; /** This instance's own, as a separate process would have. */ submissionRateLimit?: SubmissionRateLimit } = {},
): Promise<HttpInstance> {
  const logger = options.logger ?? createLogger('silent');
  const apollo = createApolloServer({
    logger,
    production: options.production ?? false,
    introspectionForPartners: options.introspectionForPartners,
    maxQueryCost: options.maxQueryCost,
    metrics: options.metrics,
    responseCache: options.responseCache,
    trustedDocuments: options.trustedDocuments,
    persistedQueryCache: options.persistedQueryCache,
    federation: options.federation,
  });
  await apollo.start();
  const authenticate = createAuthenticator(db, createJwtVerifier(JWT_SETTINGS));
  const server: Server = createHttpServer(
    apollo,
    async ({ headers, requestId, budget, clientAddress }) =>
      createContext({
        db,
        defaultJurisdiction: options.defaultJurisdiction ?? 'portland',
        logger,
        requestId,
        budget,
        clientAddress,
        submissionRateLimit: options.submissionRateLimit,
        viewer: await authenticate(headers.get('authorization')),
        acceptLanguage: headers.get('accept-language'),
        idempotencyKey: headers.get('idempotency-key') ?? null,
      }),
    logger,
    options,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    async post(query, { token, variables, headers = {} } = {}) {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: await res.json() };
    },
    async get(query, { token, variables, headers = {} } = {}) {
      const params = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
      const res = await fetch(`${base}/graphql?${params}`, {
        headers: { 'apollo-require-preflight': 'true', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
      return { status: res.status, headers: res.headers, body: await res.json() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
    },
  };
}

export function staffToken(subject = 'maria@portland.example'): Promise<string> {
  return signStaffToken(JWT_SETTINGS, { subject, role: 'staff', jurisdiction: 'portland', name: 'Maria' });
}

/** A partner API key of the jurisdiction, stored as the apiKeyCreate mutation stores one. */
export async function partnerKey(db: Database, jurisdictionId: number, name = 'Newsroom map'): Promise<string> {
  const generated = generateApiKey();
  await db.insert(apiKeys).values({ jurisdictionId, name, scope: 'PARTNER', prefix: generated.prefix, keyHash: generated.keyHash, createdBy: 'test' });
  return generated.key;
}

/** Parses `"tier";r=…;t=…` / `"tier";q=…;w=…` into its parameters. */
export function structuredItem(header: string | null): Record<string, string> {
  const [name, ...params] = (header ?? '').split(';');
  return Object.fromEntries([['name', name!.replaceAll('"', '')], ...params.map((p) => p.split('=') as [string, string])]);
}
