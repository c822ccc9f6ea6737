import { encodeCursor } from './cursor.js';

/**
 * One page of a cursor list. Callers fetch `first + 1` rows: the extra row only tells whether another
 * page follows.
 */
export function toConnection<Row, Node>(
  rows: readonly Row[],
  first: number,
  cursorTag: string,
  cursorKey: (row: Row) => string,
  toNode: (row: Row) => Node,
): { edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } {
  const edges = rows
    .slice(0, first)
    .map((row) => ({ cursor: encodeCursor(cursorTag, cursorKey(row)), node: toNode(row) }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
