/**
 * Goal: contentHash recognises retries (same content, same hash) and tells apart any other request;
 * uuidV5 and expiryTransactionId derive stable, valid ids. Method: worked examples, a known RFC 4122
 * test vector, and fast-check properties that change one field at a time.
 */
import fc from 'fast-check';
import { uuidV5 } from '../../../src/kernel/ids.js';
import { canonicalContent, contentHash, expiryTransactionId } from '../../../src/ledger/rules/content-hash.js';
import type { LedgerRequest, TransferRequest } from '../../../src/ledger/rules/ledger-model.js';
import {
  entry,
  expireHoldReq,
  holdReq,
  meta,
  pay,
  postHoldReq,
  reversalReq,
  uuid,
  voidHoldReq,
} from './ledger-builders.js';

const V5_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const A = uuid();
const B = uuid();

describe('contentHash', () => {
  it('is a hex SHA-256 and the same for the same content, whatever the metadata key order', () => {
    const base = pay(A, B, 10n, { metadata: meta({ a: '1', b: '2', c: '3' }) });
    const reordered: TransferRequest = { ...base, metadata: meta({ c: '3', a: '1', b: '2' }) };
    expect(contentHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(reordered)).toBe(contentHash(base));
    expect(contentHash(structuredClone(base))).toBe(contentHash(base));
  });

  it('tells apart a hold with no timeout from a plain transfer', () => {
    const legs = [entry(A, 'DEBIT', 1n), entry(B, 'CREDIT', 1n)];
    const hold = holdReq(legs, null);
    expect(contentHash({ ...hold, hold: null })).not.toBe(contentHash(hold));
    expect(contentHash({ ...hold, hold: { timeoutSeconds: 5 } })).not.toBe(contentHash(hold));
  });

  it('tells apart request types that share an id and a hold id', () => {
    const id = uuid();
    const holdId = uuid();
    const hashes = [
      postHoldReq(holdId, null, id),
      voidHoldReq(holdId, id),
      expireHoldReq(holdId, id),
      reversalReq(holdId, id),
    ].map(contentHash);
    expect(new Set(hashes).size).toBe(4);
    expect(contentHash(postHoldReq(holdId, 5n, id))).not.toBe(contentHash(postHoldReq(holdId, null, id)));
  });

  it('changes when any one field of a transfer changes (property)', () => {
    const base = pay(A, B, 10n, {
      memo: 'm',
      metadata: meta({ k: 'v' }),
      effectiveAt: new Date('2030-01-01T00:00:00Z'),
    });
    const change = fc.oneof(
      fc.uuid({ version: 4 }).map((id): LedgerRequest => ({ ...base, id })),
      fc.string({ minLength: 1 }).map((s): LedgerRequest => ({ ...base, memo: base.memo + s })),
      fc.string().map((s): LedgerRequest => ({ ...base, metadata: meta({ k: 'v', [`x${s}`]: s }) })),
      fc
        .string()
        .filter((s) => s !== 'v')
        .map((s): LedgerRequest => ({ ...base, metadata: meta({ k: s }) })),
      fc
        .stringMatching(/^[A-Z]{1,8}$/)
        .filter((u) => u !== base.unitCode)
        .map((unitCode): LedgerRequest => ({ ...base, unitCode })),
      fc
        .stringMatching(/^[A-Z]{1,8}$/)
        .filter((k) => k !== base.kind)
        .map((kind): LedgerRequest => ({ ...base, kind })),
      fc
        .bigInt({ min: 1n, max: 10n ** 15n })
        .filter((n) => n !== 10n)
        .map((n): LedgerRequest => ({ ...base, entries: [entry(A, 'DEBIT', n), entry(B, 'CREDIT', n)] })),
      fc.constant<LedgerRequest>({ ...base, entries: [entry(B, 'DEBIT', 10n), entry(A, 'CREDIT', 10n)] }),
      fc.constant<LedgerRequest>({ ...base, entries: [entry(B, 'CREDIT', 10n), entry(A, 'DEBIT', 10n)] }),
      fc
        .date({ noInvalidDate: true })
        .filter((d) => d.getTime() !== base.effectiveAt?.getTime())
        .map((effectiveAt): LedgerRequest => ({ ...base, effectiveAt })),
      fc.constant<LedgerRequest>({ ...base, effectiveAt: null }),
      fc
        .option(fc.integer({ min: 1, max: 1000 }))
        .map((timeoutSeconds): LedgerRequest => ({ ...base, hold: { timeoutSeconds } })),
    );
    fc.assert(
      fc.property(change, (changed) => {
        expect(canonicalContent(changed)).not.toBe(canonicalContent(base));
        expect(contentHash(changed)).not.toBe(contentHash(base));
      }),
      { numRuns: 200 },
    );
  });

  it('is the same for equal requests built independently (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.uuid({ version: 4 }),
          memo: fc.string(),
          metadata: fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
          amount: fc.bigInt({ min: 1n, max: 10n ** 15n }),
        }),
        ({ id, memo, metadata, amount }) => {
          const reversedKeys = Object.fromEntries(Object.entries(metadata).reverse());
          expect(contentHash(pay(A, B, amount, { id, memo, metadata: meta(metadata) }))).toBe(
            contentHash(pay(A, B, amount, { id, memo, metadata: meta(reversedKeys) })),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('contentHash and the authority', () => {
  it('hashes a request without an authority exactly as before authorities existed', () => {
    const request = pay(A, B, 10n, { id: '0b7f6a2e-9c1d-4e3f-8a5b-6c7d8e9f0a1b', memo: 'm' });
    expect(canonicalContent(request)).toBe(canonicalContent({ ...request, authority: null }));
    expect(canonicalContent(request).startsWith('["TRANSFER","0b7f6a2e-9c1d-4e3f-8a5b-6c7d8e9f0a1b","m",')).toBe(true);
    expect(canonicalContent(request)).not.toContain('authority');
  });

  it('changes with the authority: the same id under another authority is other content (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
        fc.string({ minLength: 1, maxLength: 50 }),
        fc.string({ minLength: 1, maxLength: 50 }),
        (kind, id, otherId) => {
          const base = pay(A, B, 10n, { authority: { kind, id } });
          expect(contentHash(base)).not.toBe(contentHash({ ...base, authority: null }));
          expect(contentHash({ ...base, authority: { kind, id } })).toBe(contentHash(base));
          if (otherId !== id)
            expect(contentHash({ ...base, authority: { kind, id: otherId } })).not.toBe(contentHash(base));
          expect(contentHash({ ...base, authority: { kind: `${kind}X`, id } })).not.toBe(contentHash(base));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('uuidV5 and expiryTransactionId', () => {
  it('matches the RFC 4122 / Python uuid5 vector for python.org in the DNS namespace', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('is deterministic and always a valid version 5 UUID (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.uuid(), (name, namespace) => {
        const id = uuidV5(name, namespace);
        expect(id).toMatch(V5_PATTERN);
        expect(uuidV5(name, namespace)).toBe(id);
      }),
      { numRuns: 200 },
    );
  });

  it('derives one expiry id per hold: stable, valid, distinct across holds and from the hold id', () => {
    const holdA = uuid();
    const holdB = uuid();
    expect(expiryTransactionId(holdA)).toBe(expiryTransactionId(holdA));
    expect(expiryTransactionId(holdA)).toMatch(V5_PATTERN);
    expect(expiryTransactionId(holdA)).not.toBe(expiryTransactionId(holdB));
    expect(expiryTransactionId(holdA)).not.toBe(holdA);
    expect(expiryTransactionId('abc')).toBe('ccd603f1-0717-57d7-9108-33a68d6d351a');
  });
});
