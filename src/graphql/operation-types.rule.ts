import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses, while validating, an operation of a type the schema has no root for (`subscription`):
 * graphql-js would only notice while executing and answer with an uncoded error, shown as a server
 * fault. Here it is a GRAPHQL_VALIDATION_FAILED error with status 400.
 */
export const SupportedOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`This server does not support ${node.operation} operations; send a query or a mutation`, { nodes: node }));
    }
  },
});
