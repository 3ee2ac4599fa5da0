import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import { pino } from 'pino';
import type { Viewer } from '../../src/auth/viewer.ts';
import { createContext, type GraphQLContext } from '../../src/context.ts';
import type { Database } from '../../src/db/client.ts';
import { createHttpServer, type HttpServerOptions } from '../../src/http/http-server.ts';

export interface RunningHttpServer {
  /** e.g. http://127.0.0.1:53121 */
  base: string;
  close(): Promise<void>;
}

/**
 * Starts the real HTTP server (src/http/http-server.ts) on a free port. The viewer is decided by the
 * caller's bearer token: "staff" makes a Portland staff viewer, anything else is refused, none is the
 * public — the real authenticator is tested in tests/auth; here the routing and HTTP behaviour matter.
 */
export async function startHttpServer(
  apollo: ApolloServer<GraphQLContext>,
  db: Database,
  options: { staff?: Viewer; http?: HttpServerOptions } = {},
): Promise<RunningHttpServer> {
  const logger = pino({ level: 'silent' });
  const server: Server = createHttpServer(
    apollo,
    async ({ headers, requestId }) => {
      const staff = headers.get('authorization') === 'Bearer staff' ? options.staff : undefined;
      return createContext({ db, defaultJurisdiction: 'portland', logger, requestId, viewer: staff });
    },
    logger,
    options.http,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
