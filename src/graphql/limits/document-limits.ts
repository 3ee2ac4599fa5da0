import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { limitRefusal, type LimitCode } from './refusals.ts';

/**
 * Fields on the longest path, the leaf included; fragments add none. A Relay hop costs 2 or 3
 * levels (`memberOrganizations { edges { node { … } } }`), so 15 allows four hops with fields around
 * them. The nested directory (tests/graphql/statement-count.test.ts) is 9 deep.
 */
export const MAX_DEPTH = 15;
/** Aliases in an operation: enough for comparisons such as `before:`/`after:`; many more is batching. */
export const MAX_ALIASES = 30;
/** `@skip`/`@include` and the like, per operation. */
export const MAX_DIRECTIVES = 50;

/** Reports a refusal as a validation error carrying our code (errors.ts lets that code through). */
function reportAs(code: LimitCode) {
  // graphql-armor prefixes its messages with a misleading "Syntax Error: ".
  return (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(limitRefusal(code, error.message.replace(/^Syntax Error: /, '')));
}

/**
 * graphql-armor's depth, alias and directive rules. Its other protections are off on purpose: the
 * cost analysis here replaces its cost limit (which ignores variables), graphql-js's parser counts
 * tokens itself (`parseOptions`), and Apollo's `hideSchemaDetailsFromClientErrors` already hides
 * field suggestions in production. Outside production, messages state the limit and what was found.
 */
export function documentLimitRules({ production }: { production: boolean }): ValidationRule[] {
  const shared = { exposeLimits: !production, propagateOnRejection: false };
  const armor = new ApolloArmor({
    maxDepth: { ...shared, n: MAX_DEPTH, flattenFragments: true, errorMessage: 'Query is nested too deeply.', onReject: [reportAs('QUERY_TOO_DEEP')] },
    maxAliases: { ...shared, n: MAX_ALIASES, errorMessage: 'Query uses too many aliases.', onReject: [reportAs('TOO_MANY_ALIASES')] },
    maxDirectives: { ...shared, n: MAX_DIRECTIVES, errorMessage: 'Query uses too many directives.', onReject: [reportAs('TOO_MANY_DIRECTIVES')] },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().validationRules;
}
