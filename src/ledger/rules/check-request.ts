/**
 * Rule: a request's shape is checked once, before anything is read from the database. A transaction has 2
 * to 64 entries, each a positive amount of at most MAX_ENTRY_AMOUNT, no account twice, at least one debit
 * and one credit, and debits that equal credits; ids are UUIDs; memo, metadata (each key once), kind, the
 * effective date and the hold timeout are bounded. These refusals do not depend on the ledger's state, so
 * they are not recorded against the id: the client may fix the request and send it again with the same id.
 * Only a checked request reaches the batch (apply-batch.ts). The SQL twins are the CHECK constraints and the
 * `entry_balanced` trigger in migrations/…-LedgerFoundation.ts.
 */
import { KERNEL_ERRORS } from '../../kernel/errors/kernel.errors.js';
import { isStorableDate } from '../../kernel/graphql/dates.js';
import { isUuid } from '../../kernel/ids.js';
import { LEDGER_ERRORS } from '../ledger.errors.js';
import {
  AUTHORITY_KIND_PATTERN,
  KIND_PATTERN,
  MAX_ENTRIES,
  MAX_ENTRY_AMOUNT,
  MAX_HOLD_TIMEOUT_SECONDS,
  MAX_AUTHORITY_ID_LENGTH,
  MAX_MEMO_LENGTH,
  MAX_METADATA_KEYS,
  MAX_METADATA_VALUE_LENGTH,
  METADATA_KEY_PATTERN,
  MIN_ENTRIES,
} from './ledger-limits.js';
import { refusal, type LedgerRequest, type MetadataEntry, type Refusal, type TransferRequest } from './ledger-model.js';

declare const CHECKED: unique symbol;

/** A request whose shape passed `checkRequest`: the only kind the batch accepts. */
export type CheckedRequest = LedgerRequest & { readonly [CHECKED]: true };

export type RequestCheck =
  { readonly ok: true; readonly request: CheckedRequest } | { readonly ok: false; readonly refusal: Refusal };

export function checkRequest(request: LedgerRequest): RequestCheck {
  const problem = checkRequestShape(request);
  return problem === null ? { ok: true, request: request as CheckedRequest } : { ok: false, refusal: problem };
}

/** The first shape problem of a request, or null when its shape is sound. */
export function checkRequestShape(request: LedgerRequest): Refusal | null {
  if (!isUuid(request.id)) return invalidId('id', 'The transaction id must be a UUID');
  const authority = request.authority ?? null;
  if (
    authority !== null &&
    (!AUTHORITY_KIND_PATTERN.test(authority.kind) ||
      authority.id.length === 0 ||
      [...authority.id].length > MAX_AUTHORITY_ID_LENGTH)
  ) {
    return refusal(
      LEDGER_ERRORS.INVALID_AUTHORITY,
      'An authority has a kind of A-Z, 0-9 and _ and an id of 1 to 200 characters',
    );
  }
  const common = checkMemoAndMetadata(request.memo, request.metadata);
  if (common !== null) return common;
  switch (request.type) {
    case 'TRANSFER':
      return checkTransferShape(request);
    case 'POST_HOLD':
      if (!isUuid(request.holdId)) return invalidId('holdId', 'holdId must be a UUID');
      if (request.amount !== null) return checkAmount(request.amount, 'amount');
      return null;
    case 'VOID_HOLD':
    case 'EXPIRE_HOLD':
      if (!isUuid(request.holdId)) return invalidId('holdId', 'holdId must be a UUID');
      return null;
    case 'REVERSAL':
      if (!isUuid(request.transactionId)) return invalidId('transactionId', 'transactionId must be a UUID');
      return null;
  }
}

function checkTransferShape(request: TransferRequest): Refusal | null {
  if (!KIND_PATTERN.test(request.kind)) {
    return refusal(
      LEDGER_ERRORS.INVALID_KIND,
      'kind must be 1 to 32 characters of A-Z, 0-9 and _, starting with a letter',
    );
  }
  if (request.entries.length < MIN_ENTRIES) {
    return refusal(LEDGER_ERRORS.TOO_FEW_ENTRIES, `A transaction needs at least ${MIN_ENTRIES} entries`);
  }
  if (request.entries.length > MAX_ENTRIES) {
    return refusal(LEDGER_ERRORS.TOO_MANY_ENTRIES, `A transaction has at most ${MAX_ENTRIES} entries`);
  }
  const seen = new Set<string>();
  let debits = 0n;
  let credits = 0n;
  for (const [index, entry] of request.entries.entries()) {
    if (!isUuid(entry.accountId)) {
      return refusal(KERNEL_ERRORS.INVALID_ID, 'accountId must be a UUID', { entryIndex: index });
    }
    const amountProblem = checkAmount(entry.amount, `entries[${index}].amount`);
    if (amountProblem !== null) return amountProblem;
    if (seen.has(entry.accountId)) {
      return refusal(LEDGER_ERRORS.SAME_ACCOUNT_TWICE, 'An account may appear only once in a transaction', {
        entryIndex: index,
        accountId: entry.accountId,
      });
    }
    seen.add(entry.accountId);
    if (entry.side === 'DEBIT') debits += entry.amount;
    else credits += entry.amount;
  }
  if (debits === 0n || credits === 0n) {
    return refusal(LEDGER_ERRORS.ONE_SIDED, 'A transaction needs at least one debit and one credit');
  }
  if (debits !== credits) {
    return refusal(LEDGER_ERRORS.UNBALANCED, 'Debits and credits must be equal', {
      debits: debits.toString(),
      credits: credits.toString(),
    });
  }
  if (request.effectiveAt !== null && !isStorableDate(request.effectiveAt)) {
    return refusal(KERNEL_ERRORS.INVALID_DATE, 'effectiveAt must be a valid date-time between the years 1 and 9999', {
      field: 'effectiveAt',
    });
  }
  const timeout = request.hold?.timeoutSeconds ?? null;
  if (timeout !== null && (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_HOLD_TIMEOUT_SECONDS)) {
    return refusal(
      LEDGER_ERRORS.INVALID_TIMEOUT,
      `timeoutSeconds must be a whole number from 1 to ${MAX_HOLD_TIMEOUT_SECONDS}`,
    );
  }
  return null;
}

function invalidId(field: string, message: string): Refusal {
  return refusal(KERNEL_ERRORS.INVALID_ID, message, { field });
}

function checkAmount(amount: bigint, field: string): Refusal | null {
  if (amount <= 0n) return refusal(LEDGER_ERRORS.AMOUNT_NOT_POSITIVE, `${field} must be greater than zero`, { field });
  if (amount > MAX_ENTRY_AMOUNT) {
    return refusal(LEDGER_ERRORS.AMOUNT_TOO_LARGE, `${field} must be at most ${MAX_ENTRY_AMOUNT} minor units`, {
      field,
    });
  }
  return null;
}

function checkMemoAndMetadata(memo: string, metadata: readonly MetadataEntry[]): Refusal | null {
  if ([...memo].length > MAX_MEMO_LENGTH) {
    return refusal(LEDGER_ERRORS.MEMO_TOO_LONG, `memo has at most ${MAX_MEMO_LENGTH} characters`);
  }
  if (metadata.length > MAX_METADATA_KEYS) {
    return refusal(LEDGER_ERRORS.METADATA_TOO_LARGE, `metadata has at most ${MAX_METADATA_KEYS} keys`);
  }
  const keys = new Set<string>();
  for (const { key, value } of metadata) {
    if (!METADATA_KEY_PATTERN.test(key)) {
      return refusal(LEDGER_ERRORS.INVALID_METADATA, 'metadata keys are 1 to 64 characters of A-Z, a-z, 0-9, _ . : -', {
        key,
      });
    }
    if (keys.has(key)) return refusal(LEDGER_ERRORS.INVALID_METADATA, `metadata key "${key}" appears twice`, { key });
    keys.add(key);
    if ([...value].length > MAX_METADATA_VALUE_LENGTH) {
      return refusal(
        LEDGER_ERRORS.METADATA_TOO_LARGE,
        `metadata values have at most ${MAX_METADATA_VALUE_LENGTH} characters`,
        { key },
      );
    }
  }
  return null;
}
