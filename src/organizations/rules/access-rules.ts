/**
 * Who may do what with the ledger, decided from the caller's roles alone (no I/O). Deny by default: each
 * rule names the roles that allow; anything not named is refused. The database cannot check these (they
 * depend on the caller), so the write path runs them inside the batch's transaction, after locking.
 *
 * - Debit an account: its holder (a person), a TREASURER or ADMIN of the holding organisation, or an API
 *   token of that organisation with LEDGER_WRITE.
 * - Issue a unit: a TREASURER or ADMIN of the issuer. Set a credit line: a TREASURER of the issuer only.
 * - Freeze and unfreeze: a TREASURER or ADMIN of the issuer. Close: those, or whoever may debit it.
 * - Reverse: whoever may debit the accounts the reversal debits, or a steward of the unit's issuer
 *   (TREASURER, ADMIN, COORDINATOR), who corrects mistakes.
 * - Void a hold: whoever may debit its payers, or whoever may debit all its payees (declining it).
 * - A hold a workflow placed (it names an authority: a time log, a stipend batch, a hardship draw) is posted
 *   or voided by that workflow's own steps only, never directly, so the workflow's rows and the ledger
 *   cannot part (WORKFLOW_HOLD).
 * - See an account's history: its holder, any member of the holding organisation, a steward of the issuer,
 *   or the organisation's API token with LEDGER_READ or LEDGER_WRITE. See its figures only: anyone the
 *   holding organisation's balance visibility admits (its federations' members, or everyone).
 * - API tokens move and read their organisation's money only: they open no accounts, change no status,
 *   issue no units, and count as no one's member (so FEDERATION visibility does not admit them).
 * - A system actor (automatic work) does what its grant names and nothing else: it manages the
 *   organisations of its grant as their ADMIN and TREASURER would, and moves value out of the accounts of
 *   its grant. Only a system actor whose grant says so expires holds (SYSTEM_OPERATION for anyone else).
 */
import { hasAnyRole, rolesIn, type Principal } from '../../kernel/principal.js';
import type { AccessLevel, BatchView } from '../../ledger/ledger-access.port.js';
import type { LedgerRequest } from '../../ledger/ledger.records.js';

export { API_SCOPES, type ApiScope } from '../../auth/auth.records.js';

export const ROLES = ['MEMBER', 'TREASURER', 'COORDINATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const BALANCE_VISIBILITIES = ['MEMBERS', 'FEDERATION', 'PUBLIC'] as const;
export type BalanceVisibility = (typeof BALANCE_VISIBILITIES)[number];

const MONEY_ROLES = ['TREASURER', 'ADMIN'];
const STEWARD_ROLES = ['TREASURER', 'ADMIN', 'COORDINATOR'];

export function mayDebit(principal: Principal, holderId: string): boolean {
  switch (principal.kind) {
    case 'API_TOKEN':
      return principal.organizationId === holderId && principal.scopes.has('LEDGER_WRITE');
    case 'PERSON':
      return principal.personId === holderId || hasAnyRole(principal, holderId, MONEY_ROLES);
    case 'SYSTEM':
      return hasAnyRole(principal, holderId, MONEY_ROLES);
  }
}

/** Debiting one account: as its holder's debitor, or as a system actor granted that account. */
function mayDebitAccount(principal: Principal, account: { id: string; holderId: string }): boolean {
  return (
    (principal.kind === 'SYSTEM' && principal.grant.accounts.has(account.id)) || mayDebit(principal, account.holderId)
  );
}

export function mayCreateUnit(principal: Principal, issuerId: string): boolean {
  return hasAnyRole(principal, issuerId, MONEY_ROLES);
}

export function maySetCreditLines(principal: Principal, issuerId: string): boolean {
  return hasAnyRole(principal, issuerId, ['TREASURER']);
}

export function mayStewardUnit(principal: Principal, issuerId: string): boolean {
  return hasAnyRole(principal, issuerId, STEWARD_ROLES);
}

export type OpenAccountDecision = 'ALLOWED' | 'ALLOWED_IF_HOLDER_EXISTS' | 'NEEDS_CREDIT_LINE_ROLE' | 'NOT_HOLDER';

/**
 * Opening an account: for yourself or for an organisation whose money you handle, with no credit line; an
 * issuer's treasurer opens any account in its units, with a credit line (the holder must then exist).
 */
export function decideOpenAccount(
  principal: Principal,
  account: { holderId: string; issuerId: string; creditLimit: bigint },
): OpenAccountDecision {
  if (principal.kind === 'API_TOKEN') return 'NOT_HOLDER';
  if (maySetCreditLines(principal, account.issuerId)) return 'ALLOWED_IF_HOLDER_EXISTS';
  if (account.creditLimit > 0n) return 'NEEDS_CREDIT_LINE_ROLE';
  return mayDebit(principal, account.holderId) ? 'ALLOWED' : 'NOT_HOLDER';
}

export function mayChangeStatus(
  principal: Principal,
  account: { holderId: string; issuerId: string },
  target: 'FROZEN' | 'UNFROZEN' | 'CLOSED',
): boolean {
  if (principal.kind === 'API_TOKEN') return false;
  if (hasAnyRole(principal, account.issuerId, MONEY_ROLES)) return true;
  return target === 'CLOSED' && mayDebit(principal, account.holderId);
}

export interface BatchRefusal {
  readonly requestId: string;
  readonly accountId: string;
  readonly reason: 'NOT_ACCOUNT_HOLDER' | 'SYSTEM_OPERATION' | 'WORKFLOW_HOLD';
}

/**
 * The first request of a batch the caller may not make, or null. Accounts and transactions the ledger
 * cannot find are left to the ledger, which refuses them with its own reasons.
 */
export function findBatchRefusal(
  principal: Principal,
  requests: readonly LedgerRequest[],
  view: BatchView,
): BatchRefusal | null {
  for (const request of requests) {
    const refusal = refusalOf(principal, request, view);
    if (refusal !== null) return refusal;
  }
  return null;
}

function refusalOf(principal: Principal, request: LedgerRequest, view: BatchView): BatchRefusal | null {
  const debitable = (accountId: string): boolean => {
    const account = view.account(accountId);
    return account === undefined || mayDebitAccount(principal, { id: accountId, holderId: account.holderId });
  };
  const refuse = (accountId: string): BatchRefusal => ({
    requestId: request.id,
    accountId,
    reason: 'NOT_ACCOUNT_HOLDER',
  });
  switch (request.type) {
    case 'TRANSFER': {
      const denied = request.entries.find((entry) => entry.side === 'DEBIT' && !debitable(entry.accountId));
      return denied === undefined ? null : refuse(denied.accountId);
    }
    case 'EXPIRE_HOLD':
      if (principal.kind === 'SYSTEM' && principal.grant.expiresHolds) return null;
      return { requestId: request.id, accountId: '', reason: 'SYSTEM_OPERATION' };
    case 'POST_HOLD':
    case 'VOID_HOLD':
    case 'REVERSAL': {
      const referenced = view.referenced(request.type === 'REVERSAL' ? request.transactionId : request.holdId);
      if (referenced === undefined) return null;
      if (request.type !== 'REVERSAL' && referenced.authority !== null && (request.authority ?? null) === null) {
        return { requestId: request.id, accountId: '', reason: 'WORKFLOW_HOLD' };
      }
      const payers = referenced.entries.filter((entry) => entry.side === 'DEBIT').map((entry) => entry.accountId);
      const payees = referenced.entries.filter((entry) => entry.side === 'CREDIT').map((entry) => entry.accountId);
      const deniedPayer = payers.find((id) => !debitable(id));
      const deniedPayee = payees.find((id) => !debitable(id));
      if (request.type === 'POST_HOLD') return deniedPayer === undefined ? null : refuse(deniedPayer);
      if (request.type === 'VOID_HOLD') {
        return deniedPayer === undefined || deniedPayee === undefined ? null : refuse(deniedPayer);
      }
      if (deniedPayee === undefined) return null;
      const steward = referenced.entries.every((entry) => {
        const account = view.account(entry.accountId);
        return account === undefined || mayStewardUnit(principal, account.issuerId);
      });
      return steward ? null : refuse(deniedPayee);
    }
  }
}

/** What an organisation's settings and federations make of a caller who is not its member. */
export interface HolderVisibility {
  readonly visibility: BalanceVisibility;
  /** Every federation the organisation belongs to, directly or through other federations. */
  readonly federationIds: readonly string[];
}

export function accessLevel(
  principal: Principal,
  account: { holderId: string; issuerId: string },
  holder: HolderVisibility | undefined,
): AccessLevel {
  if (principal.kind === 'API_TOKEN') {
    const own = principal.organizationId === account.holderId;
    if (own && (principal.scopes.has('LEDGER_READ') || principal.scopes.has('LEDGER_WRITE'))) return 'DETAIL';
    return holder?.visibility === 'PUBLIC' ? 'BALANCE' : 'NONE';
  }
  if (
    (principal.kind === 'PERSON' && principal.personId === account.holderId) ||
    rolesIn(principal, account.holderId).size > 0 ||
    mayStewardUnit(principal, account.issuerId)
  ) {
    return 'DETAIL';
  }
  if (holder === undefined) return 'NONE';
  if (holder.visibility === 'PUBLIC') return 'BALANCE';
  if (holder.visibility === 'FEDERATION') {
    return holder.federationIds.some((id) => rolesIn(principal, id).size > 0) ? 'BALANCE' : 'NONE';
  }
  return 'NONE';
}
