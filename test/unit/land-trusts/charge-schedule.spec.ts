/**
 * Goal: every period of a lease is charged exactly once, whatever the runs that ask for the due charges (a
 * daily run, a catch-up after months, a second process), across fee changes and leases that start and end
 * mid-month; proration is as documented in rules/charge-schedule.ts (the daily fee over the month's days,
 * summed exactly, rounded once, a half up). Method: worked examples, then fast-check properties over random
 * leases, fee histories and sequences of run dates: runs that resume after the last charged period list the
 * same charges as one run to the end; periods are consecutive and each due date lies in its period and in
 * the lease; a whole month under one fee is exactly the fee; every amount is the rounded exact sum.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  addDays,
  dateOf,
  dayNumber,
  daysInMonth,
  nextPeriod,
  periodOf,
} from '../../../src/land-trusts/rules/calendar.js';
import { chargeFor, dueCharges, feeOn, type LeaseTerms } from '../../../src/land-trusts/rules/charge-schedule.js';

const fee = (effectiveOn: string, feeMinor: bigint, reserveSharePoints = 2500) => ({
  effectiveOn,
  feeMinor,
  reserveSharePoints,
});

describe('charge schedule: worked examples', () => {
  const lease: LeaseTerms = { startsOn: '2025-01-16', lastDay: null, dueDay: 1, fees: [fee('2025-01-16', 100000n)] };

  it('prorates a mid-month start by days, due on the first day of the lease', () => {
    expect(chargeFor(lease, '2025-01')).toEqual({
      period: '2025-01',
      dueOn: '2025-01-16',
      amountMinor: 51613n,
      reserveSharePoints: 2500,
      daysCharged: 16,
      daysInPeriod: 31,
    });
    expect(chargeFor(lease, '2025-02')?.amountMinor).toBe(100000n);
    expect(chargeFor(lease, '2024-12')).toBeNull();
  });

  it('prorates a mid-month end, due no later than the last day', () => {
    const ending = { ...lease, lastDay: '2025-03-10', dueDay: 15 };
    expect(chargeFor(ending, '2025-03')).toMatchObject({ dueOn: '2025-03-10', amountMinor: 32258n, daysCharged: 10 });
    expect(chargeFor(ending, '2025-04')).toBeNull();
  });

  it('prorates a fee change mid-month between the two fees, and takes the reserve share in force on the due date', () => {
    const changed = { ...lease, fees: [fee('2025-01-16', 100000n), fee('2025-06-16', 130000n, 3333)] };
    expect(chargeFor(changed, '2025-06')).toMatchObject({ amountMinor: 115000n, reserveSharePoints: 2500 });
    expect(chargeFor(changed, '2025-07')).toMatchObject({ amountMinor: 130000n, reserveSharePoints: 3333 });
  });

  it('rounds a half up', () => {
    // 1 minor unit a month, 15 of 30 days: exactly one half.
    const tiny: LeaseTerms = { startsOn: '2025-06-16', lastDay: null, dueDay: 1, fees: [fee('2025-06-16', 1n)] };
    expect(chargeFor(tiny, '2025-06')?.amountMinor).toBe(1n);
  });

  it('lists what is due up to a day, after the last charged period', () => {
    const due = dueCharges(lease, { upTo: '2025-04-01', after: null });
    expect(due.map((charge) => charge.period)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04']);
    expect(dueCharges(lease, { upTo: '2025-04-01', after: '2025-03' }).map((charge) => charge.period)).toEqual([
      '2025-04',
    ]);
    expect(dueCharges(lease, { upTo: '2025-03-31', after: '2025-03' })).toEqual([]);
    expect(dueCharges(lease, { upTo: '2025-01-15', after: null })).toEqual([]);
  });

  it('refuses terms that break the rule (a bug in the caller)', () => {
    expect(() => dueCharges({ ...lease, dueDay: 29 }, { upTo: '2025-02-01', after: null })).toThrow(AssertionFailed);
    expect(() => dueCharges({ ...lease, fees: [] }, { upTo: '2025-02-01', after: null })).toThrow(AssertionFailed);
    expect(() => dueCharges({ ...lease, fees: [fee('2025-01-17', 1n)] }, { upTo: '2025-02-01', after: null })).toThrow(
      AssertionFailed,
    );
    expect(() => feeOn([fee('2025-02-01', 1n)], '2025-01-01')).toThrow(AssertionFailed);
  });
});

/** A random lease: start in 2023-2025, maybe an end, up to 4 fee versions after the start. */
const leases = fc
  .record({
    start: fc.integer({ min: dayNumber('2023-01-01'), max: dayNumber('2025-12-31') }),
    length: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
    dueDay: fc.integer({ min: 1, max: 28 }),
    fees: fc.array(
      fc.record({
        offset: fc.integer({ min: 1, max: 900 }),
        fee: fc.bigInt({ min: 0n, max: 10_000_000n }),
        share: fc.integer({ min: 0, max: 10_000 }),
      }),
      { maxLength: 4 },
    ),
    first: fc.bigInt({ min: 0n, max: 10_000_000n }),
  })
  .map(({ start, length, dueDay, fees, first }): LeaseTerms => {
    const startsOn = dateOf(start);
    const offsets = [...new Set(fees.map((version) => version.offset))].sort((a, b) => a - b);
    return {
      startsOn,
      lastDay: length === null ? null : addDays(startsOn, length),
      dueDay,
      fees: [
        fee(startsOn, first),
        ...offsets.map((offset) => {
          const version = fees.find((candidate) => candidate.offset === offset);
          return fee(addDays(startsOn, offset), version?.fee ?? 0n, version?.share ?? 0);
        }),
      ],
    };
  });

const END = '2028-12-31';

describe('charge schedule: properties', () => {
  it('runs that resume after the last charged period list exactly the charges of one run to the end', () => {
    fc.assert(
      fc.property(
        leases,
        fc.array(fc.integer({ min: 0, max: dayNumber(END) - dayNumber('2023-01-01') }), { maxLength: 12 }),
        (terms, runs) => {
          const days = [...runs.map((offset) => addDays('2023-01-01', offset)).sort(), END];
          const charged: string[] = [];
          for (const upTo of days) {
            const last = charged.at(-1) ?? null;
            for (const charge of dueCharges(terms, { upTo, after: last })) charged.push(charge.period);
          }
          const once = dueCharges(terms, { upTo: END, after: null }).map((charge) => charge.period);
          expect(charged).toEqual(once);
          expect(new Set(charged).size).toBe(charged.length);
        },
      ),
    );
  });

  it('charges every month the lease runs, consecutively, each due in its period and within the lease', () => {
    fc.assert(
      fc.property(leases, (terms) => {
        const charges = dueCharges(terms, { upTo: END, after: null });
        const last = terms.lastDay ?? END;
        let period = periodOf(terms.startsOn);
        for (const charge of charges) {
          expect(charge.period).toBe(period);
          expect(periodOf(charge.dueOn)).toBe(period);
          expect(charge.dueOn >= terms.startsOn && charge.dueOn <= last).toBe(true);
          expect(charge.daysCharged).toBeGreaterThanOrEqual(1);
          expect(charge.daysCharged).toBeLessThanOrEqual(charge.daysInPeriod);
          period = nextPeriod(period);
        }
        if (terms.lastDay !== null && terms.lastDay <= '2028-11-30') {
          expect(charges.at(-1)?.period).toBe(periodOf(terms.lastDay));
        }
      }),
    );
  });

  it('charges each period the exact sum of daily fees over its days, rounded once (a half up)', () => {
    fc.assert(
      fc.property(leases, (terms) => {
        for (const charge of dueCharges(terms, { upTo: END, after: null, limit: 40 })) {
          const [year, month] = charge.period.split('-').map(Number) as [number, number];
          const length = daysInMonth(year, month);
          let numerator = 0n;
          for (let day = 1; day <= length; day += 1) {
            const date = `${charge.period}-${String(day).padStart(2, '0')}`;
            if (date < terms.startsOn || (terms.lastDay !== null && date > terms.lastDay)) continue;
            numerator += feeOn(terms.fees, date).feeMinor;
          }
          const denominator = BigInt(length);
          const floor = numerator / denominator;
          const expected = (numerator % denominator) * 2n >= denominator ? floor + 1n : floor;
          expect(charge.amountMinor).toBe(expected);
          expect(charge.reserveSharePoints).toBe(feeOn(terms.fees, charge.dueOn).reserveSharePoints);
        }
      }),
    );
  });

  it('a whole month under one fee is exactly that fee', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 1, max: 28 }), (feeMinor, dueDay) => {
        const terms: LeaseTerms = {
          startsOn: '2024-01-01',
          lastDay: null,
          dueDay,
          fees: [fee('2024-01-01', feeMinor)],
        };
        for (const charge of dueCharges(terms, { upTo: '2024-12-31', after: null })) {
          expect(charge.amountMinor).toBe(feeMinor);
        }
      }),
    );
  });
});
