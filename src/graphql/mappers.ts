import type { DivisionRow, OrganizationRow } from '../db/schema/index.ts';

/** What connection field resolvers receive: a page of rows plus a lazy total count. */
export interface ConnectionMapper<Row> {
  nodes: Row[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  cursorOf: (row: Row) => string;
  /** Only run when a client asks for totalCount. */
  totalCount: () => Promise<number>;
}

export interface EdgeMapper<Row> {
  cursor: string;
  node: Row;
}

export interface DivisionOverlapMapper {
  division: DivisionRow;
  share: number;
}

export interface LocationMapper {
  latitude: number;
  longitude: number;
  at: string;
  divisions: DivisionRow[];
  /** Organizations whose own division contains the point (associations, coalition offices). */
  organizations: OrganizationRow[];
  /** Coalitions of the associations at the point, on `at`. */
  coalitionsOfAssociations: OrganizationRow[];
  /** Whether the point lies in the city's extent on `at` (geography.service.ts `isInExtent`). */
  isInJurisdiction: boolean;
}

/** Field resolvers shared by every XConnection type. */
export const connectionFields = {
  edges: <Row>(c: ConnectionMapper<Row>): EdgeMapper<Row>[] => c.nodes.map((node) => ({ cursor: c.cursorOf(node), node })),
  totalCount: <Row>(c: ConnectionMapper<Row>): Promise<number> => c.totalCount(),
};
