/**
 * Rule: how a yes/no motion is decided. Every ballot carries a weight (its voter's own, plus what was
 * delegated to it: delegation.ts), and every comparison below is on weights, exact (bigint, fractions
 * cross-multiplied: never a float, never a rounded percentage).
 *
 * Decision rules, and the choices a ballot may take under each (choicesFor):
 * - MAJORITY (YES, NO, ABSTAIN): passes when yes > no. Abstentions are not counted against: they count
 *   only toward the quorum. A tie fails.
 * - SUPERMAJORITY n/d (YES, NO, ABSTAIN): passes when yes/(yes + no) ≥ n/d, that is yes·d ≥ n·(yes + no),
 *   and yes > 0. Abstentions are not counted against. The fraction is between 1/2 and 1 inclusive
 *   (below a half, a motion and its opposite could both pass).
 * - CONSENSUS (YES, NO, ABSTAIN, BLOCK): passes when no block stands and at least one yes was cast. A NO
 *   here is disagreement that stands aside (it does not stop the group); only a BLOCK stops it.
 * - CONSENT (YES, ABSTAIN, OBJECT): passes unless an objection stands. Silence is consent: with no ballot
 *   at all it passes, unless a quorum asks for participation. An objection is withdrawn by changing the
 *   ballot.
 * - UNANIMITY (YES, NO, ABSTAIN): passes when nobody votes no and at least one yes was cast. Abstentions
 *   are allowed and do not break unanimity (a member who cannot agree but will not stop the group abstains).
 * A BLOCK or an OBJECT must give a reason (checkBallot): a ballot without one is refused, never counted.
 * "Stands" means a positive weight of it: a ballot of weight zero decides nothing, under any rule.
 *
 * Quorum: a share of the eligible weight that must be carried by ballots actually cast (abstentions
 * count toward it): cast·d ≥ n·eligible. It is measured on ballots cast, never on the size of the
 * electorate. A motion that misses its quorum fails, whatever its ballots say.
 *
 * Closing early (isSettled): the outcome is settled when no way of casting the outstanding weight (any
 * split of it among the allowed choices, or not casting it) could change it.
 *
 * SQL twins: the governance migration's CHECKs on motion (supermajority fraction within [1/2, 1], quorum
 * within (0, 1]) and on ballot (choice among the rule's, a non-blank reason on BLOCK and OBJECT); the
 * stored outcome keeps the counts below, and a recount from the stored ballots must reproduce them.
 */
import { assert, assertNever } from '../../kernel/assert.js';

export type DecisionRule =
  | { readonly kind: 'MAJORITY' }
  | { readonly kind: 'SUPERMAJORITY'; readonly numerator: bigint; readonly denominator: bigint }
  | { readonly kind: 'CONSENSUS' }
  | { readonly kind: 'CONSENT' }
  | { readonly kind: 'UNANIMITY' };

export type Choice = 'YES' | 'NO' | 'ABSTAIN' | 'BLOCK' | 'OBJECT';

export interface CastBallot {
  readonly weight: bigint;
  readonly choice: Choice;
  readonly reason: string | null;
}

/** Quorum: the share of the eligible weight that must be carried by ballots cast (abstentions count toward it); null: none. */
export interface Quorum {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export interface YesNoTally {
  readonly yes: bigint;
  readonly no: bigint;
  readonly abstain: bigint;
  readonly block: bigint;
  readonly object: bigint;
  /** The weight of every ballot cast, abstentions included. */
  readonly cast: bigint;
  readonly eligible: bigint;
  readonly quorumMet: boolean;
  /** The least weight that meets the quorum (0 without one). */
  readonly quorumNeeded: bigint;
  readonly passed: boolean;
  /** One sentence a member can check against the counts: why it passed or failed. */
  readonly explanation: string;
}

/** The longest reason a ballot may give, in characters. */
export const MAX_REASON_LENGTH = 2000;

const CHOICES: Readonly<Record<DecisionRule['kind'], readonly Choice[]>> = {
  MAJORITY: ['YES', 'NO', 'ABSTAIN'],
  SUPERMAJORITY: ['YES', 'NO', 'ABSTAIN'],
  CONSENSUS: ['YES', 'NO', 'ABSTAIN', 'BLOCK'],
  CONSENT: ['YES', 'ABSTAIN', 'OBJECT'],
  UNANIMITY: ['YES', 'NO', 'ABSTAIN'],
};

/** Which choices a ballot may take under the rule. */
export function choicesFor(rule: DecisionRule): readonly Choice[] {
  return CHOICES[rule.kind];
}

function needsReason(choice: Choice): boolean {
  return choice === 'BLOCK' || choice === 'OBJECT';
}

/**
 * Refusal reason for a ballot, or null when it may be cast: CHOICE_NOT_ALLOWED (not one of the rule's
 * choices), REASON_REQUIRED (a BLOCK or OBJECT without a non-blank reason), REASON_TOO_LONG.
 */
export function checkBallot(rule: DecisionRule, choice: Choice, reason: string | null): string | null {
  if (!choicesFor(rule).includes(choice)) return 'CHOICE_NOT_ALLOWED';
  if (needsReason(choice) && (reason === null || reason.trim() === '')) return 'REASON_REQUIRED';
  if (reason !== null && reason.length > MAX_REASON_LENGTH) return 'REASON_TOO_LONG';
  return null;
}

/** Refusal reason for a decision rule, or null: SUPERMAJORITY_OUT_OF_RANGE unless 1/2 ≤ n/d ≤ 1. */
export function checkDecisionRule(rule: DecisionRule): string | null {
  if (rule.kind !== 'SUPERMAJORITY') return null;
  const { numerator: n, denominator: d } = rule;
  return d > 0n && 2n * n >= d && n <= d ? null : 'SUPERMAJORITY_OUT_OF_RANGE';
}

/** Refusal reason for a quorum, or null: QUORUM_OUT_OF_RANGE unless 0 < n/d ≤ 1 (no quorum is null). */
export function checkQuorum(quorum: Quorum): string | null {
  const { numerator: n, denominator: d } = quorum;
  return d > 0n && n > 0n && n <= d ? null : 'QUORUM_OUT_OF_RANGE';
}

interface Counts {
  readonly yes: bigint;
  readonly no: bigint;
  readonly abstain: bigint;
  readonly block: bigint;
  readonly object: bigint;
}

function cast(counts: Counts): bigint {
  return counts.yes + counts.no + counts.abstain + counts.block + counts.object;
}

function count(rule: DecisionRule, ballots: readonly CastBallot[]): Counts {
  const totals = { yes: 0n, no: 0n, abstain: 0n, block: 0n, object: 0n };
  for (const ballot of ballots) {
    assert(ballot.weight >= 0n, 'a ballot has a negative weight');
    assert(checkBallot(rule, ballot.choice, ballot.reason) === null, `an invalid ${ballot.choice} ballot was counted`);
    switch (ballot.choice) {
      case 'YES':
        totals.yes += ballot.weight;
        break;
      case 'NO':
        totals.no += ballot.weight;
        break;
      case 'ABSTAIN':
        totals.abstain += ballot.weight;
        break;
      case 'BLOCK':
        totals.block += ballot.weight;
        break;
      case 'OBJECT':
        totals.object += ballot.weight;
        break;
      default:
        assertNever(ballot.choice, 'choice');
    }
  }
  return totals;
}

/** The least cast weight w with w·d ≥ n·eligible. */
function quorumNeededFor(quorum: Quorum | null, eligible: bigint): bigint {
  if (quorum === null) return 0n;
  const product = quorum.numerator * eligible;
  return (product + quorum.denominator - 1n) / quorum.denominator;
}

interface Verdict {
  readonly passed: boolean;
  readonly quorumMet: boolean;
  /** Why the rule itself (quorum aside) passes or fails. */
  readonly because: string;
}

function fraction(numerator: bigint, denominator: bigint): string {
  return `${numerator}/${denominator}`;
}

function judge(rule: DecisionRule, quorum: Quorum | null, eligible: bigint, c: Counts): Verdict {
  const quorumMet = quorum === null || cast(c) * quorum.denominator >= quorum.numerator * eligible;
  const verdict = (holds: boolean, because: string): Verdict => ({ passed: quorumMet && holds, quorumMet, because });
  switch (rule.kind) {
    case 'MAJORITY':
      return c.yes > c.no
        ? verdict(true, `yes (${c.yes}) outweighs no (${c.no}); abstentions (${c.abstain}) are not counted against`)
        : verdict(false, `yes (${c.yes}) does not outweigh no (${c.no}); abstentions (${c.abstain}) are not counted`);
    case 'SUPERMAJORITY': {
      const needed = fraction(rule.numerator, rule.denominator);
      const share = `yes is ${c.yes} of ${c.yes + c.no} yes and no`;
      if (c.yes === 0n) return verdict(false, `nobody voted yes (${needed} of yes and no needed)`);
      return c.yes * rule.denominator >= rule.numerator * (c.yes + c.no)
        ? verdict(true, `${share}, at least the ${needed} needed; abstentions (${c.abstain}) are not counted against`)
        : verdict(false, `${share}, less than the ${needed} needed; abstentions (${c.abstain}) are not counted`);
    }
    case 'CONSENSUS':
      if (c.block > 0n) return verdict(false, `a block stands (weight ${c.block})`);
      if (c.yes === 0n) return verdict(false, 'no block stands, but nobody voted yes');
      return verdict(true, `no block stands, and yes carries ${c.yes} (${c.no} stand aside)`);
    case 'CONSENT':
      return c.object > 0n
        ? verdict(false, `an objection stands (weight ${c.object})`)
        : verdict(true, `no objection stands (yes ${c.yes}, abstain ${c.abstain})`);
    case 'UNANIMITY':
      if (c.no > 0n) return verdict(false, `not unanimous: no carries ${c.no}`);
      if (c.yes === 0n) return verdict(false, 'nobody voted no, but nobody voted yes either');
      return verdict(true, `unanimous: nobody voted no, yes carries ${c.yes} (abstentions ${c.abstain} allowed)`);
    default:
      return assertNever(rule, 'decision rule');
  }
}

function explain(verdict: Verdict, quorum: Quorum | null, eligible: bigint, castWeight: bigint): string {
  const quorumText =
    quorum === null
      ? 'no quorum'
      : `quorum ${fraction(quorum.numerator, quorum.denominator)} of ${eligible} eligible needs ${quorumNeededFor(
          quorum,
          eligible,
        )}, ${castWeight} cast`;
  if (!verdict.quorumMet) return `Failed: quorum not met (${quorumText}); the ballots would say: ${verdict.because}.`;
  return `${verdict.passed ? 'Passed' : 'Failed'}: ${verdict.because} (${quorumText}).`;
}

function checkInputs(rule: DecisionRule, quorum: Quorum | null, eligible: bigint): void {
  assert(checkDecisionRule(rule) === null, 'the decision rule is out of range');
  assert(quorum === null || checkQuorum(quorum) === null, 'the quorum is out of range');
  assert(eligible >= 0n, 'the eligible weight is negative');
}

export function tallyYesNo(
  rule: DecisionRule,
  quorum: Quorum | null,
  eligible: bigint,
  ballots: readonly CastBallot[],
): YesNoTally {
  checkInputs(rule, quorum, eligible);
  const counts = count(rule, ballots);
  const castWeight = cast(counts);
  assert(castWeight <= eligible, 'ballots carry more weight than is eligible');
  const verdict = judge(rule, quorum, eligible, counts);
  return {
    ...counts,
    cast: castWeight,
    eligible,
    quorumMet: verdict.quorumMet,
    quorumNeeded: quorumNeededFor(quorum, eligible),
    passed: verdict.passed,
    explanation: explain(verdict, quorum, eligible, castWeight),
  };
}

/**
 * For closing early: whether the outcome can no longer change whatever the `outstanding` weight (not yet
 * cast) does, given that cast ballots cannot change. Exact, not a heuristic: every rule is monotone in each
 * choice's weight, so it is enough to try the extreme completions. All outstanding weight cast YES is the
 * best case for passing (YES helps the quorum and every rule); for failing, casting nothing (the quorum,
 * and rules that need a yes), or all of it as NO, BLOCK or OBJECT where the rule has them.
 *
 * With delegation, weight that was delegated can still move (its voter may vote directly and take it off
 * the delegate's ballot): pass each ballot with its voter's own weight and count delegated weight as
 * outstanding, or the answer assumes more than is fixed.
 */
export function isSettled(
  rule: DecisionRule,
  quorum: Quorum | null,
  eligible: bigint,
  ballots: readonly CastBallot[],
  outstanding: bigint,
): boolean {
  checkInputs(rule, quorum, eligible);
  assert(outstanding >= 0n, 'the outstanding weight is negative');
  const counts = count(rule, ballots);
  assert(cast(counts) + outstanding <= eligible, 'cast and outstanding weight exceed the eligible weight');
  const passes = (extra: Partial<Counts>): boolean =>
    judge(rule, quorum, eligible, {
      yes: counts.yes + (extra.yes ?? 0n),
      no: counts.no + (extra.no ?? 0n),
      abstain: counts.abstain,
      block: counts.block + (extra.block ?? 0n),
      object: counts.object + (extra.object ?? 0n),
    }).passed;
  const allowed = choicesFor(rule);
  const canPass = passes({ yes: outstanding });
  const canFail =
    !passes({}) ||
    (allowed.includes('NO') && !passes({ no: outstanding })) ||
    (allowed.includes('BLOCK') && !passes({ block: outstanding })) ||
    (allowed.includes('OBJECT') && !passes({ object: outstanding }));
  return !(canPass && canFail);
}
