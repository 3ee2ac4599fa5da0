/**
 * Hooks the compiled directory (directory-plan.ts) into ordinary graphql-js execution:
 *  - `compiledRoot` wraps a root resolver: when the field's selection compiles, one prepared
 *    statement answers the whole field; otherwise (or for a missing jurisdiction, whose error the
 *    resolver reports) the original resolver runs. Plans are cached per field node of a document.
 *  - `readCompiled` wraps every other resolver, and is the default field resolver: an object
 *    built by SQL (marked `__compiled`) already holds each field's value under its response key,
 *    so the field is read synchronously, with no loader, promise or row mapping.
 */
import { defaultFieldResolver as graphqlDefaultFieldResolver, type FieldNode, type GraphQLFieldResolver } from 'graphql';
import type { GraphQLContext } from '../../context.ts';
import type { CompiledRootField } from './compiled-roots.ts';
import { COMPILED_KEY, type DirectoryPlan } from './directory-plan.ts';
import { NO_ROW, planValues, runPlan } from './run-plan.ts';

type Resolver = GraphQLFieldResolver<unknown, GraphQLContext, any>;

const plans = new WeakMap<FieldNode, DirectoryPlan | null>();

function isCompiled(parent: unknown): parent is Record<string, unknown> {
  return parent !== null && typeof parent === 'object' && (parent as Record<string, unknown>)[COMPILED_KEY] === true;
}

/** Wraps a root field's resolver with the compiled path. */
export function compiledRoot(resolver: Resolver, root: CompiledRootField): Resolver {
  return async (parent, args, ctx, info) => {
    const node = info.fieldNodes[0]!;
    if (info.fieldNodes.length !== 1) return resolver(parent, args, ctx, info);
    let plan = plans.get(node);
    if (plan === undefined) {
      plan = root.compile(info.schema, info.parentType.getFields()[info.fieldName]!, node, { markers: true });
      plans.set(node, plan);
    }
    const jurisdiction = root.jurisdictionOf(args, ctx);
    const values = plan && planValues(plan, jurisdiction, info.variableValues);
    // The statement reads original texts: a request for translations goes to the resolvers.
    if (!plan || !values || !(await ctx.language.isOriginalFor(jurisdiction))) return resolver(parent, args, ctx, info);
    const value = await runPlan(ctx.db, plan, values);
    return value === NO_ROW ? resolver(parent, args, ctx, info) : value;
  };
}

/** A resolver that reads fields of SQL-built objects by response key, and otherwise runs as before. */
export function readCompiled(resolver: Resolver): Resolver {
  return (parent, args, ctx, info) => (isCompiled(parent) ? parent[info.path.key as string] : resolver(parent, args, ctx, info));
}

/** The default field resolver, aware of SQL-built objects (aliases are their keys). */
export const compiledAwareFieldResolver: Resolver = readCompiled(graphqlDefaultFieldResolver as Resolver);

/** Applies readCompiled to every field resolver of a resolver map (scalars and enums untouched). */
export function withCompiledFields<T extends Record<string, any>>(map: T): T {
  const out: Record<string, unknown> = {};
  for (const [typeName, fields] of Object.entries(map)) {
    if (!fields || typeof fields !== 'object' || fields.constructor !== Object) {
      out[typeName] = fields; // a GraphQLScalarType
      continue;
    }
    out[typeName] = Object.fromEntries(
      Object.entries(fields).map(([name, value]) => [name, typeof value === 'function' && !name.startsWith('__') ? readCompiled(value as Resolver) : value]),
    );
  }
  return out as T;
}
