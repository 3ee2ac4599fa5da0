import type { GraphQLContext } from '../../context.ts';
import type { TranslatableEntityType } from './language.repository.ts';
import { translatedString, type TranslatableRecord } from './language.service.ts';

/**
 * A translatable string field. With no `locale` argument and no Accept-Language preference it
 * returns the original synchronously (no promise, no read): the common case stays as cheap as the
 * default resolver was. Other modules use it for their own translatable fields (meetings).
 */
export function textField<Row extends TranslatableRecord, Original extends string | null>(entityType: TranslatableEntityType, field: string, original: (row: Row) => Original) {
  return (row: Row, { locale }: { locale?: string | null }, ctx: GraphQLContext): Original | Promise<Original> => {
    if (locale == null && ctx.language.ranges.length === 0) return original(row);
    return translatedString(ctx, entityType, row, field, original(row), locale).then((text) => (text ?? original(row)) as Original);
  };
}
