import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLContext } from '../../context.ts';

/**
 * The max age a shared cache (CDN) may keep this answer for, or null when it may not: an anonymous
 * GET query answered without errors whose cache hints are all PUBLIC. Such an answer is the same
 * for every caller, so it carries nothing of one caller's own (src/graphql/limits/cost-limit.plugin.ts
 * leaves out the budget; the HTTP server leaves out the RateLimit headers).
 */
export function sharedCacheMaxAge(context: GraphQLRequestContextWillSendResponse<BaseContext>): number | null {
  const { request, response, operation, overallCachePolicy } = context;
  const viewer = (context.contextValue as Partial<GraphQLContext> | undefined)?.viewer;
  if (viewer && viewer.role !== 'PUBLIC') return null;
  const policy = overallCachePolicy.policyIfCacheable();
  const cacheable =
    request.http?.method === 'GET' &&
    operation?.operation === 'query' &&
    response.body.kind === 'single' &&
    !response.body.singleResult.errors &&
    policy?.scope === 'PUBLIC';
  return cacheable ? policy.maxAge : null;
}

/**
 * `Cache-Control` for shared caches (CDNs). Only an anonymous GET query whose answer has no errors
 * and only PUBLIC cache hints is `public, max-age=N` (N from Apollo's cache control: the smallest
 * hint of any field asked for); it varies by `Authorization` (so a CDN never serves it for a
 * credentialed request), `Accept` (the media type of the answer) and, with CORS, `Origin`. Anything answered for a caller with credentials is `private, no-store`;
 * every other answer (POST, mutations, errors, fields without a hint) is `no-store`.
 * Apollo refuses mutations over GET on its own (405), so GET can never change data.
 */
export function cacheHeadersPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(context) {
          const { response, overallCachePolicy, contextValue } = context;
          const headers = response.http.headers;
          if (contextValue?.viewer && contextValue.viewer.role !== 'PUBLIC') {
            headers.set('cache-control', 'private, no-store');
            return;
          }
          const maxAge = sharedCacheMaxAge(context);
          if (maxAge !== null) {
            headers.set('cache-control', `public, max-age=${maxAge}`);
            // Added to CORS's `Vary: Origin` by the HTTP server (src/http/http-server.ts): the answer
            // differs by credentials and by the media type asked for.
            headers.set('vary', 'Authorization, Accept');
          } else {
            headers.set('cache-control', overallCachePolicy.scope === 'PRIVATE' ? 'private, no-store' : 'no-store');
          }
        },
      };
    },
  };
}
