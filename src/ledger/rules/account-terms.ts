/**
 * Rule: how an account's status and limits may change. ACTIVE ⇄ FROZEN; CLOSED is final and needs a zero
 * balance and no pending holds; a closed account's terms never change again. Limits are non-negative and
 * may be set below the current position: that blocks further debits (or credits) until the account
 * recovers, without moving any value. Asking for the state an account is already in changes nothing.
 * The SQL twins: `account_closed_only_at_zero` and the `account_guard` trigger.
 */
import { LEDGER_ERRORS } from '../ledger.errors.js';
import { balanceOf, refusal, type AccountPosition, type Refusal } from './ledger-model.js';

export type StatusTarget = 'FROZEN' | 'UNFROZEN' | 'CLOSED';

export type TermsDecision<T extends AccountPosition> =
  | { readonly outcome: 'CHANGED'; readonly next: T }
  | { readonly outcome: 'UNCHANGED' }
  | { readonly outcome: 'REFUSED'; readonly refusal: Refusal };

export function decideStatusChange<T extends AccountPosition>(account: T, target: StatusTarget): TermsDecision<T> {
  if (account.status === 'CLOSED') {
    return target === 'CLOSED' ? { outcome: 'UNCHANGED' } : closedRefusal(account);
  }
  const status = target === 'UNFROZEN' ? 'ACTIVE' : target;
  if (status === account.status) return { outcome: 'UNCHANGED' };
  if (status === 'CLOSED') {
    if (account.debitsPending !== 0n || account.creditsPending !== 0n) {
      return refused(LEDGER_ERRORS.HOLDS_PENDING, 'An account with pending holds cannot be closed', account);
    }
    if (balanceOf(account) !== 0n) {
      return refused(LEDGER_ERRORS.BALANCE_NOT_ZERO, 'Only an account with a zero balance can be closed', account);
    }
  }
  return { outcome: 'CHANGED', next: { ...account, status, version: account.version + 1n } };
}

export function decideLimits<T extends AccountPosition>(
  account: T,
  creditLimit: bigint,
  upperLimit: bigint | null,
): TermsDecision<T> {
  if (account.status === 'CLOSED') return closedRefusal(account);
  if (creditLimit < 0n || (upperLimit !== null && upperLimit < 0n)) {
    return refused(LEDGER_ERRORS.LIMIT_NEGATIVE, 'Limits are zero or more', account);
  }
  if (creditLimit === account.creditLimit && upperLimit === account.upperLimit) return { outcome: 'UNCHANGED' };
  return { outcome: 'CHANGED', next: { ...account, creditLimit, upperLimit, version: account.version + 1n } };
}

function closedRefusal(account: AccountPosition): TermsDecision<never> {
  return refused(LEDGER_ERRORS.ACCOUNT_CLOSED, `Account ${account.id} is closed`, account);
}

function refused(
  reason: Parameters<typeof refusal>[0],
  message: string,
  account: AccountPosition,
): TermsDecision<never> {
  return { outcome: 'REFUSED', refusal: refusal(reason, message, { accountId: account.id }) };
}
