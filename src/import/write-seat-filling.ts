/**
 * How seats are filled (issue 13), written after posts.csv's rows exist: alternates and nominators
 * refer to posts (of any organization of the city), so they need every post's id first.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CompositionRuleRecord, PostRecord } from '../datasets/format.ts';
import { compositionRules, organizations, postNominators, posts } from '../db/schema/index.ts';
import { parseNominators } from './dataset-schema.ts';
import type { OverlapCounts } from './summary.ts';
import type { Tx } from './upsert.ts';

/** Alternates and nominators of the dataset's seats that the dataset still owns (origin DATASET). */
export async function writePostReferences(tx: Tx, jurisdictionId: number, records: readonly PostRecord[], organizationIds: ReadonlyMap<string, number>): Promise<void> {
  const rows = await tx
    .select({ id: posts.id, org: organizations.slug, key: posts.sourceKey, origin: posts.origin, alternateForPostId: posts.alternateForPostId })
    .from(posts)
    .innerJoin(organizations, eq(organizations.id, posts.organizationId))
    .where(eq(posts.jurisdictionId, jurisdictionId));
  const byKey = new Map(rows.map((r) => [`${r.org}/${r.key}`, r]));
  const owned = records.map((p) => ({ record: p, row: byKey.get(`${p.organization_key}/${p.key}`)! })).filter((p) => p.row.origin === 'DATASET');

  for (const { record, row } of owned) {
    const alternate = record.alternate_for == null ? null : byKey.get(`${record.organization_key}/${record.alternate_for}`)!.id;
    if (alternate !== row.alternateForPostId) await tx.update(posts).set({ alternateForPostId: alternate, updatedAt: sql`now()` }).where(eq(posts.id, row.id));
  }

  const ids = owned.map((p) => p.row.id);
  const stored = ids.length ? await tx.select().from(postNominators).where(inArray(postNominators.postId, ids)) : [];
  const storedOf = new Map<number, string>();
  for (const n of [...stored].sort((a, b) => a.position - b.position)) {
    storedOf.set(n.postId, `${storedOf.get(n.postId) ?? ''}${n.nominatorPostId ?? ''}:${n.nominatorOrganizationId ?? ''};`);
  }
  for (const { record, row } of owned) {
    const wanted = (parseNominators(record.nominated_by ?? null) ?? []).map((ref, position) => ({
      postId: row.id,
      position,
      nominatorPostId: ref.kind === 'post' ? byKey.get(`${ref.organization_key}/${ref.post_key}`)!.id : null,
      nominatorOrganizationId: ref.kind === 'org' ? organizationIds.get(ref.organization_key)! : null,
    }));
    const signature = wanted.map((w) => `${w.nominatorPostId ?? ''}:${w.nominatorOrganizationId ?? ''};`).join('');
    if ((storedOf.get(row.id) ?? '') === signature) continue; // unchanged: leave the rows as they are
    await tx.delete(postNominators).where(eq(postNominators.postId, row.id));
    if (wanted.length) await tx.insert(postNominators).values(wanted);
  }
}

/**
 * The jurisdiction's composition rules are made to match the file exactly (nothing refers to a
 * rule, so a rule no longer listed is deleted), upserted by (organization, code).
 */
export async function writeCompositionRules(
  tx: Tx,
  jurisdictionId: number,
  records: readonly CompositionRuleRecord[],
  organizationIds: ReadonlyMap<string, number>,
): Promise<OverlapCounts> {
  const stored = await tx.select().from(compositionRules).where(eq(compositionRules.jurisdictionId, jurisdictionId));
  const storedByKey = new Map(stored.map((r) => [`${r.organizationId}/${r.code}`, r]));
  const counts: OverlapCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  const kept = new Set<number>();
  for (const r of records) {
    const values = {
      jurisdictionId,
      organizationId: organizationIds.get(r.organization_key)!,
      code: r.code,
      rule: r.rule,
      numerator: r.numerator,
      denominator: r.denominator,
      description: r.description,
      source: r.source,
    };
    const existing = storedByKey.get(`${values.organizationId}/${r.code}`);
    if (!existing) {
      await tx.insert(compositionRules).values(values);
      counts.inserted++;
      continue;
    }
    kept.add(existing.id);
    const same = (['rule', 'numerator', 'denominator', 'description', 'source'] as const).every((k) => existing[k] === values[k]);
    if (same) counts.unchanged++;
    else {
      await tx.update(compositionRules).set({ ...values, updatedAt: sql`now()` }).where(eq(compositionRules.id, existing.id));
      counts.updated++;
    }
  }
  const gone = stored.filter((r) => !kept.has(r.id)).map((r) => r.id);
  if (gone.length) {
    await tx.delete(compositionRules).where(and(eq(compositionRules.jurisdictionId, jurisdictionId), inArray(compositionRules.id, gone)));
    counts.deleted = gone.length;
  }
  return counts;
}
