import type { GraphQLContext } from '../context.ts';
import { createLoaders } from '../context.ts';
import type { Database } from '../db/client.ts';
import { auditEvents } from '../db/schema/index.ts';
import type { ZodType } from 'zod';
import type { UserErrorCode } from './__generated__/resolvers-types.ts';
import { parseGlobalId } from './global-id.ts';
import { requireManager } from '../auth/authorize.ts';
import { textProblemsIn } from '../input/text-rules.ts';
import { claimKey, idempotencyClaimOf, isIdempotencyRefusal, recordResult, type Replay } from './idempotency.ts';

export interface UserErrorShape {
  code: UserErrorCode;
  field: string[] | null;
  message: string;
  /** COMPOSITION_RULE only: the rule refused, `KIND/code`. */
  compositionRule?: string;
}

/** Thrown inside a mutation to refuse its input: the transaction rolls back, the payload carries it. */
export class UserErrorsException extends Error {
  constructor(readonly userErrors: UserErrorShape[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}

export function refuse(code: UserErrorCode, message: string, field?: string[]): never {
  throw new UserErrorsException([{ code, message, field: field ?? null }]);
}

export interface AuditWriter {
  /** Records the changed fields of one object (`before` null for a creation). */
  record(subjectType: string, subjectId: number, before: object | null, after: object | null): Promise<void>;
}

export interface MutationOutcome<T> {
  value: T | null;
  userErrors: UserErrorShape[];
}

/** A database constraint that expresses a business rule, turned into a userError. */
export interface ConstraintRule {
  code: UserErrorCode;
  message: string;
  field?: string[];
}

// Bookkeeping, not business changes: timestamps and who owns a row's values (origin).
const IGNORED_FIELDS = new Set(['createdAt', 'updatedAt', 'origin']);

function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

/** Only fields whose value changed, as `{ field: { before, after } }`. */
export function diff(before: object | null, after: object | null): Record<string, { before: unknown; after: unknown }> {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (IGNORED_FIELDS.has(key)) continue;
    const from = jsonValue(b[key]);
    const to = jsonValue(a[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { before: from, after: to };
  }
  return changes;
}

/** The Postgres error under a Drizzle error, whichever driver raised it. */
export function databaseErrorOf(error: unknown): { code?: string; constraint?: string } | null {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  if (!cause || typeof cause !== 'object') return null;
  const e = cause as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
  if (typeof e.code !== 'string') return null;
  const constraint = typeof e.constraint === 'string' ? e.constraint : typeof e.constraint_name === 'string' ? e.constraint_name : undefined;
  return { code: e.code, ...(constraint ? { constraint } : {}) };
}

/**
 * Runs one mutation: checks the caller may manage the jurisdiction, runs `work` in a single
 * transaction with an audit writer, and turns refusals (thrown userErrors, or a database
 * constraint listed in `constraints`) into userErrors with nothing stored. Anything else rethrows
 * and reaches the client masked. After a commit the request's loaders are replaced, so the
 * payload reads what was just written.
 */
export async function runMutation<T>(
  ctx: GraphQLContext,
  scope: {
    action: string;
    jurisdictionId: number;
    constraints?: Record<string, ConstraintRule>;
    /**
     * Set only by mutations authorized another way (an applicant's token, or none for
     * applicationSubmit): skips the staff check and audits under this actor instead of the viewer.
     */
    actingWithout?: { subject: string; role: string };
    /**
     * Declared by mutations that create something: with an Idempotency-Key header the first
     * request's result is recorded in the same transaction, and a retry with the same key gets it
     * again instead of creating a second (src/graphql/idempotency.ts).
     */
    replay?: Replay<T>;
  },
  work: (tx: Database, audit: AuditWriter) => Promise<T>,
): Promise<MutationOutcome<T>> {
  if (!scope.actingWithout) requireManager(ctx.viewer, scope.jurisdictionId);
  const claim = scope.replay ? idempotencyClaimOf(ctx.viewer, ctx.idempotencyKey) : null;
  if (claim && isIdempotencyRefusal(claim)) return { value: null, userErrors: [{ code: claim.code, message: claim.message, field: null }] };
  try {
    const value = await ctx.db.transaction(async (tx) => {
      if (claim) {
        const claimed = await claimKey(tx as unknown as Database, claim);
        if (isIdempotencyRefusal(claimed)) refuse(claimed.code, claimed.message);
        if (claimed.earlier) {
          const again = await scope.replay!.restore(tx as unknown as Database, claimed.earlier);
          if (again == null) refuse('NOT_FOUND', 'What the first request with this Idempotency-Key created no longer exists');
          return again;
        }
      }
      const audit: AuditWriter = {
        async record(subjectType, subjectId, before, after) {
          await tx.insert(auditEvents).values({
            jurisdictionId: scope.jurisdictionId,
            action: scope.action,
            subjectType,
            subjectId,
            actorSubject: scope.actingWithout?.subject ?? ctx.viewer.subject ?? 'unknown',
            actorRole: scope.actingWithout?.role ?? ctx.viewer.role,
            changes: diff(before, after),
            requestId: ctx.requestId,
          });
        },
      };
      const made = await work(tx as unknown as Database, audit);
      if (claim) await recordResult(tx as unknown as Database, claim, scope.replay!.ids(made));
      return made;
    });
    ctx.loaders = createLoaders(ctx.db);
    return { value, userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsException) return { value: null, userErrors: error.userErrors };
    const dbError = databaseErrorOf(error);
    const rule = dbError?.constraint ? scope.constraints?.[dbError.constraint] : undefined;
    if (rule) return { value: null, userErrors: [{ code: rule.code, message: rule.message, field: rule.field ?? null }] };
    throw error;
  }
}

/** Decodes an id in mutation input; a bad one is a userError naming the field, not a thrown error. */
export function inputId(globalId: string, type: import('./global-id.ts').NodeType, field: string[]): number {
  const decoded = parseGlobalId(globalId);
  if (!decoded) refuse('INVALID_ID', `${field.at(-1)} is not a valid id`, field);
  if (decoded.type !== type) refuse('INVALID_ID', `${field.at(-1)} must be the id of a ${type}, not of a ${decoded.type}`, field);
  return decoded.id;
}

/**
 * Validates mutation input with a zod schema (built from the input vocabulary, src/input); every
 * problem becomes a userError with its path. First, every string of the input is checked against
 * the rules all text keeps (no NUL or other control character, no lone surrogate), so that a field
 * declared with a bare string still cannot carry one to the database.
 */
export function validateInput<T>(schema: ZodType<T>, input: unknown, prefix: string[] = ['input']): T {
  const textProblems = textProblemsIn(input);
  if (textProblems.length > 0) {
    throw new UserErrorsException(
      textProblems.map(({ path, problem }) => {
        const field = [...prefix, ...path.map(String)];
        return { code: 'INVALID_INPUT' as const, field, message: `${field.slice(1).join('.') || 'input'}: ${problem}` };
      }),
    );
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new UserErrorsException(
    parsed.error.issues.map((issue) => {
      const path = [...prefix, ...issue.path.map(String)];
      return { code: 'INVALID_INPUT' as const, field: path, message: `${path.slice(1).join('.') || 'input'}: ${issue.message}` };
    }),
  );
}

/** Turns a thrown userError outside a transaction (validation before any write) into an outcome. */
export async function refusalsAsOutcome<T>(work: () => Promise<MutationOutcome<T>>): Promise<MutationOutcome<T>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserErrorsException) return { value: null, userErrors: error.userErrors };
    throw error;
  }
}
