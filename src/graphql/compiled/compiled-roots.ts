/**
 * The root fields answered by a compiled statement (directory-plan.ts, organizations-plan.ts),
 * shared by the per-field path (compiled-fields.ts) and the whole-operation path
 * (compiled-operation.plugin.ts).
 */
import type { FieldNode, GraphQLField, GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../../context.ts';
import { compileCouncilDistricts, type CompileOptions, type DirectoryPlan } from './directory-plan.ts';
import { compileOrganization, compileOrganizationList } from './organizations-plan.ts';

export interface CompiledRootField {
  compile(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, node: FieldNode, options: CompileOptions): DirectoryPlan | null;
  /** The jurisdiction slug the field reads ($1 of the statement; its texts' language decides whether it runs). */
  jurisdictionOf(args: Record<string, unknown>, ctx: GraphQLContext): string;
}

/** The `jurisdiction` argument, else the server's default. */
const jurisdictionArgument = (args: Record<string, unknown>, ctx: GraphQLContext) => (args.jurisdiction as string | null | undefined) ?? ctx.defaultJurisdiction;

const list = (compile: CompiledRootField['compile']): CompiledRootField => ({ compile, jurisdictionOf: jurisdictionArgument });

export const COMPILED_ROOT_FIELDS: ReadonlyMap<string, CompiledRootField> = new Map([
  ['councilDistricts', list(compileCouncilDistricts)],
  ['organizations', list(compileOrganizationList(null))],
  ['neighborhoodAssociations', list(compileOrganizationList('NEIGHBORHOOD_ASSOCIATION'))],
  ['businessDistrictAssociations', list(compileOrganizationList('BUSINESS_DISTRICT_ASSOCIATION'))],
  ['advisoryBodies', list(compileOrganizationList('ADVISORY_BODY'))],
  [
    'organization',
    {
      compile: compileOrganization,
      // By id the resolver ignores `jurisdiction`: the statement reads the server's own (and steps
      // aside for an organization of another).
      jurisdictionOf: (args, ctx) => (args.id != null ? ctx.defaultJurisdiction : jurisdictionArgument(args, ctx)),
    },
  ],
]);
