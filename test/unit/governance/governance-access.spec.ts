/**
 * Goal: who may do what in governance, as the header of rules/governance-access.ts says, deny by default.
 * Method: every kind of caller (no membership; each role; a seated organisation's member; a seat's delegate;
 * a member of a federation above) against each rule, for both kinds of assembly and both sharing settings.
 */
import {
  assemblyView,
  mayManageAssembly,
  mayPropose,
  maySeeApprovalRequests,
  mayWithdraw,
  mayWithdrawRequest,
  type CallerFacts,
} from '../../../src/governance/rules/governance-access.js';

const facts = (overrides: Partial<CallerFacts> = {}): CallerFacts => ({
  rolesInOrganization: new Set(),
  memberOfASeat: false,
  delegateOfASeat: false,
  memberOfAFederationAbove: false,
  ...overrides,
});
const roles = (...held: string[]) => facts({ rolesInOrganization: new Set(held) });

describe('governance access rules', () => {
  it('lets only ADMINs manage assemblies', () => {
    expect(mayManageAssembly(roles('MEMBER', 'ADMIN'))).toBe(true);
    for (const caller of [roles('MEMBER', 'TREASURER'), roles('MEMBER', 'COORDINATOR'), roles('MEMBER'), facts()]) {
      expect(mayManageAssembly(caller)).toBe(false);
    }
  });

  it("lets members propose in a members' assembly; delegates and admins in a confederal one", () => {
    expect(mayPropose('MEMBERS', roles('MEMBER'))).toBe(true);
    expect(mayPropose('MEMBERS', facts({ memberOfAFederationAbove: true }))).toBe(false);
    expect(mayPropose('CONFEDERAL', facts({ delegateOfASeat: true }))).toBe(true);
    expect(mayPropose('CONFEDERAL', roles('MEMBER', 'ADMIN'))).toBe(true);
    expect(mayPropose('CONFEDERAL', roles('MEMBER'))).toBe(false);
    expect(mayPropose('CONFEDERAL', facts({ memberOfASeat: true }))).toBe(false);
  });

  it('lets the proposer or an ADMIN withdraw', () => {
    expect(mayWithdraw(roles('MEMBER'), true)).toBe(true);
    expect(mayWithdraw(roles('MEMBER', 'ADMIN'), false)).toBe(true);
    expect(mayWithdraw(roles('MEMBER', 'TREASURER'), false)).toBe(false);
  });

  it('shows members everything, a federation above only shared outcomes, and others nothing', () => {
    expect(assemblyView('MEMBERS', false, roles('MEMBER'))).toBe('MEMBER');
    expect(assemblyView('MEMBERS', false, facts({ memberOfAFederationAbove: true }))).toBe('NONE');
    expect(assemblyView('MEMBERS', true, facts({ memberOfAFederationAbove: true }))).toBe('OUTCOMES');
    expect(assemblyView('MEMBERS', true, facts({ memberOfASeat: true }))).toBe('NONE');
    expect(assemblyView('CONFEDERAL', false, facts({ memberOfASeat: true }))).toBe('MEMBER');
    expect(assemblyView('CONFEDERAL', false, facts({ delegateOfASeat: true }))).toBe('MEMBER');
    expect(assemblyView('CONFEDERAL', true, facts())).toBe('NONE');
  });

  it("shows an organisation's approval requests to its members; the author or an ADMIN withdraws one", () => {
    expect(maySeeApprovalRequests(roles('MEMBER'))).toBe(true);
    expect(maySeeApprovalRequests(facts({ memberOfAFederationAbove: true }))).toBe(false);
    expect(mayWithdrawRequest(roles('MEMBER'), true)).toBe(true);
    expect(mayWithdrawRequest(roles('MEMBER', 'ADMIN'), false)).toBe(true);
    expect(mayWithdrawRequest(roles('MEMBER', 'TREASURER'), false)).toBe(false);
  });
});
