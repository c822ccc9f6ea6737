/**
 * Goal: a pledge's periods are named by the day they start (Monday for weekly, the 1st for monthly), so that
 * each instant of a period names the same period and consecutive periods differ; and who may act on a fund
 * follows the table of rules/fund-access.ts, deny by default. Method: worked examples, fast-check properties
 * over instants (every instant of a week gives the week's number; the next week's is seven more), and the
 * access table over every role set.
 */
import fc from 'fast-check';
import { systemPrincipal, type PersonPrincipal } from '../../../src/kernel/principal.js';
import { isMember, mayCaptainPicket, mayManageFund, mayReview } from '../../../src/strike-funds/rules/fund-access.js';
import { periodNumber, periodStart } from '../../../src/strike-funds/rules/pledges.js';

const DAY_MS = 86_400_000;

describe('pledge periods', () => {
  it('starts weeks on Monday and months on the 1st', () => {
    const instant = new Date('2027-03-10T15:00:00Z'); // a Wednesday
    expect(periodStart('WEEKLY', instant)).toBe('2027-03-08');
    expect(periodStart('MONTHLY', instant)).toBe('2027-03-01');
    expect(periodStart('ONCE', instant)).toBe('2027-03-10');
  });

  it('gives every instant of a week the same number, and the next week seven more', () => {
    const monday = Date.parse('2027-03-08T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 520 }), fc.integer({ min: 0, max: 7 * DAY_MS - 1 }), (weeks, offset) => {
        const start = monday + weeks * 7 * DAY_MS;
        const number = periodNumber('WEEKLY', new Date(start + offset));
        expect(number).toBe(periodNumber('WEEKLY', new Date(start)));
        expect(periodNumber('WEEKLY', new Date(start + 7 * DAY_MS))).toBe(number + 7);
      }),
    );
  });

  it('gives every day of a month the same number, different from the next month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2020, max: 2060 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, day) => {
          const pad = (value: number) => String(value).padStart(2, '0');
          const first = periodNumber('MONTHLY', new Date(`${year}-${pad(month)}-01T00:00:00Z`));
          expect(periodNumber('MONTHLY', new Date(`${year}-${pad(month)}-${pad(day)}T23:59:59Z`))).toBe(first);
          const next = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
          expect(periodNumber('MONTHLY', new Date(`${next}T00:00:00Z`))).toBeGreaterThan(first);
        },
      ),
    );
  });
});

describe('fund access', () => {
  const ORG = 'org';
  const person = (roles: string[], personId = 'p'): PersonPrincipal => ({
    kind: 'PERSON',
    personId,
    sessionId: 's',
    roles: new Map(roles.length === 0 ? [] : [[ORG, new Set(roles)]]),
  });

  it('follows the table for every set of roles', () => {
    fc.assert(
      fc.property(fc.subarray(['MEMBER', 'TREASURER', 'COORDINATOR', 'ADMIN']), (roles) => {
        const caller = person(roles);
        expect(mayManageFund(caller, ORG)).toBe(roles.includes('TREASURER') || roles.includes('ADMIN'));
        expect(mayCaptainPicket(caller, ORG)).toBe(roles.some((role) => role !== 'MEMBER'));
        expect(isMember(caller, ORG)).toBe(roles.length > 0);
        expect(mayManageFund(caller, 'other')).toBe(false);
      }),
    );
  });

  it('lets the committee review while members, and nobody else', () => {
    const fund = { organizationId: ORG, committee: ['c'] };
    expect(mayReview(person(['MEMBER'], 'c'), fund)).toBe(true);
    expect(mayReview(person([], 'c'), fund)).toBe(false);
    expect(mayReview(person(['MEMBER'], 'm'), fund)).toBe(false);
    expect(mayReview(person(['TREASURER'], 'm'), fund)).toBe(true);
    expect(mayReview(systemPrincipal('strike-funds.test', {}), fund)).toBe(false);
  });
});
