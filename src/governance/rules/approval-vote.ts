/**
 * Rule: approval voting among a motion's options. Each ballot approves any number of the options (none is
 * an abstention: it is cast, and approves nothing); an option's count is the weight of the ballots that
 * approve it. Options rank by count, most first. The winner is the option with the most approvals; when
 * several share the most, the tie is broken by the motion's own order of options (the first listed wins),
 * a key fixed before anyone voted, and the outcome says so (tieBroken, tiedForFirst), so nobody mistakes a
 * tie-break for a mandate. Nothing approved at all: no winner.
 *
 * Why: approval voting is easy to explain and to check by hand, and never punishes approving a second
 * option you could also live with. Counts are exact bigint weights.
 *
 * SQL twins: the governance migration's checks on approval ballots (every option one of the motion's,
 * none twice); the stored outcome keeps the counts and the ranking, reproduced by a recount.
 */
import { assert } from '../../kernel/assert.js';

export interface ApprovalBallot {
  readonly weight: bigint;
  readonly approved: readonly string[];
}

export interface ApprovalOutcome {
  readonly options: readonly string[];
  /** Each option → the weight of the ballots approving it, in the motion's order. */
  readonly counts: ReadonlyMap<string, bigint>;
  /** Every option, most approved first; equal counts in the motion's order. */
  readonly ranking: readonly string[];
  /** The ranking in groups of equal counts, best first: where the motion's order decided, it shows. */
  readonly groups: readonly (readonly string[])[];
  /** The winning option (one), or none when nothing was approved. */
  readonly winners: readonly string[];
  /** The options sharing the most approvals (empty when nothing was approved). */
  readonly tiedForFirst: readonly string[];
  /** Whether several options shared the most approvals and the motion's order chose among them. */
  readonly tieBroken: boolean;
  /** The weight of all ballots cast, abstentions (empty ballots) included. */
  readonly cast: bigint;
}

/** Refusal reason for an approval ballot, or null: UNKNOWN_OPTION, OPTION_APPROVED_TWICE. */
export function checkApprovalBallot(options: readonly string[], approved: readonly string[]): string | null {
  const known = new Set(options);
  const seen = new Set<string>();
  for (const option of approved) {
    if (!known.has(option)) return 'UNKNOWN_OPTION';
    if (seen.has(option)) return 'OPTION_APPROVED_TWICE';
    seen.add(option);
  }
  return null;
}

export function tallyApproval(options: readonly string[], ballots: readonly ApprovalBallot[]): ApprovalOutcome {
  assert(new Set(options).size === options.length, 'an option is listed twice');
  const counts = new Map<string, bigint>(options.map((option) => [option, 0n]));
  let cast = 0n;
  for (const ballot of ballots) {
    assert(ballot.weight >= 0n, 'a ballot has a negative weight');
    assert(checkApprovalBallot(options, ballot.approved) === null, 'an invalid approval ballot was counted');
    cast += ballot.weight;
    for (const option of ballot.approved) counts.set(option, (counts.get(option) as bigint) + ballot.weight);
  }
  const countOf = (option: string): bigint => counts.get(option) as bigint;
  // Array.prototype.sort is stable: equal counts keep the motion's order.
  const ranking = [...options].sort((a, b) => (countOf(a) > countOf(b) ? -1 : countOf(a) < countOf(b) ? 1 : 0));
  const groups: string[][] = [];
  for (const option of ranking) {
    const last = groups[groups.length - 1];
    if (last !== undefined && countOf(last[0] as string) === countOf(option)) last.push(option);
    else groups.push([option]);
  }
  const top = groups[0] ?? [];
  const anything = top.length > 0 && countOf(top[0] as string) > 0n;
  return {
    options: [...options],
    counts,
    ranking,
    groups,
    winners: anything ? [top[0] as string] : [],
    tiedForFirst: anything ? top : [],
    tieBroken: anything && top.length > 1,
    cast,
  };
}
