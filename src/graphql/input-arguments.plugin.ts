/**
 * Every String and ID argument of an operation, checked once before anything runs: a value with a
 * NUL, another control character or a lone surrogate (src/input/text-rules.ts) is refused with
 * `BAD_USER_INPUT` naming the field and the argument, whether it was written in the document or sent
 * as a variable, at any depth of the selection and inside input objects and lists. Nothing reads a
 * database with such a value, including the compiled statements (src/graphql/compiled), which run
 * before execution.
 *
 * A mutation's `input` is left to the mutation itself, which refuses the same values as userErrors
 * naming the field (validateInput, src/graphql/mutation.ts). Multi-line values are allowed here
 * (line feed, tab): an argument's own rule may be stricter.
 *
 * Also: more variable values invalid than graphql-js reports (50) is one clean refusal, not the
 * uncoded error graphql-js aborts with.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { textProblem } from '../input/text-rules.ts';

/** graphql-js stops coercing variables after this many errors (execute's maxErrors). */
export const MAX_VARIABLE_ERRORS = 50;

function refusal(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}), http: { status: 400 } } });
}

/** The first string in `value` (of input type `type`) that breaks the text rules, with its path. */
function firstProblem(value: unknown, type: GraphQLInputType, path: string): { path: string; problem: string } | null {
  if (value == null) return null;
  if (isNonNullType(type)) return firstProblem(value, type.ofType, path);
  if (isListType(type)) {
    if (!Array.isArray(value)) return firstProblem(value, type.ofType, path);
    for (let i = 0; i < value.length; i++) {
      const found = firstProblem(value[i], type.ofType, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      const found = firstProblem((value as Record<string, unknown>)[field.name], field.type, `${path}.${field.name}`);
      if (found) return found;
    }
    return null;
  }
  // String and ID; other scalars (Date, GeoJSON, …) check their own values.
  if (isScalarType(type) && (type.name === 'String' || type.name === 'ID') && typeof value === 'string') {
    const problem = textProblem(value, { multiline: true });
    return problem ? { path, problem } : null;
  }
  return null;
}

/** True for a mutation whose payload carries userErrors: it refuses its own input as data. */
function refusesAsUserErrors(schema: GraphQLSchema, parentName: string | undefined, fieldType: unknown): boolean {
  if (parentName === undefined || parentName !== schema.getMutationType()?.name) return false;
  const named = getNamedType(fieldType as GraphQLInputType);
  return isObjectType(named) && 'userErrors' in named.getFields();
}

/** Throws the refusal for the first bad string argument of the operation (and the fragments it may use). */
function checkArguments(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
  const typeInfo = new TypeInfo(schema);
  const definitions = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
  visit(
    { kind: Kind.DOCUMENT, definitions },
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!argument || typeInfo.getDirective()) return;
        if (field && refusesAsUserErrors(schema, parent?.name, field.type)) return;
        // undefined when the value does not coerce: execution reports that as usual.
        const value = valueFromAST(node.value, argument.type, variables);
        const found = firstProblem(value, argument.type, argument.name);
        if (!found) return;
        const where = field && parent ? `${parent.name}.${field.name}(${argument.name}:)` : argument.name;
        const inside = found.path === argument.name ? '' : ` at ${found.path}`;
        throw refusal(`${where}${inside} ${found.problem}`, found.path);
      },
    }),
  );
}

export function inputArgumentsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          let variables: Record<string, unknown> = {};
          if (operation.variableDefinitions?.length) {
            const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
            if (coerced.errors) {
              // Up to the limit, execution reports each error (BAD_USER_INPUT, status 400); past it,
              // graphql-js would add an error without a code, which would read as a server fault.
              if (coerced.errors.length > MAX_VARIABLE_ERRORS) {
                throw refusal(`More than ${MAX_VARIABLE_ERRORS} variable values are invalid; correct them and send the operation again`);
              }
              return;
            }
            variables = coerced.coerced;
          }
          checkArguments(schema, document, operation, variables);
        },
      };
    },
  };
}
