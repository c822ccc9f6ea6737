/**
 * Goal: budget votes allocate exactly and reproducibly: greedy by approvals, and the Method of Equal Shares
 * as equalshares.net specifies it, with the add-one completion, whose fast search must give the very
 * outcome that trying every raise would give. Method: hand-computed instances (equalshares.net's two
 * explanation examples, one where Equal Shares and greedy part ways, completions that end exhaustive and
 * over budget, each unfunded reason), the refusals, then fast-check properties against an independent,
 * deliberately naive reference (every raise run in turn, Rational arithmetic, sorting per proposal):
 * identical outcomes and payments, never over budget, every funded cost paid exactly by its supporters,
 * no voter paying more than the share, determinism and independence from input order. Last, 10,000
 * voters over 100 proposals, checked for the same invariants (its time shows in the test report).
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  ZERO,
  add,
  compare,
  divide,
  min,
  rational,
  subtract,
  sum,
  type Rational,
} from '../../../src/kernel/money/rational.js';
import {
  checkBudgetBallot,
  checkBudgetVote,
  equalShares,
  equalSharesAtRaise,
  greedyBudget,
  type BudgetBallot,
  type BudgetOutcome,
  type BudgetProposal,
} from '../../../src/governance/rules/participatory-budget.js';
import { shuffled } from './shuffled.js';

const r = (n: bigint, d: bigint = 1n): Rational => rational(n, d);

/** Ballots from a table: each proposal → the voters approving it. */
function ballotsFrom(table: Record<string, readonly string[]>, voters: readonly string[]): BudgetBallot[] {
  return voters.map((voter) => ({
    voter,
    approved: Object.keys(table).filter((id) => table[id]?.includes(voter)),
  }));
}

const VOTERS_11 = ['v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v07', 'v08', 'v09', 'v10', 'v11'];
const PARK_PROPOSALS: BudgetProposal[] = [
  { id: 'bike', cost: 700n },
  { id: 'gym', cost: 400n },
  { id: 'park', cost: 250n },
  { id: 'playground', cost: 200n },
  { id: 'library', cost: 100n },
];

/** equalshares.net, "Explanation", example 1: 11 voters, budget 1100. */
const EXAMPLE_1 = ballotsFrom(
  {
    bike: ['v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v11'],
    gym: ['v01', 'v02', 'v03', 'v04', 'v05', 'v06'],
    park: ['v02', 'v04', 'v05', 'v07', 'v10'],
    playground: ['v07', 'v08', 'v09', 'v10'],
    library: ['v07', 'v09', 'v10'],
  },
  VOTERS_11,
);

/** Example 2: the right-most voter votes for the gym instead of the bike path. */
const EXAMPLE_2 = ballotsFrom(
  {
    bike: ['v01', 'v02', 'v03', 'v04', 'v05', 'v06'],
    gym: ['v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v11'],
    park: ['v02', 'v04', 'v05', 'v07', 'v10'],
    playground: ['v07', 'v08', 'v09', 'v10'],
    library: ['v07', 'v09', 'v10'],
  },
  VOTERS_11,
);

function paymentsTo(outcome: BudgetOutcome, proposal: string): Map<string, Rational> {
  const result = new Map<string, Rational>();
  for (const [voter, paid] of outcome.payments) {
    const amount = paid.get(proposal);
    if (amount !== undefined) result.set(voter, amount);
  }
  return result;
}

describe('budget votes: equalshares.net examples', () => {
  it('example 1: Equal Shares funds the bike path, the playground and the library; greedy the two sports projects', () => {
    const mes = equalShares(1100n, PARK_PROPOSALS, EXAMPLE_1);
    expect(mes.funded).toEqual(['bike', 'playground', 'library']);
    expect(mes.spent).toBe(1000n);
    expect(mes.completion).toEqual({ raisedBy: 0n, stoppedBecause: 'EXHAUSTIVE', runs: 1 });
    expect(mes.voterShare).toEqual(r(100n));
    expect(paymentsTo(mes, 'bike')).toEqual(
      new Map(['v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v11'].map((v) => [v, r(100n)])),
    );
    expect(paymentsTo(mes, 'playground')).toEqual(new Map(['v07', 'v08', 'v09', 'v10'].map((v) => [v, r(50n)])));
    expect(paymentsTo(mes, 'library')).toEqual(new Map(['v07', 'v09', 'v10'].map((v) => [v, r(100n, 3n)])));
    expect(mes.unfunded).toEqual([
      { id: 'gym', reason: 'SHARES_RAN_OUT' },
      { id: 'park', reason: 'SHARES_RAN_OUT' },
    ]);

    const greedy = greedyBudget(1100n, PARK_PROPOSALS, EXAMPLE_1);
    expect(greedy.funded).toEqual(['bike', 'gym']);
    expect(greedy.spent).toBe(1100n);
    expect(greedy.payments.size).toBe(0);
    expect(greedy.unfunded).toEqual([
      { id: 'library', reason: 'NOT_ENOUGH_LEFT' },
      { id: 'park', reason: 'NOT_ENOUGH_LEFT' },
      { id: 'playground', reason: 'NOT_ENOUGH_LEFT' },
    ]);
  });

  it('example 2 at the true shares: gym, then the park (effective vote count 70/17), then the playground (56/17)', () => {
    const outcome = equalSharesAtRaise(1100n, PARK_PROPOSALS, EXAMPLE_2, 0n);
    // The park wins round 2 over the playground although one of its supporters pays more (425/7 > 50):
    // it is judged by cost/ρ (250 / (425/7) = 70/17 > 200/50 = 4), as equalshares.net does.
    expect(outcome.funded).toEqual(['gym', 'park', 'playground']);
    expect(outcome.spent).toBe(850n);
    expect(outcome.completion).toBeNull();
    const gymPayers = ['v01', 'v02', 'v03', 'v04', 'v05', 'v06', 'v11'];
    expect(paymentsTo(outcome, 'gym')).toEqual(new Map(gymPayers.map((v) => [v, r(400n, 7n)])));
    expect(paymentsTo(outcome, 'park')).toEqual(
      new Map([
        ['v02', r(300n, 7n)],
        ['v04', r(300n, 7n)],
        ['v05', r(300n, 7n)],
        ['v07', r(425n, 7n)],
        ['v10', r(425n, 7n)],
      ]),
    );
    expect(paymentsTo(outcome, 'playground')).toEqual(
      new Map([
        ['v07', r(275n, 7n)],
        ['v08', r(425n, 7n)],
        ['v09', r(425n, 7n)],
        ['v10', r(275n, 7n)],
      ]),
    );
  });

  it('example 2 with the completion is what trying every raise gives', () => {
    expect(comparable(equalShares(1100n, PARK_PROPOSALS, EXAMPLE_2))).toEqual(
      comparable(referenceEqualShares(1100n, PARK_PROPOSALS, EXAMPLE_2)),
    );
  });
});

describe('budget votes: hand-computed instances', () => {
  // 10 voters, budget 90: six approve A, B and C, four approve D, E and F; every proposal costs 30.
  const reds = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
  const blues = ['b1', 'b2', 'b3', 'b4'];
  const proposals = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => ({ id, cost: 30n }));
  const ballots = [
    ...reds.map((voter) => ({ voter, approved: ['A', 'B', 'C'] })),
    ...blues.map((voter) => ({ voter, approved: ['D', 'E', 'F'] })),
  ];

  it('a 60/40 assembly: greedy gives the majority everything, Equal Shares gives the minority its share', () => {
    const greedy = greedyBudget(90n, proposals, ballots);
    expect(greedy.funded).toEqual(['A', 'B', 'C']);
    const mes = equalShares(90n, proposals, ballots);
    expect(mes.funded).toEqual(['A', 'B', 'D']);
    expect(mes.spent).toBe(90n);
    for (const voter of reds) {
      expect(mes.payments.get(voter)).toEqual(
        new Map([
          ['A', r(5n)],
          ['B', r(5n)],
        ]),
      );
    }
    for (const voter of blues) expect(mes.payments.get(voter)).toEqual(new Map([['D', r(15n, 2n)]]));
    // Equal effective vote counts, decided by the tie-break (same cost, same approvals: the smaller id).
    expect(mes.ties).toEqual([
      { chosen: 'A', over: ['B', 'C'] },
      { chosen: 'B', over: ['C'] },
      { chosen: 'D', over: ['E', 'F'] },
    ]);
    expect(mes.unfunded.map((x) => x.reason)).toEqual(['SHARES_RAN_OUT', 'SHARES_RAN_OUT', 'SHARES_RAN_OUT']);
  });

  it('the completion raises every share until the outcome is exhaustive (here by 15 units)', () => {
    // Budget 100, 4 voters (25 each). Y (60) is paid by b, c, d at 20 each; X (40) needs a's share to
    // reach 40, at a raise of 15, and then everything fits: exhaustive.
    const outcome = equalShares(
      100n,
      [
        { id: 'X', cost: 40n },
        { id: 'Y', cost: 60n },
      ],
      [
        { voter: 'a', approved: ['X'] },
        { voter: 'b', approved: ['Y'] },
        { voter: 'c', approved: ['Y'] },
        { voter: 'd', approved: ['Y'] },
      ],
    );
    expect(outcome.funded).toEqual(['Y', 'X']);
    expect(outcome.spent).toBe(100n);
    expect(outcome.voterShare).toEqual(r(40n));
    expect(outcome.completion).toMatchObject({ raisedBy: 15n, stoppedBecause: 'EXHAUSTIVE' });
    // Not one run per unit: the search skips raises certified to give the same outcome.
    expect(outcome.completion?.runs).toBeLessThan(16);
    expect(outcome.payments.get('a')).toEqual(new Map([['X', r(40n)]]));
    expect(outcome.payments.get('b')).toEqual(new Map([['Y', r(20n)]]));
  });

  it('the completion stops at the first raise whose outcome would cost more than the budget', () => {
    // Two voters, 50 each; P and Q cost 60 each. At a raise of 10 both become affordable at once and cost
    // 120 > 100, so the completion keeps the outcome at a raise of 9: nothing. (This is the add-one rule as
    // published; greedy would fund one of them.)
    const proposals2 = [
      { id: 'P', cost: 60n },
      { id: 'Q', cost: 60n },
    ];
    const ballots2 = [
      { voter: 'p', approved: ['P'] },
      { voter: 'q', approved: ['Q'] },
    ];
    const outcome = equalShares(100n, proposals2, ballots2);
    expect(outcome.funded).toEqual([]);
    expect(outcome.completion).toMatchObject({ raisedBy: 9n, stoppedBecause: 'NEXT_OVER_BUDGET' });
    expect(outcome.voterShare).toEqual(r(59n));
    expect(greedyBudget(100n, proposals2, ballots2).funded).toEqual(['P']);
  });

  it('each unfunded proposal says why: no support, costs more than the budget, not enough left, shares ran out', () => {
    const proposals3 = [
      { id: 'nobody', cost: 10n },
      { id: 'palace', cost: 1_000n },
      { id: 'roof', cost: 80n },
      { id: 'bench', cost: 30n },
    ];
    const ballots3 = [
      { voter: 'a', approved: ['palace', 'roof', 'bench'] },
      { voter: 'b', approved: ['roof'] },
      { voter: 'c', approved: ['bench'] },
      { voter: 'd', approved: ['roof'] },
    ];
    const greedy = greedyBudget(100n, proposals3, ballots3);
    expect(greedy.funded).toEqual(['roof']);
    expect(greedy.unfunded).toEqual([
      { id: 'bench', reason: 'NOT_ENOUGH_LEFT' },
      { id: 'nobody', reason: 'NO_SUPPORT' },
      { id: 'palace', reason: 'COSTS_MORE_THAN_BUDGET' },
    ]);
    expect(greedy.approvals).toEqual(
      new Map([
        ['bench', 2],
        ['nobody', 0],
        ['palace', 1],
        ['roof', 3],
      ]),
    );
    const mes = equalShares(100n, proposals3, ballots3);
    expect(mes.unfunded.find((x) => x.id === 'nobody')?.reason).toBe('NO_SUPPORT');
    expect(mes.unfunded.find((x) => x.id === 'palace')?.reason).toBe('COSTS_MORE_THAN_BUDGET');
    expect(comparable(mes)).toEqual(comparable(referenceEqualShares(100n, proposals3, ballots3)));
  });

  it('greedy reports a tie-break that decided something, and skips what no longer fits for what still does', () => {
    const outcome = greedyBudget(
      100n,
      [
        { id: 'k', cost: 70n },
        { id: 'm', cost: 70n },
        { id: 'z', cost: 20n },
      ],
      [
        { voter: 'a', approved: ['k', 'm'] },
        { voter: 'b', approved: ['k', 'm', 'z'] },
      ],
    );
    expect(outcome.funded).toEqual(['k', 'z']);
    expect(outcome.ties).toEqual([{ chosen: 'k', over: ['m'] }]);
  });

  it('no ballots at all: nothing is funded, everything lacks support', () => {
    const outcome = equalShares(100n, [{ id: 'x', cost: 10n }], []);
    expect(outcome).toMatchObject({ funded: [], spent: 0n, voterShare: null });
    expect(outcome.unfunded).toEqual([{ id: 'x', reason: 'NO_SUPPORT' }]);
  });
});

describe('budget votes: refusals', () => {
  it('checkBudgetVote and checkBudgetBallot', () => {
    const proposals = [
      { id: 'a', cost: 10n },
      { id: 'b', cost: 5n },
    ];
    expect(checkBudgetVote(100n, proposals)).toBeNull();
    expect(checkBudgetVote(0n, proposals)).toBe('BUDGET_NOT_POSITIVE');
    expect(checkBudgetVote(100n, [...proposals, { id: 'a', cost: 1n }])).toBe('DUPLICATE_PROPOSAL');
    expect(checkBudgetVote(100n, [{ id: 'a', cost: 0n }])).toBe('COST_NOT_POSITIVE');
    expect(
      checkBudgetVote(
        100n,
        Array.from({ length: 201 }, (_, i) => ({ id: `p${i}`, cost: 1n })),
      ),
    ).toBe('TOO_MANY_PROPOSALS');
    expect(checkBudgetBallot(proposals, ['a', 'b'])).toBeNull();
    expect(checkBudgetBallot(proposals, [])).toBeNull();
    expect(checkBudgetBallot(proposals, ['c'])).toBe('UNKNOWN_PROPOSAL');
    expect(checkBudgetBallot(proposals, ['a', 'a'])).toBe('PROPOSAL_APPROVED_TWICE');
  });

  it('a malformed vote, an unknown proposal or two ballots from one voter is a bug, not an outcome', () => {
    const proposals = [{ id: 'a', cost: 10n }];
    for (const allocate of [equalShares, greedyBudget]) {
      expect(() => allocate(0n, proposals, [])).toThrow(AssertionFailed);
      expect(() => allocate(10n, proposals, [{ voter: 'x', approved: ['zzz'] }])).toThrow(AssertionFailed);
      expect(() =>
        allocate(10n, proposals, [
          { voter: 'x', approved: ['a'] },
          { voter: 'x', approved: [] },
        ]),
      ).toThrow(AssertionFailed);
    }
    expect(() => equalSharesAtRaise(10n, proposals, [], -1n)).toThrow(AssertionFailed);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The reference: the method written as plainly as possible, every raise run in turn.

interface ReferenceRun {
  readonly funded: string[];
  cost: bigint;
  readonly payments: Map<string, Map<string, Rational>>;
}

function referenceRun(
  proposals: readonly BudgetProposal[],
  ballots: readonly BudgetBallot[],
  share: Rational,
): ReferenceRun {
  const left = new Map<string, Rational>(ballots.map((b) => [b.voter, share]));
  const supporters = (id: string): string[] => ballots.filter((b) => b.approved.includes(id)).map((b) => b.voter);
  const approvals = (id: string): number => supporters(id).length;
  const remaining = new Set(proposals.filter((p) => approvals(p.id) > 0).map((p) => p.id));
  const costOf = (id: string): bigint => proposals.find((p) => p.id === id)?.cost as bigint;
  const result: ReferenceRun = { funded: [], cost: 0n, payments: new Map() };
  for (;;) {
    let best: { id: string; rho: Rational; votes: Rational } | null = null;
    for (const id of remaining) {
      const cost = r(costOf(id));
      const mine = supporters(id).map((v) => left.get(v) as Rational);
      if (compare(sum(mine), cost) < 0) continue;
      let paid = ZERO;
      let payers = mine.length;
      let rho: Rational | null = null;
      for (const budget of [...mine].sort(compare)) {
        const equal = divide(subtract(cost, paid), r(BigInt(payers)));
        if (compare(budget, equal) < 0) {
          paid = add(paid, budget);
          payers -= 1;
        } else {
          rho = equal;
          break;
        }
      }
      const votes = divide(cost, rho as Rational);
      const better =
        best === null ||
        compare(votes, best.votes) > 0 ||
        (compare(votes, best.votes) === 0 &&
          (costOf(id) < costOf(best.id) ||
            (costOf(id) === costOf(best.id) &&
              (approvals(id) > approvals(best.id) || (approvals(id) === approvals(best.id) && id < best.id)))));
      if (better) best = { id, rho: rho as Rational, votes };
    }
    if (best === null) return result;
    for (const voter of supporters(best.id)) {
      const pays = min(left.get(voter) as Rational, best.rho);
      left.set(voter, subtract(left.get(voter) as Rational, pays));
      if (compare(pays, ZERO) > 0) {
        const mine = result.payments.get(voter) ?? new Map<string, Rational>();
        mine.set(best.id, pays);
        result.payments.set(voter, mine);
      }
    }
    result.funded.push(best.id);
    result.cost += costOf(best.id);
    remaining.delete(best.id);
  }
}

function referenceEqualShares(
  budget: bigint,
  proposals: readonly BudgetProposal[],
  ballots: readonly BudgetBallot[],
): ReferenceRun & { raisedBy: bigint; stoppedBecause: string } {
  const n = BigInt(ballots.length);
  if (n === 0n) return { funded: [], cost: 0n, payments: new Map(), raisedBy: 0n, stoppedBecause: 'EXHAUSTIVE' };
  const supported = (id: string): boolean => ballots.some((b) => b.approved.includes(id));
  let raise = 0n;
  let outcome = referenceRun(proposals, ballots, r(budget, n));
  for (;;) {
    const left = budget - outcome.cost;
    const exhaustive = proposals.every((p) => outcome.funded.includes(p.id) || !supported(p.id) || p.cost > left);
    if (exhaustive) return { ...outcome, raisedBy: raise, stoppedBecause: 'EXHAUSTIVE' };
    const next = referenceRun(proposals, ballots, add(r(budget, n), r(raise + 1n)));
    if (next.cost > budget) return { ...outcome, raisedBy: raise, stoppedBecause: 'NEXT_OVER_BUDGET' };
    raise += 1n;
    outcome = next;
  }
}

function comparable(outcome: BudgetOutcome | (ReferenceRun & { raisedBy: bigint; stoppedBecause: string })) {
  if ('method' in outcome) {
    return {
      funded: outcome.funded,
      cost: outcome.spent,
      payments: outcome.payments,
      raisedBy: outcome.completion?.raisedBy,
      stoppedBecause: outcome.completion?.stoppedBecause,
    };
  }
  const { funded, cost, payments, raisedBy, stoppedBecause } = outcome;
  return { funded, cost, payments, raisedBy, stoppedBecause };
}

// ---------------------------------------------------------------------------------------------------------
// Properties.

const instanceArb = fc
  .record({
    costs: fc.array(fc.bigInt({ min: 1n, max: 400n }), { minLength: 1, maxLength: 6 }),
    voters: fc.integer({ min: 1, max: 7 }),
    budget: fc.bigInt({ min: 1n, max: 900n }),
  })
  .chain(({ costs, voters, budget }) => {
    const ids = costs.map((_, i) => `p${i}`);
    return fc.record({
      budget: fc.constant(budget),
      proposals: fc.constant(costs.map((cost, i) => ({ id: ids[i] as string, cost }))),
      ballots: fc.tuple(
        ...Array.from({ length: voters }, (_, v) =>
          fc.subarray(ids).map((approved) => ({ voter: `voter-${v}`, approved })),
        ),
      ),
    });
  });

/** A sum of many fractions sharing few denominators: numerators are added per denominator first. */
function exactSum(values: Iterable<Rational>): Rational {
  const byDenominator = new Map<bigint, bigint>();
  for (const value of values) {
    byDenominator.set(value.denominator, (byDenominator.get(value.denominator) ?? 0n) + value.numerator);
  }
  return sum([...byDenominator].map(([denominator, numerator]) => r(numerator, denominator)));
}

/** Many voters casting a few distinct ballots: voters holding equal shares are counted together. */
const crowdArb = fc
  .record({
    costs: fc.array(fc.bigInt({ min: 1n, max: 2000n }), { minLength: 1, maxLength: 5 }),
    patterns: fc.integer({ min: 1, max: 4 }),
    voters: fc.integer({ min: 10, max: 40 }),
    budget: fc.bigInt({ min: 1n, max: 4000n }),
  })
  .chain(({ costs, patterns, voters, budget }) => {
    const ids = costs.map((_, i) => `p${i}`);
    return fc.record({
      budget: fc.constant(budget),
      proposals: fc.constant(costs.map((cost, i) => ({ id: ids[i] as string, cost }))),
      patterns: fc.array(fc.subarray(ids), { minLength: patterns, maxLength: patterns }),
      choices: fc.array(fc.nat(patterns - 1), { minLength: voters, maxLength: voters }),
    });
  })
  .map(({ budget, proposals, patterns, choices }) => ({
    budget,
    proposals,
    ballots: choices.map((choice, v) => ({ voter: `voter-${v}`, approved: patterns[choice] ?? [] })),
  }));

/** Every funded cost paid exactly, only by its supporters, and nobody paying more than the share. */
function expectExact(outcome: BudgetOutcome, ballots: readonly BudgetBallot[], proposals: readonly BudgetProposal[]) {
  expect(outcome.spent <= outcome.budget).toBe(true);
  expect(outcome.spent).toBe(
    outcome.funded.reduce((total, id) => total + (proposals.find((p) => p.id === id)?.cost as bigint), 0n),
  );
  for (const id of outcome.funded) {
    const cost = proposals.find((p) => p.id === id)?.cost as bigint;
    expect(exactSum(paymentsTo(outcome, id).values())).toEqual(r(cost));
  }
  const approvedBy = new Map(ballots.map((b) => [b.voter, b.approved]));
  for (const [voter, paid] of outcome.payments) {
    const approved = approvedBy.get(voter) ?? [];
    for (const [id, amount] of paid) {
      expect(approved.includes(id) && outcome.funded.includes(id)).toBe(true);
      expect(compare(amount, ZERO)).toBe(1);
    }
    expect(compare(sum(paid.values()), outcome.voterShare as Rational)).toBeLessThanOrEqual(0);
  }
}

describe('budget votes: properties', () => {
  it('Equal Shares with the completion gives exactly what the naive reference gives, raise after raise', () => {
    fc.assert(
      fc.property(instanceArb, ({ budget, proposals, ballots }) => {
        const outcome = equalShares(budget, proposals, ballots);
        expect(comparable(outcome)).toEqual(comparable(referenceEqualShares(budget, proposals, ballots)));
      }),
      { numRuns: 150 },
    );
  });

  it('so it does for crowds casting a few distinct ballots', () => {
    fc.assert(
      fc.property(crowdArb, ({ budget, proposals, ballots }) => {
        const outcome = equalShares(budget, proposals, ballots);
        expect(comparable(outcome)).toEqual(comparable(referenceEqualShares(budget, proposals, ballots)));
      }),
      { numRuns: 40 },
    );
  });

  it('at any raise, one run of the method gives what the reference gives', () => {
    fc.assert(
      fc.property(instanceArb, fc.bigInt({ min: 0n, max: 300n }), ({ budget, proposals, ballots }, raise) => {
        const outcome = equalSharesAtRaise(budget, proposals, ballots, raise);
        const reference = referenceRun(proposals, ballots, add(r(budget, BigInt(ballots.length)), r(raise)));
        expect({ funded: outcome.funded, cost: outcome.spent, payments: outcome.payments }).toEqual(reference);
      }),
    );
  });

  it('never over budget, exact to the unit fraction, funded only with support', () => {
    fc.assert(
      fc.property(instanceArb, ({ budget, proposals, ballots }) => {
        const mes = equalShares(budget, proposals, ballots);
        expectExact(mes, ballots, proposals);
        const greedy = greedyBudget(budget, proposals, ballots);
        expect(greedy.spent <= budget).toBe(true);
        for (const outcome of [mes, greedy]) {
          for (const id of outcome.funded) expect(outcome.approvals.get(id)).toBeGreaterThan(0);
          expect([...outcome.funded, ...outcome.unfunded.map((x) => x.id)].sort()).toEqual(
            proposals.map((p) => p.id).sort(),
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('greedy funds by approvals, and skips a proposal only when it no longer fits', () => {
    fc.assert(
      fc.property(instanceArb, ({ budget, proposals, ballots }) => {
        const outcome = greedyBudget(budget, proposals, ballots);
        const approvals = (id: string) => outcome.approvals.get(id) as number;
        for (let i = 1; i < outcome.funded.length; i += 1) {
          expect(approvals(outcome.funded[i - 1] as string)).toBeGreaterThanOrEqual(
            approvals(outcome.funded[i] as string),
          );
        }
        for (const { id, reason } of outcome.unfunded) {
          const cost = proposals.find((p) => p.id === id)?.cost as bigint;
          if (reason === 'NOT_ENOUGH_LEFT') {
            // It did not fit in what was left after everything funded with at least as many approvals.
            const before = outcome.funded.filter((f) => approvals(f) >= approvals(id));
            const spentBefore = before.reduce((s, f) => s + (proposals.find((p) => p.id === f)?.cost as bigint), 0n);
            expect(cost > budget - spentBefore).toBe(true);
          }
        }
      }),
    );
  });

  it('deterministic, and independent of the order of proposals and ballots', () => {
    fc.assert(
      fc.property(instanceArb, fc.integer(), ({ budget, proposals, ballots }, seed) => {
        const reordered = (list: readonly BudgetBallot[]) =>
          shuffled(list, seed + 2).map((b) => ({ ...b, approved: shuffled(b.approved, seed + 3) }));
        for (const allocate of [equalShares, greedyBudget]) {
          const outcome = allocate(budget, proposals, ballots);
          expect(allocate(budget, proposals, ballots)).toEqual(outcome);
          expect(allocate(budget, shuffled(proposals, seed), reordered(ballots))).toEqual(outcome);
        }
      }),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Scale.

/** A seeded assembly: popular proposals approved more often, each voter approving 1 to 10. */
function largeAssembly(voters: number, proposals: number, seed: number) {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const list = Array.from({ length: proposals }, (_, i) => ({
    id: `proposal-${String(i).padStart(3, '0')}`,
    cost: 50_000n + BigInt(Math.floor(random() * 450_000)),
  }));
  const popularity = list.map((_, i) => 1 / (1 + i * 0.1));
  const total = popularity.reduce((a, b) => a + b, 0);
  const ballots = Array.from({ length: voters }, (_, v) => {
    const approved = new Set<string>();
    const wanted = 1 + Math.floor(random() * 10);
    while (approved.size < wanted) {
      let pick = random() * total;
      let i = 0;
      while (i < proposals - 1 && pick > (popularity[i] as number)) pick -= popularity[i++] as number;
      approved.add(list[i]?.id as string);
    }
    return { voter: `voter-${String(v).padStart(5, '0')}`, approved: [...approved] };
  });
  return { proposals: list, ballots };
}

describe('budget votes at scale', () => {
  const { proposals, ballots } = largeAssembly(10_000, 100, 1);

  it('Equal Shares for 10,000 voters over 100 proposals (budget 30,000.00 in cents): exact and within budget', () => {
    const outcome = equalShares(3_000_000n, proposals, ballots);
    expectExact(outcome, ballots, proposals);
    expect(outcome.funded.length).toBeGreaterThan(0);
    expect(outcome.completion?.stoppedBecause).not.toBe('RUN_LIMIT');
  });

  it('greedy for the same vote', () => {
    const outcome = greedyBudget(3_000_000n, proposals, ballots);
    expect(outcome.spent <= 3_000_000n).toBe(true);
  });
});
