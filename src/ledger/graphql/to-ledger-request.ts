import type { LedgerRequest } from '../rules/ledger-model.js';
import type {
  PlaceHoldInput,
  PostHoldInput,
  PostTransactionInput,
  ReverseTransactionInput,
  VoidHoldInput,
} from './ledger.inputs.js';

/**
 * GraphQL inputs become the rules' plain requests, as they are: nothing here can fail. The request's shape
 * (ids, dates, metadata, amounts) is checked once, by rules/check-request.ts. UUIDs are compared in lower case.
 */
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
    metadata: input.metadata,
    effectiveAt: input.effectiveAt ?? null,
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
    metadata: input.metadata,
  };
}

export function voidHoldRequest(input: VoidHoldInput): LedgerRequest {
  return {
    type: 'VOID_HOLD',
    id: input.id.toLowerCase(),
    holdId: input.holdId.toLowerCase(),
    memo: input.memo,
    metadata: input.metadata,
  };
}

export function reversalRequest(input: ReverseTransactionInput): LedgerRequest {
  return {
    type: 'REVERSAL',
    id: input.id.toLowerCase(),
    transactionId: input.transactionId.toLowerCase(),
    memo: input.memo,
    metadata: input.metadata,
  };
}
