/**
 * Who may do what in a land trust, decided from plain facts about the caller (no I/O). Deny by default.
 *
 * | Operation                                                     | Who                                           |
 * | ------------------------------------------------------------- | --------------------------------------------- |
 * | set up a land trust, change its resale formula                | TREASURER or ADMIN of the trust's organisation |
 * | add parcels, sign, change fees of, terminate leases           | a steward: TREASURER, ADMIN or COORDINATOR     |
 * | record a payment received from outside, waive or defer charges | a steward                                     |
 * | post the charges due now (besides the scheduler)              | a steward                                     |
 * | pay toward a lease from a ledger account                      | the leaseholder (the person, or a TREASURER or ADMIN of the household), or a steward; the ledger checks the account is theirs to debit |
 * | see the trust, its parcels, the resale price of a home        | members of the trust's organisation            |
 * | the arrears report                                            | a steward                                     |
 * | a lease's statement                                           | a steward, or the leaseholder (the person, or any member of the household) |
 *
 * The scheduler posts charges as the system actor `land-trusts.charges`, whose grant is the trust's
 * organisation and the accounts it debits, and nothing more. API tokens do nothing here: a lease is a
 * matter between persons and the trust.
 */
import { hasAnyRole, rolesIn, type Principal } from '../../kernel/principal.js';

const MONEY_ROLES = ['TREASURER', 'ADMIN'];
const STEWARD_ROLES = ['TREASURER', 'ADMIN', 'COORDINATOR'];

export function maySetUpTrust(principal: Principal, organizationId: string): boolean {
  return principal.kind !== 'API_TOKEN' && hasAnyRole(principal, organizationId, MONEY_ROLES);
}

export function isSteward(principal: Principal, organizationId: string): boolean {
  return principal.kind !== 'API_TOKEN' && hasAnyRole(principal, organizationId, STEWARD_ROLES);
}

export function maySeeTrust(principal: Principal, organizationId: string): boolean {
  return principal.kind !== 'API_TOKEN' && rolesIn(principal, organizationId).size > 0;
}

/** The leaseholder themselves: the person, or a member of the household organisation holding the lease. */
export function isLeaseholder(principal: Principal, leaseholderId: string): boolean {
  if (principal.kind === 'PERSON')
    return principal.personId === leaseholderId || rolesIn(principal, leaseholderId).size > 0;
  return false;
}

export function maySeeStatement(
  principal: Principal,
  lease: { organizationId: string; leaseholderId: string },
): boolean {
  return isSteward(principal, lease.organizationId) || isLeaseholder(principal, lease.leaseholderId);
}

export function mayPayFromAccount(
  principal: Principal,
  lease: { organizationId: string; leaseholderId: string },
): boolean {
  if (isSteward(principal, lease.organizationId)) return true;
  return (
    principal.kind === 'PERSON' &&
    (principal.personId === lease.leaseholderId || hasAnyRole(principal, lease.leaseholderId, MONEY_ROLES))
  );
}
