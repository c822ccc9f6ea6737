import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by organisations, federations, memberships, invitations and the rules of who may do what. */
export const ORGANIZATIONS_ERRORS = declareReasons('organizations', {
  ROLE_REQUIRED: [
    'FORBIDDEN',
    'The operation needs a role you do not hold (`details.roles`, `details.organizationId`).',
  ],
  NOT_ACCOUNT_HOLDER: ['FORBIDDEN', 'You may not move value out of the account (`details.accountId`).'],
  SYSTEM_OPERATION: ['FORBIDDEN', 'Only the service itself does this (expiring a hold).'],
  WORKFLOW_HOLD: [
    'FORBIDDEN',
    'A workflow placed the hold (`details.authorityKind`, `details.authorityId`): only its steps post or void it (confirm the time log, decide the approval request).',
  ],
  HOLDER_NOT_FOUND: ['NOT_FOUND', 'No person or organisation has the id given as an account holder.'],
  ORGANIZATION_NOT_FOUND: ['NOT_FOUND', 'No organisation has this id or slug.'],
  MEMBERSHIP_NOT_FOUND: ['NOT_FOUND', 'No membership has this id.'],
  FEDERATION_MEMBERSHIP_NOT_FOUND: ['NOT_FOUND', 'No federation membership has this id.'],
  INVITATION_NOT_FOUND: ['NOT_FOUND', 'No invitation has this id.'],
  SLUG_TAKEN: ['CONFLICT', 'Another organisation has this slug.'],
  LAST_ADMIN: ['CONFLICT', 'An organisation keeps at least one ADMIN: name another first.'],
  MEMBERSHIP_ENDED: ['CONFLICT', 'The membership has ended.'],
  FEDERATION_CYCLE: ['CONFLICT', 'The federation would become a member of itself.'],
  ALREADY_REQUESTED: ['CONFLICT', 'The organisation is already a member of the federation, or has asked.'],
  NOT_PENDING: ['CONFLICT', 'The federation membership request has been decided already.'],
  NOT_ACTIVE: ['CONFLICT', 'The federation membership has ended or was declined.'],
  INVITATION_CLOSED: ['CONFLICT', 'The invitation was accepted or revoked already.'],
  UNKNOWN_ROLE: ['VALIDATION_FAILED', 'A role is not one of MEMBER, TREASURER, COORDINATOR, ADMIN.'],
  NOT_A_FEDERATION: ['VALIDATION_FAILED', 'The organisation asked to join is not a federation.'],
  ONE_KEY: ['VALIDATION_FAILED', 'Give exactly one of id and slug.'],
  NAME_REQUIRED: ['VALIDATION_FAILED', 'A person invited at a new address gives a name to register with.'],
  INVALID_INVITATION: ['UNAUTHENTICATED', 'The invitation token is not one this service issued.'],
  INVITATION_USED: ['UNAUTHENTICATED', 'The invitation was accepted already.'],
  INVITATION_REVOKED: ['UNAUTHENTICATED', 'The invitation was revoked.'],
  INVITATION_EXPIRED: ['UNAUTHENTICATED', 'The invitation has expired: ask for a new one.'],
});
