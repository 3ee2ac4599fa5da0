/**
 * Hooks the compiled directory (directory-plan.ts) into ordinary graphql-js execution:
 *  - `compiledRoot` wraps a root resolver: when the field's selection compiles, one prepared
 *    statement answers the whole field; otherwise (or for a missing jurisdiction, whose error the
 *    resolver reports) the original resolver runs. Plans are cached per field node of a document.
 *  - `readCompiled` wraps every other resolver, and is the default field resolver: an object
 *    built by SQL (marked `__compiled`) already holds each field's value under its response key,
 *    so the field is read synchronously, with no loader, promise or row mapping.
 */
import { sql, type SQL } from 'drizzle-orm';
import { defaultFieldResolver as graphqlDefaultFieldResolver, type FieldNode, type GraphQLFieldResolver, type GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.ts';
import { COMPILED_KEY, UnsupportedSelection, type DirectoryPlan } from './directory-plan.ts';

type Compile = (info: GraphQLResolveInfo, node: FieldNode) => DirectoryPlan | null;
type Resolver = GraphQLFieldResolver<unknown, GraphQLContext, any>;

/** The plan and its SQL split at the placeholders, built once per field node. */
interface PreparedPlan {
  plan: DirectoryPlan;
  /** Text between placeholders, and which value each placeholder takes (0 = jurisdiction slug). */
  texts: string[];
  slots: number[];
}

const plans = new WeakMap<FieldNode, PreparedPlan | null>();

function prepare(plan: DirectoryPlan): PreparedPlan {
  const texts: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const match of plan.text.matchAll(/\$(\d+)/g)) {
    texts.push(plan.text.slice(last, match.index));
    slots.push(Number(match[1]) - 1);
    last = match.index! + match[0].length;
  }
  texts.push(plan.text.slice(last));
  return { plan, texts, slots };
}

function isCompiled(parent: unknown): parent is Record<string, unknown> {
  return parent !== null && typeof parent === 'object' && (parent as Record<string, unknown>)[COMPILED_KEY] === true;
}

/** Wraps a root field's resolver with the compiled path. */
export function compiledRoot(resolver: Resolver, compile: Compile, slugOf: (args: any, ctx: GraphQLContext) => string): Resolver {
  return async (parent, args, ctx, info) => {
    const node = info.fieldNodes[0]!;
    if (info.fieldNodes.length !== 1) return resolver(parent, args, ctx, info);
    let prepared = plans.get(node);
    if (prepared === undefined) {
      const plan = compile(info, node);
      prepared = plan && prepare(plan);
      plans.set(node, prepared);
    }
    if (!prepared) return resolver(parent, args, ctx, info);
    let values: unknown[];
    try {
      values = [slugOf(args, ctx), ...prepared.plan.params.map((source) => source(info.variableValues))];
    } catch (error) {
      if (error instanceof UnsupportedSelection) return resolver(parent, args, ctx, info);
      throw error;
    }
    const chunks: SQL[] = [];
    prepared.texts.forEach((text, i) => {
      chunks.push(sql.raw(text));
      if (i < prepared.slots.length) chunks.push(sql`${values[prepared.slots[i]!]}`);
    });
    const result = (await ctx.db.execute(sql.join(chunks))) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ result: unknown }>;
    if (rows.length === 0) return resolver(parent, args, ctx, info);
    const value = rows[0]!.result;
    return typeof value === 'string' ? JSON.parse(value) : value;
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
