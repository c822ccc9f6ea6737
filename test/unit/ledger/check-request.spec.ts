/**
 * Goal: checkRequestShape names the first shape problem of a request (each reason once), and accepts
 * every sound request. Method: one worked example per reason, built by breaking one field of a valid
 * request, plus a fast-check property that random balanced transfers within the limits pass.
 */
import fc from 'fast-check';
import { isUuid } from '../../../src/kernel/ids.js';
import { checkRequestShape } from '../../../src/ledger/rules/check-request.js';
import {
  MAX_ENTRIES,
  MAX_ENTRY_AMOUNT,
  MAX_HOLD_TIMEOUT_SECONDS,
  MAX_MEMO_LENGTH,
  MAX_METADATA_KEYS,
  MAX_METADATA_VALUE_LENGTH,
} from '../../../src/ledger/rules/ledger-limits.js';
import type { EntryDraft, LedgerRequest, TransferRequest } from '../../../src/ledger/rules/ledger-model.js';
import {
  entry,
  expireHoldReq,
  holdReq,
  meta,
  pay,
  postHoldReq,
  reversalReq,
  transferReq,
  uuid,
  voidHoldReq,
} from './ledger-builders.js';

const A = uuid();
const B = uuid();

function reasonOf(request: LedgerRequest): string | null {
  return checkRequestShape(request)?.reason ?? null;
}

function valid(overrides: Partial<Omit<TransferRequest, 'type'>> = {}): TransferRequest {
  return pay(A, B, 10n, overrides);
}

function manyEntries(count: number): EntryDraft[] {
  const credits = Array.from({ length: count - 1 }, () => entry(uuid(), 'CREDIT', 1n));
  return [entry(uuid(), 'DEBIT', BigInt(count - 1)), ...credits];
}

describe('checkRequestShape', () => {
  it('accepts sound requests of every type', () => {
    expect(checkRequestShape(valid())).toBeNull();
    expect(checkRequestShape(holdReq([entry(A, 'DEBIT', 1n), entry(B, 'CREDIT', 1n)], 60))).toBeNull();
    expect(checkRequestShape(holdReq([entry(A, 'DEBIT', 1n), entry(B, 'CREDIT', 1n)], null))).toBeNull();
    expect(checkRequestShape(postHoldReq(uuid()))).toBeNull();
    expect(checkRequestShape(postHoldReq(uuid(), 5n))).toBeNull();
    expect(checkRequestShape(voidHoldReq(uuid()))).toBeNull();
    expect(checkRequestShape(expireHoldReq(uuid()))).toBeNull();
    expect(checkRequestShape(reversalReq(uuid()))).toBeNull();
  });

  it('INVALID_ID: request id, holdId, transactionId and accountId must be lowercase UUIDs', () => {
    expect(checkRequestShape(valid({ id: 'not-a-uuid' }))).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'INVALID_ID',
      message: expect.any(String),
      details: { field: 'id' },
    });
    expect(reasonOf(valid({ id: uuid().toUpperCase() }))).toBe('INVALID_ID');
    expect(checkRequestShape(postHoldReq('x'))?.details).toEqual({ field: 'holdId' });
    expect(checkRequestShape(voidHoldReq('x'))?.details).toEqual({ field: 'holdId' });
    expect(checkRequestShape(expireHoldReq('x'))?.details).toEqual({ field: 'holdId' });
    expect(checkRequestShape(reversalReq('x'))?.details).toEqual({ field: 'transactionId' });
    expect(checkRequestShape(pay(A, 'nope', 1n))).toMatchObject({ reason: 'INVALID_ID', details: { entryIndex: 1 } });
  });

  it('isUuid accepts versions 1 to 8 with the RFC variant only', () => {
    expect(isUuid('00000000-0000-4000-8000-000000000000')).toBe(true);
    expect(isUuid('00000000-0000-0000-8000-000000000000')).toBe(false);
    expect(isUuid('00000000-0000-4000-c000-000000000000')).toBe(false);
    expect(isUuid(`${uuid()} `)).toBe(false);
  });

  it('INVALID_KIND', () => {
    for (const kind of ['', 'payment', '1PAY', 'PAY-MENT', `P${'A'.repeat(32)}`])
      expect(reasonOf(valid({ kind }))).toBe('INVALID_KIND');
    expect(reasonOf(valid({ kind: `P${'A'.repeat(31)}` }))).toBeNull();
  });

  it('TOO_FEW_ENTRIES', () => {
    expect(reasonOf(transferReq([entry(A, 'DEBIT', 1n)]))).toBe('TOO_FEW_ENTRIES');
    expect(reasonOf(transferReq([]))).toBe('TOO_FEW_ENTRIES');
  });

  it('TOO_MANY_ENTRIES at 65, while 64 is fine', () => {
    expect(reasonOf(transferReq(manyEntries(MAX_ENTRIES)))).toBeNull();
    expect(reasonOf(transferReq(manyEntries(MAX_ENTRIES + 1)))).toBe('TOO_MANY_ENTRIES');
  });

  it('AMOUNT_NOT_POSITIVE for zero and negative amounts, on entries and on a partial post', () => {
    expect(checkRequestShape(pay(A, B, 0n))).toMatchObject({
      reason: 'AMOUNT_NOT_POSITIVE',
      details: { field: 'entries[0].amount' },
    });
    expect(reasonOf(transferReq([entry(A, 'DEBIT', 5n), entry(B, 'CREDIT', -5n)]))).toBe('AMOUNT_NOT_POSITIVE');
    expect(checkRequestShape(postHoldReq(uuid(), 0n))).toMatchObject({
      reason: 'AMOUNT_NOT_POSITIVE',
      details: { field: 'amount' },
    });
  });

  it('AMOUNT_TOO_LARGE above MAX_ENTRY_AMOUNT', () => {
    expect(reasonOf(pay(A, B, MAX_ENTRY_AMOUNT))).toBeNull();
    expect(reasonOf(pay(A, B, MAX_ENTRY_AMOUNT + 1n))).toBe('AMOUNT_TOO_LARGE');
    expect(reasonOf(postHoldReq(uuid(), MAX_ENTRY_AMOUNT + 1n))).toBe('AMOUNT_TOO_LARGE');
  });

  it('SAME_ACCOUNT_TWICE', () => {
    expect(
      checkRequestShape(transferReq([entry(A, 'DEBIT', 2n), entry(B, 'CREDIT', 1n), entry(A, 'CREDIT', 1n)])),
    ).toMatchObject({
      reason: 'SAME_ACCOUNT_TWICE',
      details: { entryIndex: 2, accountId: A },
    });
    expect(reasonOf(pay(A, A, 1n))).toBe('SAME_ACCOUNT_TWICE');
  });

  it('ONE_SIDED', () => {
    expect(reasonOf(transferReq([entry(A, 'DEBIT', 1n), entry(B, 'DEBIT', 1n)]))).toBe('ONE_SIDED');
    expect(reasonOf(transferReq([entry(A, 'CREDIT', 1n), entry(B, 'CREDIT', 1n)]))).toBe('ONE_SIDED');
  });

  it('UNBALANCED, with both totals in the details', () => {
    expect(checkRequestShape(transferReq([entry(A, 'DEBIT', 3n), entry(B, 'CREDIT', 2n)]))).toMatchObject({
      reason: 'UNBALANCED',
      details: { debits: '3', credits: '2' },
    });
  });

  it('INVALID_DATE for an invalid effectiveAt', () => {
    expect(reasonOf(valid({ effectiveAt: new Date('nonsense') }))).toBe('INVALID_DATE');
  });

  it('MEMO_TOO_LONG counts characters (code points), not UTF-16 units', () => {
    expect(reasonOf(valid({ memo: 'x'.repeat(MAX_MEMO_LENGTH) }))).toBeNull();
    expect(reasonOf(valid({ memo: 'x'.repeat(MAX_MEMO_LENGTH + 1) }))).toBe('MEMO_TOO_LONG');
    const emoji = '😀'.repeat(MAX_MEMO_LENGTH);
    expect(emoji.length).toBe(2 * MAX_MEMO_LENGTH);
    expect(reasonOf(valid({ memo: emoji }))).toBeNull();
    expect(reasonOf(valid({ memo: `${emoji}😀` }))).toBe('MEMO_TOO_LONG');
    expect(reasonOf({ ...reversalReq(uuid()), memo: 'x'.repeat(MAX_MEMO_LENGTH + 1) })).toBe('MEMO_TOO_LONG');
  });

  it('METADATA_TOO_LARGE for 33 keys or a value over 500 characters', () => {
    const keys = (n: number) => meta(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])));
    expect(reasonOf(valid({ metadata: keys(MAX_METADATA_KEYS) }))).toBeNull();
    expect(reasonOf(valid({ metadata: keys(MAX_METADATA_KEYS + 1) }))).toBe('METADATA_TOO_LARGE');
    expect(reasonOf(valid({ metadata: meta({ note: 'v'.repeat(MAX_METADATA_VALUE_LENGTH) }) }))).toBeNull();
    expect(reasonOf(valid({ metadata: meta({ note: '😀'.repeat(MAX_METADATA_VALUE_LENGTH) }) }))).toBeNull();
    expect(
      checkRequestShape(valid({ metadata: meta({ note: 'v'.repeat(MAX_METADATA_VALUE_LENGTH + 1) }) })),
    ).toMatchObject({
      reason: 'METADATA_TOO_LARGE',
      details: { key: 'note' },
    });
  });

  it('INVALID_METADATA for a bad key', () => {
    for (const key of ['', 'has space', 'é', 'k'.repeat(65), 'a/b']) {
      expect(checkRequestShape(valid({ metadata: meta({ [key]: 'v' }) }))).toMatchObject({
        reason: 'INVALID_METADATA',
        details: { key },
      });
    }
    expect(reasonOf(valid({ metadata: meta({ 'A-z_0.9:x': 'v', ['k'.repeat(64)]: 'v' }) }))).toBeNull();
  });

  it('INVALID_AUTHORITY for a malformed authority kind or id; a sound one passes', () => {
    for (const authority of [
      { kind: 'motion', id: 'm-1' },
      { kind: '1MOTION', id: 'm-1' },
      { kind: 'M'.repeat(65), id: 'm-1' },
      { kind: 'MOTION', id: '' },
      { kind: 'MOTION', id: 'x'.repeat(201) },
    ]) {
      expect(reasonOf(valid({ authority }))).toBe('INVALID_AUTHORITY');
    }
    expect(reasonOf(valid({ authority: { kind: 'MOTION', id: 'x'.repeat(200) } }))).toBeNull();
    expect(reasonOf(valid({ authority: { kind: 'LEASE_CHARGE', id: 'lease-1:2031-04' } }))).toBeNull();
    expect(reasonOf({ ...reversalReq(uuid()), authority: { kind: 'bad', id: 'x' } })).toBe('INVALID_AUTHORITY');
  });

  it('INVALID_TIMEOUT for 0, MAX+1 and 1.5; 1 and MAX are fine', () => {
    const legs = [entry(A, 'DEBIT', 1n), entry(B, 'CREDIT', 1n)];
    for (const timeout of [0, -1, MAX_HOLD_TIMEOUT_SECONDS + 1, 1.5, Number.NaN]) {
      expect(reasonOf(holdReq(legs, timeout))).toBe('INVALID_TIMEOUT');
    }
    expect(reasonOf(holdReq(legs, 1))).toBeNull();
    expect(reasonOf(holdReq(legs, MAX_HOLD_TIMEOUT_SECONDS))).toBeNull();
  });

  it('checks the id before anything else, and memo before entries', () => {
    expect(reasonOf(transferReq([], { id: 'bad', memo: 'x'.repeat(501) }))).toBe('INVALID_ID');
    expect(reasonOf(transferReq([], { memo: 'x'.repeat(501), kind: 'bad' }))).toBe('MEMO_TOO_LONG');
  });

  it('accepts any balanced transfer within the limits (property)', () => {
    const arb = fc
      .record({
        debits: fc.array(fc.bigInt({ min: 1n, max: MAX_ENTRY_AMOUNT / 64n }), { minLength: 1, maxLength: 31 }),
        creditCount: fc.integer({ min: 1, max: 32 }),
        memo: fc.string({ maxLength: MAX_MEMO_LENGTH, unit: 'grapheme' }),
        metadata: fc
          .dictionary(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), fc.string({ maxLength: 100 }), { maxKeys: 32 })
          .map(meta),
        kind: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,31}$/),
        hold: fc.option(
          fc.record({ timeoutSeconds: fc.option(fc.integer({ min: 1, max: MAX_HOLD_TIMEOUT_SECONDS })) }),
        ),
      })
      .filter(({ memo }) => [...memo].length <= MAX_MEMO_LENGTH);
    fc.assert(
      fc.property(arb, ({ debits, creditCount, memo, metadata, kind, hold }) => {
        const total = debits.reduce((s, d) => s + d, 0n);
        const count = BigInt(Math.min(creditCount, Number(total)));
        const credits = Array.from({ length: Number(count) }, (_, i) =>
          i === Number(count) - 1 ? total - (count - 1n) * (total / count) : total / count,
        );
        const entries = [
          ...debits.map((d) => entry(uuid(), 'DEBIT', d)),
          ...credits.map((c) => entry(uuid(), 'CREDIT', c)),
        ];
        expect(checkRequestShape(transferReq(entries, { memo, metadata, kind, hold }))).toBeNull();
      }),
      { numRuns: 150 },
    );
  });
});
