/**
 * Goal: the weekly stipend is computed as the rules say: the full rate from the full week of picketing,
 * pro rata (rounded down) between the minimum and the full week, nothing under the minimum, the supplement
 * per dependant only with a stipend, the cap over the whole strike; and a batch the fund cannot cover is
 * shared pro rata exactly to the minor unit, or paid to nobody. Method: a hand-computed table of weeks, then
 * fast-check properties: bounds, monotonicity in hours, conservation of the pro-rata split (the parts sum to
 * what the fund holds, none above what is due, within one unit of the exact share), order independence, and
 * the negative space of ill-formed rules.
 */
import fc from 'fast-check';
import {
  apportion,
  checkStipendRules,
  computeStipend,
  computeStipendBatch,
  type StipendRules,
  type StrikerWeek,
} from '../../../src/strike-funds/rules/stipends.js';

const RULES: StipendRules = {
  weeklyRate: 30000n,
  fullMinutes: 1200,
  minimumMinutes: 600,
  dependantSupplement: 2500n,
  capPerStriker: 100000n,
  shortfall: 'PRO_RATA',
};

function week(minutes: number, dependants = 0, paidSoFar = 0n, personId = 'p'): StrikerWeek {
  return { personId, accountId: `${personId}-account`, minutes, dependants, paidSoFar };
}

describe('computeStipend', () => {
  // [minutes, dependants, paid so far, base, supplement, due]
  const table: [number, number, bigint, bigint, bigint, bigint][] = [
    [1200, 0, 0n, 30000n, 0n, 30000n], // the full week
    [1500, 0, 0n, 30000n, 0n, 30000n], // more than a full week: still the rate
    [900, 0, 0n, 22500n, 0n, 22500n], // 15 of 20 hours
    [600, 0, 0n, 15000n, 0n, 15000n], // exactly the minimum
    [599, 0, 0n, 0n, 0n, 0n], // just under the minimum
    [0, 3, 0n, 0n, 0n, 0n], // no picketing: no supplement either
    [1200, 2, 0n, 30000n, 5000n, 35000n], // dependants
    [700, 1, 0n, 17500n, 2500n, 20000n],
    [1001, 0, 0n, 25025n, 0n, 25025n], // 30000 × 1001 / 1200 = 25025
    [1199, 0, 0n, 29975n, 0n, 29975n], // 35975000 / 1200 = 29975.83… rounded down
    [1200, 2, 70000n, 30000n, 5000n, 30000n], // the cap leaves 30000
    [1200, 0, 100000n, 30000n, 0n, 0n], // the cap is reached
  ];

  it.each(table)(
    '%i minutes, %i dependants, %p paid: base %p, supplement %p, due %p',
    (m, d, paid, base, supplement, due) => {
      const line = computeStipend(RULES, week(m, d, paid));
      expect({ base: line.base, supplement: line.supplement, due: line.due }).toEqual({ base, supplement, due });
      expect(line.amount).toBe(due);
      expect(line.explanation.length).toBeGreaterThan(0);
    },
  );

  it('pays nothing under a minimum of zero only when no minute was picketed', () => {
    const rules = { ...RULES, minimumMinutes: 0 };
    expect(computeStipend(rules, week(0)).due).toBe(0n);
    expect(computeStipend(rules, week(1)).due).toBe(25n);
  });

  const rulesArb = fc
    .record({
      weeklyRate: fc.bigInt({ min: 1n, max: 10_000_000n }),
      fullMinutes: fc.integer({ min: 1, max: 10080 }),
      minimumFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      dependantSupplement: fc.bigInt({ min: 0n, max: 100_000n }),
      capPerStriker: fc.option(fc.bigInt({ min: 1n, max: 100_000_000n }), { nil: null }),
      shortfall: fc.constantFrom('PRO_RATA' as const, 'PAY_NONE' as const),
    })
    .map(({ minimumFraction, ...rules }) => ({
      ...rules,
      minimumMinutes: Math.floor(minimumFraction * rules.fullMinutes),
    }));

  it('stays between zero and the rate plus supplements, and within the cap', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fc.integer({ min: 0, max: 10080 }),
        fc.integer({ min: 0, max: 20 }),
        fc.bigInt({ min: 0n, max: 200_000_000n }),
        (rules, minutes, dependants, paid) => {
          const line = computeStipend(rules, week(minutes, dependants, paid));
          expect(line.base >= 0n && line.base <= rules.weeklyRate).toBe(true);
          expect(line.due >= 0n && line.due <= line.base + line.supplement).toBe(true);
          if (rules.capPerStriker !== null)
            expect(line.due + paid <= rules.capPerStriker || line.due === 0n).toBe(true);
          if (minutes < rules.minimumMinutes || minutes === 0) expect(line.due).toBe(0n);
        },
      ),
    );
  });

  it('never pays less for more hours', () => {
    fc.assert(
      fc.property(rulesArb, fc.integer({ min: 0, max: 10080 }), fc.integer({ min: 0, max: 10080 }), (rules, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(computeStipend(rules, week(low)).due <= computeStipend(rules, week(high)).due).toBe(true);
      }),
    );
  });

  it('refuses ill-formed rules', () => {
    expect(checkStipendRules(RULES)).toBeNull();
    expect(checkStipendRules({ ...RULES, weeklyRate: 0n })).toMatch(/rate/);
    expect(checkStipendRules({ ...RULES, fullMinutes: 0 })).toMatch(/full week/);
    expect(checkStipendRules({ ...RULES, minimumMinutes: 1201 })).toMatch(/minimum/);
    expect(checkStipendRules({ ...RULES, minimumMinutes: -1 })).toMatch(/minimum/);
    expect(checkStipendRules({ ...RULES, dependantSupplement: -1n })).toMatch(/supplement/);
    expect(checkStipendRules({ ...RULES, capPerStriker: 0n })).toMatch(/cap/);
    expect(checkStipendRules({ ...RULES, fullMinutes: 1.5 })).toMatch(/full week/);
  });
});

describe('computeStipendBatch', () => {
  const weeks = [week(1200, 2, 0n, 'a'), week(900, 0, 0n, 'b'), week(300, 0, 0n, 'c')];

  it('pays everything due when the fund covers it', () => {
    const plan = computeStipendBatch(RULES, weeks, 1_000_000n);
    expect(plan).toMatchObject({ requestedTotal: 57500n, total: 57500n, shortfall: null });
  });

  it('shares pro rata to the cent when the fund falls short (worked example)', () => {
    // Due: a 35000, b 22500 (57500). Fund: 10001. Exact shares 6087.65… and 3913.34…: floors 6087 + 3913 = 10000,
    // the one unit left goes to the larger remainder (a: 0.65 > b: 0.34).
    const plan = computeStipendBatch(RULES, weeks, 10001n);
    expect(plan.shortfall).toBe('PRO_RATA');
    expect(plan.lines.map((line) => [line.personId, line.amount])).toEqual([
      ['a', 6088n],
      ['b', 3913n],
      ['c', 0n],
    ]);
  });

  it('pays nobody when the rules say so', () => {
    const plan = computeStipendBatch({ ...RULES, shortfall: 'PAY_NONE' }, weeks, 57499n);
    expect(plan.total).toBe(0n);
    expect(plan.lines.every((line) => line.amount === 0n && line.explanation.includes('pay none'))).toBe(true);
  });

  const weeksArb = fc.uniqueArray(
    fc.record({
      personId: fc.uuid(),
      minutes: fc.integer({ min: 0, max: 3000 }),
      dependants: fc.integer({ min: 0, max: 5 }),
      paidSoFar: fc.bigInt({ min: 0n, max: 150_000n }),
    }),
    { selector: (row) => row.personId, maxLength: 40 },
  );

  it('splits exactly what the fund holds, none above its due, each within one unit of its exact share', () => {
    fc.assert(
      fc.property(weeksArb, fc.bigInt({ min: -1000n, max: 2_000_000n }), (rows, available) => {
        const plan = computeStipendBatch(
          RULES,
          rows.map((row) => ({ ...row, accountId: row.personId })),
          available,
        );
        const total = plan.lines.reduce((sum, line) => sum + line.amount, 0n);
        expect(total).toBe(plan.total);
        const room = available > 0n ? available : 0n;
        expect(plan.total).toBe(plan.requestedTotal <= room ? plan.requestedTotal : room);
        for (const line of plan.lines) {
          expect(line.amount >= 0n && line.amount <= line.due).toBe(true);
          if (plan.shortfall === 'PRO_RATA' && plan.requestedTotal > 0n) {
            const exactTimesTotal = line.due * room;
            const scaled = line.amount * plan.requestedTotal;
            expect(scaled - exactTimesTotal < plan.requestedTotal).toBe(true);
            expect(exactTimesTotal - scaled < plan.requestedTotal).toBe(true);
          }
        }
      }),
    );
  });

  it('does not depend on the order of the strikers', () => {
    fc.assert(
      fc.property(weeksArb, fc.bigInt({ min: 0n, max: 500_000n }), (rows, available) => {
        const forward = computeStipendBatch(
          RULES,
          rows.map((row) => ({ ...row, accountId: row.personId })),
          available,
        );
        const backward = computeStipendBatch(
          RULES,
          [...rows].reverse().map((row) => ({ ...row, accountId: row.personId })),
          available,
        );
        expect(backward.lines).toEqual(forward.lines);
      }),
    );
  });
});

describe('apportion', () => {
  it('gives the remainder to the largest remainders, ties by key', () => {
    expect([
      ...apportion(
        [
          { key: 'b', weight: 1n },
          { key: 'a', weight: 1n },
        ],
        1n,
      ),
    ]).toEqual([
      ['b', 0n],
      ['a', 1n],
    ]);
    expect(apportion([{ key: 'a', weight: 0n }], 5n).get('a')).toBe(0n);
  });

  it('conserves the total', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            key: fc.string({ minLength: 1, maxLength: 4 }),
            weight: fc.bigInt({ min: 0n, max: 10n ** 12n }),
          }),
          {
            selector: (part) => part.key,
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (parts, total) => {
          const sum = parts.reduce((acc, part) => acc + part.weight, 0n);
          fc.pre(sum > 0n && total <= sum);
          const shares = apportion(parts, total);
          expect([...shares.values()].reduce((acc, share) => acc + share, 0n)).toBe(total);
        },
      ),
    );
  });
});
