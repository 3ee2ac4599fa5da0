import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, NoSchemaIntrospectionCustomRule, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../../auth/viewer.ts';

export interface IntrospectionPolicy {
  /** Outside production everyone may introspect (Sandbox, codegen). */
  production: boolean;
  /** In production, partner keys may introspect only when the deployment says so. */
  forPartners: boolean;
}

export function mayIntrospect(viewer: Viewer | undefined, { production, forPartners }: IntrospectionPolicy): boolean {
  if (!production) return true;
  if (viewer?.role === 'STAFF' || viewer?.role === 'ADMIN') return true;
  return viewer?.role === 'PARTNER' && forPartners;
}

/**
 * Whether a document asks for `__schema` or `__type`, once per document: Apollo keeps parsed
 * documents and hands the same DocumentNode to every request for the same text, and running a
 * validation pass on each request cost as much as the rest of `{ __typename }`.
 */
const introspects = new WeakMap<DocumentNode, boolean>();
function usesIntrospection(schema: GraphQLSchema, document: DocumentNode): boolean {
  let answer = introspects.get(document);
  if (answer === undefined) {
    answer = validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0;
    introspects.set(document, answer);
  }
  return answer;
}

/**
 * Introspection by role, which Apollo's single `introspection` switch cannot do: `__schema` and
 * `__type` are refused for the anonymous public in production (and for partner keys unless
 * INTROSPECTION_FOR_PARTNERS), before anything runs. `__typename` is always allowed. The SDL
 * itself is public in the repository (schema/), so this hides nothing secret; it takes away a
 * cheap way to map the API for automated abuse, as OWASP advises.
 */
export function introspectionPlugin<TContext extends BaseContext>(policy: IntrospectionPolicy): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          if (mayIntrospect((contextValue as { viewer?: Viewer }).viewer, policy)) return;
          if (!usesIntrospection(schema, document)) return;
          throw new GraphQLError('Introspection is not available to this caller. The schema is published with the source (schema/*.graphql).', {
            extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 403 } },
          });
        },
      };
    },
  };
}
