/**
 * Goal: decideStatusChange and decideLimits allow exactly the documented changes of an account's terms
 * (ACTIVE ⇄ FROZEN, CLOSED final and only at zero with no holds, non-negative limits) and bump the version
 * by one on each change. Method: a worked example per transition and refusal.
 */
import { decideLimits, decideStatusChange, type StatusTarget } from '../../../src/ledger/rules/account-terms.js';
import type { AccountStatus } from '../../../src/ledger/rules/ledger-model.js';
import { account } from './ledger-builders.js';

describe('decideStatusChange', () => {
  const cases: [AccountStatus, StatusTarget, AccountStatus | 'UNCHANGED'][] = [
    ['ACTIVE', 'FROZEN', 'FROZEN'],
    ['ACTIVE', 'UNFROZEN', 'UNCHANGED'],
    ['ACTIVE', 'CLOSED', 'CLOSED'],
    ['FROZEN', 'UNFROZEN', 'ACTIVE'],
    ['FROZEN', 'FROZEN', 'UNCHANGED'],
    ['FROZEN', 'CLOSED', 'CLOSED'],
    ['CLOSED', 'CLOSED', 'UNCHANGED'],
  ];
  it.each(cases)('%s → %s gives %s', (from, target, expected) => {
    const start = account({ status: from, version: 7n });
    const decision = decideStatusChange(start, target);
    if (expected === 'UNCHANGED') {
      expect(decision).toEqual({ outcome: 'UNCHANGED' });
    } else {
      expect(decision).toEqual({ outcome: 'CHANGED', next: { ...start, status: expected, version: 8n } });
    }
  });

  it.each(['FROZEN', 'UNFROZEN'] as const)('a closed account cannot become %s: ACCOUNT_CLOSED', (target) => {
    const closed = account({ status: 'CLOSED' });
    expect(decideStatusChange(closed, target)).toEqual({
      outcome: 'REFUSED',
      refusal: {
        code: 'CONFLICT',
        reason: 'ACCOUNT_CLOSED',
        message: expect.any(String),
        details: { accountId: closed.id },
      },
    });
  });

  it('refuses closing with pending holds on either side: HOLDS_PENDING (checked before the balance)', () => {
    for (const pending of [{ debitsPending: 1n }, { creditsPending: 1n }]) {
      const decision = decideStatusChange(account({ ...pending, creditsPosted: 5n }), 'CLOSED');
      expect(decision).toMatchObject({ outcome: 'REFUSED', refusal: { code: 'CONFLICT', reason: 'HOLDS_PENDING' } });
    }
  });

  it('refuses closing with a non-zero balance: BALANCE_NOT_ZERO; a zero balance after movement is fine', () => {
    expect(decideStatusChange(account({ creditsPosted: 1n }), 'CLOSED')).toMatchObject({
      refusal: { reason: 'BALANCE_NOT_ZERO' },
    });
    expect(decideStatusChange(account({ debitsPosted: 1n }), 'CLOSED')).toMatchObject({
      refusal: { reason: 'BALANCE_NOT_ZERO' },
    });
    expect(decideStatusChange(account({ debitsPosted: 40n, creditsPosted: 40n }), 'CLOSED')).toMatchObject({
      outcome: 'CHANGED',
      next: { status: 'CLOSED' },
    });
  });

  it('keeps extra fields of a richer account type', () => {
    const rich = { ...account(), holder: 'org:x' };
    const decision = decideStatusChange(rich, 'FROZEN');
    expect(decision.outcome === 'CHANGED' && decision.next.holder).toBe('org:x');
  });
});

describe('decideLimits', () => {
  it('changes limits and bumps the version by one', () => {
    const start = account({ creditLimit: 10n, upperLimit: null, version: 3n });
    expect(decideLimits(start, 20n, 500n)).toEqual({
      outcome: 'CHANGED',
      next: { ...start, creditLimit: 20n, upperLimit: 500n, version: 4n },
    });
    expect(decideLimits(account({ upperLimit: 5n }), 0n, null)).toMatchObject({
      outcome: 'CHANGED',
      next: { upperLimit: null },
    });
  });

  it('is UNCHANGED when the limits are the same', () => {
    expect(decideLimits(account({ creditLimit: 10n, upperLimit: null }), 10n, null)).toEqual({ outcome: 'UNCHANGED' });
    expect(decideLimits(account({ creditLimit: 10n, upperLimit: 7n }), 10n, 7n)).toEqual({ outcome: 'UNCHANGED' });
  });

  it('may set a limit below the current position', () => {
    const deep = account({ creditLimit: 100n, debitsPosted: 100n });
    expect(decideLimits(deep, 0n, null)).toMatchObject({ outcome: 'CHANGED', next: { creditLimit: 0n } });
    const high = account({ creditsPosted: 100n });
    expect(decideLimits(high, 0n, 10n)).toMatchObject({ outcome: 'CHANGED', next: { upperLimit: 10n } });
  });

  it('refuses negative limits: LIMIT_NEGATIVE', () => {
    for (const [credit, upper] of [
      [-1n, null],
      [0n, -1n],
    ] as const) {
      expect(decideLimits(account(), credit, upper)).toMatchObject({
        outcome: 'REFUSED',
        refusal: { code: 'VALIDATION_FAILED', reason: 'LIMIT_NEGATIVE' },
      });
    }
  });

  it('refuses any change on a closed account: ACCOUNT_CLOSED, even the same limits', () => {
    const closed = account({ status: 'CLOSED' });
    expect(decideLimits(closed, 5n, null)).toMatchObject({ refusal: { reason: 'ACCOUNT_CLOSED' } });
    expect(decideLimits(closed, closed.creditLimit, closed.upperLimit)).toMatchObject({
      refusal: { reason: 'ACCOUNT_CLOSED' },
    });
  });
});
