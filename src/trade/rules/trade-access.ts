/**
 * Who may do what in trade, decided from the caller's roles in the organisations concerned (no I/O). Deny by
 * default.
 *
 * - Issue and cancel an invoice: a TREASURER or ADMIN of the issuer.
 * - Accept, reject and pay an invoice, and set automatic payments: a TREASURER or ADMIN of the payer (the
 *   ledger checks again that the payer's account may be debited).
 * - See an invoice: any member of its issuer or payer. See an organisation's invoices and statements: its
 *   members.
 * - Run clearing (settings, preview, execute): a TREASURER or ADMIN of the federation (its stewards).
 * - Consent to a round, or decline it: a TREASURER or ADMIN of a participating organisation.
 * - See a round: the federation's stewards (every set-off notice), and the members of its participants
 *   (their own notices, and the round's totals).
 *
 * API tokens hold no roles, so they do none of this; a system actor acts where its grant names the
 * organisation.
 */
type Roles = ReadonlySet<string>;

const MONEY_ROLES = ['TREASURER', 'ADMIN'];
const handlesMoney = (roles: Roles) => MONEY_ROLES.some((role) => roles.has(role));
const isMember = (roles: Roles) => roles.size > 0;

export function mayInvoice(rolesInIssuer: Roles): boolean {
  return handlesMoney(rolesInIssuer);
}

export function mayPay(rolesInPayer: Roles): boolean {
  return handlesMoney(rolesInPayer);
}

export function maySeeInvoice(rolesInIssuer: Roles, rolesInPayer: Roles): boolean {
  return isMember(rolesInIssuer) || isMember(rolesInPayer);
}

export function maySeeBooks(rolesInOrganization: Roles): boolean {
  return isMember(rolesInOrganization);
}

export function mayClear(rolesInFederation: Roles): boolean {
  return handlesMoney(rolesInFederation);
}

export function mayConsent(rolesInParticipant: Roles): boolean {
  return handlesMoney(rolesInParticipant);
}

/** How much of a round a caller sees: every notice, their organisations' notices, or nothing. */
export type RoundView = 'ALL' | 'OWN' | 'NONE';

export function roundView(rolesInFederation: Roles, memberOfAParticipant: boolean): RoundView {
  if (handlesMoney(rolesInFederation)) return 'ALL';
  return memberOfAParticipant ? 'OWN' : 'NONE';
}
