import { GraphQLError } from 'graphql';

/** Why an operation was refused before execution. Each code is in EXPOSED_CODES (src/errors.ts). */
export type LimitCode = 'QUERY_TOO_COSTLY' | 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_DIRECTIVES';

/** A refused operation: HTTP 400, nothing executed. */
export function limitRefusal(code: LimitCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400 } } });
}

const count = new Intl.NumberFormat('en-US');

export function queryTooCostly(cost: number, maxCost: number): GraphQLError {
  return limitRefusal(
    'QUERY_TOO_COSTLY',
    `Query cost ${count.format(cost)} exceeds the limit of ${count.format(maxCost)}. The cost is the number of objects ` +
      'the query could return: each connection counts its `first` or `last` (20 when omitted) for every parent, and ' +
      'nested lists multiply. Ask for smaller pages, or split the query.',
    { cost, maxCost },
  );
}

/** An operation selecting a scanning field (list-sizes.ts SCANS_PER_OPERATION) more often than allowed. */
export function tooManyScans(coordinate: string, selected: number, max: number): GraphQLError {
  const field = coordinate.split('.')[1];
  return limitRefusal(
    'QUERY_TOO_COSTLY',
    `This operation selects \`${field}\` ${selected} times; at most ${max} are allowed in one operation (aliases and fragments ` +
      'included), because each one scans the whole jurisdiction whatever its page size. Send the rest in separate requests.',
    { field, selected, max },
  );
}
