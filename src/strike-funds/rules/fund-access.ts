/**
 * Who may do what with a fund, from the caller's roles in the fund's organisation and the fund's committee.
 * Deny by default.
 *
 * | Operation                                         | Allowed                                           |
 * | ------------------------------------------------- | ------------------------------------------------- |
 * | create a fund, strike, rules; record contributions | TREASURER, ADMIN                                  |
 * | compute and submit a stipend batch                | TREASURER, ADMIN                                  |
 * | enrol strikers, record picket shifts              | COORDINATOR (picket captain), TREASURER, ADMIN    |
 * | apply for a hardship draw                         | any member                                        |
 * | read the review queue                             | the fund's committee, TREASURER, ADMIN            |
 * | deposit escrow                                    | the tenant (from their account), TREASURER, ADMIN |
 * | read a fund's details, strikes, batches           | any member                                        |
 * | read one's own shifts, stipends, draws, escrow    | that person                                       |
 * | the public report                                 | anyone (members see more where the fund says so)  |
 *
 * Approvals themselves are decided by governance (author and payees never approve).
 */
import { rolesIn, type Principal } from '../../kernel/principal.js';

const MONEY = ['TREASURER', 'ADMIN'];
const CAPTAIN = ['COORDINATOR', 'TREASURER', 'ADMIN'];

function holds(principal: Principal, organizationId: string, roles: readonly string[]): boolean {
  const held = rolesIn(principal, organizationId);
  return roles.some((role) => held.has(role));
}

export function mayManageFund(principal: Principal, organizationId: string): boolean {
  return holds(principal, organizationId, MONEY);
}

export function mayCaptainPicket(principal: Principal, organizationId: string): boolean {
  return holds(principal, organizationId, CAPTAIN);
}

export function isMember(principal: Principal, organizationId: string): boolean {
  return rolesIn(principal, organizationId).size > 0;
}

export function mayReview(
  principal: Principal,
  fund: { organizationId: string; committee: readonly string[] },
): boolean {
  if (mayManageFund(principal, fund.organizationId)) return true;
  return (
    principal.kind === 'PERSON' &&
    isMember(principal, fund.organizationId) &&
    fund.committee.includes(principal.personId)
  );
}
