import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from '../../context.ts';
import { readerOf } from '../../db/replicas.ts';
import { readDataVersion } from './data-version.ts';
import type { ResponseStore } from './response-store.ts';

/**
 * Fifteen minutes: every time zone's offset is a multiple of it, so a cached answer never
 * outlives the local day its "today" defaults were computed for.
 */
const TIME_SLOT_MS = 15 * 60 * 1000;

interface StoredResponse {
  data: Record<string, unknown>;
  policy: { maxAge: number; scope: 'PUBLIC' };
}

/**
 * Caches whole responses of anonymous queries, keyed by the document, variables and the data
 * version (src/graphql/caching/data-version.ts): any committed write, through the API, an import
 * or plain SQL, changes the version, so a cached answer is never older than the last commit, on
 * every instance sharing the store. Only error-free answers whose cache hints are all PUBLIC with
 * a max age are stored, for that max age. Staff, partners and mutations always execute.
 * A store that fails is logged and bypassed: the cache can slow nothing down but itself.
 */
export function responseCachePlugin(store: ResponseStore, logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let key: string | null = null;
      let hit = false;
      return {
        async responseForOperation(request) {
          if (request.operation?.operation !== 'query' || request.contextValue.viewer.role !== 'PUBLIC') return null;
          // The version is read before the data, so what is stored under it is at least as new; and
          // from the request's own replica, so both are of the same state (src/db/replicas.ts).
          const version = await readDataVersion(readerOf(request.contextValue.db));
          const slot = Math.floor(Date.now() / TIME_SLOT_MS);
          key = createHash('sha256')
            .update(JSON.stringify([request.source, request.operationName ?? null, request.request.variables ?? {}, version, slot]))
            .digest('base64url');
          let stored: string | undefined;
          try {
            stored = await store.get(key);
          } catch (error) {
            logger.warn({ err: error }, 'response cache read failed; executing');
            return null;
          }
          if (stored === undefined) return null;
          const { data, policy } = JSON.parse(stored) as StoredResponse;
          request.overallCachePolicy.replace(policy);
          hit = true;
          return { body: { kind: 'single', singleResult: { data } }, http: { status: undefined, headers: new HeaderMap() } };
        },
        async willSendResponse(request) {
          if (key === null || hit || request.response.body.kind !== 'single') return;
          const { data, errors } = request.response.body.singleResult;
          const policy = request.overallCachePolicy.policyIfCacheable();
          if (errors || !data || !policy || policy.scope !== 'PUBLIC') return;
          const value: StoredResponse = { data, policy: { maxAge: policy.maxAge, scope: 'PUBLIC' } };
          // Not awaited: the answer is ready, and storing it must not delay it.
          store.set(key, JSON.stringify(value), policy.maxAge).catch((error: unknown) => {
            logger.warn({ err: error }, 'response cache write failed');
          });
        },
      };
    },
  };
}
