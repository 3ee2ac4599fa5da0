import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../context.ts';
import type { TrustedDocuments } from './manifest.ts';

/**
 * off: the manifest is not read. allow: listed documents are served by hash with no registration
 * round trip; any other query is still accepted. require: the anonymous public may only run listed
 * documents; API-key partners and staff may still send any query (they are identified, limited per
 * key, and build new clients against the API).
 */
export type TrustedDocumentsMode = 'off' | 'allow' | 'require';

export function trustedDocumentRequired(): GraphQLError {
  return new GraphQLError(
    'This server runs only trusted documents for anonymous clients, and this operation is not one of them. ' +
      'Send the sha256 of a listed operation in extensions.persistedQuery, or authenticate with an API key.',
    { extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED', http: { status: 400 } } },
  );
}

export function trustedDocumentsPlugin(documents: TrustedDocuments, mode: Exclude<TrustedDocumentsMode, 'off'>): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ request }) {
      // A listed hash is answered from the manifest, before Apollo's APQ cache is consulted.
      const hash = request.extensions?.persistedQuery?.sha256Hash;
      if (request.query === undefined && typeof hash === 'string') request.query = documents.get(hash);
      if (mode !== 'require') return;
      return {
        // After the document is resolved and before it runs or is registered in the APQ cache;
        // queryHash is the sha256 of the text that will run, whichever way it arrived.
        async didResolveOperation({ queryHash, contextValue }) {
          if (contextValue.viewer.role === 'PUBLIC' && !documents.has(queryHash)) throw trustedDocumentRequired();
        },
      };
    },
  };
}
