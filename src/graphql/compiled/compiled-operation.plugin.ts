/**
 * Answers a whole query operation without graphql-js execution when every root field of it
 * compiles (compiled-roots.ts): the compiled statement's JSON (built without markers) already is
 * the response's `data`, keyed by response keys in selection order, with only public columns and
 * scalars PostgreSQL writes the way the API's scalars serialize them (dates YYYY-MM-DD, enums by
 * name, integers, strings, booleans). Walking it value by value in graphql-js (arguments, info,
 * cache-hint hook and serialization per field of ~500 objects) cost more CPU than everything else
 * in the request; this plugin skips it, with Apollo's `responseForOperation` hook, after parsing,
 * validation and every limit (cost, rate, trusted documents) have run.
 *
 * The answer is the one execution would give: the same statement answers either way (the
 * compiled-directory test compares it with the resolvers'), and the cache policy is the one
 * Apollo's cache-control plugin would compute (below). Anything else falls back to execution,
 * which then answers or reports the error as usual: another kind of root field, fragments,
 * directives, a response key asked twice, variables that do not coerce, arguments the resolvers
 * must refuse, an unknown jurisdiction, or a failing statement.
 */
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isNonNullType,
  type DirectiveNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLContext } from '../../context.ts';
import { isStatementTimeout } from '../../errors.ts';
import { COMPILED_ROOT_FIELDS, type CompiledRootField } from './compiled-roots.ts';
import type { DirectoryPlan } from './directory-plan.ts';
import { NO_ROW, planValues, runPlan } from './run-plan.ts';

interface Hint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
  inheritMaxAge?: boolean;
}

interface RootPlan {
  key: string;
  node: FieldNode;
  field: GraphQLField<unknown, unknown>;
  root: CompiledRootField;
  plan: DirectoryPlan;
}

interface OperationPlan {
  roots: RootPlan[];
  /** The overall cache policy execution would reach (see cachePolicyOf). */
  policy: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' };
}

/** Apollo's reading of `@cacheControl` (plugin/cacheControl: cacheAnnotationFromDirectives). */
function hintOf(directives: readonly DirectiveNode[] | undefined): Hint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const argument = (name: string) => directive.arguments!.find((a) => a.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scopeName = scopeValue?.kind === 'EnumValue' ? scopeValue.value : undefined;
  const scope = scopeName === 'PUBLIC' || scopeName === 'PRIVATE' ? scopeName : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === 'BooleanValue' && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = argument('maxAge');
  return { maxAge: maxAge?.kind === 'IntValue' ? parseInt(maxAge.value, 10) : undefined, scope };
}

function typeHint(type: GraphQLNamedType): Hint {
  const hint = hintOf(type.astNode?.directives);
  if (hint) return hint;
  for (const node of type.extensionASTNodes ?? []) {
    const extension = hintOf(node.directives);
    if (extension) return extension;
  }
  return {};
}

/** The policy Apollo's cache-control plugin gives one resolved field (its willResolveField). */
function fieldPolicy(field: GraphQLField<unknown, unknown>, isRoot: boolean, defaultMaxAge: number): { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const policy: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' } = {};
  const replace = (hint: Hint) => {
    if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
    if (hint.scope !== undefined) policy.scope = hint.scope;
  };
  let inheritMaxAge = false;
  const target = getNamedType(field.type);
  if (isCompositeType(target)) {
    const hint = typeHint(target);
    replace(hint);
    inheritMaxAge = !!hint.inheritMaxAge;
  }
  const hint = hintOf(field.astNode?.directives) ?? {};
  if (hint.inheritMaxAge && policy.maxAge === undefined) {
    inheritMaxAge = true;
    if (hint.scope) replace({ scope: hint.scope });
  } else replace(hint);
  if (policy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || isRoot)) policy.maxAge = defaultMaxAge;
  return policy;
}

class NotCompiled extends Error {}

/**
 * The overall policy of the operation, the same whatever the data: execution restricts the overall
 * policy by every field it resolves, and fields under an empty list or a null object are never
 * resolved, so the data could change the outcome, unless no field is stricter than the root
 * fields (always resolved). That is required here (the directory's types are all PUBLIC, 60 s);
 * a stricter field leaves the operation to execution.
 */
function cachePolicyOf(schema: GraphQLSchema, roots: RootPlan[], defaultMaxAge: number): OperationPlan['policy'] {
  let maxAge = Infinity;
  let scope: 'PUBLIC' | 'PRIVATE' | undefined;
  for (const { field } of roots) {
    const policy = fieldPolicy(field, true, defaultMaxAge);
    maxAge = Math.min(maxAge, policy.maxAge!);
    if (policy.scope === 'PRIVATE') throw new NotCompiled('private');
    scope ??= policy.scope;
  }
  const visit = (parent: GraphQLCompositeType, node: FieldNode) => {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== 'Field') throw new NotCompiled(selection.kind);
      if (selection.name.value.startsWith('__')) continue; // meta fields are not resolved through plugins
      if (!('getFields' in parent)) throw new NotCompiled('union');
      const field = parent.getFields()[selection.name.value];
      if (!field) throw new NotCompiled(selection.name.value);
      const policy = fieldPolicy(field, false, defaultMaxAge);
      if ((policy.maxAge !== undefined && policy.maxAge < maxAge) || policy.scope === 'PRIVATE') throw new NotCompiled('stricter cache hint');
      const target = getNamedType(field.type);
      if (isCompositeType(target)) visit(target, selection);
    }
  };
  for (const { field, node } of roots) visit(getNamedType(field.type) as GraphQLCompositeType, node);
  return { maxAge, ...(scope ? { scope } : {}) };
}

function compileOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, defaultMaxAge: number): OperationPlan | null {
  if (operation.operation !== 'query' || operation.directives?.length) return null;
  const queryType = schema.getQueryType();
  if (!queryType) return null;
  const roots: RootPlan[] = [];
  const keys = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== 'Field' || selection.directives?.length) return null;
    const key = selection.alias?.value ?? selection.name.value;
    const root = COMPILED_ROOT_FIELDS.get(selection.name.value);
    const field = queryType.getFields()[selection.name.value];
    if (!root || !field || keys.has(key)) return null;
    keys.add(key);
    const plan = root.compile(schema, field, selection, { markers: false });
    if (!plan) return null;
    roots.push({ key, node: selection, field, root, plan });
  }
  if (roots.length === 0) return null;
  try {
    return { roots, policy: cachePolicyOf(schema, roots, defaultMaxAge) };
  } catch (error) {
    if (error instanceof NotCompiled) return null;
    throw error;
  }
}

export interface CompiledOperationOptions {
  /** The cache-control plugin's defaultMaxAge (src/server.ts), for the same policy. */
  defaultMaxAge: number;
  /** A compiled statement failed: execution answers instead (and reports the error if it fails too). */
  onFallback?: (error: unknown) => void;
  /** The server's formatError, for a statement cancelled at statement_timeout (answered, not retried). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

export function compiledOperationPlugin({ defaultMaxAge, onFallback, formatError }: CompiledOperationOptions): ApolloServerPlugin<GraphQLContext> {
  // Per operation node of a parsed document: Apollo keeps parsed documents, so a repeated query
  // compiles once.
  const plans = new WeakMap<OperationDefinitionNode, OperationPlan | null>();
  const listener: GraphQLRequestListener<GraphQLContext> = {
    async responseForOperation({ operation, schema, request, contextValue, overallCachePolicy }) {
      if (!operation) return null;
      let plan = plans.get(operation);
      if (plan === undefined) {
        plan = compileOperation(schema, operation, defaultMaxAge);
        plans.set(operation, plan);
      }
      if (!plan) return null;
      let variables: Record<string, unknown> = {};
      if (operation.variableDefinitions?.length) {
        const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {});
        if (coerced.errors) return null;
        variables = coerced.coerced;
      }
      const data: Record<string, unknown> = {};
      for (const { key, node, field, root, plan: statement } of plan.roots) {
        let values: unknown[] | null;
        let jurisdiction: string;
        try {
          jurisdiction = root.jurisdictionOf(getArgumentValues(field, node, variables), contextValue);
          values = planValues(statement, jurisdiction, variables);
        } catch {
          return null; // an argument execution would refuse: let it
        }
        if (!values) return null;
        // The statement reads original texts: a request for translations is executed instead.
        if (!(await contextValue.language.isOriginalFor(jurisdiction))) return null;
        let value: unknown;
        try {
          value = await runPlan(contextValue.db, statement, values);
        } catch (error) {
          if (isStatementTimeout(error) && isNonNullType(field.type)) {
            // Execution would run the same work again and hold the database for a second
            // statement_timeout: answer as execution answers a cancelled statement. The root field
            // is non-null, so its error nulls the whole of `data`, as it would there.
            const cancelled = new GraphQLError(error instanceof Error ? error.message : String(error), { path: [key], originalError: error instanceof Error ? error : undefined });
            return {
              body: { kind: 'single', singleResult: { data: null, errors: [formatError(cancelled.toJSON(), cancelled)] } },
              http: { status: undefined, headers: new HeaderMap() },
            };
          }
          onFallback?.(error);
          return null;
        }
        if (value === NO_ROW) return null;
        data[key] = value;
      }
      overallCachePolicy.restrict(plan.policy);
      return { body: { kind: 'single', singleResult: { data } }, http: { status: undefined, headers: new HeaderMap() } };
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}
