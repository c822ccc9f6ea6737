/**
 * Goal: approval motions count each option's approving weight exactly, rank by it, and break a tie for
 * first only by the motion's order of options, saying so. Method: worked examples (a clear winner, a tie
 * broken by position, nothing approved, abstentions, refusals), then fast-check properties against a
 * direct count: order of ballots irrelevant, a weight equals repeating the ballot, the winner has the
 * most approvals and is the first such option, and approving a winner more never makes it lose.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  checkApprovalBallot,
  tallyApproval,
  type ApprovalBallot,
} from '../../../src/governance/rules/approval-vote.js';
import { shuffled } from './shuffled.js';

const OPTIONS = ['library', 'garden', 'workshop', 'kitchen'];
const ballot = (weight: bigint, ...approved: string[]): ApprovalBallot => ({ weight, approved });

describe('tallyApproval: worked examples', () => {
  it('counts approving weight per option and ranks by it', () => {
    const outcome = tallyApproval(OPTIONS, [
      ballot(3n, 'garden', 'kitchen'),
      ballot(2n, 'garden'),
      ballot(4n, 'library'),
      ballot(1n),
    ]);
    expect([...outcome.counts]).toEqual([
      ['library', 4n],
      ['garden', 5n],
      ['workshop', 0n],
      ['kitchen', 3n],
    ]);
    expect(outcome.ranking).toEqual(['garden', 'library', 'kitchen', 'workshop']);
    expect(outcome.winners).toEqual(['garden']);
    expect(outcome).toMatchObject({ tieBroken: false, tiedForFirst: ['garden'], cast: 10n });
  });

  it('a tie for first goes to the option listed first in the motion, and the outcome says so', () => {
    const outcome = tallyApproval(OPTIONS, [ballot(2n, 'kitchen', 'garden'), ballot(1n, 'workshop')]);
    expect(outcome.winners).toEqual(['garden']);
    expect(outcome.tieBroken).toBe(true);
    expect(outcome.tiedForFirst).toEqual(['garden', 'kitchen']);
    expect(outcome.groups).toEqual([['garden', 'kitchen'], ['workshop'], ['library']]);
  });

  it('nothing approved: no winner and no tie, however many abstained', () => {
    const outcome = tallyApproval(OPTIONS, [ballot(5n), ballot(2n)]);
    expect(outcome).toMatchObject({ winners: [], tiedForFirst: [], tieBroken: false, cast: 7n });
    expect(outcome.groups).toEqual([OPTIONS]);
    expect(tallyApproval(OPTIONS, []).winners).toEqual([]);
  });

  it('refuses unknown and repeated options', () => {
    expect(checkApprovalBallot(OPTIONS, ['garden', 'library'])).toBeNull();
    expect(checkApprovalBallot(OPTIONS, [])).toBeNull();
    expect(checkApprovalBallot(OPTIONS, ['pool'])).toBe('UNKNOWN_OPTION');
    expect(checkApprovalBallot(OPTIONS, ['garden', 'garden'])).toBe('OPTION_APPROVED_TWICE');
    expect(() => tallyApproval(OPTIONS, [ballot(1n, 'pool')])).toThrow(AssertionFailed);
    expect(() => tallyApproval(OPTIONS, [ballot(-1n, 'garden')])).toThrow(AssertionFailed);
    expect(() => tallyApproval(['a', 'a'], [])).toThrow(AssertionFailed);
  });
});

const ballotArb: fc.Arbitrary<ApprovalBallot> = fc.record({
  weight: fc.bigInt({ min: 0n, max: 9n }),
  approved: fc.subarray(OPTIONS).chain((subset) => fc.shuffledSubarray(subset, { minLength: subset.length })),
});
const ballotsArb = fc.array(ballotArb, { maxLength: 15 });

describe('tallyApproval: properties', () => {
  it('counts are the direct sums, the winner has the most and is the first such option', () => {
    fc.assert(
      fc.property(ballotsArb, (ballots) => {
        const outcome = tallyApproval(OPTIONS, ballots);
        for (const option of OPTIONS) {
          const expected = ballots.filter((x) => x.approved.includes(option)).reduce((s, x) => s + x.weight, 0n);
          expect(outcome.counts.get(option)).toBe(expected);
          expect(expected <= outcome.cast).toBe(true);
        }
        const most = OPTIONS.reduce(
          (m, o) => ((outcome.counts.get(o) as bigint) > m ? (outcome.counts.get(o) as bigint) : m),
          0n,
        );
        const first = OPTIONS.filter((o) => outcome.counts.get(o) === most);
        expect(outcome.winners).toEqual(most > 0n ? [first[0]] : []);
        expect(outcome.tieBroken).toBe(most > 0n && first.length > 1);
        expect(outcome.groups.flat()).toEqual(outcome.ranking);
      }),
    );
  });

  it('the order of ballots does not matter, and a weight equals repeating the ballot', () => {
    fc.assert(
      fc.property(ballotsArb, fc.integer(), (ballots, seed) => {
        const outcome = tallyApproval(OPTIONS, ballots);
        expect(tallyApproval(OPTIONS, shuffled(ballots, seed))).toEqual(outcome);
        const repeated = ballots.flatMap((x) => Array.from({ length: Number(x.weight) }, () => ({ ...x, weight: 1n })));
        expect(tallyApproval(OPTIONS, repeated).counts).toEqual(outcome.counts);
        expect(tallyApproval(OPTIONS, repeated).ranking).toEqual(outcome.ranking);
      }),
    );
  });

  it('more approval for the winner never makes it lose', () => {
    fc.assert(
      fc.property(ballotsArb, fc.bigInt({ min: 1n, max: 9n }), (ballots, weight) => {
        const [winner] = tallyApproval(OPTIONS, ballots).winners;
        fc.pre(winner !== undefined);
        const more = tallyApproval(OPTIONS, [...ballots, ballot(weight, winner)]);
        expect(more.winners).toEqual([winner]);
      }),
    );
  });
});
