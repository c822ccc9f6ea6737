/**
 * Goal: delegated weight reaches exactly the ballot its chain leads to (transitively, stopping at the first
 * voter who voted, a motion's delegation overriding the general one), nothing is created or lost, and no
 * sequence of delegations and withdrawals accepted by wouldCreateCycle ever forms a circle. Method: worked
 * examples of each rule, then fast-check properties against the test's own references: a step-by-step
 * chain walk for carriedWeights (on any graph, circles included), and a three-colour cycle search for
 * wouldCreateCycle over every scope a delegation can be in force in.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  carriedWeights,
  delegationsInForce,
  wouldCreateCycle,
  type Delegation,
} from '../../../src/governance/rules/delegation.js';
import { shuffled } from './shuffled.js';

const d = (from: string, to: string, motionId: string | null = null): Delegation => ({ from, to, motionId });
const weights = (entries: Record<string, bigint>): Map<string, bigint> => new Map(Object.entries(entries));
const M = 'motion-1';

describe('carriedWeights: worked examples', () => {
  it('a chain a → b → c carries to c when only c votes', () => {
    const result = carriedWeights(weights({ a: 1n, b: 2n, c: 4n }), [d('a', 'b'), d('b', 'c')], M, new Set(['c']));
    expect(result.carried).toEqual(new Map([['c', 7n]]));
    expect(result.representedBy).toEqual(
      new Map([
        ['a', 'c'],
        ['b', 'c'],
      ]),
    );
    expect(result.unrepresented).toBe(0n);
  });

  it('a direct ballot overrides: b votes, so a stops at b and b keeps its own weight', () => {
    const result = carriedWeights(weights({ a: 1n, b: 2n, c: 4n }), [d('a', 'b'), d('b', 'c')], M, new Set(['b', 'c']));
    expect(result.carried).toEqual(
      new Map([
        ['b', 3n],
        ['c', 4n],
      ]),
    );
    expect(result.representedBy).toEqual(new Map([['a', 'b']]));
  });

  it("a motion's delegation overrides the general one; other motions' delegations are ignored", () => {
    const delegations = [d('a', 'b'), d('a', 'c', M), d('a', 'b', 'motion-2')];
    const result = carriedWeights(weights({ a: 1n, b: 1n, c: 1n }), delegations, M, new Set(['b', 'c']));
    expect(result.carried).toEqual(
      new Map([
        ['b', 1n],
        ['c', 2n],
      ]),
    );
    expect(result.representedBy.get('a')).toBe('c');
    const elsewhere = carriedWeights(weights({ a: 1n, b: 1n, c: 1n }), delegations, 'motion-3', new Set(['b', 'c']));
    expect(elsewhere.representedBy.get('a')).toBe('b');
  });

  it('a chain ending at someone who did not vote leaves the weight unrepresented', () => {
    const result = carriedWeights(weights({ a: 5n, b: 3n, c: 1n }), [d('a', 'b')], M, new Set(['c']));
    expect(result.carried).toEqual(new Map([['c', 1n]]));
    expect(result.representedBy.size).toBe(0);
    expect(result.unrepresented).toBe(8n);
  });

  it('a chain ends at a voter who is not eligible for the motion, even if they delegated on', () => {
    // x left the assembly after the delegations were made; x's own delegation to c is not followed.
    const result = carriedWeights(weights({ a: 2n, c: 1n }), [d('a', 'x'), d('x', 'c')], M, new Set(['c']));
    expect(result.carried).toEqual(new Map([['c', 1n]]));
    expect(result.unrepresented).toBe(2n);
  });

  it('a circle (which wouldCreateCycle refuses) reaches no ballot and is not counted twice', () => {
    const result = carriedWeights(
      weights({ a: 1n, b: 1n, c: 1n, z: 1n }),
      [d('a', 'b'), d('b', 'a'), d('c', 'a')],
      M,
      new Set(['z']),
    );
    expect(result.carried).toEqual(new Map([['z', 1n]]));
    expect(result.unrepresented).toBe(3n);
  });

  it('nobody voted: everything is unrepresented; nobody eligible: nothing at all', () => {
    expect(carriedWeights(weights({ a: 1n, b: 2n }), [d('a', 'b')], M, new Set()).unrepresented).toBe(3n);
    const empty = carriedWeights(new Map(), [], M, new Set());
    expect(empty).toEqual({ carried: new Map(), representedBy: new Map(), unrepresented: 0n });
  });

  it('refuses a ballot from someone not eligible, a negative weight, and two delegations of one scope', () => {
    expect(() => carriedWeights(weights({ a: 1n }), [], M, new Set(['b']))).toThrow(AssertionFailed);
    expect(() => carriedWeights(weights({ a: -1n }), [], M, new Set())).toThrow(AssertionFailed);
    expect(() => carriedWeights(weights({ a: 1n }), [d('a', 'b'), d('a', 'c')], M, new Set())).toThrow(AssertionFailed);
    expect(() => carriedWeights(weights({ a: 1n }), [d('a', 'b', M), d('a', 'c', M)], M, new Set())).toThrow(
      AssertionFailed,
    );
  });

  it('delegationsInForce prefers the motion over the general delegation', () => {
    expect(delegationsInForce([d('a', 'b'), d('a', 'c', M), d('b', 'c', 'other')], M)).toEqual(new Map([['a', 'c']]));
  });
});

describe('wouldCreateCycle: worked examples', () => {
  it('delegating to oneself is a cycle', () => {
    expect(wouldCreateCycle([], 'a', 'a', null)).toBe(true);
    expect(wouldCreateCycle([], 'a', 'a', M)).toBe(true);
  });

  it('a → b then b → a is refused in every scope; b → c is fine', () => {
    expect(wouldCreateCycle([d('a', 'b')], 'b', 'a', null)).toBe(true);
    expect(wouldCreateCycle([d('a', 'b')], 'b', 'a', M)).toBe(true);
    expect(wouldCreateCycle([d('a', 'b', M)], 'b', 'a', M)).toBe(true);
    expect(wouldCreateCycle([d('a', 'b')], 'b', 'c', null)).toBe(false);
  });

  it('delegations for different motions never meet', () => {
    expect(wouldCreateCycle([d('a', 'b', 'motion-2')], 'b', 'a', M)).toBe(false);
  });

  it('a general delegation meets every motion’s delegations', () => {
    expect(wouldCreateCycle([d('a', 'b', M)], 'b', 'a', null)).toBe(true);
    expect(wouldCreateCycle([d('a', 'b', M), d('b', 'c', 'motion-2')], 'c', 'a', null)).toBe(false);
  });

  it('a delegation overridden for a motion still counts, so that withdrawing the override is always safe', () => {
    // a delegates generally to b, but to c for M. b → a for M closes no circle today, but would the moment
    // a withdrew the delegation to c; it is refused now rather than trapping a's withdrawal later.
    expect(wouldCreateCycle([d('a', 'b'), d('a', 'c', M)], 'b', 'a', M)).toBe(true);
  });

  it('a longer circle is found; a diamond is no circle', () => {
    const chain = [d('a', 'b'), d('b', 'c'), d('c', 'd', M)];
    expect(wouldCreateCycle(chain, 'd', 'a', M)).toBe(true);
    expect(wouldCreateCycle(chain, 'd', 'a', 'motion-2')).toBe(false);
    expect(wouldCreateCycle([d('a', 'c'), d('b', 'c')], 'c', 'd', null)).toBe(false);
  });

  it('replacing a delegation: the old one of the same scope does not count against the new one', () => {
    expect(wouldCreateCycle([d('a', 'b')], 'a', 'c', null)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------
// References and generators.

const VOTERS = ['a', 'b', 'c', 'd', 'e', 'f'];
const MOTIONS = ['m1', 'm2'];

/** The scopes in which delegations can be in force together: all motions alone, and each motion. */
function scopesOf(delegations: readonly Delegation[]): (string | null)[] {
  return [null, ...new Set(delegations.flatMap((x) => (x.motionId === null ? [] : [x.motionId])))];
}

/** Three-colour DFS over the delegations that can be in force in `scope` (general ones, and scope's own). */
function hasCycleIn(delegations: readonly Delegation[], scope: string | null): boolean {
  const edges = delegations.filter((x) => x.motionId === null || x.motionId === scope);
  const colour = new Map<string, 'GREY' | 'BLACK'>();
  const visit = (node: string): boolean => {
    colour.set(node, 'GREY');
    for (const edge of edges) {
      if (edge.from !== node) continue;
      const next = colour.get(edge.to);
      if (next === 'GREY') return true;
      if (next === undefined && visit(edge.to)) return true;
    }
    colour.set(node, 'BLACK');
    return false;
  };
  return [...new Set(edges.flatMap((x) => [x.from, x.to]))].some((n) => colour.get(n) === undefined && visit(n));
}

function anyCycle(delegations: readonly Delegation[]): boolean {
  return scopesOf(delegations).some((scope) => hasCycleIn(delegations, scope));
}

/** Adds a delegation, replacing the voter's delegation of the same scope. */
function withDelegation(state: readonly Delegation[], next: Delegation): Delegation[] {
  return [...state.filter((x) => !(x.from === next.from && x.motionId === next.motionId)), next];
}

/** The first voter who voted on each voter's chain, walked step by step (a circle never ends: null). */
function referenceReach(
  eligible: ReadonlyMap<string, bigint>,
  delegations: readonly Delegation[],
  motionId: string,
  castBy: ReadonlySet<string>,
  voter: string,
): string | null {
  const inForce = (from: string): string | undefined =>
    delegations.find((x) => x.from === from && x.motionId === motionId)?.to ??
    delegations.find((x) => x.from === from && x.motionId === null)?.to;
  let current: string | undefined = voter;
  for (let step = 0; step <= eligible.size; step += 1) {
    if (current === undefined || !eligible.has(current)) return null;
    if (castBy.has(current)) return current;
    current = inForce(current);
  }
  return null;
}

const delegationArb = fc.record({
  from: fc.constantFrom(...VOTERS),
  to: fc.constantFrom(...VOTERS, 'outsider'),
  motionId: fc.constantFrom<string | null>(null, ...MOTIONS),
});

/** Any delegations, circles included, at most one per voter and scope. */
const delegationsArb = fc
  .array(delegationArb, { maxLength: 14 })
  .map((list) => list.reduce<Delegation[]>((state, x) => withDelegation(state, x), []));

const eligibleArb = fc
  .subarray(VOTERS, { minLength: 0 })
  .chain((voters) => fc.tuple(...voters.map((v) => fc.bigInt({ min: 0n, max: 50n }).map((w) => [v, w] as const))))
  .map((entries) => new Map<string, bigint>(entries));

const scenarioArb = eligibleArb.chain((eligible) =>
  fc.record({
    eligible: fc.constant(eligible),
    delegations: delegationsArb,
    motionId: fc.constantFrom(...MOTIONS),
    castBy: fc.subarray([...eligible.keys()]).map((voters) => new Set(voters)),
  }),
);

describe('carriedWeights: properties', () => {
  it('every voter’s weight reaches the ballot the step-by-step reference finds, or none', () => {
    fc.assert(
      fc.property(scenarioArb, ({ eligible, delegations, motionId, castBy }) => {
        const result = carriedWeights(eligible, delegations, motionId, castBy);
        const expected = new Map<string, bigint>([...castBy].map((v) => [v, eligible.get(v) as bigint]));
        let unrepresented = 0n;
        for (const [voter, weight] of eligible) {
          if (castBy.has(voter)) continue;
          const reached = referenceReach(eligible, delegations, motionId, castBy, voter);
          expect(result.representedBy.get(voter)).toBe(reached ?? undefined);
          if (reached === null) unrepresented += weight;
          else expected.set(reached, (expected.get(reached) as bigint) + weight);
        }
        expect(result.carried).toEqual(expected);
        expect(result.unrepresented).toBe(unrepresented);
      }),
    );
  });

  it('conservation: carried plus unrepresented is the eligible weight, and each ballot carries its own', () => {
    fc.assert(
      fc.property(scenarioArb, ({ eligible, delegations, motionId, castBy }) => {
        const result = carriedWeights(eligible, delegations, motionId, castBy);
        const total = [...eligible.values()].reduce((a, b) => a + b, 0n);
        const carried = [...result.carried.values()].reduce((a, b) => a + b, 0n);
        expect(carried + result.unrepresented).toBe(total);
        expect([...result.carried.keys()].sort()).toEqual([...castBy].sort());
        for (const voter of castBy) {
          expect(result.carried.get(voter) as bigint).toBeGreaterThanOrEqual(eligible.get(voter) as bigint);
        }
        for (const [voter, ballot] of result.representedBy) {
          expect(castBy.has(voter)).toBe(false);
          expect(castBy.has(ballot)).toBe(true);
        }
      }),
    );
  });

  it('the result does not depend on the order of the inputs', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), ({ eligible, delegations, motionId, castBy }, seed) => {
        const first = carriedWeights(eligible, delegations, motionId, castBy);
        const second = carriedWeights(
          new Map(shuffled([...eligible], seed)),
          shuffled(delegations, seed + 1),
          motionId,
          new Set(shuffled([...castBy], seed + 2)),
        );
        expect([...second.carried]).toEqual([...first.carried]);
        expect([...second.representedBy]).toEqual([...first.representedBy]);
        expect(second.unrepresented).toBe(first.unrepresented);
      }),
    );
  });
});

describe('wouldCreateCycle: properties', () => {
  type Step = { kind: 'ADD'; delegation: Delegation } | { kind: 'WITHDRAW'; index: number };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    delegationArb.map((delegation) => ({ kind: 'ADD' as const, delegation })),
    fc.nat(20).map((index) => ({ kind: 'WITHDRAW' as const, index })),
  );

  it('on any acyclic state it answers exactly whether adding the delegation would make some scope cyclic', () => {
    fc.assert(
      fc.property(delegationsArb, delegationArb, (state, next) => {
        fc.pre(!anyCycle(state));
        const answer = wouldCreateCycle(state, next.from, next.to, next.motionId);
        expect(answer).toBe(next.from === next.to || anyCycle(withDelegation(state, next)));
      }),
    );
  });

  it('adding only what it admits, and withdrawing anything, never forms a circle in any scope', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let state: Delegation[] = [];
        for (const step of steps) {
          if (step.kind === 'ADD') {
            const { from, to, motionId } = step.delegation;
            if (!wouldCreateCycle(state, from, to, motionId)) state = withDelegation(state, step.delegation);
          } else if (state.length > 0) {
            state = state.filter((_, i) => i !== step.index % state.length);
          }
          expect(anyCycle(state)).toBe(false);
          // Hence in every motion, every chain ends: no weight is lost to a circle.
          for (const motionId of [...MOTIONS, 'fresh']) {
            const inForce = delegationsInForce(state, motionId);
            for (const voter of inForce.keys()) {
              const seen = new Set<string>();
              let current: string | undefined = voter;
              while (current !== undefined) {
                expect(seen.has(current)).toBe(false);
                seen.add(current);
                current = inForce.get(current);
              }
            }
          }
        }
      }),
    );
  });
});
