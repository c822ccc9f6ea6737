/**
 * Rule: one id, one outcome. A retry is recognised by the SHA-256 of the request's canonical content (every
 * field the client chose, in a fixed order, metadata keys sorted): the same id with the same hash replays
 * the first outcome, with another hash it is a CONFLICT. The hash is stored in `transaction_outcome`.
 */
import { createHash, type BinaryLike } from 'node:crypto';
import { assertNever } from '../../kernel/assert.js';
import type { LedgerRequest, Metadata } from './ledger-model.js';

export function contentHash(request: LedgerRequest): string {
  return createHash('sha256').update(canonicalContent(request)).digest('hex');
}

export function canonicalContent(request: LedgerRequest): string {
  const common = [request.type, request.id, request.memo, sortedMetadata(request.metadata)];
  switch (request.type) {
    case 'TRANSFER':
      return JSON.stringify([
        ...common,
        request.unitCode,
        request.kind,
        request.entries.map((entry) => [entry.accountId, entry.side, entry.amount.toString()]),
        request.effectiveAt?.toISOString() ?? null,
        request.hold === null ? null : [request.hold.timeoutSeconds],
      ]);
    case 'POST_HOLD':
      return JSON.stringify([...common, request.holdId, request.amount?.toString() ?? null]);
    case 'VOID_HOLD':
    case 'EXPIRE_HOLD':
      return JSON.stringify([...common, request.holdId]);
    case 'REVERSAL':
      return JSON.stringify([...common, request.transactionId]);
    default:
      return assertNever(request, 'request type');
  }
}

function sortedMetadata(metadata: Metadata): [string, string][] {
  return Object.keys(metadata)
    .sort()
    .map((key) => [key, metadata[key] ?? '']);
}

/** A name-based (version 5) UUID, so that derived ids (a hold's expiry) are the same in every process. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1')
    .update(Buffer.concat([namespaceBytes, Buffer.from(name, 'utf8')]) as BinaryLike)
    .digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const HOLD_EXPIRY_NAMESPACE = '6f1d4c3e-8a2b-4f5e-9c7d-0e1f2a3b4c5d';

/** The id of the transaction that expires a hold: derived, so that concurrent sweepers agree. */
export function expiryTransactionId(holdId: string): string {
  return uuidV5(holdId, HOLD_EXPIRY_NAMESPACE);
}
