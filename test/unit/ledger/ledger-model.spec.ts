/**
 * Goal: the small derivations of ledger-model.ts (referencedId, balances, derived transaction status).
 * Method: worked examples, one per case.
 */
import {
  availableBalanceOf,
  balanceOf,
  referencedId,
  transactionStatus,
  type Operation,
  type TransactionStatus,
} from '../../../src/ledger/rules/ledger-model.js';
import { expireHoldReq, pay, postHoldReq, reversalReq, uuid, voidHoldReq } from './ledger-builders.js';

describe('ledger-model', () => {
  it('referencedId names the hold or transaction a request refers to', () => {
    const id = uuid();
    expect(referencedId(pay(uuid(), uuid(), 1n))).toBeNull();
    expect(referencedId(postHoldReq(id))).toBe(id);
    expect(referencedId(voidHoldReq(id))).toBe(id);
    expect(referencedId(expireHoldReq(id))).toBe(id);
    expect(referencedId(reversalReq(id))).toBe(id);
  });

  it('balance is credits less debits; available also sets aside pending debits only', () => {
    const position = { creditsPosted: 100n, debitsPosted: 30n, debitsPending: 20n };
    expect(balanceOf(position)).toBe(70n);
    expect(availableBalanceOf(position)).toBe(50n);
  });

  const cases: [Operation, Operation | null, TransactionStatus][] = [
    ['TRANSFER', null, 'POSTED'],
    ['POST_HOLD', null, 'POSTED'],
    ['REVERSAL', null, 'POSTED'],
    ['TRANSFER', 'REVERSAL', 'POSTED'],
    ['VOID_HOLD', null, 'VOIDED'],
    ['EXPIRE_HOLD', null, 'EXPIRED'],
    ['HOLD', null, 'PENDING'],
    ['HOLD', 'POST_HOLD', 'POSTED'],
    ['HOLD', 'VOID_HOLD', 'VOIDED'],
    ['HOLD', 'EXPIRE_HOLD', 'EXPIRED'],
  ];
  it.each(cases)('a %s resolved by %s is %s', (operation, resolvedBy, status) => {
    expect(transactionStatus(operation, resolvedBy)).toBe(status);
  });
});
