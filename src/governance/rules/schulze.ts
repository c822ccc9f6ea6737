/**
 * Rule: a ranked motion is decided by the Schulze method (Markus Schulze, "A new monotonic,
 * clone-independent, reversal symmetric, and Condorcet-consistent single-winner election method", Social
 * Choice and Welfare 36, 2011), with winning votes as the strength of a defeat.
 *
 * 1. Pairwise: d[X][Y] is the weight of the ballots that rank X strictly above Y. A ballot lists groups of
 *    equally ranked options, best first; options it does not list rank below all it lists, equally (so a
 *    ballot ranks nothing between two options it left out, and an empty ballot ranks nothing at all).
 * 2. Links: X → Y has strength d[X][Y] when X beats Y (d[X][Y] > d[Y][X]), and none (0) otherwise.
 * 3. Strengths: p[X][Y] is the strength of the strongest path (beatpath) from X to Y, a path being as
 *    strong as its weakest link: widest paths by Floyd–Warshall.
 * 4. X is better than Y when p[X][Y] > p[Y][X]. Schulze proves this relation transitive. The winners are
 *    the options no other option is better than. The ranking lists, best first, groups: the winners, then
 *    the options no remaining option is better than, and so on; options in one group are tied, and are
 *    listed in the motion's order (which decides nothing: a tie is reported as a tie).
 *
 * Why: Schulze elects the Condorcet winner when there is one, resolves cycles by the strongest indirect
 * wins, and is hard to game with clones; the outcome keeps d and p so any member can check every step.
 * Exact on bigint weights; the work is O(ballots·options²) to count (identical ballots are counted once)
 * and O(options³) for the paths.
 *
 * SQL twins: the governance migration's checks on ranked ballots (each option at most once, every option
 * one of the motion's); the stored outcome keeps pairwise, strengths and ranking, reproduced by a recount.
 */
import { assert } from '../../kernel/assert.js';

export interface RankedBallot {
  readonly weight: bigint;
  /** Groups of equally ranked options, best first; options not listed rank below all listed, equally. */
  readonly ranking: readonly (readonly string[])[];
}

export interface SchulzeOutcome {
  readonly options: readonly string[];
  /** pairwise[i][j]: the weight of ballots ranking options[i] strictly above options[j]. */
  readonly pairwise: readonly (readonly bigint[])[];
  /** strengths[i][j]: the strength of the strongest path from options[i] to options[j] (0: none). */
  readonly strengths: readonly (readonly bigint[])[];
  /** Groups of tied options, best first. */
  readonly ranking: readonly (readonly string[])[];
  /** The options no other option beats: the first group of the ranking. */
  readonly winners: readonly string[];
}

/** The most options a ranked motion may offer (the paths take options³ steps). */
export const MAX_RANKED_OPTIONS = 100;

/** Refusal reason for a motion's options, or null: TOO_FEW_OPTIONS, TOO_MANY_OPTIONS, DUPLICATE_OPTION. */
export function checkOptions(options: readonly string[]): string | null {
  if (options.length < 2) return 'TOO_FEW_OPTIONS';
  if (options.length > MAX_RANKED_OPTIONS) return 'TOO_MANY_OPTIONS';
  if (new Set(options).size !== options.length) return 'DUPLICATE_OPTION';
  return null;
}

/**
 * Refusal reason for a ranked ballot, or null: UNKNOWN_OPTION (not one of the motion's), OPTION_RANKED_TWICE,
 * EMPTY_GROUP. An empty ranking is a valid ballot that prefers nothing.
 */
export function checkRankedBallot(options: readonly string[], ranking: readonly (readonly string[])[]): string | null {
  const known = new Set(options);
  const seen = new Set<string>();
  for (const group of ranking) {
    if (group.length === 0) return 'EMPTY_GROUP';
    for (const option of group) {
      if (!known.has(option)) return 'UNKNOWN_OPTION';
      if (seen.has(option)) return 'OPTION_RANKED_TWICE';
      seen.add(option);
    }
  }
  return null;
}

export function schulze(options: readonly string[], ballots: readonly RankedBallot[]): SchulzeOutcome {
  assert(options.length <= MAX_RANKED_OPTIONS, 'too many options for a ranked motion');
  assert(new Set(options).size === options.length, 'an option is listed twice');
  const size = options.length;
  const indexOf = new Map(options.map((option, index) => [option, index]));

  // Identical rankings are counted once with their weights summed; the key is the ranking's canonical form.
  const weightByRanking = new Map<string, { ranks: number[]; weight: bigint }>();
  for (const ballot of ballots) {
    assert(ballot.weight >= 0n, 'a ballot has a negative weight');
    assert(checkRankedBallot(options, ballot.ranking) === null, 'an invalid ranked ballot was counted');
    const ranks = new Array<number>(size).fill(ballot.ranking.length);
    ballot.ranking.forEach((group, rank) => {
      for (const option of group) ranks[indexOf.get(option) as number] = rank;
    });
    const key = ranks.join(',');
    const known = weightByRanking.get(key);
    if (known === undefined) weightByRanking.set(key, { ranks, weight: ballot.weight });
    else known.weight += ballot.weight;
  }

  const pairwise = square(size);
  for (const { ranks, weight } of weightByRanking.values()) {
    for (let i = 0; i < size; i += 1) {
      const row = pairwise[i] as bigint[];
      for (let j = 0; j < size; j += 1) {
        if ((ranks[i] as number) < (ranks[j] as number)) row[j] = (row[j] as bigint) + weight;
      }
    }
  }

  const at = (matrix: bigint[][], i: number, j: number): bigint => (matrix[i] as bigint[])[j] as bigint;
  const strengths = square(size);
  for (let i = 0; i < size; i += 1) {
    for (let j = 0; j < size; j += 1) {
      if (i !== j && at(pairwise, i, j) > at(pairwise, j, i)) (strengths[i] as bigint[])[j] = at(pairwise, i, j);
    }
  }
  for (let k = 0; k < size; k += 1) {
    for (let i = 0; i < size; i += 1) {
      if (i === k) continue;
      const viaK = at(strengths, i, k);
      if (viaK === 0n) continue;
      const row = strengths[i] as bigint[];
      for (let j = 0; j < size; j += 1) {
        if (j === i || j === k) continue;
        const widest = viaK < at(strengths, k, j) ? viaK : at(strengths, k, j);
        if (widest > (row[j] as bigint)) row[j] = widest;
      }
    }
  }

  const ranking: string[][] = [];
  let remaining = options.map((_, index) => index);
  while (remaining.length > 0) {
    const unbeaten = remaining.filter((x) => remaining.every((y) => at(strengths, y, x) <= at(strengths, x, y)));
    // Transitivity (Schulze, section 4.1) guarantees a best option among any remaining ones.
    assert(unbeaten.length > 0, 'the Schulze relation has no maximal option');
    ranking.push(unbeaten.map((index) => options[index] as string));
    remaining = remaining.filter((index) => !unbeaten.includes(index));
  }

  return { options: [...options], pairwise, strengths, ranking, winners: ranking[0] ?? [] };
}

function square(size: number): bigint[][] {
  return Array.from({ length: size }, () => new Array<bigint>(size).fill(0n));
}
