/**
 * Rule: a voter may delegate to another voter of the same assembly, for all motions or for one. For a
 * motion, a voter's delegation in force is the one for that motion if there is one, otherwise the one for
 * all motions. Delegation is transitive: a voter's weight follows the chain of delegations to the first
 * voter on it who cast a ballot, and that ballot carries it. A direct ballot overrides any delegation: the
 * voter's own weight stays on their ballot, and the chain stops there for everyone behind them. Delegation
 * never runs in a circle.
 *
 * Why: members who cannot follow every motion keep a voice through someone they trust, and can always take
 * it back by voting themselves; the tally shows how much weight each ballot carried, so the delegation is
 * visible rather than hidden power.
 *
 * Choices made here:
 * - A chain ends at a voter who is not eligible for the motion (not in its snapshot of voters, say because
 *   they left the assembly): the weight reaches no ballot and is counted as unrepresented. It does not
 *   continue past them, because what a non-voter delegated is not a choice made by a voter of this motion.
 * - Cycles are refused against every delegation that could come into force, not only those in force now:
 *   for a motion, a voter's delegation for all motions is counted as well as their delegation for that
 *   motion. Otherwise a voter withdrawing a motion's delegation would uncover their general one and could
 *   close a circle that nobody was asked about; with this rule adding is the only step that can close a
 *   circle, and withdrawing a delegation is always possible.
 * - A circle that reaches the tally anyway (it cannot, through wouldCreateCycle) reaches no ballot: its
 *   weight is unrepresented rather than counted twice.
 *
 * SQL twins: the governance migration's delegation guard trigger (the same walk under a lock on the
 * assembly), a UNIQUE (assembly, from, motion) so a voter holds at most one delegation per scope, and a
 * CHECK that nobody delegates to themselves.
 */
import { assert } from '../../kernel/assert.js';

export interface Delegation {
  readonly from: string;
  readonly to: string;
  /** The one motion this delegation is for, or null: all motions. */
  readonly motionId: string | null;
}

/**
 * Whether adding from→to (for motionId, or all motions when null) would close a cycle among the delegations
 * that are or could come into force for some motion (see the header: a motion's delegations and the
 * delegations for all motions, together). Delegating to oneself is a cycle. `existing` may contain the
 * delegation this one replaces; it does not matter, as the walk stops on reaching `from`.
 */
export function wouldCreateCycle(
  existing: readonly Delegation[],
  from: string,
  to: string,
  motionId: string | null,
): boolean {
  if (from === to) return true;
  const general = new Map<string, string[]>();
  const perMotion = new Map<string, Map<string, string[]>>();
  for (const delegation of existing) {
    let edges = general;
    if (delegation.motionId !== null) {
      edges = perMotion.get(delegation.motionId) ?? new Map<string, string[]>();
      perMotion.set(delegation.motionId, edges);
    }
    edges.set(delegation.from, [...(edges.get(delegation.from) ?? []), delegation.to]);
  }
  // A delegation for one motion can meet the general ones and that motion's; one for all motions can meet
  // the general ones alone (any motion nobody delegated for specifically) or with any motion's.
  const scopes = motionId === null ? [null, ...perMotion.keys()] : [motionId];
  return scopes.some((scope) => reaches(to, from, general, scope === null ? undefined : perMotion.get(scope)));
}

/** Whether `target` is reachable from `start` following the general edges and, if given, a motion's. */
function reaches(
  start: string,
  target: string,
  general: ReadonlyMap<string, readonly string[]>,
  motion: ReadonlyMap<string, readonly string[]> | undefined,
): boolean {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const next of [...(general.get(current) ?? []), ...(motion?.get(current) ?? [])]) {
      if (next === target) return true;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/**
 * Each voter's delegation in force for the motion: the one for this motion, else the one for all motions.
 * Delegations for other motions are ignored. A voter with two delegations of one scope is a bug (the
 * database holds at most one per scope).
 */
export function delegationsInForce(delegations: readonly Delegation[], motionId: string): ReadonlyMap<string, string> {
  const forMotion = new Map<string, string>();
  const forAll = new Map<string, string>();
  for (const delegation of delegations) {
    if (delegation.motionId !== null && delegation.motionId !== motionId) continue;
    const scope = delegation.motionId === null ? forAll : forMotion;
    assert(!scope.has(delegation.from), `voter ${delegation.from} holds two delegations of one scope`);
    scope.set(delegation.from, delegation.to);
  }
  const inForce = new Map(forAll);
  for (const [from, to] of forMotion) inForce.set(from, to);
  return inForce;
}

export interface CarriedWeights {
  /** Each voter who cast a ballot → the weight the ballot carries: its own plus every weight delegated to it, transitively. */
  readonly carried: ReadonlyMap<string, bigint>;
  /** Each eligible voter who did not vote and whose weight reached a ballot → the voter who cast it. */
  readonly representedBy: ReadonlyMap<string, string>;
  /** Weight that reached no ballot (its chain ended at someone who did not vote). */
  readonly unrepresented: bigint;
}

/**
 * `eligible`: voter → own weight (the motion's snapshot); delegations for this motion already filtered to
 * those in force (delegations for other motions are ignored here too). `castBy`: the voters who cast a
 * ballot, all eligible. Linear in the number of voters: each voter's chain is resolved once and remembered.
 */
export function carriedWeights(
  eligible: ReadonlyMap<string, bigint>,
  delegations: readonly Delegation[],
  motionId: string,
  castBy: ReadonlySet<string>,
): CarriedWeights {
  for (const [voter, weight] of eligible) assert(weight >= 0n, `voter ${voter} has a negative weight`);
  for (const voter of castBy) assert(eligible.has(voter), `a ballot was cast by ${voter}, who is not eligible`);
  const delegateOf = delegationsInForce(delegations, motionId);

  // The voter whose ballot each voter's weight reaches, or null; undefined while not yet resolved.
  const reached = new Map<string, string | null>();
  const resolve = (voter: string): string | null => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | undefined = voter;
    let end: string | null = null;
    while (current !== undefined) {
      const known = reached.get(current);
      if (known !== undefined) {
        end = known;
        break;
      }
      if (castBy.has(current)) {
        end = current;
        break;
      }
      if (onPath.has(current) || !eligible.has(current)) break; // a circle, or a non-voter: no ballot
      path.push(current);
      onPath.add(current);
      current = delegateOf.get(current);
    }
    for (const link of path) reached.set(link, end);
    return end;
  };

  const carried = new Map<string, bigint>();
  for (const voter of [...castBy].sort()) carried.set(voter, eligible.get(voter) as bigint);
  const representedBy = new Map<string, string>();
  let unrepresented = 0n;
  for (const voter of [...eligible.keys()].sort()) {
    if (castBy.has(voter)) continue;
    const weight = eligible.get(voter) as bigint;
    const ballot = resolve(voter);
    if (ballot === null) {
      unrepresented += weight;
    } else {
      representedBy.set(voter, ballot);
      carried.set(ballot, (carried.get(ballot) as bigint) + weight);
    }
  }
  return { carried, representedBy, unrepresented };
}
