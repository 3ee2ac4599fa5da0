import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ParseOptions, ValidationRule } from 'graphql';
import { costLimitPlugin } from './cost-limit.plugin.ts';
import { documentLimitRules } from './document-limits.ts';

/** Lexical tokens in a document; the parser stops at once beyond it. */
export const MAX_TOKENS = 5000;
/**
 * Field and fragment selections in an operation once its fragments are expanded (Apollo's
 * `maxRecursiveSelections`). A document within MAX_TOKENS holds a few thousand at most unless it
 * spreads fragments inside fragments; this stops that before any other rule walks the document.
 */
export const MAX_RECURSIVE_SELECTIONS = 10_000;

export interface QueryLimits<TContext extends BaseContext> {
  parseOptions: ParseOptions;
  maxRecursiveSelections: number;
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<TContext>[];
}

/**
 * Everything that refuses an operation before it executes, in the order it applies (after the HTTP
 * server's MAX_DOCUMENT_BYTES, src/graphql/limits/document-size.ts): tokens (parse),
 * expanded selections, depth, aliases and directives (validation), then cost (once variables are known).
 */
export function queryLimits<TContext extends BaseContext>({ production, maxQueryCost }: { production: boolean; maxQueryCost: number }): QueryLimits<TContext> {
  return {
    parseOptions: { maxLexicalTokens: MAX_TOKENS },
    maxRecursiveSelections: MAX_RECURSIVE_SELECTIONS,
    validationRules: documentLimitRules({ production }),
    plugins: [costLimitPlugin<TContext>(maxQueryCost)],
  };
}
