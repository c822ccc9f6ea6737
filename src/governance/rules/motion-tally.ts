/**
 * Rule: a motion's outcome from its stored ballots, and nothing else, so that a recount reproduces it
 * exactly. The voters and their weights were fixed when it opened; an open ballot carries its voter's weight
 * plus every weight delegated to the voter through the delegations in force when it closed (delegation never
 * applies to a secret ballot, nor where the assembly does not allow it); a secret ballot carries its voter's
 * own weight. The quorum is measured on the weight the cast ballots carry, against all the eligible weight.
 *   - yes/no: the motion's rule (tally.ts) decides;
 *   - ranked: the Schulze winner (schulze.ts), when the quorum is met;
 *   - approval: the most approved option (approval-vote.ts), when the quorum is met;
 *   - budget: the proposals funded by the motion's method (participatory-budget.ts) within its amount, one
 *     ballot per voter (the Method of Equal Shares is defined for equal voters; delegation does not apply),
 *     when the quorum is met and something is funded.
 * The tally is plain JSON (weights and amounts as decimal strings), stored with the outcome. It depends on
 * the ballots as a set, not on the order they are read in: they are put in one order first (open ballots by
 * voter; secret ones by what they say), so a recount after a secret motion's ballots were rewritten at close
 * gives the same JSON.
 *
 * Closing early (`isFinal`): a motion whose ballots cannot change may close before its instant when no
 * ballot still possible could change its outcome: every voter has cast, or, for a yes/no motion, the
 * weight not yet fixed (voters who have not cast, including what they delegated, as they may still vote
 * themselves) cannot change it whatever it does (tally.ts `isSettled`, exact).
 */
import type { BallotChoice, MotionRecord } from '../governance.records.js';
import { tallyApproval } from './approval-vote.js';
import { carriedWeights, type Delegation } from './delegation.js';
import { equalShares, greedyBudget, type BudgetOutcome } from './participatory-budget.js';
import { schulze } from './schulze.js';
import { isSettled, tallyYesNo, type Quorum } from './tally.js';

export interface StoredBallot {
  /** Null for a secret ballot. */
  readonly voterId: string | null;
  /** A secret ballot's own weight; an open ballot's weight comes from the voters and the delegations. */
  readonly weight: bigint | null;
  readonly choice: BallotChoice;
  readonly reason: string;
}

export interface TallyInput {
  readonly motion: Pick<MotionRecord, 'id' | 'ballotKind' | 'rule' | 'quorum' | 'options' | 'budget' | 'secret'>;
  /** Each eligible voter and its own weight, as fixed when the motion opened. */
  readonly voters: ReadonlyMap<string, bigint>;
  readonly ballots: readonly StoredBallot[];
  /** The delegations in force when the motion closed (ignored for secret motions or without delegation). */
  readonly delegations: readonly Delegation[];
  readonly delegationAllowed: boolean;
  /** On a secret motion, who has cast (for `isFinal`: a secret ballot carries no voter). */
  readonly secretParticipants?: ReadonlySet<string>;
}

export interface MotionTally {
  readonly passed: boolean;
  readonly detail: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

export function tallyMotion(unordered: TallyInput): MotionTally {
  const input = { ...unordered, ballots: inOneOrder(unordered.ballots) };
  const eligible = [...input.voters.values()].reduce((sum, weight) => sum + weight, 0n);
  const weighted = weighBallots(input);
  const cast = weighted.reduce((sum, ballot) => sum + ballot.weight, 0n);
  const common: Json = {
    kind: input.motion.ballotKind,
    eligible: eligible.toString(),
    cast: cast.toString(),
    voters: input.voters.size,
    ballots: input.ballots.length,
    quorum: input.motion.quorum === null ? null : fraction(input.motion.quorum),
    quorumMet: quorumMet(input.motion.quorum, eligible, cast),
    unrepresented: weighted.unrepresented.toString(),
    weights: weighted.map((ballot) => ({
      voterId: ballot.voterId,
      weight: ballot.weight.toString(),
      represents: ballot.represents,
    })),
  };
  const met = quorumMet(input.motion.quorum, eligible, cast);
  switch (input.motion.ballotKind) {
    case 'YES_NO': {
      const tally = tallyYesNo(
        input.motion.rule,
        input.motion.quorum,
        eligible,
        weighted.map((ballot) => ({
          weight: ballot.weight,
          choice: ballot.choice.kind === 'YES_NO' ? ballot.choice.choice : 'ABSTAIN',
          reason: ballot.reason.trim() === '' ? null : ballot.reason,
        })),
      );
      return {
        passed: tally.passed,
        detail: {
          ...common,
          rule: input.motion.rule.kind,
          yes: tally.yes.toString(),
          no: tally.no.toString(),
          abstain: tally.abstain.toString(),
          block: tally.block.toString(),
          object: tally.object.toString(),
          reasons: weighted
            .filter((ballot) => ballot.choice.kind === 'YES_NO' && ['BLOCK', 'OBJECT'].includes(ballot.choice.choice))
            .map((ballot) => ({ voterId: ballot.voterId, reason: ballot.reason })),
          explanation: tally.explanation,
        },
      };
    }
    case 'RANKED': {
      const outcome = schulze(
        input.motion.options,
        weighted.map((ballot) => ({
          weight: ballot.weight,
          ranking: ballot.choice.kind === 'RANKED' ? ballot.choice.ranking : [],
        })),
      );
      const winner = outcome.ranking[0]?.length === 1 ? (outcome.ranking[0][0] ?? null) : null;
      return {
        passed: met && cast > 0n && winner !== null,
        detail: {
          ...common,
          pairwise: outcome.pairwise.map((row) => row.map(String)),
          strengths: outcome.strengths.map((row) => row.map(String)),
          ranking: outcome.ranking,
          winners: outcome.winners,
          winner,
        },
      };
    }
    case 'APPROVAL': {
      const outcome = tallyApproval(
        input.motion.options,
        weighted.map((ballot) => ({
          weight: ballot.weight,
          approved: ballot.choice.kind === 'APPROVAL' ? ballot.choice.approved : [],
        })),
      );
      const winner = outcome.winners[0] ?? null;
      return {
        passed: met && cast > 0n && winner !== null,
        detail: {
          ...common,
          approvals: Object.fromEntries([...outcome.counts].map(([option, count]) => [option, count.toString()])),
          ranking: outcome.groups,
          winners: outcome.winners,
          tieBroken: outcome.tieBroken,
          winner,
        },
      };
    }
    case 'BUDGET': {
      const budget = input.motion.budget;
      if (budget === null) throw new Error('a budget motion has its budget');
      const ballots = input.ballots.map((ballot, index) => ({
        voter: ballot.voterId ?? `ballot-${index}`,
        approved: ballot.choice.kind === 'APPROVAL' ? ballot.choice.approved : [],
      }));
      const proposals = budget.proposals.map((proposal) => ({ id: proposal.id, cost: proposal.cost }));
      const outcome =
        budget.method === 'EQUAL_SHARES'
          ? equalShares(budget.amount, proposals, ballots)
          : greedyBudget(budget.amount, proposals, ballots);
      const budgetMet = quorumMet(input.motion.quorum, BigInt(input.voters.size), BigInt(input.ballots.length));
      return {
        passed: budgetMet && outcome.funded.length > 0,
        detail: {
          ...common,
          eligible: String(input.voters.size),
          cast: String(input.ballots.length),
          quorumMet: budgetMet,
          budget: budgetJson(outcome, budget.amount),
        },
      };
    }
  }
}

/**
 * A tally as those who see only outcomes (the federations above an assembly that shares them) are shown it:
 * every count, and nothing of who voted how: no voter on a ballot's weight or on a reason, nothing of whom
 * a ballot represented, nothing of what each voter's budget share paid for.
 */
export function withoutVoters(detail: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const list = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const budget = detail['budget'] as Record<string, unknown> | undefined;
  return {
    ...detail,
    weights: list(detail['weights']).map((weight) => ({ voterId: null, weight: weight['weight'], represents: [] })),
    ...(detail['reasons'] === undefined
      ? {}
      : { reasons: list(detail['reasons']).map((reason) => ({ voterId: null, reason: reason['reason'] })) }),
    ...(budget === undefined ? {} : { budget: { ...budget, payments: {} } }),
  };
}

/** Whether no ballot still possible can change the outcome (see the header). */
export function isFinal(input: TallyInput): boolean {
  const castBy = input.motion.secret
    ? (input.secretParticipants ?? new Set<string>())
    : new Set(input.ballots.flatMap((ballot) => (ballot.voterId === null ? [] : [ballot.voterId])));
  const eligible = [...input.voters.values()].reduce((sum, weight) => sum + weight, 0n);
  const fixed = [...input.voters].filter(([voter]) => castBy.has(voter)).reduce((sum, [, weight]) => sum + weight, 0n);
  if (fixed === eligible) return true;
  if (input.motion.ballotKind !== 'YES_NO') return false;
  // Each ballot with its voter's own weight: weight delegated to it can still move (its voter may vote).
  const ownWeight = (ballot: StoredBallot) =>
    ballot.voterId === null ? (ballot.weight ?? 0n) : (input.voters.get(ballot.voterId) ?? 0n);
  return isSettled(
    input.motion.rule,
    input.motion.quorum,
    eligible,
    input.ballots.map((ballot) => ({
      weight: ownWeight(ballot),
      choice: ballot.choice.kind === 'YES_NO' ? ballot.choice.choice : 'ABSTAIN',
      reason: ballot.reason,
    })),
    eligible - fixed,
  );
}

/** Open ballots by voter; secret ones by weight, choice and reason: an order that depends on nothing else. */
function inOneOrder(ballots: readonly StoredBallot[]): StoredBallot[] {
  const key = (ballot: StoredBallot) =>
    ballot.voterId ??
    `${String(ballot.weight ?? 0n).padStart(20, '0')}\u0000${JSON.stringify(ballot.choice)}\u0000${ballot.reason}`;
  return [...ballots].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

interface WeightedBallot {
  readonly voterId: string | null;
  readonly weight: bigint;
  readonly represents: readonly string[];
  readonly choice: BallotChoice;
  readonly reason: string;
}

function weighBallots(input: TallyInput): WeightedBallot[] & { unrepresented: bigint } {
  const secret = input.motion.secret;
  const castBy = new Set(input.ballots.flatMap((ballot) => (ballot.voterId === null ? [] : [ballot.voterId])));
  const delegations = secret || !input.delegationAllowed ? [] : input.delegations;
  const carried = secret ? null : carriedWeights(input.voters, delegations, input.motion.id, castBy);
  const represents = new Map<string, string[]>();
  for (const [voter, by] of carried?.representedBy ?? []) represents.set(by, [...(represents.get(by) ?? []), voter]);
  const weighted = input.ballots.map((ballot): WeightedBallot => ({
    voterId: ballot.voterId,
    weight:
      ballot.voterId === null
        ? (ballot.weight ?? 0n)
        : (carried?.carried.get(ballot.voterId) ?? input.voters.get(ballot.voterId) ?? 0n),
    represents: ballot.voterId === null ? [] : (represents.get(ballot.voterId) ?? []).sort(),
    choice: ballot.choice,
    reason: ballot.reason,
  }));
  const cast = weighted.reduce((sum, ballot) => sum + ballot.weight, 0n);
  const eligible = [...input.voters.values()].reduce((sum, weight) => sum + weight, 0n);
  return Object.assign(weighted, { unrepresented: carried?.unrepresented ?? eligible - cast });
}

function quorumMet(quorum: Quorum | null, eligible: bigint, cast: bigint): boolean {
  return quorum === null || cast * quorum.denominator >= quorum.numerator * eligible;
}

function fraction(value: { numerator: bigint; denominator: bigint }): string {
  return `${value.numerator}/${value.denominator}`;
}

function budgetJson(outcome: BudgetOutcome, amount: bigint): Json {
  return {
    method: outcome.method,
    amount: amount.toString(),
    funded: outcome.funded,
    spent: outcome.spent.toString(),
    unfunded: outcome.unfunded,
    approvals: Object.fromEntries(outcome.approvals),
    ties: outcome.ties,
    // What each voter's share paid for (on a secret motion, by ballot: its voters are not known).
    payments: Object.fromEntries(
      [...outcome.payments]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([voter, paid]) => [
          voter,
          Object.fromEntries(
            [...paid].map(([proposal, share]) => [proposal, `${share.numerator}/${share.denominator}`]),
          ),
        ]),
    ),
  };
}
