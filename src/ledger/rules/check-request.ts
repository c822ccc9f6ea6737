/**
 * Rule: a request's shape is checked before anything is read from the database. A transaction has 2 to 64
 * entries, each a positive amount of at most MAX_ENTRY_AMOUNT, no account twice, at least one debit and one
 * credit, and debits that equal credits; memo, metadata, kind and hold timeout are bounded. These refusals
 * do not depend on the ledger's state, so they are not recorded against the id: the client may fix the
 * request and send it again with the same id. The SQL twins are the CHECK constraints and the
 * `entry_balanced` trigger in migrations/…-LedgerFoundation.ts.
 */
import {
  KIND_PATTERN,
  MAX_ENTRIES,
  MAX_ENTRY_AMOUNT,
  MAX_HOLD_TIMEOUT_SECONDS,
  MAX_MEMO_LENGTH,
  MAX_METADATA_KEYS,
  MAX_METADATA_VALUE_LENGTH,
  METADATA_KEY_PATTERN,
  MIN_ENTRIES,
} from './ledger-limits.js';
import type { LedgerRequest, Metadata, Refusal, TransferRequest } from './ledger-model.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

export function invalid(reason: string, message: string, details: Refusal['details'] = {}): Refusal {
  return { code: 'VALIDATION_FAILED', reason, message, details };
}

/** The first shape problem of a request, or null when its shape is sound. */
export function checkRequestShape(request: LedgerRequest): Refusal | null {
  if (!isUuid(request.id)) return invalid('INVALID_ID', 'The transaction id must be a UUID', { field: 'id' });
  const common = checkMemoAndMetadata(request.memo, request.metadata);
  if (common !== null) return common;
  switch (request.type) {
    case 'TRANSFER':
      return checkTransferShape(request);
    case 'POST_HOLD':
      if (!isUuid(request.holdId)) return invalid('INVALID_ID', 'holdId must be a UUID', { field: 'holdId' });
      if (request.amount !== null) return checkAmount(request.amount, 'amount');
      return null;
    case 'VOID_HOLD':
    case 'EXPIRE_HOLD':
      if (!isUuid(request.holdId)) return invalid('INVALID_ID', 'holdId must be a UUID', { field: 'holdId' });
      return null;
    case 'REVERSAL':
      if (!isUuid(request.transactionId)) {
        return invalid('INVALID_ID', 'transactionId must be a UUID', { field: 'transactionId' });
      }
      return null;
  }
}

function checkTransferShape(request: TransferRequest): Refusal | null {
  if (!KIND_PATTERN.test(request.kind)) {
    return invalid('INVALID_KIND', 'kind must be 1 to 32 characters of A-Z, 0-9 and _, starting with a letter');
  }
  if (request.entries.length < MIN_ENTRIES) {
    return invalid('TOO_FEW_ENTRIES', `A transaction needs at least ${MIN_ENTRIES} entries`);
  }
  if (request.entries.length > MAX_ENTRIES) {
    return invalid('TOO_MANY_ENTRIES', `A transaction has at most ${MAX_ENTRIES} entries`);
  }
  const seen = new Set<string>();
  let debits = 0n;
  let credits = 0n;
  for (const [index, entry] of request.entries.entries()) {
    if (!isUuid(entry.accountId)) {
      return invalid('INVALID_ID', 'accountId must be a UUID', { entryIndex: index });
    }
    const amountProblem = checkAmount(entry.amount, `entries[${index}].amount`);
    if (amountProblem !== null) return amountProblem;
    if (seen.has(entry.accountId)) {
      return invalid('SAME_ACCOUNT_TWICE', 'An account may appear only once in a transaction', {
        entryIndex: index,
        accountId: entry.accountId,
      });
    }
    seen.add(entry.accountId);
    if (entry.side === 'DEBIT') debits += entry.amount;
    else credits += entry.amount;
  }
  if (debits === 0n || credits === 0n) {
    return invalid('ONE_SIDED', 'A transaction needs at least one debit and one credit');
  }
  if (debits !== credits) {
    return invalid('UNBALANCED', 'Debits and credits must be equal', {
      debits: debits.toString(),
      credits: credits.toString(),
    });
  }
  if (request.effectiveAt !== null && Number.isNaN(request.effectiveAt.getTime())) {
    return invalid('INVALID_DATE', 'effectiveAt is not a valid date');
  }
  const timeout = request.hold?.timeoutSeconds ?? null;
  if (timeout !== null && (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_HOLD_TIMEOUT_SECONDS)) {
    return invalid('INVALID_TIMEOUT', `timeoutSeconds must be a whole number from 1 to ${MAX_HOLD_TIMEOUT_SECONDS}`);
  }
  return null;
}

function checkAmount(amount: bigint, field: string): Refusal | null {
  if (amount <= 0n) return invalid('AMOUNT_NOT_POSITIVE', `${field} must be greater than zero`, { field });
  if (amount > MAX_ENTRY_AMOUNT) {
    return invalid('AMOUNT_TOO_LARGE', `${field} must be at most ${MAX_ENTRY_AMOUNT} minor units`, { field });
  }
  return null;
}

function checkMemoAndMetadata(memo: string, metadata: Metadata): Refusal | null {
  if ([...memo].length > MAX_MEMO_LENGTH) {
    return invalid('MEMO_TOO_LONG', `memo has at most ${MAX_MEMO_LENGTH} characters`);
  }
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_KEYS) {
    return invalid('METADATA_TOO_LARGE', `metadata has at most ${MAX_METADATA_KEYS} keys`);
  }
  for (const key of keys) {
    if (!METADATA_KEY_PATTERN.test(key)) {
      return invalid('INVALID_METADATA', 'metadata keys are 1 to 64 characters of A-Z, a-z, 0-9, _ . : -', { key });
    }
    if ([...(metadata[key] ?? '')].length > MAX_METADATA_VALUE_LENGTH) {
      return invalid('METADATA_TOO_LARGE', `metadata values have at most ${MAX_METADATA_VALUE_LENGTH} characters`, {
        key,
      });
    }
  }
  return null;
}
