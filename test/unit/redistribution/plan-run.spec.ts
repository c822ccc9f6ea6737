/**
 * Goal: a run's plan is exact (each leg's destinations receive exactly what its sources give), bounded (no
 * source below its floor, zero for a fund, or past its credit limit; no destination past its cap or upper
 * limit), explainable (a line per account with its reason), and independent of the order of the accounts.
 * Method: worked examples for each measure, each split, caps with re-splitting, waterfall and need; demurrage
 * over several periods against an exact rational computation; fast-check properties over random accounts:
 * conservation, bounds, order independence, balanced transactions of at most 64 entries.
 */
import fc from 'fast-check';
import { multiply, rational, subtract, ONE, type Rational } from '../../../src/kernel/money/rational.js';
import {
  demurrageFee,
  packTransfers,
  planRun,
  type AccountFacts,
  type DestinationFacts,
  type SourceFacts,
} from '../../../src/redistribution/rules/plan-run.js';
import {
  parsePolicyDocument,
  type Destination,
  type Leg,
  type PolicyDocument,
  type Source,
} from '../../../src/redistribution/rules/policy-document.js';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

function account(n: number, balance: bigint, more: Partial<AccountFacts> = {}): AccountFacts {
  return {
    id: id(n),
    holderId: id(1000 + n),
    status: 'ACTIVE',
    creditLimit: 0n,
    upperLimit: null,
    balance,
    debitsPending: 0n,
    creditsPending: 0n,
    ...more,
  };
}

const source = (more: Partial<Source> = {}): Source => ({
  select: { accountId: id(0) },
  measure: 'BALANCE_ABOVE_FLOOR',
  floor: 0n,
  share: ONE,
  rate: rational(0n),
  threshold: 0n,
  amount: 0n,
  ...more,
});

const destination = (more: Partial<Destination> = {}): Destination => ({
  select: { accountId: id(0) },
  weight: 1n,
  cap: null,
  rank: 0,
  needFloor: 0n,
  ...more,
});

function policy(
  leg: Partial<Leg>,
  apportionment: PolicyDocument['apportionment'] = 'LARGEST_REMAINDER',
): PolicyDocument {
  return {
    name: 'test',
    unitCode: 'EUR',
    apportionment,
    cadence: null,
    legs: [
      {
        name: 'leg',
        split: 'EQUAL',
        weightBy: 'FIXED',
        hoursUnitCode: null,
        sources: [source()],
        destinations: [destination()],
        ...leg,
      },
    ],
  };
}

const src = (acc: AccountFacts, s: Partial<Source> = {}, netInflow = 0n): SourceFacts => ({
  account: acc,
  source: source(s),
  netInflow,
});
const dst = (acc: AccountFacts, d: Partial<Destination> = {}, derivedWeight = 0n): DestinationFacts => ({
  account: acc,
  destination: destination(d),
  derivedWeight,
});

function amountsOf(plan: ReturnType<typeof planRun>, role: 'SOURCE' | 'DESTINATION') {
  return plan.lines.filter((line) => line.role === role).map((line) => line.amount);
}

describe('measures', () => {
  it('BALANCE_ABOVE_FLOOR takes a share of what stands above the floor, rounded down', () => {
    const plan = planRun(policy({}), [
      {
        sources: [src(account(1, 10_000n), { floor: 3_001n, share: rational(3n, 10n) })],
        destinations: [dst(account(2, 0n))],
      },
    ]);
    expect(amountsOf(plan, 'SOURCE')).toEqual([2_099n]);
    expect(plan.lines[0]?.explanation).toContain('rounded down');
  });

  it('SHARE_OF_NET_INFLOW takes a share of the period’s net credits, nothing when it is negative', () => {
    const plan = planRun(policy({}), [
      {
        sources: [
          src(account(1, 10_000n), { measure: 'SHARE_OF_NET_INFLOW', share: rational(1n, 4n) }, 999n),
          src(account(2, 10_000n), { measure: 'SHARE_OF_NET_INFLOW', share: rational(1n, 4n) }, -500n),
        ],
        destinations: [dst(account(3, 0n))],
      },
    ]);
    expect(amountsOf(plan, 'SOURCE')).toEqual([249n, 0n]);
  });

  it('FIXED takes its amount up to what is available, never below zero or past the credit limit', () => {
    const plan = planRun(policy({}), [
      {
        sources: [
          src(account(1, 300n), { measure: 'FIXED', amount: 500n }),
          src(account(2, 100n, { creditLimit: 1_000n }), { measure: 'FIXED', amount: 500n }),
          src(account(3, 800n, { debitsPending: 500n }), { measure: 'FIXED', amount: 500n }),
        ],
        destinations: [dst(account(4, 0n))],
      },
    ]);
    expect(amountsOf(plan, 'SOURCE')).toEqual([300n, 100n, 300n]);
    expect(plan.lines[0]?.explanation).toContain('bounded to 300');
  });

  it('a frozen source gives nothing and a frozen destination receives nothing', () => {
    const plan = planRun(policy({}), [
      {
        sources: [src(account(1, 300n, { status: 'FROZEN' })), src(account(2, 100n))],
        destinations: [dst(account(3, 0n, { status: 'FROZEN' })), dst(account(4, 0n))],
      },
    ]);
    expect(amountsOf(plan, 'SOURCE')).toEqual([0n, 100n]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([0n, 100n]);
  });

  it('demurrage compounds per period and stays within a minor unit per period of the exact value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 24 }),
        (balance, threshold, perMille, periods) => {
          const rate = rational(BigInt(perMille), 1000n);
          let held = balance;
          let exact: Rational = rational(balance > threshold ? balance - threshold : 0n);
          for (let period = 0; period < periods; period += 1) {
            held -= demurrageFee(held, threshold, rate);
            exact = multiply(exact, subtract(ONE, rate));
          }
          const excess = held > threshold ? held - threshold : 0n;
          // Rounded down each period in the holder's favour: never below the exact value, less than one unit
          // more per period.
          const exactFloor = exact.numerator / exact.denominator;
          if (balance > threshold) {
            expect(excess).toBeGreaterThanOrEqual(exactFloor);
            expect(excess - exactFloor).toBeLessThanOrEqual(BigInt(periods));
          } else expect(held).toBe(balance);
        },
      ),
    );
  });
});

describe('splits', () => {
  it('PROPORTIONAL by fixed weights, with largest remainder', () => {
    const plan = planRun(policy({ split: 'PROPORTIONAL' }), [
      {
        sources: [src(account(1, 100n))],
        destinations: [dst(account(2, 0n), { weight: 1n }), dst(account(3, 0n), { weight: 2n })],
      },
    ]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([33n, 67n]);
    expect(plan.lines[2]?.explanation).toContain('200/3');
  });

  it('HOURS_GIVEN and MEMBERS weigh by the derived weight', () => {
    const plan = planRun(policy({ split: 'PROPORTIONAL', weightBy: 'HOURS_GIVEN', hoursUnitCode: 'HRS' }), [
      {
        sources: [src(account(1, 1_000n))],
        destinations: [dst(account(2, 0n), {}, 60n), dst(account(3, 0n), {}, 180n), dst(account(4, 0n), {}, 0n)],
      },
    ]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([250n, 750n, 0n]);
  });

  it('caps and upper limits take what fits, the rest re-split among the others', () => {
    const plan = planRun(policy({}), [
      {
        sources: [src(account(1, 900n))],
        destinations: [
          dst(account(2, 0n), { cap: 100n }),
          dst(account(3, 950n, { upperLimit: 1_000n })),
          dst(account(4, 0n)),
        ],
      },
    ]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([100n, 50n, 750n]);
    expect(plan.lines[1]?.explanation).toContain('re-split');
  });

  it('what no destination can take stays with the sources, reduced in proportion', () => {
    const plan = planRun(policy({}), [
      { sources: [src(account(1, 300n)), src(account(2, 100n))], destinations: [dst(account(3, 0n), { cap: 101n })] },
    ]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([101n]);
    expect(amountsOf(plan, 'SOURCE')).toEqual([76n, 25n]);
    expect(plan.legs[0]?.explanation).toContain('stayed with the sources');
  });

  it('WATERFALL fills by rank up to caps, then passes the rest on', () => {
    const plan = planRun(policy({ split: 'WATERFALL' }), [
      {
        sources: [src(account(1, 1_000n))],
        destinations: [
          dst(account(2, 0n), { rank: 2 }),
          dst(account(3, 0n), { rank: 1, cap: 400n }),
          dst(account(4, 0n), { rank: 0, cap: 100n }),
        ],
      },
    ]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([500n, 400n, 100n]);
  });

  it('NEED weighs by the shortfall below the floor and never fills past it', () => {
    const plan = planRun(policy({ split: 'PROPORTIONAL', weightBy: 'NEED' }), [
      {
        sources: [src(account(1, 1_000n))],
        destinations: [
          dst(account(2, 900n), { needFloor: 1_000n }),
          dst(account(3, 0n), { needFloor: 300n }),
          dst(account(4, 5_000n), { needFloor: 1_000n }),
        ],
      },
    ]);
    expect(amountsOf(plan, 'DESTINATION')).toEqual([100n, 300n, 0n]);
    expect(amountsOf(plan, 'SOURCE')).toEqual([400n]);
  });

  it('a later leg sees what an earlier one took (30% to one, 70% to others, of the same surplus)', () => {
    const leg = (share: Rational, to: number): Leg => ({
      name: '',
      split: 'EQUAL',
      weightBy: 'FIXED',
      hoursUnitCode: null,
      sources: [source({ share })],
      destinations: [destination({ select: { accountId: id(to) } })],
    });
    const doc: PolicyDocument = { ...policy({}), legs: [leg(rational(3n, 10n), 2), leg(rational(7n, 10n), 3)] };
    const co = account(1, 1_001n);
    const plan = planRun(doc, [
      { sources: [src(co, { share: rational(3n, 10n) })], destinations: [dst(account(2, 0n))] },
      { sources: [src(co, { share: rational(7n, 10n) })], destinations: [dst(account(3, 0n))] },
    ]);
    expect(plan.total).toBe(1_000n);
    expect(plan.transfers).toHaveLength(2);
  });
});

describe('transfers', () => {
  it('pack flows into balanced transactions of at most 64 entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 1_000n }), { minLength: 1, maxLength: 150 }),
        fc.array(fc.bigInt({ min: 1n, max: 1_000n }), { minLength: 1, maxLength: 150 }),
        (ins, outs) => {
          const totalIn = ins.reduce((a, b) => a + b, 0n);
          const totalOut = outs.reduce((a, b) => a + b, 0n);
          // Make them equal by topping up the smaller side's last item.
          const sources = ins.map((amount, index) => ({ id: id(index), amount }));
          const destinations = outs.map((amount, index) => ({ id: id(10_000 + index), amount }));
          if (totalIn < totalOut) sources.push({ id: id(9_999), amount: totalOut - totalIn });
          if (totalOut < totalIn) destinations.push({ id: id(19_999), amount: totalIn - totalOut });
          const transfers = packTransfers(0, sources, destinations);
          const given = new Map<string, bigint>();
          for (const transfer of transfers) {
            expect(transfer.entries.length).toBeLessThanOrEqual(64);
            let balance = 0n;
            for (const entry of transfer.entries) {
              expect(entry.amount).toBeGreaterThan(0n);
              balance += entry.side === 'DEBIT' ? entry.amount : -entry.amount;
              given.set(entry.accountId, (given.get(entry.accountId) ?? 0n) + entry.amount);
            }
            expect(balance).toBe(0n);
          }
          for (const item of [...sources, ...destinations]) expect(given.get(item.id)).toBe(item.amount);
        },
      ),
    );
  });
});

describe('planRun: properties', () => {
  const accountArb = fc.record({
    balance: fc.bigInt({ min: -1_000n, max: 100_000n }),
    creditLimit: fc.bigInt({ min: 0n, max: 1_000n }),
    upperLimit: fc.option(fc.bigInt({ min: 100_000n, max: 120_000n }), { nil: null }),
    cap: fc.option(fc.bigInt({ min: 0n, max: 5_000n }), { nil: null }),
    weight: fc.bigInt({ min: 0n, max: 50n }),
    floor: fc.bigInt({ min: 0n, max: 2_000n }),
  });
  const caseArb = fc.record({
    sources: fc.array(accountArb, { minLength: 1, maxLength: 8 }),
    destinations: fc.array(accountArb, { minLength: 1, maxLength: 8 }),
    split: fc.constantFrom('PROPORTIONAL' as const, 'EQUAL' as const, 'WATERFALL' as const),
    method: fc.constantFrom('LARGEST_REMAINDER' as const, 'DHONDT' as const, 'SAINTE_LAGUE' as const),
  });

  it('conserves value, respects every bound, and does not depend on the order of the accounts', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sources = c.sources.map((s, index) =>
          src(account(index, s.balance < -s.creditLimit ? -s.creditLimit : s.balance, { creditLimit: s.creditLimit }), {
            floor: s.floor,
          }),
        );
        const destinations = c.destinations.map((d, index) =>
          dst(account(100 + index, 0n, { upperLimit: d.upperLimit }), {
            cap: d.cap,
            weight: d.weight,
            rank: index % 3,
          }),
        );
        const doc = policy({ split: c.split }, c.method);
        const plan = planRun(doc, [{ sources, destinations }]);
        const given = amountsOf(plan, 'SOURCE').reduce((a, b) => a + b, 0n);
        const received = amountsOf(plan, 'DESTINATION').reduce((a, b) => a + b, 0n);
        expect(given).toBe(received);
        expect(plan.total).toBe(given);
        for (const line of plan.lines) expect(line.amount).toBeGreaterThanOrEqual(0n);
        for (const s of sources) {
          const line = plan.lines.find((l) => l.role === 'SOURCE' && l.accountId === s.account.id)!;
          const bottom = s.source.floor > -s.account.creditLimit ? s.source.floor : -s.account.creditLimit;
          if (line.amount > 0n) expect(s.account.balance - line.amount).toBeGreaterThanOrEqual(bottom);
        }
        for (const d of destinations) {
          const line = plan.lines.find((l) => l.role === 'DESTINATION' && l.accountId === d.account.id)!;
          if (d.destination.cap !== null) expect(line.amount).toBeLessThanOrEqual(d.destination.cap);
          if (d.account.upperLimit !== null) expect(line.amount).toBeLessThanOrEqual(d.account.upperLimit);
        }
        const again = planRun(doc, [{ sources: [...sources].reverse(), destinations: [...destinations].reverse() }]);
        expect(again).toEqual(plan);
      }),
    );
  });
});

describe('parsePolicyDocument', () => {
  const valid = {
    name: 'Surplus',
    unitCode: 'EUR',
    legs: [
      {
        split: 'EQUAL',
        sources: [{ accountId: id(1), measure: 'FIXED', amount: '100' }],
        destinations: [{ accountId: id(2) }],
      },
    ],
  };

  it('accepts a well-formed document and spells out its defaults', () => {
    const parsed = parsePolicyDocument(valid);
    expect(parsed.ok && parsed.policy.apportionment).toBe('LARGEST_REMAINDER');
  });

  it.each([
    ['no legs', { ...valid, legs: [] }],
    [
      'a share above 1',
      {
        ...valid,
        legs: [{ ...valid.legs[0], sources: [{ accountId: id(1), measure: 'SHARE_OF_NET_INFLOW', share: '3/2' }] }],
      },
    ],
    [
      'an amount as a number',
      { ...valid, legs: [{ ...valid.legs[0], sources: [{ accountId: id(1), measure: 'FIXED', amount: 100 }] }] },
    ],
    [
      'a negative amount',
      { ...valid, legs: [{ ...valid.legs[0], sources: [{ accountId: id(1), measure: 'FIXED', amount: '-1' }] }] },
    ],
    [
      'an unknown measure',
      { ...valid, legs: [{ ...valid.legs[0], sources: [{ accountId: id(1), measure: 'TITHE' }] }] },
    ],
    [
      'both an account and a set',
      {
        ...valid,
        legs: [
          {
            ...valid.legs[0],
            destinations: [{ accountId: id(2), accountSet: { organizationId: id(3), kind: 'MEMBER' } }],
          },
        ],
      },
    ],
    ['an unknown method', { ...valid, apportionment: 'COIN_TOSS' }],
    ['not an object', 'policy'],
  ])('refuses %s', (_, document) => {
    const parsed = parsePolicyDocument(document);
    expect(parsed.ok).toBe(false);
  });
});
