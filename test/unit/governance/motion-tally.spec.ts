/**
 * Goal: a motion's outcome comes from its stored ballots and nothing else: the same set of ballots in any
 * order gives the same JSON (so a recount after a secret motion's ballots were rewritten at close matches);
 * delegated weight is carried as the delegation rules say and shown per ballot; a secret ballot carries its
 * own weight and never a delegation; the quorum is measured on what was cast; and isFinal lets a motion
 * close early only when no ballot still possible could change its outcome. Method: worked examples for each
 * ballot kind, then fast-check properties: order independence for every kind, open and secret ballots
 * counting the same, and isFinal checked against a brute force over every way the voters still to cast
 * could cast (or not).
 */
import fc from 'fast-check';
import type { BallotChoice } from '../../../src/governance/governance.records.js';
import { canonicalJson } from '../../../src/governance/rules/canonical-json.js';
import type { Delegation } from '../../../src/governance/rules/delegation.js';
import {
  isFinal,
  tallyMotion,
  type StoredBallot,
  type TallyInput,
} from '../../../src/governance/rules/motion-tally.js';
import type { DecisionRule, Quorum } from '../../../src/governance/rules/tally.js';
import { shuffled } from './shuffled.js';

type Motion = TallyInput['motion'];

const yesNo = (rule: DecisionRule = { kind: 'MAJORITY' }, quorum: Quorum | null = null, secret = false): Motion => ({
  id: 'motion',
  ballotKind: 'YES_NO',
  rule,
  quorum,
  options: [],
  budget: null,
  secret,
});

const voters = (count: number, weight = 1n): Map<string, bigint> =>
  new Map(Array.from({ length: count }, (_, index) => [`v${index}`, weight]));

const open = (voterId: string, choice: BallotChoice, reason = ''): StoredBallot => ({
  voterId,
  weight: null,
  choice,
  reason,
});
const yn = (choice: 'YES' | 'NO' | 'ABSTAIN' | 'BLOCK' | 'OBJECT'): BallotChoice => ({ kind: 'YES_NO', choice });

function input(motion: Motion, ballots: StoredBallot[], overrides: Partial<TallyInput> = {}): TallyInput {
  return { motion, voters: voters(5), ballots, delegations: [], delegationAllowed: true, ...overrides };
}

describe('tallyMotion: worked examples', () => {
  it('counts yes/no ballots under the rule and explains the outcome', () => {
    const tally = tallyMotion(
      input(yesNo(), [open('v0', yn('YES')), open('v1', yn('YES')), open('v2', yn('NO')), open('v3', yn('ABSTAIN'))]),
    );
    expect(tally.passed).toBe(true);
    expect(tally.detail).toMatchObject({ yes: '2', no: '1', abstain: '1', eligible: '5', cast: '4', quorumMet: true });
    expect(tally.detail['explanation']).toEqual(expect.any(String));
  });

  it('carries delegated weight to the ballot that casts it, and shows whom it represents', () => {
    const delegations: Delegation[] = [
      { from: 'v1', to: 'v0', motionId: null },
      { from: 'v2', to: 'v1', motionId: null },
    ];
    const tally = tallyMotion(input(yesNo(), [open('v0', yn('YES')), open('v3', yn('NO'))], { delegations }));
    expect(tally.detail).toMatchObject({ yes: '3', no: '1', cast: '4', unrepresented: '1' });
    expect(tally.detail['weights']).toEqual([
      { voterId: 'v0', weight: '3', represents: ['v1', 'v2'] },
      { voterId: 'v3', weight: '1', represents: [] },
    ]);
  });

  it('ignores delegations where they do not apply', () => {
    const delegations: Delegation[] = [{ from: 'v1', to: 'v0', motionId: null }];
    const ballots = [open('v0', yn('YES'))];
    expect(tallyMotion(input(yesNo(), ballots, { delegations, delegationAllowed: false })).detail).toMatchObject({
      yes: '1',
      cast: '1',
    });
  });

  it('counts secret ballots by their own weight, with no voter anywhere in the tally', () => {
    const motion = yesNo({ kind: 'CONSENSUS' }, null, true);
    const tally = tallyMotion(
      input(
        motion,
        [
          { voterId: null, weight: 2n, choice: yn('YES'), reason: '' },
          { voterId: null, weight: 1n, choice: yn('BLOCK'), reason: 'Not like this.' },
        ],
        {
          voters: new Map([
            ['v0', 2n],
            ['v1', 1n],
            ['v2', 1n],
          ]),
        },
      ),
    );
    expect(tally.passed).toBe(false);
    expect(tally.detail).toMatchObject({ yes: '2', block: '1', eligible: '4', cast: '3' });
    expect(tally.detail['reasons']).toEqual([{ voterId: null, reason: 'Not like this.' }]);
    expect(canonicalJson(tally.detail)).not.toMatch(/"v[0-9]"/);
  });

  it('decides a ranked motion by Schulze, and passes only with a single winner and the quorum met', () => {
    const motion: Motion = { ...yesNo(), ballotKind: 'RANKED', options: ['a', 'b', 'c'] };
    const ranked = (voter: string, ...ranking: string[][]) => open(voter, { kind: 'RANKED', ranking });
    const tally = tallyMotion(
      input(motion, [ranked('v0', ['a'], ['b']), ranked('v1', ['a'], ['c']), ranked('v2', ['b'])]),
    );
    expect(tally.passed).toBe(true);
    expect(tally.detail).toMatchObject({ winner: 'a', winners: ['a'] });
    const tied = tallyMotion(input(motion, [ranked('v0', ['a'], ['b']), ranked('v1', ['b'], ['a'])]));
    expect(tied.passed).toBe(false);
    expect(tied.detail['winner']).toBeNull();
    const quorate = tallyMotion(
      input({ ...motion, quorum: { numerator: 4n, denominator: 5n } }, [ranked('v0', ['a']), ranked('v1', ['a'])]),
    );
    expect(quorate.passed).toBe(false);
  });

  it('decides an approval motion by the most approved option', () => {
    const motion: Motion = { ...yesNo(), ballotKind: 'APPROVAL', options: ['mon', 'wed', 'fri'] };
    const approve = (voter: string, ...approved: string[]) => open(voter, { kind: 'APPROVAL', approved });
    const tally = tallyMotion(input(motion, [approve('v0', 'mon', 'wed'), approve('v1', 'wed'), approve('v2', 'fri')]));
    expect(tally.detail).toMatchObject({ winner: 'wed', approvals: { mon: '1', wed: '2', fri: '1' } });
    expect(tally.passed).toBe(true);
  });

  it('decides a budget motion one ballot per voter, and passes when something is funded', () => {
    const motion: Motion = {
      ...yesNo(),
      ballotKind: 'BUDGET',
      budget: {
        unitCode: 'CWC',
        fundAccountId: 'fund',
        amount: 100n,
        method: 'GREEDY',
        proposals: [
          { id: 'p1', title: 'One', cost: 60n, payeeAccountId: 'x' },
          { id: 'p2', title: 'Two', cost: 50n, payeeAccountId: 'y' },
        ],
      },
    };
    const approve = (voter: string, ...approved: string[]) => open(voter, { kind: 'APPROVAL', approved });
    const tally = tallyMotion(input(motion, [approve('v0', 'p1'), approve('v1', 'p1', 'p2'), approve('v2', 'p1')]));
    expect(tally.passed).toBe(true);
    expect(tally.detail['budget']).toMatchObject({ funded: ['p1'], spent: '60' });
    expect(tallyMotion(input(motion, [])).passed).toBe(false);
  });
});

const CHOICES = ['YES', 'NO', 'ABSTAIN', 'BLOCK', 'OBJECT'] as const;
const RULES: DecisionRule[] = [
  { kind: 'MAJORITY' },
  { kind: 'SUPERMAJORITY', numerator: 2n, denominator: 3n },
  { kind: 'CONSENSUS' },
  { kind: 'CONSENT' },
  { kind: 'UNANIMITY' },
];
const allowed = (rule: DecisionRule) =>
  CHOICES.filter((choice) =>
    rule.kind === 'CONSENSUS'
      ? choice !== 'OBJECT'
      : rule.kind === 'CONSENT'
        ? choice !== 'NO' && choice !== 'BLOCK'
        : choice !== 'BLOCK' && choice !== 'OBJECT',
  );

const scenario = fc
  .record({
    rule: fc.constantFrom(...RULES),
    quorum: fc.option(fc.constantFrom<Quorum>({ numerator: 1n, denominator: 2n }, { numerator: 2n, denominator: 3n }), {
      nil: null,
    }),
    weights: fc.array(fc.bigInt({ min: 1n, max: 4n }), { minLength: 1, maxLength: 6 }),
    picks: fc.array(fc.nat(9), { minLength: 6, maxLength: 6 }),
    secret: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ rule, quorum, weights, picks, secret, seed }) => {
    const choices = allowed(rule);
    const voterMap = new Map(weights.map((weight, index) => [`v${index}`, weight]));
    // A pick past the rule's choices means "has not cast".
    const ballots: StoredBallot[] = weights.flatMap((weight, index) => {
      const pick = picks[index] ?? 0;
      if (pick >= choices.length) return [];
      const choice = yn(choices[pick]!);
      return [{ voterId: secret ? null : `v${index}`, weight: secret ? weight : null, choice, reason: 'because' }];
    });
    const cast = new Set(weights.flatMap((_, index) => ((picks[index] ?? 0) < choices.length ? [`v${index}`] : [])));
    return { rule, quorum, voterMap, ballots, secret, seed, cast, choices };
  });

describe('tallyMotion: properties', () => {
  it('gives the same JSON for the same ballots in any order', () => {
    fc.assert(
      fc.property(scenario, ({ rule, quorum, voterMap, ballots, secret, seed }) => {
        const motion = yesNo(rule, quorum, secret);
        const base = { motion, voters: voterMap, delegations: [], delegationAllowed: false };
        const first = tallyMotion({ ...base, ballots });
        const again = tallyMotion({ ...base, ballots: shuffled(ballots, seed) });
        expect(canonicalJson(again.detail)).toBe(canonicalJson(first.detail));
        expect(again.passed).toBe(first.passed);
      }),
    );
  });

  it('counts open and secret ballots alike (without delegation)', () => {
    fc.assert(
      fc.property(scenario, ({ rule, quorum, voterMap, ballots }) => {
        const asOpen = ballots.map((ballot, index) => ({ ...ballot, voterId: ballot.voterId ?? `v${index}` }));
        const openTally = tallyMotion({
          motion: yesNo(rule, quorum, false),
          voters: voterMap,
          ballots: asOpen.map((ballot) => ({ ...ballot, weight: null })),
          delegations: [],
          delegationAllowed: false,
        });
        const secretTally = tallyMotion({
          motion: yesNo(rule, quorum, true),
          voters: voterMap,
          ballots: asOpen.map((ballot) => ({ ...ballot, voterId: null, weight: voterMap.get(ballot.voterId) ?? 0n })),
          delegations: [],
          delegationAllowed: false,
        });
        expect(secretTally.passed).toBe(openTally.passed);
        for (const key of ['yes', 'no', 'abstain', 'block', 'object', 'cast', 'eligible']) {
          expect(secretTally.detail[key]).toBe(openTally.detail[key]);
        }
      }),
    );
  });

  it('isFinal only when every way the rest could still cast (or not) gives the same outcome', () => {
    fc.assert(
      fc.property(scenario, ({ rule, quorum, voterMap, ballots, secret, cast, choices }) => {
        const motion = yesNo(rule, quorum, secret);
        const base: TallyInput = {
          motion,
          voters: voterMap,
          ballots,
          delegations: [],
          delegationAllowed: false,
          ...(secret ? { secretParticipants: cast } : {}),
        };
        const now = tallyMotion(base).passed;
        const remaining = [...voterMap].filter(([voter]) => !cast.has(voter));
        // Every completion: each remaining voter casts one of the rule's choices, or does not cast.
        let allSame = true;
        const completions = (index: number, extra: StoredBallot[]): void => {
          if (!allSame) return;
          if (index === remaining.length) {
            if (tallyMotion({ ...base, ballots: [...ballots, ...extra] }).passed !== now) allSame = false;
            return;
          }
          const [voter, weight] = remaining[index]!;
          completions(index + 1, extra);
          for (const choice of choices) {
            completions(index + 1, [
              ...extra,
              { voterId: secret ? null : voter, weight: secret ? weight : null, choice: yn(choice), reason: 'because' },
            ]);
          }
        };
        completions(0, []);
        expect(isFinal(base)).toBe(allSame);
      }),
      { numRuns: 300 },
    );
  });

  it('a ranked or approval motion is final only once every voter has cast', () => {
    const motion: Motion = { ...yesNo(), ballotKind: 'APPROVAL', options: ['a', 'b'] };
    const approve = (voter: string) => open(voter, { kind: 'APPROVAL', approved: ['a'] });
    const three = new Map([
      ['v0', 1n],
      ['v1', 1n],
      ['v2', 1n],
    ]);
    expect(isFinal(input(motion, [approve('v0'), approve('v1')], { voters: three }))).toBe(false);
    expect(isFinal(input(motion, [approve('v0'), approve('v1'), approve('v2')], { voters: three }))).toBe(true);
  });

  it('keeps delegated weight movable: a voter who delegated may still vote and change the outcome', () => {
    // v1 and v2 delegated to v0, who voted YES; they have not voted themselves, so it is not final.
    const delegations: Delegation[] = [
      { from: 'v1', to: 'v0', motionId: null },
      { from: 'v2', to: 'v0', motionId: null },
    ];
    const three = new Map([
      ['v0', 1n],
      ['v1', 1n],
      ['v2', 1n],
    ]);
    const tally = input(yesNo(), [open('v0', yn('YES'))], { voters: three, delegations });
    expect(tallyMotion(tally).passed).toBe(true);
    expect(isFinal(tally)).toBe(false);
  });
});
