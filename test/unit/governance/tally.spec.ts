/**
 * Goal: yes/no motions are decided exactly as the rule file says, on weights, with the quorum measured on
 * ballots cast, and isSettled closes a motion early only when nothing left to cast could change it.
 * Method: worked examples for each rule, the refusals (ballots, rules, quorums, impossible tallies), then
 * fast-check properties: order independence, counts that add up, YES never hurting, the supermajority
 * compared with exact fractions, the quorum exact at its boundary, and isSettled checked against a brute
 * force over every way of casting a small outstanding weight.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import { compare, rational } from '../../../src/kernel/money/rational.js';
import {
  MAX_REASON_LENGTH,
  checkBallot,
  checkDecisionRule,
  checkQuorum,
  choicesFor,
  isSettled,
  tallyYesNo,
  type CastBallot,
  type Choice,
  type DecisionRule,
  type Quorum,
} from '../../../src/governance/rules/tally.js';
import { shuffled } from './shuffled.js';

const MAJORITY: DecisionRule = { kind: 'MAJORITY' };
const TWO_THIRDS: DecisionRule = { kind: 'SUPERMAJORITY', numerator: 2n, denominator: 3n };
const CONSENSUS: DecisionRule = { kind: 'CONSENSUS' };
const CONSENT: DecisionRule = { kind: 'CONSENT' };
const UNANIMITY: DecisionRule = { kind: 'UNANIMITY' };
const HALF: Quorum = { numerator: 1n, denominator: 2n };

const b = (choice: Choice, weight = 1n, reason: string | null = null): CastBallot => ({
  weight,
  choice,
  reason: reason ?? (choice === 'BLOCK' || choice === 'OBJECT' ? 'it harms our tenants' : null),
});

describe('tallyYesNo: worked examples', () => {
  it('MAJORITY: yes must outweigh no; abstentions count for nothing but the quorum; a tie fails', () => {
    const passed = tallyYesNo(MAJORITY, null, 30n, [b('YES', 5n), b('NO', 3n), b('ABSTAIN', 10n)]);
    expect(passed).toMatchObject({ yes: 5n, no: 3n, abstain: 10n, cast: 18n, passed: true, quorumMet: true });
    expect(passed.explanation).toBe(
      'Passed: yes (5) outweighs no (3); abstentions (10) are not counted against (no quorum).',
    );
    expect(tallyYesNo(MAJORITY, null, 30n, [b('YES', 4n), b('NO', 4n)]).passed).toBe(false);
    expect(tallyYesNo(MAJORITY, null, 30n, []).passed).toBe(false);
  });

  it('SUPERMAJORITY 2/3: exactly two thirds passes, a hair less fails, abstentions are not against', () => {
    expect(tallyYesNo(TWO_THIRDS, null, 100n, [b('YES', 2n), b('NO', 1n), b('ABSTAIN', 90n)]).passed).toBe(true);
    // 199/300 = 0.66333…, which a float rounded to two places would call 0.66 and a careless one 2/3.
    expect(tallyYesNo(TWO_THIRDS, null, 300n, [b('YES', 199n), b('NO', 101n)]).passed).toBe(false);
    expect(tallyYesNo(TWO_THIRDS, null, 300n, [b('YES', 200n), b('NO', 100n)]).passed).toBe(true);
    const nobodyYes = tallyYesNo(TWO_THIRDS, null, 10n, [b('ABSTAIN', 3n)]);
    expect(nobodyYes.passed).toBe(false);
    expect(nobodyYes.explanation).toContain('nobody voted yes');
  });

  it('SUPERMAJORITY 1/1 needs every yes-or-no to be yes; 1/2 is "at least half" (a tie passes)', () => {
    const all: DecisionRule = { kind: 'SUPERMAJORITY', numerator: 1n, denominator: 1n };
    const half: DecisionRule = { kind: 'SUPERMAJORITY', numerator: 1n, denominator: 2n };
    expect(tallyYesNo(all, null, 10n, [b('YES', 5n), b('ABSTAIN', 5n)]).passed).toBe(true);
    expect(tallyYesNo(all, null, 10n, [b('YES', 5n), b('NO', 1n)]).passed).toBe(false);
    expect(tallyYesNo(half, null, 10n, [b('YES', 3n), b('NO', 3n)]).passed).toBe(true);
  });

  it('CONSENSUS: passes with a yes and no block; a NO stands aside; one block stops it', () => {
    expect(tallyYesNo(CONSENSUS, null, 10n, [b('YES', 3n), b('NO', 2n)]).passed).toBe(true);
    const blocked = tallyYesNo(CONSENSUS, null, 10n, [b('YES', 8n), b('BLOCK', 1n, 'breaks our bylaws')]);
    expect(blocked).toMatchObject({ block: 1n, passed: false });
    expect(blocked.explanation).toBe('Failed: a block stands (weight 1) (no quorum).');
    expect(tallyYesNo(CONSENSUS, null, 10n, [b('NO', 2n)]).passed).toBe(false);
  });

  it('CONSENT: passes unless an objection stands, even with nobody voting; a quorum can ask for more', () => {
    expect(tallyYesNo(CONSENT, null, 10n, []).passed).toBe(true);
    expect(tallyYesNo(CONSENT, null, 10n, [b('YES', 1n), b('OBJECT', 1n)]).passed).toBe(false);
    const quiet = tallyYesNo(CONSENT, HALF, 10n, [b('ABSTAIN', 4n)]);
    expect(quiet).toMatchObject({ quorumMet: false, quorumNeeded: 5n, passed: false });
    expect(quiet.explanation).toBe(
      'Failed: quorum not met (quorum 1/2 of 10 eligible needs 5, 4 cast); the ballots would say: no objection stands (yes 0, abstain 4).',
    );
  });

  it('UNANIMITY: nobody against and somebody for; abstentions are allowed', () => {
    expect(tallyYesNo(UNANIMITY, null, 10n, [b('YES', 3n), b('ABSTAIN', 2n)]).passed).toBe(true);
    expect(tallyYesNo(UNANIMITY, null, 10n, [b('YES', 9n), b('NO', 1n)]).passed).toBe(false);
    expect(tallyYesNo(UNANIMITY, null, 10n, [b('ABSTAIN', 10n)]).passed).toBe(false);
  });

  it('the quorum is on weight carried by ballots cast, abstentions included, not on the number of ballots', () => {
    // 3 ballots of 10 eligible voters, but carrying 6 of the 10 weight through delegation.
    const tally = tallyYesNo(MAJORITY, HALF, 10n, [b('YES', 4n), b('NO', 1n), b('ABSTAIN', 1n)]);
    expect(tally).toMatchObject({ cast: 6n, quorumMet: true, passed: true });
    expect(tallyYesNo(MAJORITY, HALF, 11n, [b('YES', 5n)]).quorumMet).toBe(false);
    expect(tallyYesNo(MAJORITY, HALF, 11n, [b('YES', 5n), b('ABSTAIN', 1n)]).quorumMet).toBe(true);
  });

  it('a ballot of weight zero decides nothing', () => {
    expect(tallyYesNo(CONSENSUS, null, 10n, [b('YES', 2n), b('BLOCK', 0n)]).passed).toBe(true);
  });

  it('tallies 10,000 ballots', () => {
    const ballots = Array.from({ length: 10_000 }, (_, i) =>
      b((['YES', 'NO', 'ABSTAIN'] as const)[i % 3] as Choice, BigInt(1 + (i % 7))),
    );
    const tally = tallyYesNo(TWO_THIRDS, HALF, 50_000n, ballots);
    expect(tally.cast).toBe(tally.yes + tally.no + tally.abstain);
    expect(tally.cast).toBe(ballots.reduce((sum, x) => sum + x.weight, 0n));
  });
});

describe('refusals', () => {
  it('checkBallot: the rule’s choices only; BLOCK and OBJECT need a reason; reasons have a limit', () => {
    expect(choicesFor(MAJORITY)).toEqual(['YES', 'NO', 'ABSTAIN']);
    expect(choicesFor(CONSENSUS)).toEqual(['YES', 'NO', 'ABSTAIN', 'BLOCK']);
    expect(choicesFor(CONSENT)).toEqual(['YES', 'ABSTAIN', 'OBJECT']);
    expect(checkBallot(MAJORITY, 'BLOCK', 'no')).toBe('CHOICE_NOT_ALLOWED');
    expect(checkBallot(CONSENT, 'NO', null)).toBe('CHOICE_NOT_ALLOWED');
    expect(checkBallot(UNANIMITY, 'OBJECT', 'no')).toBe('CHOICE_NOT_ALLOWED');
    expect(checkBallot(CONSENSUS, 'BLOCK', null)).toBe('REASON_REQUIRED');
    expect(checkBallot(CONSENSUS, 'BLOCK', ' \n\t')).toBe('REASON_REQUIRED');
    expect(checkBallot(CONSENT, 'OBJECT', '')).toBe('REASON_REQUIRED');
    expect(checkBallot(CONSENT, 'OBJECT', 'the lease is unlawful')).toBeNull();
    expect(checkBallot(MAJORITY, 'YES', null)).toBeNull();
    expect(checkBallot(MAJORITY, 'NO', 'x'.repeat(MAX_REASON_LENGTH))).toBeNull();
    expect(checkBallot(MAJORITY, 'NO', 'x'.repeat(MAX_REASON_LENGTH + 1))).toBe('REASON_TOO_LONG');
  });

  it('checkDecisionRule: a supermajority between 1/2 and 1; checkQuorum: above 0, at most 1', () => {
    const sm = (numerator: bigint, denominator: bigint): DecisionRule => ({
      kind: 'SUPERMAJORITY',
      numerator,
      denominator,
    });
    for (const ok of [sm(1n, 2n), sm(2n, 3n), sm(3n, 4n), sm(1n, 1n), MAJORITY, CONSENT]) {
      expect(checkDecisionRule(ok)).toBeNull();
    }
    for (const bad of [sm(1n, 3n), sm(3n, 2n), sm(1n, 0n), sm(-2n, -3n), sm(0n, 1n)]) {
      expect(checkDecisionRule(bad)).toBe('SUPERMAJORITY_OUT_OF_RANGE');
    }
    for (const ok of [HALF, { numerator: 1n, denominator: 1n }, { numerator: 1n, denominator: 100n }]) {
      expect(checkQuorum(ok)).toBeNull();
    }
    for (const bad of [
      { numerator: 0n, denominator: 1n },
      { numerator: 2n, denominator: 1n },
      { numerator: -1n, denominator: 2n },
      { numerator: 1n, denominator: 0n },
      { numerator: -1n, denominator: -2n },
    ]) {
      expect(checkQuorum(bad)).toBe('QUORUM_OUT_OF_RANGE');
    }
  });

  it('an invalid ballot, a negative weight or more weight than eligible is a bug, not a tally', () => {
    expect(() => tallyYesNo(CONSENSUS, null, 10n, [{ weight: 1n, choice: 'BLOCK', reason: null }])).toThrow(
      AssertionFailed,
    );
    expect(() => tallyYesNo(MAJORITY, null, 10n, [b('OBJECT')])).toThrow(AssertionFailed);
    expect(() => tallyYesNo(MAJORITY, null, 10n, [b('YES', -1n)])).toThrow(AssertionFailed);
    expect(() => tallyYesNo(MAJORITY, null, 10n, [b('YES', 11n)])).toThrow(AssertionFailed);
    expect(() => tallyYesNo({ kind: 'SUPERMAJORITY', numerator: 1n, denominator: 3n }, null, 1n, [])).toThrow(
      AssertionFailed,
    );
    expect(() => tallyYesNo(MAJORITY, { numerator: 0n, denominator: 1n }, 1n, [])).toThrow(AssertionFailed);
    expect(() => isSettled(MAJORITY, null, 10n, [b('YES', 5n)], 6n)).toThrow(AssertionFailed);
  });
});

describe('isSettled: worked examples', () => {
  it('a majority already beyond reach of the outstanding weight is settled; within reach it is not', () => {
    expect(isSettled(MAJORITY, null, 10n, [b('YES', 6n)], 4n)).toBe(true);
    expect(isSettled(MAJORITY, null, 10n, [b('YES', 5n)], 5n)).toBe(false);
    expect(isSettled(MAJORITY, null, 10n, [b('NO', 5n)], 5n)).toBe(true); // a tie at best: fails either way
  });

  it('a standing block settles a consensus motion; a clean one is never settled while anyone may still block', () => {
    expect(isSettled(CONSENSUS, null, 10n, [b('BLOCK', 1n)], 9n)).toBe(true);
    expect(isSettled(CONSENSUS, null, 10n, [b('YES', 9n)], 1n)).toBe(false);
    expect(isSettled(CONSENSUS, null, 10n, [b('YES', 10n)], 0n)).toBe(true);
  });

  it('a quorum out of reach settles the motion as failed', () => {
    expect(isSettled(MAJORITY, HALF, 10n, [b('YES', 2n)], 2n)).toBe(true);
    expect(isSettled(MAJORITY, HALF, 10n, [b('YES', 2n)], 3n)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Generators.

const ruleArb: fc.Arbitrary<DecisionRule> = fc.oneof(
  fc.constant(MAJORITY),
  fc
    .integer({ min: 1, max: 7 })
    .chain((d) => fc.integer({ min: Math.ceil(d / 2), max: d }).map((n) => [n, d] as const))
    .map(([n, d]) => ({ kind: 'SUPERMAJORITY' as const, numerator: BigInt(n), denominator: BigInt(d) })),
  fc.constant(CONSENSUS),
  fc.constant(CONSENT),
  fc.constant(UNANIMITY),
);

const quorumArb: fc.Arbitrary<Quorum | null> = fc.option(
  fc
    .integer({ min: 1, max: 7 })
    .chain((d) => fc.integer({ min: 1, max: d }).map((n) => ({ numerator: BigInt(n), denominator: BigInt(d) }))),
);

function ballotArb(rule: DecisionRule, maxWeight: bigint): fc.Arbitrary<CastBallot> {
  return fc
    .record({ choice: fc.constantFrom(...choicesFor(rule)), weight: fc.bigInt({ min: 0n, max: maxWeight }) })
    .map(({ choice, weight }) => b(choice, weight));
}

const scenarioArb = ruleArb.chain((rule) =>
  fc.record({
    rule: fc.constant(rule),
    quorum: quorumArb,
    ballots: fc.array(ballotArb(rule, 20n), { maxLength: 12 }),
    spare: fc.bigInt({ min: 0n, max: 40n }),
  }),
);

const total = (ballots: readonly CastBallot[]): bigint => ballots.reduce((sum, x) => sum + x.weight, 0n);

describe('tallyYesNo: properties', () => {
  it('counts add up to the cast weight, and the tally does not depend on the order of ballots', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), ({ rule, quorum, ballots, spare }, seed) => {
        const eligible = total(ballots) + spare;
        const tally = tallyYesNo(rule, quorum, eligible, ballots);
        expect(tally.yes + tally.no + tally.abstain + tally.block + tally.object).toBe(tally.cast);
        expect(tally.cast).toBe(total(ballots));
        expect(tallyYesNo(rule, quorum, eligible, shuffled(ballots, seed))).toEqual(tally);
      }),
    );
  });

  it('adding a YES never turns a pass into a failure, under any rule', () => {
    fc.assert(
      fc.property(scenarioArb, fc.bigInt({ min: 0n, max: 20n }), ({ rule, quorum, ballots, spare }, extra) => {
        const eligible = total(ballots) + spare + extra;
        const before = tallyYesNo(rule, quorum, eligible, ballots);
        const after = tallyYesNo(rule, quorum, eligible, [...ballots, b('YES', extra)]);
        if (before.passed) expect(after.passed).toBe(true);
      }),
    );
  });

  it('SUPERMAJORITY and MAJORITY agree with exact fractions', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rule, quorum, ballots, spare }) => {
        const tally = tallyYesNo(rule, quorum, total(ballots) + spare, ballots);
        if (!tally.quorumMet) return expect(tally.passed).toBe(false);
        if (rule.kind === 'MAJORITY') expect(tally.passed).toBe(tally.yes > tally.no);
        if (rule.kind === 'SUPERMAJORITY') {
          const share = tally.yes === 0n ? null : rational(tally.yes, tally.yes + tally.no);
          const expected = share !== null && compare(share, rational(rule.numerator, rule.denominator)) >= 0;
          expect(tally.passed).toBe(expected);
        }
      }),
    );
  });

  it('the quorum is exact at its boundary: the needed weight meets it, one less does not', () => {
    fc.assert(
      fc.property(
        quorumArb.filter((q): q is Quorum => q !== null),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (quorum, eligible) => {
          const needed = tallyYesNo(MAJORITY, quorum, eligible, []).quorumNeeded;
          expect(needed * quorum.denominator >= quorum.numerator * eligible).toBe(true);
          expect(tallyYesNo(MAJORITY, quorum, eligible, [b('ABSTAIN', needed)]).quorumMet).toBe(true);
          if (needed > 0n) {
            expect((needed - 1n) * quorum.denominator < quorum.numerator * eligible).toBe(true);
            expect(tallyYesNo(MAJORITY, quorum, eligible, [b('ABSTAIN', needed - 1n)]).quorumMet).toBe(false);
          }
        },
      ),
    );
  });
});

/** Every way to cast `weight` more, in whole units, among the rule's choices (or not at all). */
function completions(rule: DecisionRule, weight: bigint): CastBallot[][] {
  const choices = choicesFor(rule);
  const result: CastBallot[][] = [];
  const extend = (index: number, left: bigint, sofar: CastBallot[]): void => {
    if (index === choices.length) {
      result.push(sofar);
      return;
    }
    for (let w = 0n; w <= left; w += 1n) {
      extend(index + 1, left - w, w === 0n ? sofar : [...sofar, b(choices[index] as Choice, w)]);
    }
  };
  extend(0, weight, []);
  return result;
}

describe('isSettled: properties', () => {
  it('is settled exactly when no completion of the outstanding weight changes the outcome (brute force)', () => {
    fc.assert(
      fc.property(
        ruleArb.chain((rule) =>
          fc.record({
            rule: fc.constant(rule),
            quorum: quorumArb,
            ballots: fc.array(ballotArb(rule, 4n), { maxLength: 4 }),
            outstanding: fc.bigInt({ min: 0n, max: 4n }),
            spare: fc.bigInt({ min: 0n, max: 4n }),
          }),
        ),
        ({ rule, quorum, ballots, outstanding, spare }) => {
          const eligible = total(ballots) + outstanding + spare;
          const outcomes = new Set(
            completions(rule, outstanding).map(
              (more) => tallyYesNo(rule, quorum, eligible, [...ballots, ...more]).passed,
            ),
          );
          expect(isSettled(rule, quorum, eligible, ballots, outstanding)).toBe(outcomes.size === 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
