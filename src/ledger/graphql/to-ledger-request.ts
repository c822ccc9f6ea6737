import { requireStorableDate } from '../../kernel/graphql/dates.js';
import { validationFailed } from '../../kernel/errors/domain-error.js';
import type { LedgerRequest, Metadata } from '../rules/ledger-model.js';
import type {
  MetadataEntryInput,
  PlaceHoldInput,
  PostHoldInput,
  PostTransactionInput,
  ReverseTransactionInput,
  VoidHoldInput,
} from './ledger.inputs.js';

/** GraphQL inputs become the rules' plain requests. UUIDs are compared in lower case. */
export function transferRequest(input: PostTransactionInput | PlaceHoldInput, held: boolean): LedgerRequest {
  return {
    type: 'TRANSFER',
    id: input.id.toLowerCase(),
    unitCode: input.unitCode,
    kind: input.kind,
    entries: input.entries.map((entry) => ({
      accountId: entry.accountId.toLowerCase(),
      side: entry.side,
      amount: entry.amount,
    })),
    memo: input.memo,
    metadata: toMetadata(input.metadata),
    effectiveAt: validDate(input.effectiveAt ?? null, 'effectiveAt'),
    hold: held ? { timeoutSeconds: 'timeoutSeconds' in input ? (input.timeoutSeconds ?? null) : null } : null,
  };
}

export function postHoldRequest(input: PostHoldInput): LedgerRequest {
  return {
    type: 'POST_HOLD',
    id: input.id.toLowerCase(),
    holdId: input.holdId.toLowerCase(),
    amount: input.amount ?? null,
    memo: input.memo,
    metadata: toMetadata(input.metadata),
  };
}

export function voidHoldRequest(input: VoidHoldInput): LedgerRequest {
  return {
    type: 'VOID_HOLD',
    id: input.id.toLowerCase(),
    holdId: input.holdId.toLowerCase(),
    memo: input.memo,
    metadata: toMetadata(input.metadata),
  };
}

export function reversalRequest(input: ReverseTransactionInput): LedgerRequest {
  return {
    type: 'REVERSAL',
    id: input.id.toLowerCase(),
    transactionId: input.transactionId.toLowerCase(),
    memo: input.memo,
    metadata: toMetadata(input.metadata),
  };
}

/** The Date scalar lets an unparseable string through as an Invalid Date; it stops here. */
function validDate(date: Date | null, field: string): Date | null {
  return date === null ? null : requireStorableDate(date, field);
}

function toMetadata(entries: readonly MetadataEntryInput[]): Metadata {
  const metadata: Record<string, string> = {};
  for (const { key, value } of entries) {
    if (Object.hasOwn(metadata, key)) {
      throw validationFailed('INVALID_METADATA', `metadata key "${key}" appears twice`, { key });
    }
    metadata[key] = value;
  }
  return metadata;
}
