/**
 * A limit on everything the ledger accepts, named once. PostgreSQL repeats the ones that shape stored rows
 * (entry count, memo length, metadata size) as CHECK constraints in migrations/…-LedgerFoundation.ts.
 */
export const MIN_ENTRIES = 2;
export const MAX_ENTRIES = 64;
export const MAX_MEMO_LENGTH = 500;
export const MAX_METADATA_KEYS = 32;
export const MAX_METADATA_KEY_LENGTH = 64;
export const MAX_METADATA_VALUE_LENGTH = 500;
/** Largest amount of one entry: 10^15 minor units keeps every sum of a batch far from int64 overflow. */
export const MAX_ENTRY_AMOUNT = 1_000_000_000_000_000n;
export const MAX_HOLD_TIMEOUT_SECONDS = 366 * 24 * 60 * 60;
export const MAX_BATCH_SIZE = 1000;
export const MAX_REASON_LENGTH = 500;
export const KIND_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;
export const AUTHORITY_KIND_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const MAX_AUTHORITY_ID_LENGTH = 200;
/** The most transactions one authority writes in one atomic group (a run, a stipend batch, a clearing round). */
export const MAX_GROUP_SIZE = 200_000;
export const METADATA_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
