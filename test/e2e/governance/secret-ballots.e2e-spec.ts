/**
 * Goal: on a secret motion, who voted is known and how is not, to anyone: not over the API (not even to the
 * admin), and not from the database's tables. A voter replaces their ballot only with the receipt given
 * when they cast it (and only where the motion allows changes); after close the receipts are gone, the
 * ballots rewritten together in an order that says nothing, and the recount still matches. Delegation never
 * applies. Method: the real service over HTTP on its own PostgreSQL database, a co-op of four members; the
 * tables are read directly, system columns included (xmin: the transaction that wrote a row; ctid: its place
 * in the heap), to look for anything that joins a ballot to a voter.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  createAssembly,
  GOVERNANCE,
  inMinutes,
  organizationWithMembers,
  propose,
  readMotion,
  recount,
  runUntil,
  vote,
  type Body,
} from './governance-fixtures.js';

describe('secret ballots', () => {
  let app: TestApp;
  let coop: Body;
  let assemblyId: string;
  useTestApp({}, (fixture) => ({ app } = fixture));

  beforeAll(async () => {
    coop = await organizationWithMembers(app, 'secret-coop', 4);
  });
  beforeEach(async () => {
    assemblyId = await createAssembly(app, coop.id, { delegationAllowed: true });
  });

  const token = (index: number) => coop.members[index]!.token;

  it('keeps who voted and never how, over the API, for members and admin alike', async () => {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, token(0), assemblyId, { secret: true, closesAt: closesAt.toISOString() });
    const cast = await vote(app, token(0), motionId, { choice: 'YES' });
    expect(cast.receipt).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await vote(app, token(1), motionId, { choice: 'NO' });
    const asAdmin = await readMotion(app, motionId);
    expect(asAdmin.ballots).toBeNull();
    expect(asAdmin.participation).toBe(2);
    expect(
      asAdmin.voters
        ?.filter((voter) => voter.hasVoted)
        .map((voter) => voter.personId)
        .sort(),
    ).toEqual([coop.members[0]!.personId, coop.members[1]!.personId].sort());
    const mine = await readMotion(app, motionId, token(0));
    expect(mine.myBallots).toEqual([{ voterId: coop.members[0]!.personId, cast: true, ballot: null }]);
    await runUntil(app, closesAt);
    const closed = await readMotion(app, motionId);
    expect(closed.ballots).toBeNull();
    expect(closed.outcome?.tally).toMatchObject({ yes: '1', no: '1' });
    expect(
      closed.outcome?.tally['weights'].every((weight: { voterId: string | null }) => weight.voterId === null),
    ).toBe(true);
    expect(JSON.stringify(closed.outcome)).not.toContain(coop.members[0]!.personId);
  });

  it('replaces a ballot only with its receipt, where changes are allowed; a second cast is refused', async () => {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, token(0), assemblyId, { secret: true, closesAt: closesAt.toISOString() });
    const { receipt } = await vote(app, token(0), motionId, { choice: 'NO' });
    const again = await app.graphql(
      GOVERNANCE.castBallot,
      {
        input: { motionId, ballot: { choice: 'YES' }, reason: '' },
      },
      { token: token(0) },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'ALREADY_VOTED' } });
    const wrong = await app.graphql(
      GOVERNANCE.changeSecretBallot,
      {
        input: { motionId, receipt: 'not-the-receipt', ballot: { choice: 'YES' }, reason: '' },
      },
      { token: token(0) },
    );
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'UNKNOWN_RECEIPT' } });
    const notAVoter = await app.graphql(
      GOVERNANCE.changeSecretBallot,
      {
        input: { motionId, receipt, ballot: { choice: 'YES' }, reason: '' },
      },
      { token: token(1) },
    );
    expect(notAVoter.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'NOT_A_VOTER' } });
    await app.ok(
      GOVERNANCE.changeSecretBallot,
      {
        input: { motionId, receipt, ballot: { choice: 'YES' }, reason: '' },
      },
      { token: token(0) },
    );
    await runUntil(app, closesAt);
    expect((await readMotion(app, motionId)).outcome?.tally).toMatchObject({ yes: '1', no: '0' });
    const afterClose = await app.graphql(
      GOVERNANCE.changeSecretBallot,
      {
        input: { motionId, receipt, ballot: { choice: 'NO' }, reason: '' },
      },
      { token: token(0) },
    );
    expect(afterClose.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'MOTION_CLOSED' } });
  });

  it('where ballots are final, a receipt changes nothing', async () => {
    const motionId = await propose(app, token(0), assemblyId, { secret: true, changeable: false });
    const { receipt } = await vote(app, token(0), motionId, { choice: 'NO' });
    const refused = await app.graphql(
      GOVERNANCE.changeSecretBallot,
      {
        input: { motionId, receipt, ballot: { choice: 'YES' }, reason: '' },
      },
      { token: token(0) },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'BALLOT_FINAL' } });
  });

  it('never applies delegation, and refuses a delegation for a secret motion', async () => {
    await app.ok(
      GOVERNANCE.delegateVote,
      {
        input: { assemblyId, toVoterId: coop.members[1]!.personId },
      },
      { token: token(2) },
    );
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, token(0), assemblyId, { secret: true, closesAt: closesAt.toISOString() });
    expect((await readMotion(app, motionId)).delegationApplies).toBe(false);
    const refused = await app.graphql(
      GOVERNANCE.delegateVote,
      {
        input: { assemblyId, toVoterId: coop.members[1]!.personId, motionId },
      },
      { token: token(3) },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'DELEGATION_DISABLED' } });
    await vote(app, token(1), motionId, { choice: 'YES' });
    await runUntil(app, closesAt);
    expect((await readMotion(app, motionId)).outcome?.tally).toMatchObject({ yes: '1', cast: '1' });
  });

  it('cannot be joined back to voters from the tables', async () => {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, token(0), assemblyId, {
      secret: true,
      rule: 'CONSENSUS',
      closesAt: closesAt.toISOString(),
    });
    const choices = ['YES', 'NO', 'YES', 'ABSTAIN'];
    for (const [index, choice] of choices.entries()) await vote(app, token(index), motionId, { choice });

    // The ballots' table has no voter, no time, no sequence: only what the tally needs.
    const columns = await app.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'secret_ballot' ORDER BY column_name`,
    );
    expect(columns.map((column: { column_name: string }) => column.column_name)).toEqual([
      'choice',
      'id',
      'motion_id',
      'reason',
      'receipt_hash',
      'weight',
    ]);
    const participation = await app.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'secret_participation' ORDER BY column_name`,
    );
    expect(participation.map((column: { column_name: string }) => column.column_name)).toEqual([
      'motion_id',
      'voter_id',
    ]);
    // Nothing references a ballot, and a ballot references nothing but its motion.
    const references = await app.dataSource.query(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' AND (conrelid = 'secret_ballot'::regclass
         OR confrelid = 'secret_ballot'::regclass) ORDER BY conname`,
    );
    expect(references).toEqual([{ conname: 'secret_ballot_motion_fk' }]);
    // No audit entry names a secret ballot's caster at the moment they cast it.
    const audit = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action LIKE '%BALLOT%'`,
      [motionId],
    );
    expect(audit).toEqual([{ n: 0 }]);

    await runUntil(app, closesAt);
    const ballots: { id: string; xmin: string; ctid: string; receipt_hash: Buffer | null }[] =
      await app.dataSource.query(
        `SELECT id, xmin::text AS xmin, ctid::text AS ctid, receipt_hash FROM secret_ballot WHERE motion_id = $1`,
        [motionId],
      );
    const voters: { xmin: string }[] = await app.dataSource.query(
      `SELECT xmin::text AS xmin FROM secret_participation WHERE motion_id = $1`,
      [motionId],
    );
    expect(ballots).toHaveLength(4);
    // Rewritten together at close: one transaction wrote every ballot, none of the voters' transactions did.
    expect(new Set(ballots.map((ballot) => ballot.xmin)).size).toBe(1);
    const voterTransactions = new Set(voters.map((voter) => voter.xmin));
    expect(voterTransactions.size).toBe(4);
    expect(ballots.some((ballot) => voterTransactions.has(ballot.xmin))).toBe(false);
    // The receipts are gone.
    expect(ballots.every((ballot) => ballot.receipt_hash === null)).toBe(true);
    // And the tally still says the same.
    const motion = await readMotion(app, motionId);
    expect(motion.outcome?.tally).toMatchObject({ yes: '2', no: '1', abstain: '1' });
    expect((await recount(app, motionId)).matches).toBe(true);
  });

  it('a secret ballot that does not fit its motion is refused by the table too', async () => {
    const motionId = await propose(app, token(0), assemblyId, { secret: true, rule: 'CONSENT' });
    await expect(
      app.dataSource.query(
        `INSERT INTO secret_ballot (id, motion_id, receipt_hash, weight, choice, reason)
         VALUES ($1, $2, NULL, 1, '{"kind":"YES_NO","choice":"NO"}', '')`,
        [randomUUID(), motionId],
      ),
    ).rejects.toThrow(/does not fit/);
    await expect(
      app.dataSource.query(
        `INSERT INTO secret_ballot (id, motion_id, receipt_hash, weight, choice, reason)
         VALUES ($1, $2, NULL, 1, '{"kind":"YES_NO","choice":"OBJECT"}', ' ')`,
        [randomUUID(), motionId],
      ),
    ).rejects.toThrow(/does not fit/);
  });
});
