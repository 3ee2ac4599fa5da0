import type { GraphQLContext } from '../../context.ts';
import { GraphQLError } from 'graphql';
import { badUserInput } from '../../errors.ts';
import type { ChangeEntityType, QueryChangesArgs } from '../../graphql/__generated__/resolvers-types.ts';
import { resolveJurisdiction } from '../jurisdictions/jurisdictions.service.ts';
import { changeLogHorizon, committedChanges, type ChangeEntityTypeName, type ChangeEntry, type ChangeFeedPage, type ChangePosition } from './changes.repository.ts';

export const MAX_CHANGES_PAGE = 100;

export const ENTITY_TYPE_NAMES: Record<ChangeEntityType, ChangeEntityTypeName> = {
  DIVISION: 'Division',
  ORGANIZATION: 'Organization',
  POST: 'Post',
  MEMBERSHIP: 'Membership',
  MEETING: 'Meeting',
};

/** The start of the log: before every transaction id. */
const START: ChangePosition = { xid: '0', id: 0 };

export function encodeChangeCursor(position: ChangePosition): string {
  return Buffer.from(JSON.stringify(['c1', position.xid, position.id])).toString('base64url');
}

function decodeChangeCursor(cursor: string): ChangePosition {
  let value: unknown[] | null = null;
  try {
    const parsed: unknown = cursor.length <= 200 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
    value = Array.isArray(parsed) ? parsed : null;
  } catch {
    value = null;
  }
  const valid =
    value !== null &&
    value.length === 3 &&
    value[0] === 'c1' &&
    typeof value[1] === 'string' &&
    /^(0|[1-9][0-9]{0,18})$/.test(value[1]) &&
    typeof value[2] === 'number' &&
    Number.isSafeInteger(value[2]) &&
    value[2] >= 0;
  if (!valid) throw badUserInput('since is not a cursor of the change feed', 'since');
  return { xid: value![1] as string, id: value![2] as number };
}

/** Whether `a` comes before `b` in the feed's (xid, id) order. */
function isBefore(a: ChangePosition, b: ChangePosition): boolean {
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax < bx || (ax === bx && a.id < b.id);
}

export const CURSOR_EXPIRED_MESSAGE =
  'This cursor is older than the change log keeps: changes after it have been deleted (CHANGES_RETENTION_DAYS), so reading on from it would skip them. ' +
  'Resync: copy the data again (the exports, or the lists), then read changes without since.';

/**
 * Several changes of one object within a page become one entry at the place of its last change:
 * a client applies the object's current state once instead of several times.
 */
export function collapseChanges(rows: ChangeEntry[]): ChangeEntry[] {
  const byObject = new Map<string, { entry: ChangeEntry; created: boolean }>();
  for (const row of rows) {
    const key = `${row.entityType}:${row.entityId}`;
    const created = (byObject.get(key)?.created ?? false) || row.operation === 'CREATE';
    byObject.delete(key); // re-inserted last, so the Map keeps the order of last changes
    const operation = row.operation === 'DELETE' ? 'DELETE' : created ? 'CREATE' : 'UPDATE';
    byObject.set(key, { entry: { ...row, operation }, created });
  }
  return [...byObject.values()].map((v) => v.entry);
}

export async function changeFeed(ctx: GraphQLContext, args: QueryChangesArgs): Promise<ChangeFeedPage> {
  const size = args.first ?? MAX_CHANGES_PAGE;
  if (size < 1 || size > MAX_CHANGES_PAGE) throw badUserInput(`first must be between 1 and ${MAX_CHANGES_PAGE}; got ${size}`, 'first');
  const after = args.since != null ? decodeChangeCursor(args.since) : null;
  const jurisdiction = await resolveJurisdiction(ctx, args.jurisdiction);
  const entityTypes = args.entityTypes ? [...new Set(args.entityTypes.map((t) => ENTITY_TYPE_NAMES[t]))] : null;
  const rows = await committedChanges(ctx.db, { jurisdictionId: jurisdiction.id, after, entityTypes, limit: size + 1 });
  if (after) {
    // Read after the rows: a sweep that deleted rows past the cursor before they were read has
    // moved the horizon (same transaction) by now, so a page can never silently miss them.
    const horizon = await changeLogHorizon(ctx.db, jurisdiction.id);
    if (horizon && isBefore(after, horizon)) {
      throw new GraphQLError(CURSOR_EXPIRED_MESSAGE, { extensions: { code: 'CURSOR_EXPIRED', argument: 'since' } });
    }
  }
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    entries: collapseChanges(page),
    endCursor: encodeChangeCursor(last ? { xid: last.xid, id: last.id } : (after ?? START)),
    hasMore: rows.length > size,
  };
}
