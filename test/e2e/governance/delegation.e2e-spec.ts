/**
 * Goal: delegation and confederal assemblies. A voter delegates to another voter for all motions or for one;
 * delegation is transitive, a direct ballot overrides it, a delegation for one motion overrides the one for
 * all, cycles are refused, and the tally shows the weight each ballot carried and whom it represented. The
 * assembly can switch delegation off. A confederal assembly of a federation seats member organisations with
 * weights; each votes by the delegate it appoints, fixed when a motion opens. Every change of who may vote
 * and every delegation is in the audit log. Method: the real service over HTTP on its own PostgreSQL
 * database; a co-op of six members for delegation, and the steward's federation with three member co-ops for
 * the confederal assembly; outcomes read over GraphQL after the scheduler closes the motion.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
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
  type Member,
} from './governance-fixtures.js';

describe('delegation', () => {
  let app: TestApp;
  let coop: Body;
  let assemblyId: string;
  useTestApp({}, (fixture) => ({ app } = fixture));

  beforeAll(async () => {
    coop = await organizationWithMembers(app, 'delegation-coop', 6);
  });
  beforeEach(async () => {
    assemblyId = await createAssembly(app, coop.id);
  });

  const m = (index: number): Member => coop.members[index]!;
  const delegate = (from: Member, to: Member, motionId: string | null = null) =>
    app.graphql(
      GOVERNANCE.delegateVote,
      { input: { assemblyId, toVoterId: to.personId, motionId } },
      { token: from.token },
    );

  async function closeWith(motionId: string, closesAt: Date) {
    await runUntil(app, closesAt);
    const motion = await readMotion(app, motionId);
    expect((await recount(app, motionId)).matches).toBe(true);
    return motion.outcome!;
  }

  it('carries weight transitively to the first voter who cast, and the tally shows whom each ballot represents', async () => {
    // 2 → 1 → 0, and 3 → 1: member 0 votes; member 1 does not.
    expect((await delegate(m(2), m(1))).errors).toBeUndefined();
    expect((await delegate(m(1), m(0))).errors).toBeUndefined();
    expect((await delegate(m(3), m(1))).errors).toBeUndefined();
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, m(0).token, assemblyId, { closesAt: closesAt.toISOString() });
    await vote(app, m(0).token, motionId, { choice: 'YES' });
    await vote(app, m(4).token, motionId, { choice: 'NO' });
    const outcome = await closeWith(motionId, closesAt);
    expect(outcome.tally).toMatchObject({ yes: '4', no: '1', cast: '5', eligible: '7' });
    const carried = outcome.tally['weights'].find((weight: any) => weight.voterId === m(0).personId);
    expect(carried).toEqual({
      voterId: m(0).personId,
      weight: '4',
      represents: [m(1).personId, m(2).personId, m(3).personId].sort(),
    });
  });

  it('a direct ballot overrides the delegation, for the voter and for everyone behind them', async () => {
    await delegate(m(2), m(1));
    await delegate(m(1), m(0));
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, m(0).token, assemblyId, { closesAt: closesAt.toISOString() });
    await vote(app, m(0).token, motionId, { choice: 'YES' });
    await vote(app, m(1).token, motionId, { choice: 'NO' });
    const outcome = await closeWith(motionId, closesAt);
    expect(outcome.tally).toMatchObject({ yes: '1', no: '2' });
  });

  it("a motion's own delegation overrides the delegation for all motions", async () => {
    await delegate(m(2), m(0));
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, m(0).token, assemblyId, { closesAt: closesAt.toISOString() });
    expect((await delegate(m(2), m(1), motionId)).errors).toBeUndefined();
    await vote(app, m(0).token, motionId, { choice: 'YES' });
    await vote(app, m(1).token, motionId, { choice: 'NO' });
    const outcome = await closeWith(motionId, closesAt);
    expect(outcome.tally).toMatchObject({ yes: '1', no: '2' });
  });

  it('refuses a delegation that would close a cycle, through any chain, and to oneself', async () => {
    await delegate(m(0), m(1));
    await delegate(m(1), m(2));
    const before = await app.snapshot();
    for (const [from, to] of [
      [m(2), m(0)],
      [m(2), m(1)],
      [m(3), m(3)],
    ] as const) {
      const response = await delegate(from, to);
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'DELEGATION_CYCLE' },
      });
    }
    expect(await app.snapshot()).toEqual(before);
  });

  it('two delegations racing to close a cycle: one of them is refused', async () => {
    const results = await Promise.all([delegate(m(4), m(5)), delegate(m(5), m(4))]);
    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(results.find((result) => result.errors !== undefined)?.errors?.[0]?.extensions).toMatchObject({
      details: { reason: 'DELEGATION_CYCLE' },
    });
  });

  it('a delegation is replaced, revoked, and recorded in the audit log', async () => {
    await delegate(m(0), m(1));
    await delegate(m(0), m(2));
    const assembly = await app.ok(GOVERNANCE.assembly, { id: assemblyId });
    expect(assembly['assembly'].delegations).toEqual([
      { fromVoterId: m(0).personId, toVoterId: m(2).personId, motionId: null },
    ]);
    const revoked = await app.ok(GOVERNANCE.revokeDelegation, { input: { assemblyId } }, { token: m(0).token });
    expect(revoked['revokeDelegation']).toMatchObject({ revokedAt: expect.any(String) });
    const none = await app.ok(GOVERNANCE.revokeDelegation, { input: { assemblyId } }, { token: m(0).token });
    expect(none['revokeDelegation']).toBeNull();
    const log = await app.ok<{ auditLog: { edges: { node: { action: string; subjectId: string } }[] } }>(
      GOVERNANCE.auditLog,
      { organizationId: coop.id },
    );
    const actions = log.auditLog.edges
      .filter((edge) => edge.node.subjectId === assemblyId)
      .map((edge) => edge.node.action);
    expect(actions.filter((action) => action === 'DELEGATION_GRANTED')).toHaveLength(2);
    expect(actions.filter((action) => action === 'DELEGATION_REVOKED')).toHaveLength(1);
  });

  it('an assembly may switch delegation off: delegations are refused and do not count', async () => {
    await delegate(m(1), m(0));
    await app.ok(GOVERNANCE.updateAssembly, { input: { assemblyId, delegationAllowed: false } });
    const refused = await delegate(m(2), m(0));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'DELEGATION_DISABLED' } });
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, m(0).token, assemblyId, { closesAt: closesAt.toISOString() });
    expect((await readMotion(app, motionId)).delegationApplies).toBe(false);
    await vote(app, m(0).token, motionId, { choice: 'YES' });
    const outcome = await closeWith(motionId, closesAt);
    expect(outcome.tally).toMatchObject({ yes: '1', cast: '1' });
  });

  it('refuses delegating to someone who is not a voter of the assembly', async () => {
    const outsider = await app.register(`outsider-${randomUUID()}@test.example`);
    const { me } = await app.ok<{ me: { person: { id: string } } }>(
      `{ me { person { id } } }`,
      {},
      { token: outsider },
    );
    const response = await app.graphql(
      GOVERNANCE.delegateVote,
      {
        input: { assemblyId, toVoterId: me.person.id },
      },
      { token: m(0).token },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'PROXY_NOT_A_VOTER' } });
    const fromOutsider = await app.graphql(
      GOVERNANCE.delegateVote,
      {
        input: { assemblyId, toVoterId: m(0).personId },
      },
      { token: outsider },
    );
    expect(fromOutsider.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'NOT_A_VOTER' },
    });
  });
});

describe('confederal assemblies', () => {
  let app: TestApp;
  let federationId: string;
  let coops: Body[];
  let assemblyId: string;
  useTestApp({}, (fixture) => ({ app } = fixture));

  beforeAll(async () => {
    federationId = app.steward.organizationId;
    coops = [];
    for (const slug of ['bakery', 'garage', 'print-shop']) {
      const body = await organizationWithMembers(app, `conf-${slug}`, 2);
      const { requestFederationMembership } = await app.ok<{ requestFederationMembership: { id: string } }>(
        `mutation($input: RequestFederationMembershipInput!) { requestFederationMembership(input: $input) { id } }`,
        { input: { federationId, organizationId: body.id } },
      );
      await app.ok(`mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { id } }`, {
        input: { federationMembershipId: requestFederationMembership.id },
      });
      coops.push(body);
    }
  });
  beforeEach(async () => {
    assemblyId = await createAssembly(app, federationId, { kind: 'CONFEDERAL' });
    for (const [index, body] of coops.entries()) {
      await app.ok(GOVERNANCE.setAssemblySeat, { input: { assemblyId, organizationId: body.id, weight: index + 1 } });
      await app.ok(GOVERNANCE.appointDelegate, {
        input: { assemblyId, organizationId: body.id, delegateId: body.members[0]!.personId },
      });
    }
  });

  it('seats member organisations with weights; each votes by its delegate', async () => {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, coops[0]!.members[0]!.token, assemblyId, { closesAt: closesAt.toISOString() });
    const opened = await readMotion(app, motionId);
    expect(opened.voters?.map((voter) => [voter.voterId, voter.weight, voter.personId]).sort()).toEqual(
      coops.map((body, index) => [body.id, String(index + 1), body.members[0]!.personId]).sort(),
    );
    await vote(app, coops[0]!.members[0]!.token, motionId, { choice: 'YES' });
    await vote(app, coops[2]!.members[0]!.token, motionId, { choice: 'NO' });
    const member = await app.graphql(
      GOVERNANCE.castBallot,
      {
        input: { motionId, ballot: { choice: 'YES' }, reason: '' },
      },
      { token: coops[1]!.members[1]!.token },
    );
    expect(member.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'NOT_A_VOTER' } });
    await runUntil(app, closesAt);
    const closed = await readMotion(app, motionId);
    expect(closed.outcome?.tally).toMatchObject({ yes: '1', no: '3', eligible: '6', cast: '4' });
    expect(closed.outcome?.passed).toBe(false);
    // The members of a seated organisation see the assembly's motions.
    expect((await readMotion(app, motionId, coops[1]!.members[1]!.token)).status).toBe('CLOSED');
  });

  it('a seat delegates its vote to another seat; a delegate is a member of the seat it votes for', async () => {
    await app.ok(GOVERNANCE.appointDelegate, {
      input: { assemblyId, organizationId: coops[1]!.id, delegateId: null },
    });
    // A new member of the bakery becomes its delegate; the garage may not appoint them.
    const both = await join(app, app.steward.token, coops[0]!.id, `both-${randomUUID()}@test.example`);
    await app.ok(GOVERNANCE.appointDelegate, {
      input: { assemblyId, organizationId: coops[0]!.id, delegateId: both.personId },
    });
    const refused = await app.graphql(GOVERNANCE.appointDelegate, {
      input: { assemblyId, organizationId: coops[1]!.id, delegateId: both.personId },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'DELEGATE_NOT_A_MEMBER' } });

    const delegated = await app.graphql(
      GOVERNANCE.delegateVote,
      {
        input: { assemblyId, toVoterId: coops[0]!.id },
      },
      { token: coops[2]!.members[0]!.token },
    );
    expect(delegated.errors).toBeUndefined();
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, both.token, assemblyId, { closesAt: closesAt.toISOString() });
    await vote(app, both.token, motionId, { choice: 'YES' });
    await runUntil(app, closesAt);
    const closed = await readMotion(app, motionId);
    // The garage has no delegate, so no vote; the print shop's weight (3) went to the bakery (1).
    expect(closed.outcome?.tally).toMatchObject({ yes: '4', eligible: '4', cast: '4' });
  });

  it('refuses seating an organisation that is not a member of the federation, and seats in a members’ assembly', async () => {
    const stranger = await organizationWithMembers(app, `stranger-${randomUUID().slice(0, 8)}`, 0);
    const notMember = await app.graphql(GOVERNANCE.setAssemblySeat, {
      input: { assemblyId, organizationId: stranger.id, weight: 1 },
    });
    expect(notMember.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'NOT_A_MEMBER_ORGANIZATION' } });
    const members = await createAssembly(app, coops[0]!.id);
    const notConfederal = await app.graphql(GOVERNANCE.setAssemblySeat, {
      input: { assemblyId: members, organizationId: coops[1]!.id, weight: 1 },
    });
    expect(notConfederal.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'NOT_CONFEDERAL' } });
    const notFederation = await app.graphql(GOVERNANCE.createAssembly, {
      input: { id: randomUUID(), organizationId: coops[0]!.id, name: 'x', kind: 'CONFEDERAL' },
    });
    expect(notFederation.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'CONFEDERAL_NEEDS_FEDERATION' } });
  });

  it('a motion keeps the voters fixed when it opened, whatever happens to the seats meanwhile', async () => {
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, coops[0]!.members[0]!.token, assemblyId, { closesAt: closesAt.toISOString() });
    await app.ok(GOVERNANCE.removeAssemblySeat, { input: { assemblyId, organizationId: coops[2]!.id } });
    await app.ok(GOVERNANCE.setAssemblySeat, { input: { assemblyId, organizationId: coops[0]!.id, weight: 50 } });
    await vote(app, coops[2]!.members[0]!.token, motionId, { choice: 'NO' });
    await vote(app, coops[0]!.members[0]!.token, motionId, { choice: 'YES' });
    await runUntil(app, closesAt);
    expect((await readMotion(app, motionId)).outcome?.tally).toMatchObject({ yes: '1', no: '3', eligible: '6' });
  });
});
