/**
 * Goal: who may do what in trade is exactly the table of src/trade/rules/trade-access.ts. Method: every rule
 * over every set of roles (none, and each combination of MEMBER, TREASURER, COORDINATOR, ADMIN), compared
 * with a direct reading of the table.
 */
import {
  mayClear,
  mayConsent,
  mayInvoice,
  mayPay,
  maySeeBooks,
  maySeeInvoice,
  roundView,
} from '../../../src/trade/rules/trade-access.js';

const ROLES = ['MEMBER', 'TREASURER', 'COORDINATOR', 'ADMIN'];
const ROLE_SETS: ReadonlySet<string>[] = Array.from(
  { length: 2 ** ROLES.length },
  (_, mask) => new Set(ROLES.filter((_, bit) => (mask & (1 << bit)) !== 0)),
);
const handlesMoney = (roles: ReadonlySet<string>) => roles.has('TREASURER') || roles.has('ADMIN');

describe('trade access', () => {
  it.each(ROLE_SETS.map((roles) => [[...roles].join('+') || 'no role', roles] as const))('%s', (_name, roles) => {
    for (const rule of [mayInvoice, mayPay, mayClear, mayConsent]) expect(rule(roles)).toBe(handlesMoney(roles));
    expect(maySeeBooks(roles)).toBe(roles.size > 0);
    expect(maySeeInvoice(roles, new Set())).toBe(roles.size > 0);
    expect(maySeeInvoice(new Set(), roles)).toBe(roles.size > 0);
    expect(roundView(roles, false)).toBe(handlesMoney(roles) ? 'ALL' : 'NONE');
    expect(roundView(roles, true)).toBe(handlesMoney(roles) ? 'ALL' : 'OWN');
  });
});
