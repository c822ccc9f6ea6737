/**
 * Rule: what a motion and a ballot may be. A yes/no motion is decided by its rule (majority, a
 * supermajority above one half, consensus, consent, unanimity) with an optional quorum; ranked and approval
 * motions choose among 2 to 50 distinct options; a budget motion funds proposals (1 to 500, positive costs,
 * distinct ids) from a fund, up to its amount. It opens within a year and closes after it opens, within a
 * year of opening. Closing early is for
 * motions whose ballots are final (otherwise the outcome can always change). Only a yes/no motion has an
 * effect. A ballot fits its motion: a choice its rule allows (a block or an objection with its reason), a
 * ranking or approvals of the motion's own options, each once. The SQL twins are the CHECK constraints of
 * `motion` in migrations/…-Governance.ts.
 */
import type { BallotChoice, BallotKind, BudgetTerms, MotionEffect } from '../governance.records.js';
import { MAX_BUDGET_PROPOSALS } from './participatory-budget.js';
import { checkBallot, checkDecisionRule, checkQuorum, type DecisionRule, type Quorum } from './tally.js';

export const MAX_OPTIONS = 50;
export const MAX_PROPOSALS = MAX_BUDGET_PROPOSALS;
export const MAX_MOTION_DAYS = 366;
export const MAX_OPTION_LENGTH = 200;

export interface MotionTerms {
  readonly title: string;
  readonly body: string;
  readonly ballotKind: BallotKind;
  readonly rule: DecisionRule;
  readonly quorum: Quorum | null;
  readonly options: readonly string[];
  readonly budget: BudgetTerms | null;
  readonly effect: MotionEffect | null;
  readonly secret: boolean;
  readonly changeable: boolean;
  readonly earlyClose: boolean;
  readonly opensAt: Date;
  readonly closesAt: Date;
}

/** The first problem of a motion's terms, in words, or null. */
export function motionProblem(terms: MotionTerms, now: Date): string | null {
  if (terms.title.trim().length === 0 || [...terms.title].length > 200) return 'a title has 1 to 200 characters';
  if ([...terms.body].length > 20_000) return 'a motion text has at most 20000 characters';
  if (terms.closesAt <= terms.opensAt) return 'a motion closes after it opens';
  if (terms.closesAt <= now) return 'a motion closes in the future';
  if (terms.opensAt.getTime() - now.getTime() > MAX_MOTION_DAYS * 86_400_000) {
    return `a motion opens within ${MAX_MOTION_DAYS} days`;
  }
  if (terms.closesAt.getTime() - Math.max(terms.opensAt.getTime(), now.getTime()) > MAX_MOTION_DAYS * 86_400_000) {
    return `a motion is open for at most ${MAX_MOTION_DAYS} days`;
  }
  if (checkDecisionRule(terms.rule) !== null) return 'a supermajority is a fraction from one half to one';
  if (terms.quorum !== null && checkQuorum(terms.quorum) !== null) {
    return 'a quorum is a fraction above zero and at most one';
  }
  if (terms.earlyClose && terms.changeable) return 'only a motion whose ballots are final can close early';
  if (terms.ballotKind !== 'YES_NO' && terms.rule.kind !== 'MAJORITY') {
    return 'ranked, approval and budget motions are decided by their ballots, under the MAJORITY rule';
  }
  if (terms.ballotKind !== 'YES_NO' && terms.effect !== null) return 'only a yes/no motion has an effect';
  if (terms.ballotKind !== 'BUDGET' && terms.budget !== null) return 'only a budget motion has a budget';
  switch (terms.ballotKind) {
    case 'YES_NO':
      return terms.options.length === 0 ? null : 'a yes/no motion has no options';
    case 'RANKED':
    case 'APPROVAL':
      return optionsProblem(terms.options);
    case 'BUDGET':
      if (terms.options.length > 0) return "a budget motion's options are its proposals: it has no other options";
      return terms.budget === null ? 'a budget motion has its budget' : budgetProblem(terms.budget);
  }
}

function optionsProblem(options: readonly string[]): string | null {
  if (options.length < 2 || options.length > MAX_OPTIONS) return `a motion has 2 to ${MAX_OPTIONS} options`;
  if (options.some((option) => option.trim().length === 0 || [...option].length > MAX_OPTION_LENGTH)) {
    return `an option has 1 to ${MAX_OPTION_LENGTH} characters`;
  }
  return new Set(options).size === options.length ? null : 'options are distinct';
}

function budgetProblem(budget: BudgetTerms): string | null {
  if (budget.amount <= 0n) return 'a budget is more than zero';
  if (budget.proposals.length < 1 || budget.proposals.length > MAX_PROPOSALS) {
    return `a budget vote has 1 to ${MAX_PROPOSALS} proposals`;
  }
  if (new Set(budget.proposals.map((proposal) => proposal.id)).size !== budget.proposals.length) {
    return 'proposals have distinct ids';
  }
  if (budget.proposals.some((proposal) => proposal.cost <= 0n)) return 'a proposal costs more than zero';
  if (budget.proposals.some((proposal) => proposal.title.trim().length === 0 || [...proposal.title].length > 200)) {
    return 'a proposal has a title of 1 to 200 characters';
  }
  return null;
}

/** The options a ballot of the motion chooses among: the motion's options, or its budget's proposal ids. */
export function optionsOf(motion: { options: readonly string[]; budget: BudgetTerms | null }): readonly string[] {
  return motion.budget === null ? motion.options : motion.budget.proposals.map((proposal) => proposal.id);
}

/** The first problem of a ballot for this motion, in words, or null. */
export function ballotProblem(
  motion: { ballotKind: BallotKind; rule: DecisionRule; options: readonly string[]; budget: BudgetTerms | null },
  choice: BallotChoice,
  reason: string,
): string | null {
  if ([...reason].length > 2000) return 'a reason has at most 2000 characters';
  const options = new Set(optionsOf(motion));
  switch (choice.kind) {
    case 'YES_NO': {
      if (motion.ballotKind !== 'YES_NO') return `this motion takes a ${motion.ballotKind} ballot`;
      switch (checkBallot(motion.rule, choice.choice, reason)) {
        case null:
          return null;
        case 'CHOICE_NOT_ALLOWED':
          return `${choice.choice} is not a choice under ${motion.rule.kind}`;
        case 'REASON_REQUIRED':
          return `a ${choice.choice.toLowerCase()} gives its reason`;
        default:
          return 'a reason has at most 2000 characters';
      }
    }
    case 'RANKED': {
      if (motion.ballotKind !== 'RANKED') return `this motion takes a ${motion.ballotKind} ballot`;
      const ranked = choice.ranking.flat();
      if (choice.ranking.some((group) => group.length === 0)) return 'a ranking has no empty group';
      if (ranked.some((option) => !options.has(option))) return "a ranking names the motion's options only";
      return new Set(ranked).size === ranked.length ? null : 'a ranking names each option once';
    }
    case 'APPROVAL': {
      if (motion.ballotKind !== 'APPROVAL' && motion.ballotKind !== 'BUDGET') {
        return `this motion takes a ${motion.ballotKind} ballot`;
      }
      if (choice.approved.some((option) => !options.has(option))) return "approvals name the motion's options only";
      return new Set(choice.approved).size === choice.approved.length ? null : 'approvals name each option once';
    }
  }
}
