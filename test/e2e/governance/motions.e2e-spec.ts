/**
 * Goal: the life of a motion, for every decision rule and ballot kind: proposed, opened with its voters
 * fixed, voted on (and votes changed), closed at its exact instant by the scheduler (or early, when nothing
 * left can change it), its outcome stored with the full tally, a recount reproducing it exactly, and a
 * passed motion's effect applied with the motion as the authority of what it wrote; an effect that cannot
 * apply is recorded as failed, the outcome standing and nothing of it written; every lifecycle step in the
 * audit log. Method: the real service over HTTP on its own PostgreSQL database, a co-op of five members and
 * its admin, a controlled clock moved past the closing instant and the scheduler ticked; everything is read
 * back over GraphQL, and the books are checked after every test.
 */
import { randomUUID } from 'node:crypto';
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';
import { createUnit, openAccount } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  clockOf,
  createAssembly,
  GOVERNANCE,
  inMinutes,
  join,
  organizationWithMembers,
  propose,
  readMotion,
  recount,
  runUntil,
  vote,
  type Body,
} from './governance-fixtures.js';

describe('motions', () => {
  let app: TestApp;
  let coop: Body;
  let assemblyId: string;
  useTestApp({}, (fixture) => ({ app } = fixture));

  beforeAll(async () => {
    coop = await organizationWithMembers(app, 'motions-coop', 5);
  });
  beforeEach(async () => {
    assemblyId = await createAssembly(app, coop.id);
  });

  const member = (index: number) => (): string => coop.members[index]!.token;
  const [a, b, c, d, e] = [member(0), member(1), member(2), member(3), member(4)];
  const closeAt = (minutes = 60) => inMinutes(app, minutes);

  /** Proposes, lets each voter cast, closes it on time, and returns the outcome (after checking the recount). */
  async function decide(
    input: Record<string, unknown>,
    ballots: [token: () => string, ballot: Record<string, unknown>, reason?: string][],
  ) {
    const closesAt = closeAt();
    const motionId = await propose(app, a(), assemblyId, { ...input, closesAt: closesAt.toISOString() });
    for (const [token, ballot, reason] of ballots) await vote(app, token(), motionId, ballot, reason);
    await runUntil(app, closesAt);
    const motion = await readMotion(app, motionId);
    expect(motion.status).toBe('CLOSED');
    const recounted = await recount(app, motionId);
    expect(recounted.matches).toBe(true);
    expect(recounted.tally.passed).toBe(motion.outcome?.passed);
    return { motionId, motion, outcome: motion.outcome! };
  }

  describe('decision rules', () => {
    it('MAJORITY: more yes than no among those cast; abstentions are not counted against', async () => {
      const { outcome } = await decide({}, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
        [c, { choice: 'NO' }],
        [d, { choice: 'ABSTAIN' }],
      ]);
      expect(outcome.passed).toBe(true);
      expect(outcome.tally).toMatchObject({
        kind: 'YES_NO',
        yes: '2',
        no: '1',
        abstain: '1',
        eligible: '6',
        cast: '4',
      });
      expect(outcome.tally['explanation']).toEqual(expect.any(String));
    });

    it('MAJORITY: a tie does not pass', async () => {
      const { outcome } = await decide({}, [
        [a, { choice: 'YES' }],
        [b, { choice: 'NO' }],
      ]);
      expect(outcome.passed).toBe(false);
    });

    it('SUPERMAJORITY 2/3: passes at two thirds of yes and no, fails below', async () => {
      const input = { rule: 'SUPERMAJORITY', supermajority: { numerator: 2, denominator: 3 } };
      const passing = await decide(input, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
        [c, { choice: 'NO' }],
        [d, { choice: 'ABSTAIN' }],
      ]);
      expect(passing.outcome.passed).toBe(true);
      const failing = await decide(input, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
        [c, { choice: 'NO' }],
        [d, { choice: 'NO' }],
      ]);
      expect(failing.outcome.passed).toBe(false);
    });

    it('CONSENSUS: passes when no block stands; a block gives its reason and is shown with it', async () => {
      const passing = await decide({ rule: 'CONSENSUS' }, [
        [a, { choice: 'YES' }],
        [b, { choice: 'NO' }],
      ]);
      expect(passing.outcome.passed).toBe(true);
      const blocked = await decide({ rule: 'CONSENSUS' }, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
        [c, { choice: 'BLOCK' }, 'It breaks our agreement with the tenants.'],
      ]);
      expect(blocked.outcome.passed).toBe(false);
      expect(blocked.outcome.tally['reasons']).toEqual([
        { voterId: coop.members[2]!.personId, reason: 'It breaks our agreement with the tenants.' },
      ]);
    });

    it('CONSENT: passes unless a reasoned objection stands; an objection withdrawn no longer stands', async () => {
      const closesAt = closeAt();
      const motionId = await propose(app, a(), assemblyId, { rule: 'CONSENT', closesAt: closesAt.toISOString() });
      await vote(app, a(), motionId, { choice: 'YES' });
      await vote(app, b(), motionId, { choice: 'OBJECT' }, 'Not before the audit.');
      expect((await readMotion(app, motionId)).liveTally).toMatchObject({ passed: false, object: '1' });
      await vote(app, b(), motionId, { choice: 'ABSTAIN' }, 'Withdrawn: the audit is done.');
      await runUntil(app, closesAt);
      const motion = await readMotion(app, motionId);
      expect(motion.outcome).toMatchObject({ passed: true });
      expect(motion.ballots?.find((ballot) => ballot.voterId === coop.members[1]!.personId)).toMatchObject({
        choice: 'ABSTAIN',
        version: 2,
      });
      expect((await recount(app, motionId)).matches).toBe(true);
    });

    it('UNANIMITY: every ballot cast is yes; one no fails it', async () => {
      const passing = await decide({ rule: 'UNANIMITY' }, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
        [c, { choice: 'ABSTAIN' }],
      ]);
      expect(passing.outcome.passed).toBe(true);
      const failing = await decide({ rule: 'UNANIMITY' }, [
        [a, { choice: 'YES' }],
        [b, { choice: 'NO' }],
      ]);
      expect(failing.outcome.passed).toBe(false);
    });

    it('a quorum is measured on ballots actually cast, abstentions counting toward it', async () => {
      const quorum = { numerator: 1, denominator: 2 };
      const short = await decide({ quorum }, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
      ]);
      expect(short.outcome).toMatchObject({ passed: false });
      expect(short.outcome.tally).toMatchObject({ quorum: '1/2', quorumMet: false, cast: '2', eligible: '6' });
      const met = await decide({ quorum }, [
        [a, { choice: 'YES' }],
        [b, { choice: 'YES' }],
        [c, { choice: 'ABSTAIN' }],
      ]);
      expect(met.outcome).toMatchObject({ passed: true });
      expect(met.outcome.tally).toMatchObject({ quorumMet: true });
    });
  });

  describe('ballot kinds', () => {
    it('RANKED: the Schulze winner, with the ranking, pairwise counts and beat-path strengths', async () => {
      const options = ['Bakery', 'Library', 'Garden'];
      const { outcome } = await decide({ ballotKind: 'RANKED', options }, [
        [a, { ranking: [['Bakery'], ['Library'], ['Garden']] }],
        [b, { ranking: [['Library'], ['Bakery'], ['Garden']] }],
        [c, { ranking: [['Library'], ['Garden'], ['Bakery']] }],
        [d, { ranking: [['Garden'], ['Bakery'], ['Library']] }],
        [e, { ranking: [['Bakery'], ['Library', 'Garden']] }],
      ]);
      expect(outcome.passed).toBe(true);
      expect(outcome.tally['winner']).toBe('Bakery');
      expect(outcome.tally['ranking'][0]).toEqual(['Bakery']);
      expect(outcome.tally['pairwise']).toHaveLength(3);
      expect(outcome.tally['strengths']).toHaveLength(3);
    });

    it('APPROVAL: the most approved option wins, with the weight approving each', async () => {
      const { outcome } = await decide({ ballotKind: 'APPROVAL', options: ['Monday', 'Wednesday', 'Friday'] }, [
        [a, { approved: ['Monday', 'Wednesday'] }],
        [b, { approved: ['Wednesday'] }],
        [c, { approved: ['Friday', 'Wednesday'] }],
      ]);
      expect(outcome.passed).toBe(true);
      expect(outcome.tally['winner']).toBe('Wednesday');
      expect(outcome.tally['approvals']).toEqual(
        expect.arrayContaining([
          { option: 'Wednesday', count: '3' },
          { option: 'Monday', count: '1' },
          { option: 'Friday', count: '1' },
        ]),
      );
    });
  });

  describe('voting', () => {
    it('fixes the voters when the motion opens: joining or leaving mid-vote changes nothing', async () => {
      const opensAt = inMinutes(app, 10);
      const closesAt = closeAt(60);
      const motionId = await propose(app, a(), assemblyId, {
        opensAt: opensAt.toISOString(),
        closesAt: closesAt.toISOString(),
      });
      expect((await readMotion(app, motionId)).status).toBe('SCHEDULED');
      const early = await app.graphql(
        GOVERNANCE.castBallot,
        {
          input: { motionId, ballot: { choice: 'YES' }, reason: '' },
        },
        { token: a() },
      );
      expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'MOTION_NOT_OPEN' } });

      await runUntil(app, opensAt);
      const opened = await readMotion(app, motionId);
      expect(opened.status).toBe('OPEN');
      expect(opened.voters).toHaveLength(6);

      const latecomer = await join(app, app.steward.token, coop.id, `late-${randomUUID()}@test.example`);
      const refused = await app.graphql(
        GOVERNANCE.castBallot,
        {
          input: { motionId, ballot: { choice: 'YES' }, reason: '' },
        },
        { token: latecomer.token },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'NOT_A_VOTER' } });
      await app.ok(GOVERNANCE.endMembership, { input: { membershipId: latecomer.membershipId } });
      expect((await readMotion(app, motionId)).voters).toHaveLength(6);
    });

    it('keeps every version of a changed ballot; the same ballot again changes nothing', async () => {
      const motionId = await propose(app, a(), assemblyId);
      await vote(app, b(), motionId, { choice: 'YES' });
      await vote(app, b(), motionId, { choice: 'YES' });
      await vote(app, b(), motionId, { choice: 'NO' }, 'Changed my mind after the treasurer spoke.');
      const motion = await readMotion(app, motionId, b());
      expect(motion.myBallots).toEqual([
        { voterId: coop.members[1]!.personId, cast: true, ballot: { choice: 'NO', version: 2 } },
      ]);
      const history = await app.dataSource.query(
        `SELECT version, choice->>'choice' AS choice FROM ballot_change WHERE motion_id = $1 ORDER BY version`,
        [motionId],
      );
      expect(history).toEqual([
        { version: 1, choice: 'YES' },
        { version: 2, choice: 'NO' },
      ]);
    });

    it('refuses a changed ballot where ballots are final, a block without a reason, and a ballot of the wrong kind', async () => {
      const motionId = await propose(app, a(), assemblyId, { rule: 'CONSENSUS', changeable: false });
      await vote(app, a(), motionId, { choice: 'YES' });
      const before = await app.snapshot();
      const attempts = [
        [a(), { choice: 'NO' }, '', 'BALLOT_FINAL'],
        [b(), { choice: 'BLOCK' }, '  ', 'REASON_REQUIRED'],
        [b(), { ranking: [['x']] }, '', 'INVALID_BALLOT'],
        [b(), { choice: 'OBJECT' }, 'no', 'INVALID_BALLOT'],
        [b(), { choice: 'YES', approved: ['x'] }, '', 'INVALID_BALLOT'],
      ] as const;
      for (const [token, ballot, reason, expected] of attempts) {
        const response = await app.graphql(GOVERNANCE.castBallot, { input: { motionId, ballot, reason } }, { token });
        expect(response.errors?.[0]?.extensions?.['details']).toMatchObject({ reason: expected });
      }
      expect(await app.snapshot()).toEqual(before);
    });

    it('hides the running tally and the ballots until close when results are hidden', async () => {
      const closesAt = closeAt();
      const motionId = await propose(app, a(), assemblyId, { resultsHidden: true, closesAt: closesAt.toISOString() });
      await vote(app, a(), motionId, { choice: 'YES' });
      const open = await readMotion(app, motionId);
      expect(open.liveTally).toBeNull();
      expect(open.ballots).toBeNull();
      expect(open.participation).toBe(1);
      await runUntil(app, closesAt);
      const closed = await readMotion(app, motionId);
      expect(closed.ballots).toHaveLength(1);
      expect(closed.outcome?.passed).toBe(true);
    });

    it('refuses ballots at and after the closing instant, even before the scheduler has closed it', async () => {
      const closesAt = closeAt();
      const motionId = await propose(app, a(), assemblyId, { closesAt: closesAt.toISOString() });
      await runUntil(app, new Date(closesAt.getTime() - 60_000));
      await vote(app, a(), motionId, { choice: 'YES' });
      clockOf(app).set(closesAt);
      const late = await app.graphql(
        GOVERNANCE.castBallot,
        {
          input: { motionId, ballot: { choice: 'NO' }, reason: '' },
        },
        { token: b() },
      );
      expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'MOTION_CLOSED' } });
      await runUntil(app, closesAt);
      expect((await readMotion(app, motionId)).outcome?.tally).toMatchObject({ yes: '1', no: '0' });
    });
  });

  describe('closing', () => {
    it('closes at its exact instant by the scheduler, once, and not a moment before', async () => {
      const closesAt = closeAt();
      const motionId = await propose(app, a(), assemblyId, { closesAt: closesAt.toISOString() });
      await vote(app, a(), motionId, { choice: 'YES' });
      await runUntil(app, new Date(closesAt.getTime() - 1));
      expect((await readMotion(app, motionId)).status).toBe('OPEN');
      await runUntil(app, closesAt);
      const closed = await readMotion(app, motionId);
      expect(closed.status).toBe('CLOSED');
      expect(new Date(closed.outcome!.closedAt).getTime()).toBeGreaterThanOrEqual(closesAt.getTime());
      await runUntil(app, inMinutes(app, 60));
      expect(
        await app.dataSource.query(`SELECT count(*)::int AS n FROM motion_outcome WHERE motion_id = $1`, [motionId]),
      ).toEqual([{ n: 1 }]);
    });

    it('closes early once nothing left can change the outcome, where the motion allows it', async () => {
      const motionId = await propose(app, a(), assemblyId, { changeable: false, earlyClose: true });
      for (const token of [a, b, c]) await vote(app, token(), motionId, { choice: 'YES' });
      expect((await readMotion(app, motionId)).status).toBe('OPEN');
      await vote(app, d(), motionId, { choice: 'YES' });
      const closed = await readMotion(app, motionId);
      expect(closed.status).toBe('CLOSED');
      expect(closed.outcome).toMatchObject({ passed: true });
      expect((await recount(app, motionId)).matches).toBe(true);
    });

    it('refuses early close on a motion whose ballots may still change', async () => {
      const response = await app.graphql(
        GOVERNANCE.proposeMotion,
        {
          input: { id: randomUUID(), assemblyId, title: 'Early', closesAt: closeAt().toISOString(), earlyClose: true },
        },
        { token: a() },
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'INVALID_MOTION' },
      });
    });

    it('a withdrawn motion never closes and has no outcome', async () => {
      const closesAt = closeAt();
      const motionId = await propose(app, a(), assemblyId, { closesAt: closesAt.toISOString() });
      await vote(app, a(), motionId, { choice: 'YES' });
      await app.ok(GOVERNANCE.withdrawMotion, { input: { motionId } }, { token: a() });
      await runUntil(app, closesAt);
      const motion = await readMotion(app, motionId);
      expect(motion.status).toBe('WITHDRAWN');
      expect(motion.outcome).toBeNull();
    });

    it('writes proposal, opening, withdrawal and closing to the audit log', async () => {
      const closesAt = closeAt();
      const closing = await propose(app, a(), assemblyId, { closesAt: closesAt.toISOString() });
      const withdrawn = await propose(app, a(), assemblyId);
      await app.ok(GOVERNANCE.withdrawMotion, { input: { motionId: withdrawn } }, { token: a() });
      await runUntil(app, closesAt);
      const log = await app.ok<{ auditLog: { edges: { node: { action: string; subjectId: string } }[] } }>(
        GOVERNANCE.auditLog,
        { organizationId: coop.id },
      );
      const actions = (id: string) =>
        log.auditLog.edges.filter((edge) => edge.node.subjectId === id).map((edge) => edge.node.action);
      expect(actions(closing).sort()).toEqual(['MOTION_CLOSED', 'MOTION_OPENED', 'MOTION_PROPOSED']);
      expect(actions(withdrawn).sort()).toEqual(['MOTION_OPENED', 'MOTION_PROPOSED', 'MOTION_WITHDRAWN']);
    });

    it('is idempotent by its id: proposing again returns the same motion', async () => {
      const id = randomUUID();
      const input = { id, assemblyId, title: 'Once', closesAt: closeAt().toISOString() };
      await app.ok(GOVERNANCE.proposeMotion, { input }, { token: a() });
      const again = await app.ok<{ proposeMotion: { id: string } }>(
        GOVERNANCE.proposeMotion,
        { input },
        { token: a() },
      );
      expect(again.proposeMotion.id).toBe(id);
      expect(await app.dataSource.query(`SELECT count(*)::int AS n FROM motion WHERE id = $1`, [id])).toEqual([
        { n: 1 },
      ]);
      const taken = await app.graphql(GOVERNANCE.proposeMotion, { input }, { token: b() });
      expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'ID_TAKEN' } });
    });
  });

  describe('effects', () => {
    let fund: string;
    let payee: string;
    let other: string;

    beforeEach(async () => {
      await createUnit(app, 'CWC', 'CREDIT', 2);
      fund = await openAccount(app, { holderId: coop.id, kind: 'FUND' });
      payee = await openAccount(app, { holderId: coop.members[3]!.personId });
      other = await openAccount(app, { holderId: coop.members[4]!.personId });
      const source = await openAccount(app, { creditLimit: '100000' });
      await app.ok(
        `mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`,
        {
          input: {
            id: randomUUID(),
            unitCode: 'CWC',
            entries: [
              { accountId: source, side: 'DEBIT', amount: '50000' },
              { accountId: fund, side: 'CREDIT', amount: '50000' },
            ],
          },
        },
      );
    });

    const disburse = (amounts: [string, string][]) => ({
      kind: 'ledger.disburse',
      params: {
        fromAccountId: fund,
        payments: amounts.map(([accountId, amount]) => ({ accountId, amount })),
        memo: 'Solidarity grant',
      },
    });

    it('a passed motion disburses from the fund, with the motion as the authority of the transaction', async () => {
      const { motionId, outcome } = await decide(
        {
          effect: disburse([
            [payee, '30000'],
            [other, '5000'],
          ]),
        },
        [
          [a, { choice: 'YES' }],
          [b, { choice: 'YES' }],
        ],
      );
      expect(outcome).toMatchObject({ passed: true, effectStatus: 'APPLIED' });
      const written = await app.ok<{ transactionsByAuthority: { edges: { node: any }[] } }>(GOVERNANCE.byAuthority, {
        kind: 'MOTION',
        id: motionId,
      });
      expect(written.transactionsByAuthority.edges).toHaveLength(1);
      const transaction = written.transactionsByAuthority.edges[0]!.node;
      expect(transaction).toMatchObject({
        kind: 'DISBURSEMENT',
        recordedBy: 'system:governance.decisions',
        authority: { kind: 'MOTION', id: motionId },
      });
      expect(outcome.effectDetail).toMatchObject({ transactionId: transaction.id, amount: '35000' });
      const balance = async (id: string) =>
        (await app.ok<{ account: { balance: string } }>(GOVERNANCE.account, { id })).account.balance;
      expect(await balance(fund)).toBe('15000');
      expect(await balance(payee)).toBe('30000');
    });

    it('a motion that fails applies nothing', async () => {
      const { motionId, outcome } = await decide({ effect: disburse([[payee, '100']]) }, [[a, { choice: 'NO' }]]);
      expect(outcome).toMatchObject({ passed: false, effectStatus: 'NOT_PASSED' });
      const written = await app.ok(GOVERNANCE.byAuthority, { kind: 'MOTION', id: motionId });
      expect(written['transactionsByAuthority'].edges).toEqual([]);
    });

    it('an effect that cannot apply is recorded as failed with its reason; the outcome stands and nothing moves', async () => {
      const closesAt = closeAt();
      const motionId = await propose(app, a(), assemblyId, {
        effect: disburse([[payee, '40000']]),
        closesAt: closesAt.toISOString(),
      });
      await vote(app, a(), motionId, { choice: 'YES' });
      // Meanwhile the fund pays out most of what it held.
      await app.ok(
        `mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`,
        {
          input: {
            id: randomUUID(),
            unitCode: 'CWC',
            entries: [
              { accountId: fund, side: 'DEBIT', amount: '20000' },
              { accountId: other, side: 'CREDIT', amount: '20000' },
            ],
          },
        },
      );
      await runUntil(app, closesAt);
      const motion = await readMotion(app, motionId);
      expect(motion.outcome).toMatchObject({ passed: true, effectStatus: 'FAILED' });
      expect(motion.outcome?.effectDetail).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(
        (await app.ok(GOVERNANCE.byAuthority, { kind: 'MOTION', id: motionId }))['transactionsByAuthority'].edges,
      ).toEqual([]);
      expect((await app.ok<{ account: { balance: string } }>(GOVERNANCE.account, { id: fund })).account.balance).toBe(
        '30000',
      );
      expect((await recount(app, motionId)).matches).toBe(true);
    });

    it('a passed motion sets a credit line in a unit its organisation issues', async () => {
      await app.ok(`mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`, {
        input: { code: 'COOP', name: 'Co-op credit', kind: 'CREDIT', scale: 2, issuerId: coop.id },
      });
      const { openAccount: opened } = await app.ok<{ openAccount: { id: string } }>(
        `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`,
        { input: { unitCode: 'COOP', holderId: coop.members[2]!.personId, name: 'Mine', kind: 'MEMBER' } },
        { token: c() },
      );
      const line = opened.id;
      const { outcome } = await decide(
        { effect: { kind: 'ledger.set-credit-line', params: { accountId: line, creditLimit: '25000' } } },
        [[a, { choice: 'YES' }]],
      );
      expect(outcome.effectStatus).toBe('APPLIED');
      expect(
        (await app.ok<{ account: { creditLimit: string } }>(GOVERNANCE.account, { id: line })).account.creditLimit,
      ).toBe('25000');
    });

    it('refuses an effect nobody offers, or one the assembly may not decide', async () => {
      const before = await app.snapshot();
      const outsiderFund = await openAccount(app, {});
      const afterOpen = await app.snapshot();
      const attempts = [
        [{ kind: 'nobody.offers-this', params: {} }, 'UNKNOWN_EFFECT'],
        [
          {
            kind: 'ledger.disburse',
            params: { fromAccountId: outsiderFund, payments: [{ accountId: payee, amount: '1' }] },
          },
          'INVALID_EFFECT',
        ],
        [{ kind: 'ledger.disburse', params: { fromAccountId: fund, payments: [] } }, 'INVALID_EFFECT'],
        [
          { kind: 'ledger.disburse', params: { fromAccountId: fund, payments: [{ accountId: payee, amount: '1.5' }] } },
          'INVALID_EFFECT',
        ],
      ] as const;
      for (const [effect, reason] of attempts) {
        const response = await app.graphql(
          GOVERNANCE.proposeMotion,
          {
            input: { id: randomUUID(), assemblyId, title: 'Spend', closesAt: closeAt().toISOString(), effect },
          },
          { token: a() },
        );
        expect(response.errors?.[0]?.extensions?.['details']).toMatchObject({ reason });
      }
      expect(await app.snapshot()).toEqual(afterOpen);
      expect(before).not.toEqual(afterOpen);
    });
  });

  it('never loses a ballot to a close racing it: each is refused or counted, and the recount agrees', async () => {
    const closesAt = closeAt();
    const motionId = await propose(app, a(), assemblyId, { closesAt: closesAt.toISOString() });
    const voters = [a, b, c, d, e];
    const results = await Promise.all([
      ...voters.map((token) =>
        app.graphql(
          GOVERNANCE.castBallot,
          { input: { motionId, ballot: { choice: 'YES' }, reason: '' } },
          { token: token() },
        ),
      ),
      (async () => {
        clockOf(app).set(closesAt);
        await app.app.get(SchedulerService).tick();
        await app.app.get(SchedulerService).settled();
        return { data: null, errors: undefined };
      })(),
    ]);
    const accepted = results.slice(0, voters.length).filter((result) => result.errors === undefined).length;
    for (const result of results.slice(0, voters.length)) {
      if (result.errors !== undefined) {
        expect(result.errors[0]?.extensions).toMatchObject({ details: { reason: 'MOTION_CLOSED' } });
      }
    }
    await runUntil(app, closesAt);
    const motion = await readMotion(app, motionId);
    expect(motion.outcome?.tally).toMatchObject({ yes: String(accepted) });
    expect((await recount(app, motionId)).matches).toBe(true);
  });
});
