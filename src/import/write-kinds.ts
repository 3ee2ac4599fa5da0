/**
 * Upserts the city's kinds (kinds.csv) before divisions and organizations, which refer to them by a
 * composite foreign key; names in other locales (kind_names.csv) are reconciled with the file.
 * Kinds the dataset no longer lists are kept: divisions or organizations may still use them.
 */
import { and, eq, notInArray, sql } from 'drizzle-orm';
import { divisionKindNames, divisionKinds, organizationKindNames, organizationKinds } from '../db/schema/index.ts';
import type { DivisionKindCategory, OrganizationKindCategory } from '../db/schema/index.ts';
import type { KindNameRecord, KindRecord } from '../datasets/format.ts';
import { addCounts, type TableCounts } from './summary.ts';
import { upsertRows, type Tx } from './upsert.ts';

export async function writeKinds(tx: Tx, jurisdictionId: number, kinds: readonly KindRecord[], names: readonly KindNameRecord[]): Promise<TableCounts> {
  const common = (k: KindRecord) => ({
    jurisdictionId,
    code: k.code,
    name: k.name,
    pluralName: k.plural_name,
    locate: k.locate,
    sortOrder: k.sort_order,
    source: k.source,
  });
  const divisionRows = kinds
    .filter((k) => k.scope === 'DIVISION')
    .map((k) => ({ ...common(k), category: k.category as DivisionKindCategory, overlapPolicy: k.overlap_policy! }));
  const organizationRows = kinds
    .filter((k) => k.scope === 'ORGANIZATION')
    .map((k) => ({
      ...common(k),
      category: k.category as OrganizationKindCategory,
      recognitionModel: k.recognition_model!,
      registrationTermMonths: k.registration_term_months,
      registrationIntakeMonth: k.registration_intake_month,
    }));
  const shared = ['category', 'name', 'pluralName', 'locate', 'sortOrder', 'source'] as const;
  let counts = await upsertRows(tx, divisionKinds, divisionRows, [divisionKinds.jurisdictionId, divisionKinds.code], [...shared, 'overlapPolicy']);
  counts = addCounts(
    counts,
    await upsertRows(tx, organizationKinds, organizationRows, [organizationKinds.jurisdictionId, organizationKinds.code], [
      ...shared,
      'recognitionModel',
      'registrationTermMonths',
      'registrationIntakeMonth',
    ]),
  );

  for (const [scope, table] of [
    ['DIVISION', divisionKindNames],
    ['ORGANIZATION', organizationKindNames],
  ] as const) {
    const rows = names
      .filter((n) => n.scope === scope)
      .map((n) => ({ jurisdictionId, code: n.code, locale: n.locale, name: n.name, pluralName: n.plural_name }));
    const keys = rows.map((r) => `${r.code}|${r.locale}`);
    // The file is the whole list of names: a name it no longer has is deleted.
    await tx
      .delete(table)
      .where(
        and(
          eq(table.jurisdictionId, jurisdictionId),
          keys.length ? notInArray(sql`${table.code} || '|' || ${table.locale}`, keys) : undefined,
        ),
      );
    if (rows.length) await upsertRows(tx, table, rows, [table.jurisdictionId, table.code, table.locale], ['name', 'pluralName']);
  }
  return counts;
}
