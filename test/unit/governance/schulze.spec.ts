/**
 * Goal: ranked motions are decided by the Schulze method exactly as published, with the pairwise counts,
 * beatpath strengths and ranking kept for anyone to check. Method: the published examples (Wikipedia's
 * 45 voters, whose d and p tables are printed there, and Markus Schulze's examples 2 to 4 from the
 * Electorama wiki, including one with two winners), ballots with ties and unlisted options, the refusals,
 * then fast-check properties: strengths equal a brute-force search over all simple paths, a Condorcet
 * winner wins, unanimity, order of ballots irrelevant, a weight equals repeating the ballot, and the
 * ranking agrees with the beats relation.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import { checkOptions, checkRankedBallot, schulze, type RankedBallot } from '../../../src/governance/rules/schulze.js';
import { shuffled } from './shuffled.js';

/** "ACBED" × 5 → a strict ranking ballot of weight 5. */
function strict(weight: number, order: string): RankedBallot {
  return { weight: BigInt(weight), ranking: [...order].map((option) => [option]) };
}

const big = (rows: number[][]): bigint[][] => rows.map((row) => row.map(BigInt));

describe('schulze: published examples', () => {
  it('Wikipedia, 45 voters and 5 options: E > A > C > B > D, with the printed d and p tables', () => {
    const ballots = [
      strict(5, 'ACBED'),
      strict(5, 'ADECB'),
      strict(8, 'BEDAC'),
      strict(3, 'CABED'),
      strict(7, 'CAEBD'),
      strict(2, 'CBADE'),
      strict(7, 'DCEBA'),
      strict(8, 'EBADC'),
    ];
    const outcome = schulze(['A', 'B', 'C', 'D', 'E'], ballots);
    expect(outcome.pairwise).toEqual(
      big([
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
      ]),
    );
    expect(outcome.strengths).toEqual(
      big([
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
      ]),
    );
    expect(outcome.ranking).toEqual([['E'], ['A'], ['C'], ['B'], ['D']]);
    expect(outcome.winners).toEqual(['E']);
  });

  it('Schulze example 2 (30 voters, 4 options): D > A > C > B', () => {
    const ballots = [
      strict(5, 'ACBD'),
      strict(2, 'ACDB'),
      strict(3, 'ADCB'),
      strict(4, 'BACD'),
      strict(3, 'CBDA'),
      strict(3, 'CDBA'),
      strict(1, 'DACB'),
      strict(5, 'DBAC'),
      strict(4, 'DCBA'),
    ];
    const outcome = schulze(['A', 'B', 'C', 'D'], ballots);
    expect(outcome.strengths).toEqual(
      big([
        [0, 20, 20, 17],
        [19, 0, 19, 17],
        [19, 21, 0, 17],
        [18, 18, 18, 0],
      ]),
    );
    expect(outcome.ranking).toEqual([['D'], ['A'], ['C'], ['B']]);
  });

  it('Schulze example 3 (30 voters, 5 options): B > A > D > E > C', () => {
    const ballots = [
      strict(3, 'ABDEC'),
      strict(5, 'ADEBC'),
      strict(1, 'ADECB'),
      strict(2, 'BADEC'),
      strict(2, 'BDECA'),
      strict(4, 'CABDE'),
      strict(6, 'CBADE'),
      strict(2, 'DBECA'),
      strict(5, 'DECAB'),
    ];
    const outcome = schulze(['A', 'B', 'C', 'D', 'E'], ballots);
    expect(outcome.strengths).toEqual(
      big([
        [0, 18, 20, 21, 21],
        [19, 0, 19, 19, 19],
        [19, 18, 0, 19, 19],
        [19, 18, 20, 0, 30],
        [19, 18, 20, 19, 0],
      ]),
    );
    expect(outcome.ranking).toEqual([['B'], ['A'], ['D'], ['E'], ['C']]);
  });

  it('Schulze example 4 (9 voters): B and D both win, and A and C tie below them', () => {
    const ballots = [strict(3, 'ABCD'), strict(2, 'DABC'), strict(2, 'DBCA'), strict(2, 'CBDA')];
    const outcome = schulze(['A', 'B', 'C', 'D'], ballots);
    expect(outcome.strengths).toEqual(
      big([
        [0, 5, 5, 5],
        [5, 0, 7, 5],
        [5, 5, 0, 5],
        [6, 5, 5, 0],
      ]),
    );
    expect(outcome.winners).toEqual(['B', 'D']);
    expect(outcome.ranking).toEqual([
      ['B', 'D'],
      ['A', 'C'],
    ]);
  });
});

describe('schulze: ties, unlisted options and refusals', () => {
  it('equally ranked options gain nothing over each other; unlisted ones rank below all listed', () => {
    const outcome = schulze(['A', 'B', 'C', 'D'], [{ weight: 2n, ranking: [['A', 'B'], ['C']] }]);
    expect(outcome.pairwise).toEqual(
      big([
        [0, 0, 2, 2],
        [0, 0, 2, 2],
        [0, 0, 0, 2],
        [0, 0, 0, 0],
      ]),
    );
    expect(outcome.ranking).toEqual([['A', 'B'], ['C'], ['D']]);
  });

  it('no ballots, or only empty ones: everything ties and everyone is a winner', () => {
    expect(schulze(['A', 'B'], []).ranking).toEqual([['A', 'B']]);
    expect(schulze(['A', 'B'], [{ weight: 3n, ranking: [] }]).winners).toEqual(['A', 'B']);
  });

  it('refuses unknown, repeated and empty entries, and checks the motion’s options', () => {
    expect(checkRankedBallot(['A', 'B'], [['A'], ['B']])).toBeNull();
    expect(checkRankedBallot(['A', 'B'], [])).toBeNull();
    expect(checkRankedBallot(['A', 'B'], [['A'], ['Z']])).toBe('UNKNOWN_OPTION');
    expect(checkRankedBallot(['A', 'B'], [['A'], ['A']])).toBe('OPTION_RANKED_TWICE');
    expect(checkRankedBallot(['A', 'B'], [['A', 'A']])).toBe('OPTION_RANKED_TWICE');
    expect(checkRankedBallot(['A', 'B'], [['A'], []])).toBe('EMPTY_GROUP');
    expect(checkOptions(['A'])).toBe('TOO_FEW_OPTIONS');
    expect(checkOptions(['A', 'A'])).toBe('DUPLICATE_OPTION');
    expect(checkOptions(Array.from({ length: 101 }, (_, i) => `o${i}`))).toBe('TOO_MANY_OPTIONS');
    expect(checkOptions(['A', 'B'])).toBeNull();
    expect(() => schulze(['A', 'B'], [strict(1, 'AZ')])).toThrow(AssertionFailed);
    expect(() => schulze(['A', 'B'], [strict(-1, 'AB')])).toThrow(AssertionFailed);
    expect(() => schulze(['A', 'A'], [])).toThrow(AssertionFailed);
  });

  it('counts 10,000 ballots over 10 options', () => {
    const options = Array.from({ length: 10 }, (_, i) => `option-${i}`);
    const ballots = Array.from({ length: 10_000 }, (_, i) => ({
      weight: BigInt(1 + (i % 3)),
      ranking: shuffled(options, i).map((option) => [option]),
    }));
    const outcome = schulze(options, ballots);
    const total = ballots.reduce((sum, x) => sum + x.weight, 0n);
    for (let i = 0; i < 10; i += 1) {
      for (let j = 0; j < 10; j += 1) {
        if (i !== j) expect((outcome.pairwise[i]?.[j] as bigint) + (outcome.pairwise[j]?.[i] as bigint)).toBe(total);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties.

const OPTIONS = ['A', 'B', 'C', 'D', 'E'];

const rankingArb: fc.Arbitrary<string[][]> = fc
  .tuple(fc.subarray(OPTIONS), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), fc.integer())
  .map(([listed, breaks, seed]) => {
    const order = shuffled(listed, seed);
    const groups: string[][] = [];
    order.forEach((option, i) => {
      if (i === 0 || breaks[i]) groups.push([option]);
      else groups[groups.length - 1]?.push(option);
    });
    return groups;
  });

const ballotArb: fc.Arbitrary<RankedBallot> = fc.record({
  weight: fc.bigInt({ min: 0n, max: 9n }),
  ranking: rankingArb,
});

const ballotsArb = fc.array(ballotArb, { maxLength: 12 });

/** The strongest path from i to j by trying every simple path (links as in the rule file). */
function bruteStrength(pairwise: readonly (readonly bigint[])[], from: number, to: number): bigint {
  const d = (i: number, j: number): bigint => pairwise[i]?.[j] as bigint;
  const link = (i: number, j: number): bigint => (d(i, j) > d(j, i) ? d(i, j) : 0n);
  let best = 0n;
  const walk = (node: number, visited: Set<number>, weakest: bigint | null): void => {
    for (let next = 0; next < pairwise.length; next += 1) {
      if (visited.has(next) || link(node, next) === 0n) continue;
      const strength = weakest === null || link(node, next) < weakest ? link(node, next) : weakest;
      if (next === to) best = strength > best ? strength : best;
      else walk(next, new Set([...visited, next]), strength);
    }
  };
  walk(from, new Set([from]), null);
  return best;
}

describe('schulze: properties', () => {
  it('strengths are the strongest simple paths, found by brute force', () => {
    fc.assert(
      fc.property(ballotsArb, (ballots) => {
        const outcome = schulze(OPTIONS, ballots);
        OPTIONS.forEach((_, i) =>
          OPTIONS.forEach((__, j) => {
            if (i !== j) expect(outcome.strengths[i]?.[j]).toBe(bruteStrength(outcome.pairwise, i, j));
          }),
        );
      }),
    );
  });

  it('a Condorcet winner (beating every other option pairwise) is the only winner', () => {
    fc.assert(
      fc.property(ballotsArb, (ballots) => {
        const outcome = schulze(OPTIONS, ballots);
        const d = outcome.pairwise;
        const condorcet = OPTIONS.findIndex((_, x) =>
          OPTIONS.every((__, y) => x === y || (d[x]?.[y] as bigint) > (d[y]?.[x] as bigint)),
        );
        if (condorcet >= 0) expect(outcome.winners).toEqual([OPTIONS[condorcet]]);
      }),
    );
  });

  it('unanimity: when every ballot ranks X alone first, X alone wins', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPTIONS), ballotsArb, (first, ballots) => {
        const ranked = ballots.map((ballot) => ({
          weight: ballot.weight + 1n,
          ranking: [[first], ...ballot.ranking.map((g) => g.filter((o) => o !== first)).filter((g) => g.length > 0)],
        }));
        fc.pre(ranked.length > 0);
        expect(schulze(OPTIONS, ranked).winners).toEqual([first]);
      }),
    );
  });

  it('the outcome is independent of the order of ballots', () => {
    fc.assert(
      fc.property(ballotsArb, fc.integer(), (ballots, seed) => {
        expect(schulze(OPTIONS, shuffled(ballots, seed))).toEqual(schulze(OPTIONS, ballots));
      }),
    );
  });

  it('a weight equals repeating the ballot', () => {
    fc.assert(
      fc.property(ballotsArb, (ballots) => {
        const repeated = ballots.flatMap((ballot) =>
          Array.from({ length: Number(ballot.weight) }, () => ({ weight: 1n, ranking: ballot.ranking })),
        );
        expect(schulze(OPTIONS, repeated)).toEqual(schulze(OPTIONS, ballots));
      }),
    );
  });

  it('the ranking respects the beats relation, and no option in a group beats another of its group', () => {
    fc.assert(
      fc.property(ballotsArb, (ballots) => {
        const outcome = schulze(OPTIONS, ballots);
        const p = (x: string, y: string): bigint =>
          outcome.strengths[OPTIONS.indexOf(x)]?.[OPTIONS.indexOf(y)] as bigint;
        const groupOf = (x: string): number => outcome.ranking.findIndex((group) => group.includes(x));
        expect(outcome.ranking.flat().sort()).toEqual(OPTIONS);
        for (const x of OPTIONS) {
          for (const y of OPTIONS) {
            if (p(x, y) > p(y, x)) expect(groupOf(x)).toBeLessThan(groupOf(y));
          }
        }
        expect(outcome.winners).toEqual(outcome.ranking[0]);
        for (const winner of outcome.winners) for (const y of OPTIONS) expect(p(winner, y) >= p(y, winner)).toBe(true);
      }),
    );
  });
});
