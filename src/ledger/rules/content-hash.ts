/**
 * Rule: one id, one outcome. A retry is recognised by the SHA-256 of the request's canonical content (every
 * field the client chose, in a fixed order, metadata keys sorted): the same id with the same hash replays
 * the first outcome, with another hash it is a CONFLICT. The hash is stored in `transaction_outcome`.
 */
import { createHash } from 'node:crypto';
import { assertNever } from '../../kernel/assert.js';
import { uuidV5 } from '../../kernel/ids.js';
import type { LedgerRequest, MetadataEntry } from './ledger-model.js';

export function contentHash(request: LedgerRequest): string {
  return createHash('sha256').update(canonicalContent(request)).digest('hex');
}

/**
 * The authority, when there is one, closes the list: a request without one hashes exactly as it did before
 * authorities existed, so ids used then replay as they did.
 */
export function canonicalContent(request: LedgerRequest): string {
  const content = requestContent(request);
  const authority = request.authority ?? null;
  return authority === null ? JSON.stringify(content) : JSON.stringify([...content, [authority.kind, authority.id]]);
}

function requestContent(request: LedgerRequest): unknown[] {
  const common = [request.type, request.id, request.memo, sortedMetadata(request.metadata)];
  switch (request.type) {
    case 'TRANSFER':
      return [
        ...common,
        request.unitCode,
        request.kind,
        request.entries.map((entry) => [entry.accountId, entry.side, entry.amount.toString()]),
        request.effectiveAt?.toISOString() ?? null,
        request.hold === null ? null : [request.hold.timeoutSeconds],
      ];
    case 'POST_HOLD':
      return [...common, request.holdId, request.amount?.toString() ?? null];
    case 'VOID_HOLD':
    case 'EXPIRE_HOLD':
      return [...common, request.holdId];
    case 'REVERSAL':
      return [...common, request.transactionId];
    default:
      return assertNever(request, 'request type');
  }
}

/** Sorted by key (each key appears once in a checked request), as the first versions hashed a key map. */
function sortedMetadata(metadata: readonly MetadataEntry[]): [string, string][] {
  return [...metadata]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key, value }) => [key, value]);
}

const HOLD_EXPIRY_NAMESPACE = '6f1d4c3e-8a2b-4f5e-9c7d-0e1f2a3b4c5d';

/** The id of the transaction that expires a hold: derived, so that concurrent sweepers agree. */
export function expiryTransactionId(holdId: string): string {
  return uuidV5(holdId, HOLD_EXPIRY_NAMESPACE);
}
