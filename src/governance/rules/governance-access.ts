/**
 * Who may do what in governance, decided from plain facts about the caller (no I/O). Deny by default.
 *
 * - Create an assembly, change its settings, seat organisations and set their weights: an ADMIN of the
 *   assembly's organisation (a confederal assembly belongs to a federation).
 * - Appoint a seat's delegate: an ADMIN of the seated organisation (the delegate is its member).
 * - Propose a motion: in a members' assembly, any member of the organisation; in a confederal assembly, a
 *   seat's delegate or an ADMIN of the federation. Withdraw it before it closes: its proposer or an ADMIN.
 * - Vote: the voters fixed when the motion opened (the members then; the seats' delegates then).
 * - Delegate: a voter of the assembly now (a member; a seat, by its delegate), to another voter of it, where
 *   the assembly allows delegation.
 * - See the assembly, its motions, tallies and outcomes: the organisation's members (in a confederal
 *   assembly, the seated organisations' members and delegates too); where the assembly shares its outcomes,
 *   the members of the federations above its organisation. Open ballots (who voted how) are shown to the
 *   first group only; ballots of a secret motion are never shown, to anyone.
 * - Approval requests: made by a TREASURER or ADMIN of the organisation (or by a module's workflow for a
 *   member); seen by its members; decided by their approvers (holders of a role now, or a named committee),
 *   never by their author or payees; changed by their author; withdrawn by their author or an ADMIN.
 */
import type { AssemblyKind } from '../governance.records.js';

export interface CallerFacts {
  /** The caller's roles in the assembly's (or request's) organisation: none when not a member. */
  readonly rolesInOrganization: ReadonlySet<string>;
  /** Whether the caller is a member of an organisation seated in the (confederal) assembly. */
  readonly memberOfASeat: boolean;
  /** Whether the caller is the delegate of a seat of the (confederal) assembly. */
  readonly delegateOfASeat: boolean;
  /** Whether the caller is a member of a federation above the assembly's organisation. */
  readonly memberOfAFederationAbove: boolean;
}

/** How much of an assembly a caller sees: everything members see, outcomes only, or nothing. */
export type AssemblyView = 'MEMBER' | 'OUTCOMES' | 'NONE';

const isMember = (facts: CallerFacts) => facts.rolesInOrganization.size > 0;
const isAdmin = (facts: CallerFacts) => facts.rolesInOrganization.has('ADMIN');

export function mayManageAssembly(facts: CallerFacts): boolean {
  return isAdmin(facts);
}

export function mayPropose(kind: AssemblyKind, facts: CallerFacts): boolean {
  return kind === 'MEMBERS' ? isMember(facts) : facts.delegateOfASeat || isAdmin(facts);
}

export function mayWithdraw(facts: CallerFacts, isProposer: boolean): boolean {
  return isProposer || isAdmin(facts);
}

export function assemblyView(kind: AssemblyKind, outcomesPublic: boolean, facts: CallerFacts): AssemblyView {
  if (isMember(facts)) return 'MEMBER';
  if (kind === 'CONFEDERAL' && (facts.memberOfASeat || facts.delegateOfASeat)) return 'MEMBER';
  return outcomesPublic && facts.memberOfAFederationAbove ? 'OUTCOMES' : 'NONE';
}

export function maySeeApprovalRequests(facts: CallerFacts): boolean {
  return isMember(facts);
}

export function mayWithdrawRequest(facts: CallerFacts, isAuthor: boolean): boolean {
  return isAuthor || isAdmin(facts);
}
