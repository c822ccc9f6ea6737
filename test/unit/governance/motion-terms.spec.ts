/**
 * Goal: what a motion and a ballot may be, as rules/motion-terms.ts says: each refusal in words, and every
 * well-formed motion and ballot accepted. Method: worked examples for each problem, then fast-check
 * properties: a ballot built from a motion's own options (each once) is always accepted, and naming an
 * option the motion does not have, or one twice, is always refused.
 */
import fc from 'fast-check';
import type { BallotChoice } from '../../../src/governance/governance.records.js';
import {
  MAX_MOTION_DAYS,
  ballotProblem,
  motionProblem,
  optionsOf,
  type MotionTerms,
} from '../../../src/governance/rules/motion-terms.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const hours = (count: number) => new Date(NOW.getTime() + count * 3_600_000);

const terms = (overrides: Partial<MotionTerms> = {}): MotionTerms => ({
  title: 'Adopt the bylaws',
  body: '',
  ballotKind: 'YES_NO',
  rule: { kind: 'MAJORITY' },
  quorum: null,
  options: [],
  budget: null,
  effect: null,
  secret: false,
  changeable: true,
  earlyClose: false,
  opensAt: NOW,
  closesAt: hours(24),
  ...overrides,
});

describe('motionProblem', () => {
  it('accepts a well-formed motion of each kind', () => {
    expect(motionProblem(terms(), NOW)).toBeNull();
    expect(motionProblem(terms({ ballotKind: 'RANKED', options: ['a', 'b'] }), NOW)).toBeNull();
    expect(motionProblem(terms({ ballotKind: 'APPROVAL', options: ['a', 'b', 'c'] }), NOW)).toBeNull();
    expect(
      motionProblem(
        terms({
          ballotKind: 'BUDGET',
          budget: {
            unitCode: 'CWC',
            fundAccountId: 'f',
            amount: 100n,
            method: 'EQUAL_SHARES',
            proposals: [{ id: 'p', title: 'P', cost: 10n, payeeAccountId: 'x' }],
          },
        }),
        NOW,
      ),
    ).toBeNull();
    expect(motionProblem(terms({ changeable: false, earlyClose: true }), NOW)).toBeNull();
  });

  it.each<[string, Partial<MotionTerms>, RegExp]>([
    ['a blank title', { title: '   ' }, /title/],
    ['a closing before the opening', { opensAt: hours(2), closesAt: hours(1) }, /closes after it opens/],
    ['a closing in the past', { opensAt: hours(-3), closesAt: hours(-1) }, /in the future/],
    ['over a year open', { closesAt: hours(24 * (MAX_MOTION_DAYS + 1)) }, /at most/],
    [
      'a supermajority under one half',
      { rule: { kind: 'SUPERMAJORITY', numerator: 1n, denominator: 3n } },
      /supermajority/,
    ],
    ['a supermajority over one', { rule: { kind: 'SUPERMAJORITY', numerator: 4n, denominator: 3n } }, /supermajority/],
    ['a zero quorum', { quorum: { numerator: 0n, denominator: 3n } }, /quorum/],
    ['a quorum over one', { quorum: { numerator: 4n, denominator: 3n } }, /quorum/],
    ['early close with changeable ballots', { earlyClose: true, changeable: true }, /final/],
    ['options on a yes/no motion', { options: ['a', 'b'] }, /no options/],
    ['one option', { ballotKind: 'RANKED', options: ['a'] }, /2 to/],
    ['duplicate options', { ballotKind: 'APPROVAL', options: ['a', 'a'] }, /distinct/],
    ['a blank option', { ballotKind: 'APPROVAL', options: ['a', ' '] }, /option has/],
    [
      'a ranked motion under CONSENSUS',
      { ballotKind: 'RANKED', options: ['a', 'b'], rule: { kind: 'CONSENSUS' } },
      /MAJORITY/,
    ],
    [
      'an effect on a ranked motion',
      { ballotKind: 'RANKED', options: ['a', 'b'], effect: { kind: 'x.y', params: {} } },
      /effect/,
    ],
    ['a budget motion without its budget', { ballotKind: 'BUDGET' }, /budget/],
  ])('refuses %s', (_name, overrides, problem) => {
    expect(motionProblem(terms(overrides), NOW)).toMatch(problem);
  });

  it('refuses budgets with no proposals, duplicate ids, or costs of zero', () => {
    const budget = (proposals: { id: string; cost: bigint }[], amount = 100n) =>
      terms({
        ballotKind: 'BUDGET',
        budget: {
          unitCode: 'CWC',
          fundAccountId: 'f',
          amount,
          method: 'GREEDY',
          proposals: proposals.map((proposal) => ({ ...proposal, title: proposal.id, payeeAccountId: 'x' })),
        },
      });
    expect(motionProblem(budget([]), NOW)).toMatch(/proposals/);
    expect(
      motionProblem(
        budget([
          { id: 'p', cost: 1n },
          { id: 'p', cost: 2n },
        ]),
        NOW,
      ),
    ).toMatch(/distinct/);
    expect(motionProblem(budget([{ id: 'p', cost: 0n }]), NOW)).toMatch(/more than zero/);
    expect(motionProblem(budget([{ id: 'p', cost: 1n }], 0n), NOW)).toMatch(/more than zero/);
  });
});

describe('ballotProblem', () => {
  const consensus = { ballotKind: 'YES_NO' as const, rule: { kind: 'CONSENSUS' as const }, options: [], budget: null };
  const ranked = {
    ballotKind: 'RANKED' as const,
    rule: { kind: 'MAJORITY' as const },
    options: ['a', 'b', 'c'],
    budget: null,
  };

  it('holds a yes/no ballot to its rule, and a block to its reason', () => {
    expect(ballotProblem(consensus, { kind: 'YES_NO', choice: 'BLOCK' }, 'It harms the tenants.')).toBeNull();
    expect(ballotProblem(consensus, { kind: 'YES_NO', choice: 'BLOCK' }, ' ')).toMatch(/reason/);
    expect(ballotProblem(consensus, { kind: 'YES_NO', choice: 'OBJECT' }, 'x')).toMatch(/not a choice/);
    expect(ballotProblem(consensus, { kind: 'APPROVAL', approved: [] }, '')).toMatch(/YES_NO ballot/);
  });

  it('refuses empty groups in a ranking', () => {
    expect(ballotProblem(ranked, { kind: 'RANKED', ranking: [['a'], []] }, '')).toMatch(/empty group/);
  });

  const subsetOf = (options: string[]) =>
    fc.shuffledSubarray(options).chain((picked) =>
      fc.array(fc.nat(picked.length), { minLength: picked.length, maxLength: picked.length }).map((cuts) => {
        // Split the picked options into groups at the cut points.
        const groups: string[][] = [];
        for (const [index, option] of picked.entries()) {
          if (index === 0 || (cuts[index] ?? 0) % 2 === 0) groups.push([option]);
          else groups.at(-1)?.push(option);
        }
        return groups;
      }),
    );

  it("accepts any ranking of the motion's own options, each at most once", () => {
    fc.assert(
      fc.property(subsetOf(ranked.options), (ranking) => {
        expect(ballotProblem(ranked, { kind: 'RANKED', ranking }, '')).toBeNull();
      }),
    );
  });

  it('refuses a ranking naming an unknown option or one option twice', () => {
    fc.assert(
      fc.property(subsetOf(ranked.options), fc.boolean(), (ranking, twice) => {
        const bad: BallotChoice = {
          kind: 'RANKED',
          ranking: twice ? [...ranking, ['a'], ['a']] : [...ranking, ['zzz']],
        };
        expect(ballotProblem(ranked, bad, '')).not.toBeNull();
      }),
    );
  });

  it('takes approvals of a budget vote by proposal id', () => {
    const budget = {
      ballotKind: 'BUDGET' as const,
      rule: { kind: 'MAJORITY' as const },
      options: [],
      budget: {
        unitCode: 'CWC',
        fundAccountId: 'f',
        amount: 10n,
        method: 'GREEDY' as const,
        proposals: [{ id: 'roof', title: 'Roof', cost: 5n, payeeAccountId: 'x' }],
      },
    };
    expect(optionsOf(budget)).toEqual(['roof']);
    expect(ballotProblem(budget, { kind: 'APPROVAL', approved: ['roof'] }, '')).toBeNull();
    expect(ballotProblem(budget, { kind: 'APPROVAL', approved: ['roof', 'roof'] }, '')).toMatch(/once/);
    expect(ballotProblem(budget, { kind: 'APPROVAL', approved: ['bikes'] }, '')).toMatch(/options only/);
  });
});
