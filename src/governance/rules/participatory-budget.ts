/**
 * Rule: a budget vote allocates a budget among proposals with costs, from approval ballots (each voter
 * approves any of the proposals), in exact arithmetic: integers and fractions, never floats.
 *
 * GREEDY: proposals in order of approvals (the number of voters approving), most first; each is funded if
 * it fits in what is left, and skipped if it no longer does (a later, cheaper one may still fit).
 *
 * EQUAL_SHARES: the Method of Equal Shares (Peters & Skowron; equalshares.net), as equalshares.net
 * specifies it for approval ballots, with its recommended completion:
 *   1. The budget is divided equally among the voters: each holds a share of budget/n.
 *   2. A proposal is affordable when its supporters' remaining shares together cover its cost. Its cost is
 *      then split as equally as possible among them: each pays min(their remaining share, ρ), with ρ the
 *      least amount that covers the cost (those with less than ρ pay everything they have left).
 *   3. Repeatedly, the affordable proposal with the highest effective vote count, cost/ρ, is funded and its
 *      supporters pay. (With cost/ρ rather than ρ alone a proposal is judged by what its supporters pay per
 *      unit of what it costs, so an expensive proposal with broad support is not beaten by a cheap one with
 *      a handful; this is equalshares.net's rule, used in Wieliczka, Aarau and Świecie, and what its
 *      published tool computes.) It stops when nothing left is affordable.
 *   4. Completion ("add one"): the method at the true shares typically spends 60–70% of the budget, so the
 *      shares are raised by one minor unit per voter at a time (budget/n + 1, + 2, …) and the method run
 *      again, as long as the outcome stays within the budget. It stops at the first raise whose outcome
 *      would cost more than the budget (the previous outcome is kept), or when the outcome is exhaustive
 *      (no unfunded proposal with support fits in what is left). Payments are those of the kept raise; a
 *      voter never pays more than the raised share, and the funded proposals never cost more than the
 *      budget.
 *
 * Tie-breaks (equalshares.net's recommendation, with the proposal id instead of a lot so that a recount
 * always gives the same answer): equal effective vote counts go to the lower cost, then to more approvals,
 * then to the smaller id (compared by UTF-16 code units). GREEDY: more approvals, then lower cost, then
 * smaller id. The outcome lists the decisions a tie-break made (`ties`). Nothing depends on the order of
 * proposals or ballots in the input.
 *
 * Finding the completion fast. Running the method once per minor unit is too slow at scale (10,000 voters
 * and shares of a few hundred units make thousands of runs), so the search skips ranges of raises whose
 * outcome provably cannot differ, and is exact. For a fixed sequence of funded proposals every remaining
 * share is non-decreasing in the raise t, so each proposal's ρ is non-increasing and its effective vote
 * count non-decreasing, and its supporters' money non-decreasing. Given the runs at t0 and t1 > t0 with the
 * same funded sequence, if in every round the winner's effective vote count at t0 beats every other
 * candidate's at t1 (or an upper bound of it; ties decided by the tie-break in the winner's favour), and
 * whatever is unaffordable at t1 is unaffordable at t0 too, then at every t between them each round has
 * the same winner: the outcome is the same on all of [t0, t1], and those raises need not be run. The search
 * doubles its step while such certificates hold and halves it when one fails, so it runs the method about
 * twice per change of outcome instead of once per minor unit. As a limit on everything, it runs at most
 * MAX_COMPLETION_RUNS times; past that it keeps the last outcome found within the budget and says so
 * (`completion.stoppedBecause = 'RUN_LIMIT'`), deterministically, so a recount still agrees.
 *
 * Arithmetic: each run keeps every share as an integer numerator over one common denominator, scaled up
 * when a payment needs it, so comparisons are integer comparisons and no gcd runs in the inner loops; the
 * sums are asserted exact (each funded proposal's payments add up to its cost). Reported payments are
 * Rationals.
 *
 * SQL twins: the governance migration's budget tables: CHECK (cost > 0) on proposals, CHECK (budget > 0),
 * UNIQUE (vote, voter) on ballots; the stored outcome's funded proposals are paid from the fund in one
 * ledger write, whose total the ledger itself bounds by the fund's balance.
 */
import { assert } from '../../kernel/assert.js';
import { rational, type Rational } from '../../kernel/money/rational.js';

export interface BudgetProposal {
  readonly id: string;
  readonly cost: bigint;
}

export interface BudgetBallot {
  readonly voter: string;
  readonly approved: readonly string[];
}

export type UnfundedReason =
  /** Nobody approved it. */
  | 'NO_SUPPORT'
  /** It costs more than the whole budget. */
  | 'COSTS_MORE_THAN_BUDGET'
  /** GREEDY: when its turn came, it no longer fitted in what was left. */
  | 'NOT_ENOUGH_LEFT'
  /** EQUAL_SHARES: its supporters' remaining shares could not cover its cost. */
  | 'SHARES_RAN_OUT';

export interface BudgetTie {
  /** The proposal the tie-break funded. */
  readonly chosen: string;
  /** The proposals tied with it at that moment (see the rule file for what "tied" means per method). */
  readonly over: readonly string[];
}

export interface BudgetOutcome {
  readonly method: 'GREEDY' | 'EQUAL_SHARES';
  readonly budget: bigint;
  /** In the order they were funded. */
  readonly funded: readonly string[];
  /** ≤ budget, always. */
  readonly spent: bigint;
  /** What each voter's share paid towards each funded proposal (EQUAL_SHARES; voters who paid nothing are left out); greedy: empty. */
  readonly payments: ReadonlyMap<string, ReadonlyMap<string, Rational>>;
  /** In the order of proposal ids. */
  readonly unfunded: readonly { readonly id: string; readonly reason: UnfundedReason }[];
  /** Each proposal → the number of voters approving it, in the order of proposal ids. */
  readonly approvals: ReadonlyMap<string, number>;
  /** Decisions a tie-break made. */
  readonly ties: readonly BudgetTie[];
  /** EQUAL_SHARES: each voter's share in the kept run (budget/n raised by the completion); greedy: null. */
  readonly voterShare: Rational | null;
  /** EQUAL_SHARES: how the completion ended; greedy: null. */
  readonly completion: {
    /** Minor units added to every voter's share. */
    readonly raisedBy: bigint;
    readonly stoppedBecause: 'EXHAUSTIVE' | 'NEXT_OVER_BUDGET' | 'RUN_LIMIT';
    /** Runs of the method it took (a cost, not part of the result's meaning). */
    readonly runs: number;
  } | null;
}

/** The most proposals one budget vote may have. */
export const MAX_BUDGET_PROPOSALS = 200;
/** The most ballots one budget vote may count. */
export const MAX_BUDGET_BALLOTS = 100_000;
/** The most runs of the method the completion may take (see the rule file). */
export const MAX_COMPLETION_RUNS = 2_000;

/**
 * Refusal reason for a budget vote's set-up, or null: BUDGET_NOT_POSITIVE, TOO_MANY_PROPOSALS,
 * DUPLICATE_PROPOSAL, COST_NOT_POSITIVE.
 */
export function checkBudgetVote(budget: bigint, proposals: readonly BudgetProposal[]): string | null {
  if (budget <= 0n) return 'BUDGET_NOT_POSITIVE';
  if (proposals.length > MAX_BUDGET_PROPOSALS) return 'TOO_MANY_PROPOSALS';
  if (new Set(proposals.map((p) => p.id)).size !== proposals.length) return 'DUPLICATE_PROPOSAL';
  if (proposals.some((p) => p.cost <= 0n)) return 'COST_NOT_POSITIVE';
  return null;
}

/** Refusal reason for a budget ballot, or null: UNKNOWN_PROPOSAL, PROPOSAL_APPROVED_TWICE. */
export function checkBudgetBallot(proposals: readonly BudgetProposal[], approved: readonly string[]): string | null {
  const known = new Set(proposals.map((p) => p.id));
  const seen = new Set<string>();
  for (const id of approved) {
    if (!known.has(id)) return 'UNKNOWN_PROPOSAL';
    if (seen.has(id)) return 'PROPOSAL_APPROVED_TWICE';
    seen.add(id);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Input, in canonical order (proposals and voters by id), so nothing depends on the order given.

interface Election {
  readonly budget: bigint;
  /** Proposal ids, sorted; proposals are indices into this. */
  readonly ids: readonly string[];
  readonly costs: readonly bigint[];
  /** Voter indices approving each proposal, ascending. */
  readonly supporters: readonly Int32Array[];
  /** Voter ids, sorted. */
  readonly voters: readonly string[];
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function prepare(budget: bigint, proposals: readonly BudgetProposal[], ballots: readonly BudgetBallot[]): Election {
  assert(checkBudgetVote(budget, proposals) === null, 'the budget vote is malformed');
  assert(ballots.length <= MAX_BUDGET_BALLOTS, 'too many ballots for one budget vote');
  const ordered = [...proposals].sort((a, b) => byCodeUnits(a.id, b.id));
  const indexOf = new Map(ordered.map((p, i) => [p.id, i]));
  const sortedBallots = [...ballots].sort((a, b) => byCodeUnits(a.voter, b.voter));
  const lists: number[][] = ordered.map(() => []);
  sortedBallots.forEach((ballot, voter) => {
    assert(voter === 0 || sortedBallots[voter - 1]?.voter !== ballot.voter, `${ballot.voter} cast two ballots`);
    assert(checkBudgetBallot(proposals, ballot.approved) === null, 'an invalid budget ballot was counted');
    for (const id of ballot.approved) lists[indexOf.get(id) as number]?.push(voter);
  });
  return {
    budget,
    ids: ordered.map((p) => p.id),
    costs: ordered.map((p) => p.cost),
    supporters: lists.map((list) => Int32Array.from(list.sort((a, b) => a - b))),
    voters: sortedBallots.map((b) => b.voter),
  };
}

function approvalsOf(election: Election): Map<string, number> {
  return new Map(election.ids.map((id, p) => [id, election.supporters[p]?.length ?? 0]));
}

function basicReason(election: Election, p: number): UnfundedReason | null {
  if ((election.supporters[p] as Int32Array).length === 0) return 'NO_SUPPORT';
  if ((election.costs[p] as bigint) > election.budget) return 'COSTS_MORE_THAN_BUDGET';
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// GREEDY

export function greedyBudget(
  budget: bigint,
  proposals: readonly BudgetProposal[],
  ballots: readonly BudgetBallot[],
): BudgetOutcome {
  const election = prepare(budget, proposals, ballots);
  const count = (p: number): number => (election.supporters[p] as Int32Array).length;
  const cost = (p: number): bigint => election.costs[p] as bigint;
  const order = election.ids
    .map((_, p) => p)
    .sort((a, b) => count(b) - count(a) || (cost(a) < cost(b) ? -1 : cost(a) > cost(b) ? 1 : 0) || a - b);

  let left = budget;
  const funded: number[] = [];
  const reasons = new Map<number, UnfundedReason>();
  // For ties: what was left just before each proposal was funded.
  const leftBefore = new Map<number, bigint>();
  for (const p of order) {
    const basic = basicReason(election, p);
    if (basic !== null) reasons.set(p, basic);
    else if (cost(p) <= left) {
      leftBefore.set(p, left);
      funded.push(p);
      left -= cost(p);
    } else reasons.set(p, 'NOT_ENOUGH_LEFT');
  }

  // A tie-break decided something when a proposal with as many approvals fitted before one was funded ahead
  // of it, and then did not fit any more.
  const ties: BudgetTie[] = [];
  for (const p of funded) {
    const over = order.filter(
      (q) =>
        reasons.get(q) === 'NOT_ENOUGH_LEFT' &&
        count(q) === count(p) &&
        order.indexOf(q) > order.indexOf(p) &&
        cost(q) <= (leftBefore.get(p) as bigint),
    );
    if (over.length > 0)
      ties.push({ chosen: election.ids[p] as string, over: over.map((q) => election.ids[q] as string) });
  }

  const spent = budget - left;
  assert(spent <= budget, 'greedy spent more than the budget');
  return {
    method: 'GREEDY',
    budget,
    funded: funded.map((p) => election.ids[p] as string),
    spent,
    payments: new Map(),
    unfunded: [...reasons]
      .sort((a, b) => a[0] - b[0])
      .map(([p, reason]) => ({ id: election.ids[p] as string, reason })),
    approvals: approvalsOf(election),
    ties,
    voterShare: null,
    completion: null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// EQUAL_SHARES: one run of the method at a given raise, in integers over a common denominator.

/** An effective vote count as an exact fraction num/den (den > 0). */
interface Count {
  readonly num: bigint;
  readonly den: bigint;
}

function countCompare(a: Count, b: Count): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

interface Round {
  readonly winner: number;
  /** The winner's effective vote count in this round. */
  readonly count: Count;
  /** Proposals whose effective vote count equalled the winner's, lost by the tie-break. */
  readonly tiedWith: readonly number[];
}

interface Run {
  readonly raise: bigint;
  readonly rounds: readonly Round[];
  readonly cost: bigint;
  /** Whether the outcome is provably the same at every raise from the baseline's to this one. */
  readonly certified: boolean;
  /** voter index → (proposal index → payment), when asked for. */
  readonly payments: Map<number, Map<number, Rational>> | null;
}

interface Evaluation {
  /** The effective vote count cost/ρ, or null when the supporters cannot afford it. */
  readonly count: Count | null;
  /** ρ = payAll / (payers · denominator): the numerator of what the rest must cover, and how many pay ρ. */
  readonly rest: bigint;
  readonly payers: number;
}

class EqualSharesRun {
  /** Each voter's remaining share, as a numerator over `denominator`. */
  private readonly shares: bigint[];
  private denominator: bigint;

  constructor(
    private readonly election: Election,
    private readonly tieRank: Int32Array,
    readonly raise: bigint,
  ) {
    const n = BigInt(election.voters.length);
    // Share = budget/n + raise = (budget + raise·n)/n.
    this.denominator = n;
    this.shares = new Array<bigint>(election.voters.length).fill(election.budget + raise * n);
  }

  /** Whether a wins over b: a higher count, or an equal one and a better tie-break rank. */
  private beats(a: number, countA: Count, b: number, countB: Count): boolean {
    const order = countCompare(countA, countB);
    return order > 0 || (order === 0 && (this.tieRank[a] as number) < (this.tieRank[b] as number));
  }

  private evaluate(p: number): Evaluation {
    const supporters = this.election.supporters[p] as Int32Array;
    const costOverDenominator = (this.election.costs[p] as bigint) * this.denominator;
    let money = 0n;
    for (let i = 0; i < supporters.length; i += 1) money += this.shares[supporters[i] as number] as bigint;
    if (money < costOverDenominator) return { count: null, rest: 0n, payers: 0 };
    // Find ρ: those who hold less than an equal split of what remains pay all they hold; repeat until the
    // rest can all pay the same. A share s is below rest/payers exactly when s < ceil(rest/payers).
    let rich = Array.from(supporters, (voter) => this.shares[voter] as bigint);
    let rest = costOverDenominator;
    for (;;) {
      const payers = BigInt(rich.length);
      assert(payers > 0n && rest > 0n, 'an affordable proposal has someone paying a positive amount');
      const threshold = (rest + payers - 1n) / payers;
      const stillRich = rich.filter((share) => share >= threshold);
      if (stillRich.length === rich.length) break;
      for (const share of rich) if (share < threshold) rest -= share;
      rich = stillRich;
    }
    const payers = rich.length;
    // count = cost/ρ = cost · payers · denominator / rest.
    const count = { num: (this.election.costs[p] as bigint) * BigInt(payers) * this.denominator, den: rest };
    return { count, rest, payers };
  }

  /**
   * Runs the method. With a baseline (the run at a smaller raise), also decides whether the outcome is
   * provably the same at every raise between the two (see the rule file).
   */
  decide(baseline: Run | null, withPayments: boolean): Run {
    const { election } = this;
    const size = election.ids.length;
    const remaining = new Set<number>();
    // An upper bound of each remaining proposal's effective vote count (counts only fall, round by round):
    // at first every supporter paying the same, cost/(cost/|S|) = |S|.
    const bound = new Array<Count>(size);
    for (let p = 0; p < size; p += 1) {
      const supporters = (election.supporters[p] as Int32Array).length;
      if (supporters > 0) {
        remaining.add(p);
        bound[p] = { num: BigInt(supporters), den: 1n };
      }
    }
    const rounds: Round[] = [];
    const payments = withPayments ? new Map<number, Map<number, Rational>>() : null;
    let certified = baseline !== null;
    let cost = 0n;

    for (;;) {
      const order = [...remaining].sort(
        (a, b) =>
          countCompare(bound[b] as Count, bound[a] as Count) ||
          (this.tieRank[a] as number) - (this.tieRank[b] as number),
      );
      let best = -1;
      let bestEvaluation: Evaluation | null = null;
      const exact = new Map<number, Count>();
      for (const p of order) {
        if (best >= 0 && !this.beats(p, bound[p] as Count, best, bestEvaluation?.count as Count)) break;
        const evaluation = this.evaluate(p);
        if (evaluation.count === null) {
          remaining.delete(p);
          continue;
        }
        bound[p] = evaluation.count;
        exact.set(p, evaluation.count);
        if (best < 0 || this.beats(p, evaluation.count, best, bestEvaluation?.count as Count)) {
          best = p;
          bestEvaluation = evaluation;
        }
      }
      if (best < 0 || bestEvaluation === null || bestEvaluation.count === null) break;
      const winnerCount = bestEvaluation.count;

      if (certified && baseline !== null) {
        certified = this.certifyRound(baseline.rounds[rounds.length], best, remaining, bound, exact);
      }
      if (withPayments) {
        // The reported run also names every proposal that tied with the winner, pruned ones included.
        for (const p of [...remaining]) {
          if (p === best || exact.has(p) || countCompare(bound[p] as Count, winnerCount) !== 0) continue;
          const evaluation = this.evaluate(p);
          if (evaluation.count === null) remaining.delete(p);
          else exact.set(p, (bound[p] = evaluation.count));
        }
      }
      const tiedWith = [...exact].filter(([p, c]) => p !== best && countCompare(c, winnerCount) === 0).map(([p]) => p);
      rounds.push({ winner: best, count: winnerCount, tiedWith });
      remaining.delete(best);
      cost += election.costs[best] as bigint;
      this.charge(best, bestEvaluation, payments);
    }
    if (certified && baseline !== null && baseline.rounds.length !== rounds.length) certified = false;
    return { raise: this.raise, rounds, cost, certified, payments };
  }

  /**
   * Round `rounds.length` of a run at a larger raise than the baseline's: holds when the baseline funded the
   * same winner and its count then beats every remaining candidate's count now (exact, or its upper bound;
   * candidates whose bound is not enough are evaluated now).
   */
  private certifyRound(
    base: Round | undefined,
    winner: number,
    remaining: Set<number>,
    bound: Count[],
    exact: Map<number, Count>,
  ): boolean {
    if (base === undefined || base.winner !== winner) return false;
    for (const p of [...remaining]) {
      if (p === winner) continue;
      if (this.beats(winner, base.count, p, bound[p] as Count)) continue;
      if (exact.has(p)) return false;
      const evaluation = this.evaluate(p);
      if (evaluation.count === null) {
        remaining.delete(p);
        continue;
      }
      bound[p] = evaluation.count;
      exact.set(p, evaluation.count);
      if (!this.beats(winner, base.count, p, evaluation.count)) return false;
    }
    return true;
  }

  /** The winner's supporters pay: ρ each, or all they hold when that is less. */
  private charge(winner: number, evaluation: Evaluation, payments: Map<number, Map<number, Rational>> | null): void {
    const supporters = this.election.supporters[winner] as Int32Array;
    const payers = BigInt(evaluation.payers);
    // ρ = rest / (payers · denominator). Scale the common denominator by payers/g so that ρ is a whole
    // numerator over it, g being what rest and payers share.
    const common = smallGcd(payers, evaluation.rest % payers);
    const scale = payers / common;
    const rho = evaluation.rest / common;
    if (scale !== 1n) {
      for (let voter = 0; voter < this.shares.length; voter += 1) {
        const share = this.shares[voter] as bigint;
        if (share !== 0n) this.shares[voter] = share * scale;
      }
      this.denominator *= scale;
    }
    const rhoValue = payments === null ? null : rational(rho, this.denominator);
    let paid = 0n;
    let payingRho = 0;
    for (let i = 0; i < supporters.length; i += 1) {
      const voter = supporters[i] as number;
      const share = this.shares[voter] as bigint;
      const pays = share < rho ? share : rho;
      if (pays === rho) payingRho += 1;
      paid += pays;
      this.shares[voter] = share - pays;
      if (payments !== null && pays > 0n) {
        const mine = payments.get(voter) ?? new Map<number, Rational>();
        mine.set(winner, pays === rho ? (rhoValue as Rational) : rational(pays, this.denominator));
        payments.set(voter, mine);
      }
    }
    assert(payingRho === evaluation.payers, 'the voters paying ρ are those the evaluation found');
    assert(paid === (this.election.costs[winner] as bigint) * this.denominator, 'payments cover the cost exactly');
  }
}

function smallGcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) {
    const rest = x % y;
    x = y;
    y = rest;
  }
  return x;
}

/** Tie-break ranks for equal effective vote counts: lower cost, then more approvals, then smaller id. */
function tieRanks(election: Election): Int32Array {
  const cost = (p: number): bigint => election.costs[p] as bigint;
  const count = (p: number): number => (election.supporters[p] as Int32Array).length;
  const order = election.ids
    .map((_, p) => p)
    .sort((a, b) => (cost(a) < cost(b) ? -1 : cost(a) > cost(b) ? 1 : 0) || count(b) - count(a) || a - b);
  const ranks = new Int32Array(order.length);
  order.forEach((p, rank) => (ranks[p] = rank));
  return ranks;
}

function isExhaustive(election: Election, run: Run): boolean {
  const funded = new Set(run.rounds.map((round) => round.winner));
  const left = election.budget - run.cost;
  return election.ids.every(
    (_, p) =>
      funded.has(p) || (election.supporters[p] as Int32Array).length === 0 || (election.costs[p] as bigint) > left,
  );
}

export function equalShares(
  budget: bigint,
  proposals: readonly BudgetProposal[],
  ballots: readonly BudgetBallot[],
): BudgetOutcome {
  const election = prepare(budget, proposals, ballots);
  const ranks = tieRanks(election);
  const n = BigInt(election.voters.length);
  const runAt = (raise: bigint, baseline: Run | null, withPayments = false): Run =>
    new EqualSharesRun(election, ranks, raise).decide(baseline, withPayments);

  // The completion: the first raise t whose outcome is exhaustive, or whose next raise's outcome would cost
  // more than the budget. Ranges of raises certified to give the same outcome are skipped.
  let current = runAt(0n, null);
  assert(current.cost <= budget, 'the method at the true shares never spends more than the budget');
  let runs = 1;
  let step = 1n;
  let stoppedBecause: NonNullable<BudgetOutcome['completion']>['stoppedBecause'];
  for (;;) {
    if (n === 0n || isExhaustive(election, current)) {
      stoppedBecause = 'EXHAUSTIVE';
      break;
    }
    if (runs >= MAX_COMPLETION_RUNS) {
      stoppedBecause = 'RUN_LIMIT';
      break;
    }
    const probe = runAt(current.raise + step, current);
    runs += 1;
    if (probe.certified) {
      current = probe;
      step *= 2n;
    } else if (step > 1n) {
      step /= 2n;
    } else if (probe.cost > budget) {
      stoppedBecause = 'NEXT_OVER_BUDGET';
      break;
    } else {
      current = probe;
    }
  }

  const kept = runAt(current.raise, null, true);
  assert(kept.cost <= budget, 'equal shares spent more than the budget');
  const share = n === 0n ? null : rational(budget + current.raise * n, n);
  const funded = kept.rounds.map((round) => round.winner);
  const fundedSet = new Set(funded);
  const payments = new Map<string, Map<string, Rational>>();
  for (const [voter, paid] of [...(kept.payments ?? new Map<number, Map<number, Rational>>())].sort(
    (a, b) => a[0] - b[0],
  )) {
    payments.set(
      election.voters[voter] as string,
      new Map([...paid].map(([p, amount]) => [election.ids[p] as string, amount])),
    );
  }
  return {
    method: 'EQUAL_SHARES',
    budget,
    funded: funded.map((p) => election.ids[p] as string),
    spent: kept.cost,
    payments,
    unfunded: election.ids
      .map((id, p) => ({ id, p }))
      .filter(({ p }) => !fundedSet.has(p))
      .map(({ id, p }) => ({ id, reason: basicReason(election, p) ?? 'SHARES_RAN_OUT' })),
    approvals: approvalsOf(election),
    ties: kept.rounds
      .filter((round) => round.tiedWith.length > 0)
      .map((round) => ({
        chosen: election.ids[round.winner] as string,
        over: round.tiedWith.map((p) => election.ids[p] as string).sort(byCodeUnits),
      })),
    voterShare: share,
    completion: { raisedBy: current.raise, stoppedBecause, runs },
  };
}
