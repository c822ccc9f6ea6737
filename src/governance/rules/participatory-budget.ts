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
 * with shares of a few hundred units make hundreds of runs of a method that is itself ~10 ms), so the
 * search skips ranges of raises whose outcome provably cannot differ, and is exact: its answer is the one
 * running every raise would give (a property test checks it against exactly that). For a fixed sequence of
 * funded proposals every remaining share is non-decreasing in the raise t, so each proposal's ρ is
 * non-increasing, its effective vote count non-decreasing, and its supporters' money non-decreasing. Given
 * the runs at t0 < t1 with the same winners in the same order, if in every round the winner beats every
 * other remaining proposal at every t in [t0, t1], the outcome is the same on all of [t0, t1]; a run proves
 * it round by round with two certificates (EqualSharesRun.certifyRound): a sandwich of the counts at the
 * two ends, and, when counts are close, lines that bound the winner's ρ from above and the other's from
 * below (their shares' growth bounded through the voters who never paid all they held). Unaffordable at t1
 * means unaffordable before. The search steps 1, 2, 4, … from the last outcome (or straight to just before
 * a change its linear prediction expects), and narrows down to one unit once a step fails to certify. It
 * takes about four to five runs per change of outcome instead of one per minor unit. As a limit on
 * everything, it runs the method at most MAX_COMPLETION_RUNS times; past that it keeps the last outcome
 * certified within the budget and says so (`completion.stoppedBecause = 'RUN_LIMIT'`), deterministically,
 * so a recount still agrees.
 *
 * Arithmetic: each run keeps every share as an integer numerator over one common denominator, scaled up
 * when a payment needs it, so comparisons are integer comparisons and no gcd runs in the inner loops;
 * voters holding equal shares form a class, counted once (a 10,000-voter vote has a few hundred distinct
 * shares among a proposal's supporters). The sums are asserted exact (each funded proposal's payments add
 * up to its cost). Reported payments are Rationals.
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
  /** ≤ budget, always (equalSharesAtRaise alone, at a large raise, may show more). */
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
  /** EQUAL_SHARES: how the completion ended; greedy and equalSharesAtRaise: null. */
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
    const approved = new Set<number>();
    for (const id of ballot.approved) {
      const p = indexOf.get(id);
      assert(p !== undefined && !approved.has(p), 'an invalid budget ballot was counted');
      approved.add(p);
      lists[p]?.push(voter);
    }
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

/** A non-negative fraction num/den, den > 0: an effective vote count, or an amount ρ. */
interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * An effective vote count, with floor(count · 2^32) kept beside it: numerators and denominators grow to
 * hundreds of bits over a run, and most comparisons (sorting candidates every round) are settled by the
 * small keys; only equal keys need the exact cross-multiplication.
 */
interface Count extends Fraction {
  readonly key: bigint;
}

const KEY_BITS = 32n;
const KEY_ONE = 1n << KEY_BITS;

function count(num: bigint, den: bigint): Count {
  return { num, den, key: (num << KEY_BITS) / den };
}

function compareCounts(a: Count, b: Count): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : compareFractions(a, b);
}

/** How a cost splits among shares: those below `threshold` pay all they hold, `payers` others pay ρ each. */
interface Split {
  /** What the supporters paying ρ cover together: ρ = rest / payers (numerators over one denominator). */
  readonly rest: bigint;
  readonly payers: number;
  /** ceil(rest / payers): a share pays all it holds exactly when it is below this. */
  readonly threshold: bigint;
}

/**
 * Splits `need` among shares as equally as they allow, or null when together they hold less: `sizes[i]`
 * voters hold `values[i]` each. Those who hold less than an equal split of what remains pay all they hold;
 * repeat until the rest can all pay the same amount ρ. A share s is below rest/payers exactly when
 * s < ceil(rest/payers).
 */
function split(values: readonly bigint[], sizes: readonly number[], need: bigint): Split | null {
  let money = 0n;
  let lowest: bigint | null = null;
  let voters = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as bigint;
    const size = sizes[i] as number;
    money += size === 1 ? value : value * BigInt(size);
    voters += size;
    if (lowest === null || value < lowest) lowest = value;
  }
  if (lowest === null || money < need) return null;
  let rest = need;
  let payers = voters;
  let threshold = (rest + BigInt(payers) - 1n) / BigInt(payers);
  if (lowest >= threshold) return { rest, payers, threshold };
  let rich = values.map((_, i) => i);
  for (;;) {
    const stillRich: number[] = [];
    for (const i of rich) {
      const value = values[i] as bigint;
      if (value >= threshold) {
        stillRich.push(i);
      } else {
        const size = sizes[i] as number;
        rest -= size === 1 ? value : value * BigInt(size);
        payers -= size;
      }
    }
    if (stillRich.length === rich.length) break;
    rich = stillRich;
    assert(payers > 0 && rest > 0n, 'an affordable proposal has someone paying a positive amount');
    threshold = (rest + BigInt(payers) - 1n) / BigInt(payers);
  }
  return { rest, payers, threshold };
}

interface Evaluation extends Split {
  /** The effective vote count cost/ρ. */
  readonly count: Count;
  /** The share classes among the supporters, the share (numerator) of each and how many supporters hold it. */
  readonly classes: readonly number[];
  readonly values: readonly bigint[];
  readonly sizes: readonly number[];
  /** Supporters paying all they hold who never paid all they held before, in the baseline run. */
  readonly poorNeverPoorBefore: number;
}

interface Round {
  readonly winner: number;
  readonly evaluation: Evaluation;
  /** The share class of each of the winner's supporters when it was chosen, in the order of `supporters`. */
  readonly supporterClasses: Int32Array;
  /** The common denominator when the winner was chosen. */
  readonly denominator: bigint;
  /** Proposals whose effective vote count equalled the winner's, lost by the tie-break (reported runs). */
  readonly tiedWith: readonly number[];
  /** The exact effective vote counts found in this round (the winner's and others'). */
  readonly counts: ReadonlyMap<number, Count>;
}

interface Run {
  readonly raise: bigint;
  readonly rounds: readonly Round[];
  readonly cost: bigint;
  /** Whether the outcome is provably the same at every raise from the baseline's to this one. */
  readonly certified: boolean;
  /** Each voter's first round of paying all they held (NEVER if none). */
  readonly firstPoorRound: Int32Array;
  /** For proposals found unaffordable: floor(2^32 · money / cost) of their supporters when found so. */
  readonly shortfalls: ReadonlyMap<number, bigint>;
  /** voter index → (proposal index → payment), when asked for. */
  readonly payments: Map<number, Map<number, Rational>> | null;
}

const NEVER = 0x7fffffff;
/** The share class of voters who hold nothing. */
const EMPTY = 1;

class EqualSharesRun {
  /**
   * Voters holding the same share are one class: they are interchangeable for every sum and comparison of
   * a round, so the arithmetic is done once per class (a class of a proposal's supporters splits when
   * some of its members pay for a proposal and others do not). Each class's share is a numerator over the
   * denominator of the class's epoch: the common denominator grows when a payment needs it (a new epoch),
   * and a class's numerator is brought up to date only when read.
   */
  private readonly classOf: Int32Array;
  private readonly classValue: bigint[];
  private readonly classEpoch: number[];
  private readonly classSize: number[];
  /** For each epoch, what its numerators must be multiplied by to be over the current denominator. */
  private readonly sinceEpoch: bigint[] = [1n];
  private denominator: bigint;
  private readonly firstPoorRound: Int32Array;
  private readonly shortfalls = new Map<number, bigint>();
  /** Scratch space indexed by class, valid where `seen` holds the current stamp. */
  private seen = new Int32Array(64);
  private slot = new Int32Array(64);
  private stamp = 0;

  constructor(
    private readonly election: Election,
    private readonly tieRank: Int32Array,
    readonly raise: bigint,
  ) {
    const n = election.voters.length;
    // Share = budget/n + raise = (budget + raise·n)/n: class 0 holds it, EMPTY holds nothing.
    this.denominator = BigInt(n);
    this.classOf = new Int32Array(n);
    this.classValue = [election.budget + raise * BigInt(n), 0n];
    this.classEpoch = [0, 0];
    this.classSize = [n, 0];
    this.firstPoorRound = new Int32Array(n).fill(NEVER);
  }

  private cost(p: number): bigint {
    return this.election.costs[p] as bigint;
  }

  /** A class's share as a numerator over the current denominator. */
  private value(shareClass: number): bigint {
    const epoch = this.classEpoch[shareClass] as number;
    const current = this.sinceEpoch.length - 1;
    if (epoch === current) return this.classValue[shareClass] as bigint;
    const value = (this.classValue[shareClass] as bigint) * (this.sinceEpoch[epoch] as bigint);
    this.classValue[shareClass] = value;
    this.classEpoch[shareClass] = current;
    return value;
  }

  private newClass(value: bigint): number {
    this.classValue.push(value);
    this.classEpoch.push(this.sinceEpoch.length - 1);
    this.classSize.push(0);
    const size = this.classValue.length;
    if (size > this.seen.length) {
      const seen = new Int32Array(size * 2);
      seen.set(this.seen);
      this.seen = seen;
      const slot = new Int32Array(size * 2);
      slot.set(this.slot);
      this.slot = slot;
    }
    return size - 1;
  }

  /** Multiplies the common denominator by `scale`: a new epoch. */
  private rescale(scale: bigint): void {
    for (let epoch = 0; epoch < this.sinceEpoch.length; epoch += 1) {
      this.sinceEpoch[epoch] = (this.sinceEpoch[epoch] as bigint) * scale;
    }
    this.sinceEpoch.push(1n);
    this.denominator *= scale;
  }

  /** Whether a wins over b: a higher effective vote count, or an equal one and a better tie-break rank. */
  private beats(a: number, countA: Count, b: number, countB: Count): boolean {
    const order = compareCounts(countA, countB);
    return order > 0 || (order === 0 && (this.tieRank[a] as number) < (this.tieRank[b] as number));
  }

  /** Whether a wins over b given their ρ: ρa/cost(a) below ρb/cost(b), or equal and a better rank. */
  private beatsOnRho(a: number, rhoA: Fraction, b: number, rhoB: Fraction): boolean {
    const left = rhoA.num * rhoB.den * this.cost(b);
    const right = rhoB.num * rhoA.den * this.cost(a);
    return left < right || (left === right && (this.tieRank[a] as number) < (this.tieRank[b] as number));
  }

  private evaluate(p: number, neverPoorBefore: ((voter: number) => boolean) | null): Evaluation | null {
    const supporters = this.election.supporters[p] as Int32Array;
    const stamp = (this.stamp += 1);
    const classes: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < supporters.length; i += 1) {
      const shareClass = this.classOf[supporters[i] as number] as number;
      if (this.seen[shareClass] !== stamp) {
        this.seen[shareClass] = stamp;
        this.slot[shareClass] = classes.length;
        classes.push(shareClass);
        sizes.push(1);
      } else {
        const at = this.slot[shareClass] as number;
        sizes[at] = (sizes[at] as number) + 1;
      }
    }
    const values = classes.map((shareClass) => this.value(shareClass));
    const need = this.cost(p) * this.denominator;
    const found = split(values, sizes, need);
    if (found === null) {
      let money = 0n;
      values.forEach((value, i) => (money += value * BigInt(sizes[i] as number)));
      this.shortfalls.set(p, (money << KEY_BITS) / need);
      return null;
    }
    let poorNeverPoorBefore = 0;
    if (neverPoorBefore !== null && found.payers < supporters.length) {
      for (let i = 0; i < supporters.length; i += 1) {
        const voter = supporters[i] as number;
        const value = values[this.slot[this.classOf[voter] as number] as number] as bigint;
        if (value < found.threshold && neverPoorBefore(voter)) poorNeverPoorBefore += 1;
      }
    }
    // count = cost/ρ = cost · payers · denominator / rest.
    const effective = count(this.cost(p) * BigInt(found.payers) * this.denominator, found.rest);
    return { ...found, count: effective, classes, values, sizes, poorNeverPoorBefore };
  }

  /**
   * Runs the method. With a baseline (the run at a smaller raise), also decides whether the outcome is
   * provably the same at every raise between the two (see the rule file and certifyRound).
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
        bound[p] = count(BigInt(supporters), 1n);
      }
    }
    const rounds: Round[] = [];
    const payments = withPayments ? new Map<number, Map<number, Rational>>() : null;
    let certified = baseline !== null;
    let cost = 0n;
    // Candidates by bound, best first. Only a few bounds change in a round, so the order is kept from
    // round to round and re-sorted (nearly sorted: about one comparison per candidate).
    let order = [...remaining];
    const byBound = (a: number, b: number): number =>
      compareCounts(bound[b] as Count, bound[a] as Count) || (this.tieRank[a] as number) - (this.tieRank[b] as number);

    for (;;) {
      const round = rounds.length;
      const neverPoorBefore =
        baseline === null ? null : (voter: number) => (baseline.firstPoorRound[voter] as number) >= round;
      order = order.filter((p) => remaining.has(p)).sort(byBound);
      let best = -1;
      let bestEvaluation: Evaluation | null = null;
      const exact = new Map<number, Evaluation>();
      for (const p of order) {
        if (bestEvaluation !== null && !this.beats(p, bound[p] as Count, best, bestEvaluation.count)) break;
        const evaluation = this.evaluate(p, neverPoorBefore);
        if (evaluation === null) {
          remaining.delete(p);
          continue;
        }
        bound[p] = evaluation.count;
        exact.set(p, evaluation);
        if (bestEvaluation === null || this.beats(p, evaluation.count, best, bestEvaluation.count)) {
          best = p;
          bestEvaluation = evaluation;
        }
      }
      if (bestEvaluation === null) break;
      const winnerCount = bestEvaluation.count;

      if (certified && baseline !== null) {
        certified = this.certifyRound(baseline, round, best, remaining, bound, exact, neverPoorBefore);
      }
      if (withPayments) {
        // The reported run also names every proposal that tied with the winner, pruned ones included.
        for (const p of [...remaining]) {
          if (p === best || exact.has(p) || compareCounts(bound[p] as Count, winnerCount) !== 0) continue;
          const evaluation = this.evaluate(p, null);
          if (evaluation === null) remaining.delete(p);
          else exact.set(p, evaluation);
        }
      }
      const tiedWith = withPayments
        ? [...exact].filter(([p, e]) => p !== best && compareCounts(e.count, winnerCount) === 0).map(([p]) => p)
        : [];
      const counts = new Map([...exact].map(([p, e]) => [p, e.count]));
      const supporterClasses = Int32Array.from(
        election.supporters[best] as Int32Array,
        (voter) => this.classOf[voter] as number,
      );
      rounds.push({
        winner: best,
        evaluation: bestEvaluation,
        supporterClasses,
        denominator: this.denominator,
        tiedWith,
        counts,
      });
      remaining.delete(best);
      cost += this.cost(best);
      this.charge(best, bestEvaluation, round, payments);
    }
    if (certified && baseline !== null && baseline.rounds.length !== rounds.length) certified = false;
    return {
      raise: this.raise,
      rounds,
      cost,
      certified,
      firstPoorRound: this.firstPoorRound,
      shortfalls: this.shortfalls,
      payments,
    };
  }

  /**
   * Whether round `round` has the same winner at every raise t between the baseline's (t0) and this run's
   * (t1), given that every earlier round has. The winner must be the baseline's, and must beat every other
   * remaining proposal c over the whole interval. Two certificates, the first that holds:
   * - sandwich: counts only grow with t (same earlier winners), so the winner's count at t0 beating c's
   *   count at t1 (or an upper bound of it) settles every t between;
   * - lines: voters who never paid all they held before this round at t0 (R) keep paying ρ in every earlier
   *   round at every t ≥ t0, so their shares grow at least one unit per unit of t, and at most the same when
   *   looked at backwards from t1. Taking R's shares to grow by exactly one unit per unit of t (others
   *   frozen) bounds the winner's ρ from above from t0 on, and c's ρ from below up to t1, by functions
   *   that are convex in t (the least ρ covering a cost, as shares vary affinely, is convex). A convex
   *   function lies under its chord and over its tangent: so the winner's ρ stays under the chord from its
   *   value at t0 to its bound at t1, and c's over the tangent at t1 (slope: minus the R voters among those
   *   paying all they hold, over the payers). Comparing those two lines at t0 and t1 settles the interval.
   */
  private certifyRound(
    baseline: Run,
    round: number,
    winner: number,
    remaining: Set<number>,
    bound: Count[],
    exact: Map<number, Evaluation>,
    neverPoorBefore: ((voter: number) => boolean) | null,
  ): boolean {
    const base = baseline.rounds[round];
    if (base === undefined || base.winner !== winner) return false;
    const delta = this.raise - baseline.raise;
    const baseRho = { num: base.evaluation.rest, den: BigInt(base.evaluation.payers) * base.denominator };
    let upperAtEnd: Fraction | null = null;
    for (const p of [...remaining]) {
      if (p === winner || this.beats(winner, base.evaluation.count, p, bound[p] as Count)) continue;
      let evaluation = exact.get(p);
      if (evaluation === undefined) {
        const found = this.evaluate(p, neverPoorBefore);
        if (found === null) {
          remaining.delete(p);
          continue;
        }
        evaluation = found;
        bound[p] = found.count;
        exact.set(p, found);
      }
      if (this.beats(winner, base.evaluation.count, p, evaluation.count)) continue;
      upperAtEnd ??= this.winnerRhoBound(baseline, round, base, delta);
      const payersOver = BigInt(evaluation.payers) * this.denominator;
      const rhoAtEnd = { num: evaluation.rest, den: payersOver };
      const rhoAtStart = {
        num: evaluation.rest + BigInt(evaluation.poorNeverPoorBefore) * delta * this.denominator,
        den: payersOver,
      };
      if (!this.beatsOnRho(winner, baseRho, p, rhoAtStart) || !this.beatsOnRho(winner, upperAtEnd, p, rhoAtEnd)) {
        return false;
      }
    }
    return true;
  }

  /** The winner's ρ at t1 if, from t0, only the shares of voters in R grew, by one unit per unit of t. */
  private winnerRhoBound(baseline: Run, round: number, base: Round, delta: bigint): Fraction {
    const supporters = this.election.supporters[base.winner] as Int32Array;
    const step = delta * base.denominator;
    const slotOf = new Map(base.evaluation.classes.map((shareClass, i) => [shareClass, i]));
    // Groups: (class, in R or not) → how many supporters; R's share grows by `step`.
    const groups = new Map<number, number>();
    for (let i = 0; i < supporters.length; i += 1) {
      const slot = slotOf.get(base.supporterClasses[i] as number) as number;
      const grows = (baseline.firstPoorRound[supporters[i] as number] as number) >= round;
      const key = 2 * slot + (grows ? 1 : 0);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const values: bigint[] = [];
    const sizes: number[] = [];
    for (const [key, size] of groups) {
      const value = base.evaluation.values[key >> 1] as bigint;
      values.push(key % 2 === 1 ? value + step : value);
      sizes.push(size);
    }
    const found = split(values, sizes, this.cost(base.winner) * base.denominator);
    assert(found !== null, 'more money still covers the cost');
    return { num: found.rest, den: BigInt(found.payers) * base.denominator };
  }

  /**
   * The winner's supporters pay: ρ each, or all they hold when that is less. Each class of supporters moves
   * to a class holding what it has left (the class itself when all its members pay; EMPTY when they paid
   * all they held).
   */
  private charge(
    winner: number,
    evaluation: Evaluation,
    round: number,
    payments: Map<number, Map<number, Rational>> | null,
  ): void {
    const supporters = this.election.supporters[winner] as Int32Array;
    const payers = BigInt(evaluation.payers);
    // ρ = rest / (payers · denominator). Scale the common denominator by payers/g so that ρ is a whole
    // numerator over it, g being what rest and payers share.
    const common = smallGcd(payers, evaluation.rest % payers);
    const scale = payers / common;
    const rho = evaluation.rest / common;
    if (scale !== 1n) this.rescale(scale);
    const rhoValue = payments === null ? null : rational(rho, this.denominator);

    const { classes, sizes } = evaluation;
    const target = new Int32Array(classes.length);
    const pays = new Array<bigint>(classes.length);
    let paid = 0n;
    let payingRho = 0;
    classes.forEach((shareClass, i) => {
      const value = this.value(shareClass);
      const size = sizes[i] as number;
      pays[i] = value < rho ? value : rho;
      paid += pays[i] * BigInt(size);
      if (value < rho) {
        target[i] = EMPTY;
      } else {
        payingRho += size;
        if (size === this.classSize[shareClass]) {
          target[i] = shareClass;
          this.classValue[shareClass] = value - rho;
        } else {
          target[i] = this.newClass(value - rho);
        }
      }
    });
    assert(payingRho === evaluation.payers, 'the voters paying ρ are those the evaluation found');
    assert(paid === this.cost(winner) * this.denominator, 'payments cover the cost exactly');

    const stamp = (this.stamp += 1);
    classes.forEach((shareClass, i) => {
      this.seen[shareClass] = stamp;
      this.slot[shareClass] = i;
    });
    const amounts =
      payments === null
        ? null
        : pays.map((amount) => (amount === rho ? (rhoValue as Rational) : rational(amount, this.denominator)));
    for (let i = 0; i < supporters.length; i += 1) {
      const voter = supporters[i] as number;
      const from = this.classOf[voter] as number;
      assert(this.seen[from] === stamp, 'every supporter was counted in the evaluation');
      const at = this.slot[from] as number;
      const to = target[at] as number;
      if (to !== from) {
        this.classOf[voter] = to;
        this.classSize[from] = (this.classSize[from] as number) - 1;
        this.classSize[to] = (this.classSize[to] as number) + 1;
      }
      if (to === EMPTY && (this.firstPoorRound[voter] as number) === NEVER) this.firstPoorRound[voter] = round;
      if (amounts !== null && (pays[at] as bigint) > 0n) {
        const mine = payments?.get(voter) ?? new Map<number, Rational>();
        mine.set(winner, amounts[at] as Rational);
        payments?.set(voter, mine);
      }
    }
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

/**
 * A guess at the first raise after a.raise where the outcome changes, from the runs at two raises a < b
 * (the outcome may or may not differ at b). Each quantity whose sign decides the outcome — the winner's
 * lead over another proposal in a round, a proposal's shortfall of money — is taken as linear in the raise
 * through its values at a and b, and the earliest predicted crossing wins. Only a guess, for where to look
 * next: nothing is skipped without a certificate. Null when nothing is heading for a change.
 */
function predictChange(a: Run, b: Run): bigint | null {
  let earliest: bigint | null = null;
  // f > 0 at a, linear through (a.raise, fa) and (b.raise, fb): the first whole raise where f ≤ 0.
  const consider = (fa: bigint, fb: bigint): void => {
    if (fa <= 0n || fb >= fa) return;
    const span = b.raise - a.raise;
    const crossing = a.raise + (span * fa + (fa - fb) - 1n) / (fa - fb);
    if (crossing > a.raise && (earliest === null || crossing < earliest)) earliest = crossing;
  };
  const rounds = Math.min(a.rounds.length, b.rounds.length);
  for (let r = 0; r < rounds; r += 1) {
    const atA = a.rounds[r] as Round;
    const atB = b.rounds[r] as Round;
    const leaderA = atA.counts.get(atA.winner) as Count;
    const leaderB = atB.counts.get(atA.winner);
    for (const [p, countA] of atA.counts) {
      const countB = atB.counts.get(p);
      if (p === atA.winner || countB === undefined || leaderB === undefined) continue;
      consider(leaderA.key - countA.key, leaderB.key - countB.key);
    }
    if (atA.winner !== atB.winner) {
      const challengerA = atA.counts.get(atB.winner);
      const challengerB = atB.counts.get(atB.winner) as Count;
      if (challengerA !== undefined && leaderB !== undefined) {
        consider(leaderA.key - challengerA.key, leaderB.key - challengerB.key);
      }
      break; // later rounds follow different histories
    }
  }
  for (const [p, shortA] of a.shortfalls) {
    const shortB = b.shortfalls.get(p);
    consider(KEY_ONE - shortA, shortB === undefined ? 0n : KEY_ONE - shortB);
  }
  return earliest;
}

type StoppedBecause = NonNullable<BudgetOutcome['completion']>['stoppedBecause'];

/**
 * The add-one completion: the first raise t whose outcome is exhaustive, or whose next raise's outcome
 * costs more than the budget. From each outcome it looks for the next raise whose run is not certified to
 * keep the outcome: steps growing 1, 2, 4, … (or straight to just before a predicted change), then, once a
 * raise is found that is not certified, it narrows the gap to one minor unit (at the predicted change, or
 * halving when predictions do not halve the gap). The run one unit past the last certified raise is the next
 * outcome. Every raise skipped lies in a certified range, so the answer is the one that running every raise
 * would give.
 */
function complete(
  election: Election,
  runAt: (raise: bigint, baseline: Run | null) => Run,
): { kept: Run; stoppedBecause: StoppedBecause; runs: number } {
  let current = runAt(0n, null);
  assert(current.cost <= election.budget, 'the method at the true shares never spends more than the budget');
  let runs = 1;
  // The run one unit before current, if any: predictions look at how things moved since.
  let previous: Run | null = null;
  for (;;) {
    if (election.voters.length === 0 || isExhaustive(election, current)) {
      return { kept: current, stoppedBecause: 'EXHAUSTIVE', runs };
    }
    // Invariant: the outcome is current's at every raise from current.raise to certified.raise, and not
    // certified to be at beyond.raise.
    let certified = current;
    let before: Run | null = previous;
    let beyond: Run | null = null;
    let step = 1n;
    let bisect = false;
    while (beyond === null || beyond.raise - certified.raise > 1n) {
      if (runs >= MAX_COMPLETION_RUNS) return { kept: certified, stoppedBecause: 'RUN_LIMIT', runs };
      let target: bigint;
      if (beyond === null) {
        target = certified.raise + step;
        const guess = before === null ? null : predictChange(before, certified);
        if (guess !== null && guess <= target)
          target = guess - 1n > certified.raise ? guess - 1n : certified.raise + 1n;
      } else {
        const gap = beyond.raise - certified.raise;
        const guess = bisect ? null : predictChange(certified, beyond);
        target = certified.raise + gap / 2n;
        if (guess !== null) {
          const justBefore = guess - 1n;
          target =
            justBefore <= certified.raise
              ? certified.raise + 1n
              : justBefore >= beyond.raise
                ? beyond.raise - 1n
                : justBefore;
        }
      }
      const gapBefore = beyond === null ? null : beyond.raise - certified.raise;
      const probe = runAt(target, certified);
      runs += 1;
      if (probe.certified) {
        before = certified;
        certified = probe;
        step *= 2n;
      } else {
        beyond = probe;
      }
      // A guess that did not halve the gap is followed by a halving, so the narrowing always converges.
      if (gapBefore !== null && beyond !== null) bisect = !bisect && 2n * (beyond.raise - certified.raise) > gapBefore;
    }
    if (beyond.cost > election.budget) return { kept: certified, stoppedBecause: 'NEXT_OVER_BUDGET', runs };
    previous = certified;
    current = beyond;
  }
}

export function equalShares(
  budget: bigint,
  proposals: readonly BudgetProposal[],
  ballots: readonly BudgetBallot[],
): BudgetOutcome {
  const election = prepare(budget, proposals, ballots);
  const ranks = tieRanks(election);
  const runAt = (raise: bigint, baseline: Run | null): Run =>
    new EqualSharesRun(election, ranks, raise).decide(baseline, false);
  const { kept, stoppedBecause, runs } = complete(election, runAt);
  const reported = new EqualSharesRun(election, ranks, kept.raise).decide(null, true);
  assert(reported.cost <= budget, 'equal shares spent more than the budget');
  return outcomeOf(election, reported, { raisedBy: kept.raise, stoppedBecause, runs });
}

/**
 * The Method of Equal Shares at one given raise of every voter's share (0: the true shares, budget/n),
 * without the completion: what a step-by-step explanation of the method shows, and what the completion
 * compares. Its outcome may cost more than the budget when the raise is large.
 */
export function equalSharesAtRaise(
  budget: bigint,
  proposals: readonly BudgetProposal[],
  ballots: readonly BudgetBallot[],
  raise: bigint,
): BudgetOutcome {
  assert(raise >= 0n, 'shares are only ever raised');
  const election = prepare(budget, proposals, ballots);
  return outcomeOf(election, new EqualSharesRun(election, tieRanks(election), raise).decide(null, true), null);
}

function outcomeOf(election: Election, run: Run, completion: BudgetOutcome['completion']): BudgetOutcome {
  const n = BigInt(election.voters.length);
  const funded = run.rounds.map((round) => round.winner);
  const fundedSet = new Set(funded);
  const payments = new Map<string, Map<string, Rational>>();
  for (const [voter, paid] of [...(run.payments ?? [])].sort((a, b) => a[0] - b[0])) {
    payments.set(
      election.voters[voter] as string,
      new Map([...paid].map(([p, amount]) => [election.ids[p] as string, amount])),
    );
  }
  return {
    method: 'EQUAL_SHARES',
    budget: election.budget,
    funded: funded.map((p) => election.ids[p] as string),
    spent: run.cost,
    payments,
    unfunded: election.ids
      .map((id, p) => ({ id, p }))
      .filter(({ p }) => !fundedSet.has(p))
      .map(({ id, p }) => ({ id, reason: basicReason(election, p) ?? 'SHARES_RAN_OUT' })),
    approvals: approvalsOf(election),
    ties: run.rounds
      .filter((round) => round.tiedWith.length > 0)
      .map((round) => ({
        chosen: election.ids[round.winner] as string,
        over: round.tiedWith.map((p) => election.ids[p] as string).sort(byCodeUnits),
      })),
    voterShare: n === 0n ? null : rational(election.budget + run.raise * n, n),
    completion,
  };
}
