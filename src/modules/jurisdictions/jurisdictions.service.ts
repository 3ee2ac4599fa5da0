import type { ServiceScope } from '../../context.ts';
import type { JurisdictionRow } from '../../db/schema/index.ts';
import { badUserInput } from '../../errors.ts';
import { todayIn } from '../../graphql/dates.ts';

/** The jurisdiction a root field asks about: the `jurisdiction` argument, or the server's default. */
export async function resolveJurisdiction(ctx: ServiceScope, slug: string | null | undefined): Promise<JurisdictionRow> {
  const wanted = slug ?? ctx.defaultJurisdiction;
  const row = wanted.length <= 100 ? await ctx.loaders.jurisdictionBySlug.load(wanted) : null;
  if (!row) throw badUserInput(`No jurisdiction has the slug "${wanted.slice(0, 100)}"`, 'jurisdiction');
  ctx.loaders.jurisdictionById.prime(row.id, row);
  // Known for this request now: its Content-Language needs no read of its own (src/language/request-language.ts).
  ctx.language.knowCity(row);
  return row;
}

/** The jurisdiction a staff operation targets: the one named, else the caller's own, else the default. */
export async function staffTargetJurisdiction(ctx: ServiceScope, slug: string | null | undefined): Promise<JurisdictionRow> {
  if (slug) return resolveJurisdiction(ctx, slug);
  if (ctx.viewer.jurisdictionId != null) {
    const own = await ctx.loaders.jurisdictionById.load(ctx.viewer.jurisdictionId);
    if (own) return own;
  }
  return resolveJurisdiction(ctx, null);
}

/** The `at` date asked for, or today in that jurisdiction's time zone. */
export function dateIn(jurisdiction: JurisdictionRow, at: string | null | undefined): string {
  return at ?? todayIn(jurisdiction.timezone);
}

/** The `at` date asked for, or today in the time zone of the jurisdiction with this id. */
export async function asOf(ctx: ServiceScope, jurisdictionId: number, at: string | null | undefined): Promise<string> {
  if (at) return at;
  const jurisdiction = await ctx.loaders.jurisdictionById.load(jurisdictionId);
  return todayIn(jurisdiction?.timezone ?? 'UTC');
}
