import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isConnection, listSize, pageSize, scanCost, SCANS_PER_OPERATION } from './list-sizes.ts';

/**
 * The most objects an operation could return, counted before it runs, as GitHub counts nodes: a
 * connection returns `first`/`last` nodes (20 when omitted) for each of its parents, a plain list
 * its bound from list-sizes.ts, so nested lists multiply. A single object or a scalar adds nothing
 * of its own. For example `organizations(first: 50) { nodes { posts(first: 10) { nodes { label } } } }`
 * costs 50 + 50 × 10 = 550.
 *
 * Written on graphql-js's own helpers rather than graphql-query-complexity: the multiplying rule
 * above would live in a custom estimator anyway, and here each fragment is costed once per type
 * (so a document that spreads fragments into fragments cannot make the analysis itself slow).
 * A field selected twice (directly or through two fragments) is counted twice, although execution
 * merges them: the estimate errs high, never low. Under an abstract type the costliest of its
 * object types counts.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown>,
): number {
  return operationAnalysis(schema, document, operation, variableValues).cost;
}

export interface OperationAnalysis {
  /** The most objects the operation could return, plus the scan costs of its fields (list-sizes.ts). */
  cost: number;
  /** The part of `cost` that is scans: spent whatever the operation returns, so never refunded. */
  scanCost: number;
  /** How many times each field limited per operation (SCANS_PER_OPERATION) is selected, aliases and fragments included. */
  limitedFields: Record<string, number>;
}

/** The cost, and the fields an operation selects that may appear only so many times in one. */
export function operationAnalysis(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown>,
): OperationAnalysis {
  const { cost, limitedFields } = walk(schema, document, operation, variableValues, true);
  const objectsOnly = walk(schema, document, operation, variableValues, false).cost;
  return { cost, scanCost: cost - objectsOnly, limitedFields };
}

/** The cost walk; `withScans` false leaves scan costs out (they multiply like objects, so two walks tell them apart). */
function walk(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown>,
  withScans: boolean,
): { cost: number; limitedFields: Record<string, number> } {
  const scans = (parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>) => (withScans ? scanCost(parent, field) : 0);
  const limitedFields: Record<string, number> = {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentCosts = new Map<string, { cost: number; limited: Record<string, number> }>();

  /** Objects under one object of `type`; `page` is set when `type` is a connection type. */
  function selectionSetCost(selectionSet: SelectionSetNode, type: GraphQLObjectType, page?: number): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection)) continue;
      if (selection.kind === Kind.FIELD) cost += fieldCost(selection, type, page);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition, type)) cost += selectionSetCost(selection.selectionSet, type, page);
      } else cost += fragmentCost(selection, type, page);
    }
    return cost;
  }

  function fragmentCost(spread: FragmentSpreadNode, type: GraphQLObjectType, page?: number): number {
    const fragment = fragments.get(spread.name.value);
    if (!fragment || !applies(fragment.typeCondition, type)) return 0;
    const key = `${fragment.name.value} ${type.name} ${page ?? ''}`;
    const known = fragmentCosts.get(key);
    if (known) {
      for (const [name, n] of Object.entries(known.limited)) count(name, n);
      return known.cost;
    }
    const before = { ...limitedFields };
    const cost = selectionSetCost(fragment.selectionSet, type, page);
    const limited = Object.fromEntries(Object.entries(limitedFields).map(([name, n]) => [name, n - (before[name] ?? 0)]).filter(([, n]) => n !== 0));
    fragmentCosts.set(key, { cost, limited });
    return cost;
  }

  function fieldCost(node: FieldNode, parent: GraphQLObjectType, page?: number): number {
    const field = parent.getFields()[node.name.value];
    if (!field) return 0;
    const coordinate = `${parent.name}.${field.name}`;
    if (coordinate in SCANS_PER_OPERATION) count(coordinate, 1);
    // Scalars, enums, __typename and introspection add nothing, unless they scan (totalCount).
    if (!node.selectionSet) return scans(parent, field);
    return scans(parent, field) + objectsCost(node, field, parent, page);
  }

  function count(coordinate: string, n: number): void {
    limitedFields[coordinate] = (limitedFields[coordinate] ?? 0) + n;
  }

  function objectsCost(node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLObjectType, page?: number): number {
    if (!node.selectionSet) return 0;
    const type = getNamedType(field.type);
    const args = getArgumentValues(field, node, variableValues);
    if (isConnection(field)) {
      const size = pageSize(args);
      return size + childrenCost(node.selectionSet, type, size);
    }
    // The `nodes` and `edges` of a connection: the page counted above, times what each selects.
    if (page !== undefined && (field.name === 'nodes' || field.name === 'edges')) {
      return page * childrenCost(node.selectionSet, type);
    }
    if (isListType(getNullableType(field.type))) {
      const size = listSize(parent, field, args);
      return size * (1 + childrenCost(node.selectionSet, type));
    }
    return childrenCost(node.selectionSet, type);
  }

  function childrenCost(selectionSet: SelectionSetNode, type: GraphQLNamedType, page?: number): number {
    if (isObjectType(type)) return selectionSetCost(selectionSet, type, page);
    if (!isAbstractType(type)) return 0;
    return Math.max(0, ...schema.getPossibleTypes(type).map((object) => selectionSetCost(selectionSet, object, page)));
  }

  function applies(condition: NamedTypeNode | undefined, type: GraphQLObjectType): boolean {
    if (!condition) return true;
    const conditionType = schema.getType(condition.name.value);
    return conditionType === type || (isAbstractType(conditionType) && schema.isSubType(conditionType, type));
  }

  function isIncluded(node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, variableValues)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variableValues)?.if !== false;
  }

  const root = schema.getRootType(operation.operation);
  const cost = root ? selectionSetCost(operation.selectionSet, root) : 0;
  return { cost, limitedFields };
}
