/**
 * Goal: an N-of-M approval request is approved exactly when N eligible approvers approved the current
 * version of the action, the author and payees never count, recusal shrinks M, a change voids what was
 * decided before it, and it is declined as soon as N is out of reach. Method: worked examples of each rule
 * and of every refusal, then fast-check properties against a direct reading of the rule over random
 * requests and decision histories: approved iff enough current approvals, excluded people and old versions
 * never count, monotonicity of approving and refusing, order independence, and checkDecision admitting
 * exactly the decisions that then show in the verdict.
 */
import fc from 'fast-check';
import { AssertionFailed } from '../../../src/kernel/assert.js';
import {
  checkApprovalRequest,
  checkDecision,
  decideApprovals,
  type ApprovalRequestState,
  type Decision,
  type DecisionKind,
} from '../../../src/governance/rules/approvals.js';
import { shuffled } from './shuffled.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const LATER = new Date('2026-03-08T12:00:00.000Z');

function request(overrides: Partial<ApprovalRequestState> = {}): ApprovalRequestState {
  return {
    required: 2,
    approvers: ['ana', 'ben', 'cleo', 'dev'],
    excluded: ['dev'], // dev wrote the request
    version: 1,
    expiresAt: LATER,
    now: NOW,
    ...overrides,
  };
}
const decide = (approver: string, decision: DecisionKind, version = 1): Decision => ({ approver, decision, version });

describe('decideApprovals: worked examples', () => {
  it('two of three eligible approve: approved; the author is not among the eligible', () => {
    const verdict = decideApprovals(request(), [decide('ana', 'APPROVE'), decide('ben', 'APPROVE')]);
    expect(verdict).toEqual({
      status: 'APPROVED',
      eligible: ['ana', 'ben', 'cleo'],
      approvals: ['ana', 'ben'],
      refusals: [],
      recused: [],
      undecided: ['cleo'],
      voided: [],
      stillNeeded: 0,
    });
  });

  it('the author’s or a payee’s approval never counts, even when they hold the approver role', () => {
    const verdict = decideApprovals(request({ excluded: ['dev', 'ben'] }), [
      decide('dev', 'APPROVE'),
      decide('ben', 'APPROVE'),
      decide('ana', 'APPROVE'),
    ]);
    expect(verdict).toMatchObject({ status: 'OPEN', approvals: ['ana'], eligible: ['ana', 'cleo'], stillNeeded: 1 });
  });

  it('a recusal takes the approver out of M; when N is then out of reach, the request is declined', () => {
    const one = decideApprovals(request(), [decide('ana', 'RECUSE')]);
    expect(one).toMatchObject({ status: 'OPEN', eligible: ['ben', 'cleo'], recused: ['ana'] });
    const two = decideApprovals(request(), [decide('ana', 'RECUSE'), decide('ben', 'REFUSE')]);
    expect(two).toMatchObject({ status: 'DECLINED', eligible: ['ben', 'cleo'], refusals: ['ben'], stillNeeded: 2 });
  });

  it('declined as soon as enough refuse, without waiting for the others', () => {
    const verdict = decideApprovals(request(), [decide('ana', 'REFUSE'), decide('ben', 'REFUSE')]);
    expect(verdict.status).toBe('DECLINED');
  });

  it('a change to the action voids every earlier decision: approvals, refusals and recusals', () => {
    const history = [decide('ana', 'APPROVE'), decide('ben', 'APPROVE'), decide('cleo', 'RECUSE')];
    const changed = decideApprovals(request({ version: 2 }), history);
    expect(changed).toMatchObject({
      status: 'OPEN',
      approvals: [],
      recused: [],
      eligible: ['ana', 'ben', 'cleo'],
      voided: ['ana', 'ben', 'cleo'],
      stillNeeded: 2,
    });
    const again = decideApprovals(request({ version: 2 }), [...history, decide('ana', 'APPROVE', 2)]);
    expect(again).toMatchObject({ approvals: ['ana'], voided: ['ben', 'cleo'] });
  });

  it('expires at the exact instant, not a millisecond before; approved and declined stand after it', () => {
    const atExpiry = request({ now: LATER });
    expect(decideApprovals(atExpiry, [decide('ana', 'APPROVE')]).status).toBe('EXPIRED');
    const justBefore = request({ now: new Date(LATER.getTime() - 1) });
    expect(decideApprovals(justBefore, [decide('ana', 'APPROVE')]).status).toBe('OPEN');
    expect(decideApprovals(atExpiry, [decide('ana', 'APPROVE'), decide('ben', 'APPROVE')]).status).toBe('APPROVED');
    expect(decideApprovals(atExpiry, [decide('ana', 'REFUSE'), decide('ben', 'REFUSE')]).status).toBe('DECLINED');
  });

  it('a request that never had N eligible approvers is declined from the start', () => {
    expect(decideApprovals(request({ required: 4 }), []).status).toBe('DECLINED');
  });

  it('a decision on a version the action never had, or two on one version, is a bug', () => {
    expect(() => decideApprovals(request(), [decide('ana', 'APPROVE', 2)])).toThrow(AssertionFailed);
    expect(() => decideApprovals(request(), [decide('ana', 'APPROVE'), decide('ana', 'REFUSE')])).toThrow(
      AssertionFailed,
    );
    expect(() => decideApprovals(request({ required: 0 }), [])).toThrow(AssertionFailed);
  });
});

describe('refusals', () => {
  it('checkDecision, in its order: not an approver, author or payee, closed, already decided', () => {
    const state = request();
    expect(checkDecision(state, 'ana', 'APPROVE', [])).toBeNull();
    expect(checkDecision(state, 'eve', 'APPROVE', [])).toBe('NOT_AN_APPROVER');
    expect(checkDecision(request({ excluded: ['dev', 'eve'] }), 'eve', 'APPROVE', [])).toBe('NOT_AN_APPROVER');
    expect(checkDecision(state, 'dev', 'APPROVE', [])).toBe('AUTHOR_OR_PAYEE');
    expect(checkDecision(state, 'dev', 'RECUSE', [])).toBe('AUTHOR_OR_PAYEE');
    const approved = [decide('ana', 'APPROVE'), decide('ben', 'APPROVE')];
    expect(checkDecision(state, 'cleo', 'APPROVE', approved)).toBe('REQUEST_CLOSED');
    expect(checkDecision(request({ now: LATER }), 'ana', 'APPROVE', [])).toBe('REQUEST_CLOSED');
    expect(checkDecision(state, 'ana', 'RECUSE', [decide('ana', 'APPROVE')])).toBe('ALREADY_DECIDED');
    // After a change, the same approver decides again.
    expect(checkDecision(request({ version: 2 }), 'ana', 'APPROVE', [decide('ana', 'APPROVE')])).toBeNull();
    expect(checkDecision(state, 'ana', 'MAYBE' as DecisionKind, [])).toBe('UNKNOWN_DECISION');
  });

  it('checkApprovalRequest refuses requests that are malformed or could never be approved', () => {
    const base = { required: 2, approvers: ['ana', 'ben', 'dev'], excluded: ['dev'], expiresAt: LATER, now: NOW };
    expect(checkApprovalRequest(base)).toBeNull();
    expect(checkApprovalRequest({ ...base, required: 0 })).toBe('REQUIRED_NOT_POSITIVE');
    expect(checkApprovalRequest({ ...base, required: 1.5 })).toBe('REQUIRED_NOT_POSITIVE');
    expect(checkApprovalRequest({ ...base, approvers: ['ana', 'ana', 'ben'] })).toBe('DUPLICATE_APPROVER');
    expect(checkApprovalRequest({ ...base, required: 3 })).toBe('NOT_ENOUGH_APPROVERS');
    expect(checkApprovalRequest({ ...base, excluded: ['dev', 'ben'] })).toBe('NOT_ENOUGH_APPROVERS');
    expect(checkApprovalRequest({ ...base, expiresAt: NOW })).toBe('EXPIRY_NOT_IN_FUTURE');
    const many = Array.from({ length: 101 }, (_, i) => `p${i}`);
    expect(checkApprovalRequest({ ...base, approvers: many })).toBe('TOO_MANY_APPROVERS');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties.

const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];

const stateArb: fc.Arbitrary<ApprovalRequestState> = fc.record({
  required: fc.integer({ min: 1, max: 5 }),
  approvers: fc.subarray(PEOPLE, { minLength: 1 }),
  excluded: fc.subarray(PEOPLE, { maxLength: 3 }),
  version: fc.integer({ min: 1, max: 3 }),
  expiresAt: fc.constant(LATER),
  now: fc.constantFrom(NOW, LATER),
});

/** A history: at most one decision per person per version, by anyone (approvers or not). */
function historyArb(state: ApprovalRequestState): fc.Arbitrary<Decision[]> {
  return fc
    .array(
      fc.record({
        approver: fc.constantFrom(...PEOPLE),
        decision: fc.constantFrom<DecisionKind>('APPROVE', 'REFUSE', 'RECUSE'),
        version: fc.integer({ min: 1, max: state.version }),
      }),
      { maxLength: 16 },
    )
    .map((list) =>
      list.filter((d, i) => list.findIndex((e) => e.approver === d.approver && e.version === d.version) === i),
    );
}

const scenarioArb = stateArb.chain((state) => fc.record({ state: fc.constant(state), history: historyArb(state) }));

/** The rule read directly: who counts, and what they decided on the current version. */
function reference(state: ApprovalRequestState, history: readonly Decision[]) {
  const counts = (p: string) => state.approvers.includes(p) && !state.excluded.includes(p);
  const now = history.filter((d) => d.version === state.version && counts(d.approver));
  const of = (kind: DecisionKind) => now.filter((d) => d.decision === kind).map((d) => d.approver);
  const eligible = state.approvers.filter((p) => counts(p) && !of('RECUSE').includes(p));
  return { approvals: of('APPROVE'), eligible, undecided: eligible.filter((p) => !now.some((d) => d.approver === p)) };
}

describe('decideApprovals: properties', () => {
  it('approved iff at least N eligible approvers approved the current version; declined iff N is out of reach', () => {
    fc.assert(
      fc.property(scenarioArb, ({ state, history }) => {
        const verdict = decideApprovals(state, history);
        const ref = reference(state, history);
        expect(verdict.approvals).toEqual([...ref.approvals].sort());
        expect(verdict.eligible).toEqual([...ref.eligible].sort());
        expect(verdict.status === 'APPROVED').toBe(ref.approvals.length >= state.required);
        const reachable = ref.approvals.length + ref.undecided.length >= state.required;
        expect(verdict.status === 'DECLINED').toBe(ref.approvals.length < state.required && !reachable);
        expect(verdict.stillNeeded).toBe(Math.max(0, state.required - ref.approvals.length));
      }),
    );
  });

  it('the author and payees never count, and decisions on older versions never count', () => {
    fc.assert(
      fc.property(scenarioArb, ({ state, history }) => {
        const verdict = decideApprovals(state, history);
        for (const person of [...verdict.approvals, ...verdict.refusals, ...verdict.recused, ...verdict.eligible]) {
          expect(state.excluded.includes(person)).toBe(false);
          expect(state.approvers.includes(person)).toBe(true);
        }
        const onlyCurrent = history.filter((d) => d.version === state.version);
        // Only the list of voided decisions can tell an old decision was there.
        expect({ ...decideApprovals(state, onlyCurrent), voided: [] }).toEqual({ ...verdict, voided: [] });
        const byExcluded = state.excluded.map((approver) => decide(approver, 'APPROVE', state.version));
        const cleaned = history.filter((d) => !(state.excluded.includes(d.approver) && d.version === state.version));
        expect(decideApprovals(state, [...cleaned, ...byExcluded])).toEqual(decideApprovals(state, cleaned));
      }),
    );
  });

  it('does not depend on the order of decisions', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), ({ state, history }, seed) => {
        expect(decideApprovals(state, shuffled(history, seed))).toEqual(decideApprovals(state, history));
      }),
    );
  });

  it('an approval never undoes APPROVED nor causes DECLINED; a refusal or recusal never causes APPROVED', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom(...PEOPLE),
        fc.constantFrom<DecisionKind>('APPROVE', 'REFUSE', 'RECUSE'),
        ({ state, history }, person, kind) => {
          fc.pre(!history.some((d) => d.approver === person && d.version === state.version));
          const before = decideApprovals(state, history).status;
          const after = decideApprovals(state, [...history, decide(person, kind, state.version)]).status;
          if (kind === 'APPROVE') {
            if (before === 'APPROVED') expect(after).toBe('APPROVED');
            expect(before !== 'DECLINED' && after === 'DECLINED').toBe(false);
          } else {
            expect(before !== 'APPROVED' && after === 'APPROVED').toBe(false);
          }
        },
      ),
    );
  });

  it('checkDecision admits exactly the decisions that then count, on an open request', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom(...PEOPLE),
        fc.constantFrom<DecisionKind>('APPROVE', 'REFUSE', 'RECUSE'),
        ({ state, history }, person, kind) => {
          const refusal = checkDecision(state, person, kind, history);
          if (refusal !== null) return;
          expect(decideApprovals(state, history).status).toBe('OPEN');
          const after = decideApprovals(state, [...history, decide(person, kind, state.version)]);
          const list = { APPROVE: after.approvals, REFUSE: after.refusals, RECUSE: after.recused }[kind];
          expect(list).toContain(person);
        },
      ),
    );
  });
});
