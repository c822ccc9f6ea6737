/**
 * Goal: payments go to the oldest unpaid charges first, overpayment stays as credit for the next charges,
 * waived amounts are never asked for, and the result depends on the charges and payments alone, not on the
 * order they are listed in. Method: worked examples, then fast-check properties over random charge and
 * payment histories: conservation (allocated + credit = paid; allocated + outstanding = asked), oldest first
 * (no charge is paid while an older one is still owed), credit only when nothing is owed, order
 * independence, and the negative space (payments of zero, waivers beyond a charge).
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  allocatePayments,
  type AllocatableCharge,
  type AllocatablePayment,
} from '../../../src/land-trusts/rules/allocate-payments.js';

const charge = (id: string, period: string, amountMinor: bigint, waivedMinor = 0n): AllocatableCharge => ({
  id,
  period,
  amountMinor,
  waivedMinor,
});
const payment = (id: string, receivedOn: string, amountMinor: bigint): AllocatablePayment => ({
  id,
  receivedOn,
  recordedAt: new Date(`${receivedOn}T12:00:00.000Z`),
  amountMinor,
});

describe('allocatePayments: worked examples', () => {
  it('pays the oldest charge first, part-pays the next, and keeps no credit while something is owed', () => {
    const result = allocatePayments(
      [charge('c2', '2025-02', 1000n), charge('c1', '2025-01', 1000n), charge('c3', '2025-03', 1000n)],
      [payment('p1', '2025-02-10', 1500n)],
    );
    expect(result.allocations).toEqual([
      { paymentId: 'p1', chargeId: 'c1', amountMinor: 1000n },
      { paymentId: 'p1', chargeId: 'c2', amountMinor: 500n },
    ]);
    expect(result.charges.map((line) => line.outstandingMinor)).toEqual([0n, 500n, 1000n]);
    expect(result).toMatchObject({ creditMinor: 0n, outstandingMinor: 1500n });
  });

  it('keeps an overpayment as credit, which the next charges take', () => {
    expect(allocatePayments([charge('c1', '2025-01', 1000n)], [payment('p1', '2025-01-02', 2500n)])).toMatchObject({
      creditMinor: 1500n,
      outstandingMinor: 0n,
    });
    const later = allocatePayments(
      [charge('c1', '2025-01', 1000n), charge('c2', '2025-02', 1000n)],
      [payment('p1', '2025-01-02', 2500n)],
    );
    expect(later).toMatchObject({ creditMinor: 500n, outstandingMinor: 0n });
  });

  it('asks only what was not waived', () => {
    const result = allocatePayments(
      [charge('c1', '2025-01', 1000n, 1000n), charge('c2', '2025-02', 1000n, 400n)],
      [payment('p1', '2025-03-01', 600n)],
    );
    expect(result.allocations).toEqual([{ paymentId: 'p1', chargeId: 'c2', amountMinor: 600n }]);
    expect(result).toMatchObject({ creditMinor: 0n, outstandingMinor: 0n });
  });

  it('refuses a payment of zero and a waiver beyond its charge (bugs in the caller)', () => {
    expect(() => allocatePayments([], [payment('p', '2025-01-01', 0n)])).toThrow(AssertionFailed);
    expect(() => allocatePayments([charge('c', '2025-01', 1n, 2n)], [payment('p', '2025-01-01', 1n)])).toThrow(
      AssertionFailed,
    );
  });
});

const histories = fc.record({
  charges: fc.uniqueArray(
    fc.record({
      month: fc.integer({ min: 1, max: 36 }),
      amount: fc.bigInt({ min: 0n, max: 100_000n }),
      waivedShare: fc.integer({ min: 0, max: 4 }),
    }),
    { selector: (entry) => entry.month, maxLength: 24 },
  ),
  payments: fc.array(
    fc.record({ day: fc.integer({ min: 0, max: 1000 }), amount: fc.bigInt({ min: 1n, max: 150_000n }) }),
    { maxLength: 20 },
  ),
});

type History = typeof histories extends fc.Arbitrary<infer T> ? T : never;

function build(history: History) {
  const charges = history.charges.map((entry) =>
    charge(
      `c${String(entry.month).padStart(2, '0')}`,
      `${2023 + Math.floor((entry.month - 1) / 12)}-${String(((entry.month - 1) % 12) + 1).padStart(2, '0')}`,
      entry.amount,
      (entry.amount * BigInt(entry.waivedShare)) / 4n,
    ),
  );
  const payments = history.payments.map((entry, index) =>
    payment(
      `p${String(index).padStart(2, '0')}`,
      new Date(Date.UTC(2023, 0, 1 + entry.day)).toISOString().slice(0, 10),
      entry.amount,
    ),
  );
  return { charges, payments };
}

describe('allocatePayments: properties', () => {
  it('conserves money: allocated + credit = paid, allocated + outstanding = asked', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const { charges, payments } = build(history);
        const result = allocatePayments(charges, payments);
        const allocated = result.allocations.reduce((sum, item) => sum + item.amountMinor, 0n);
        const paid = payments.reduce((sum, item) => sum + item.amountMinor, 0n);
        const asked = charges.reduce((sum, item) => sum + item.amountMinor - item.waivedMinor, 0n);
        expect(allocated + result.creditMinor).toBe(paid);
        expect(allocated + result.outstandingMinor).toBe(asked);
        expect(result.creditMinor === 0n || result.outstandingMinor === 0n).toBe(true);
        for (const item of result.allocations) expect(item.amountMinor).toBeGreaterThan(0n);
      }),
    );
  });

  it('pays oldest first: once a charge is still owed, no later charge has been paid anything', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const { charges, payments } = build(history);
        const lines = allocatePayments(charges, payments).charges;
        const firstOwed = lines.findIndex((line) => line.outstandingMinor > 0n);
        if (firstOwed === -1) return;
        for (const line of lines.slice(firstOwed + 1)) expect(line.paidMinor).toBe(0n);
      }),
    );
  });

  it('depends on the charges and payments, not the order they are listed in', () => {
    fc.assert(
      fc.property(histories, fc.integer(), (history, seed) => {
        const { charges, payments } = build(history);
        const shuffle = <T>(items: T[]) =>
          items
            .map((item, index) => ({ item, key: (index * 7919 + seed) % 104729 }))
            .sort((a, b) => a.key - b.key)
            .map(({ item }) => item);
        expect(allocatePayments(shuffle([...charges]), shuffle([...payments]))).toEqual(
          allocatePayments(charges, payments),
        );
      }),
    );
  });
});
