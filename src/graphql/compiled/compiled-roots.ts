/**
 * The root fields answered by a compiled statement (directory-plan.ts), shared by the per-field
 * path (compiled-fields.ts) and the whole-operation path (compiled-operation.plugin.ts).
 */
import type { FieldNode, GraphQLField, GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../../context.ts';
import { compileCouncilDistricts, type CompileOptions, type DirectoryPlan } from './directory-plan.ts';

export interface CompiledRootField {
  compile(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, node: FieldNode, options: CompileOptions): DirectoryPlan | null;
  /** The jurisdiction slug the field reads: its argument, else the server's default. */
  jurisdictionOf(args: Record<string, unknown>, ctx: GraphQLContext): string;
}

export const COMPILED_ROOT_FIELDS: ReadonlyMap<string, CompiledRootField> = new Map([
  [
    'councilDistricts',
    {
      compile: compileCouncilDistricts,
      jurisdictionOf: (args, ctx) => (args.jurisdiction as string | null | undefined) ?? ctx.defaultJurisdiction,
    },
  ],
]);
