/**
 * Goal: every governance operation (assemblies, seats, delegates, delegation, motions, ballots, approval
 * requests, and the queries that read them) refuses malformed and hostile input with a typed error and the
 * reason docs/ERRORS.md gives it — kernel reasons for the shape (INVALID_INPUT naming the fields, INVALID_ID,
 * INVALID_DATE, INVALID_JSON_OBJECT, INVALID_CURSOR, coercion), governance reasons for what a motion, a
 * ballot, an effect or a request may be, NOT_FOUND reasons for unknown ids — and changes nothing. Text that
 * is valid data, however hostile (SQL, GraphQL that tries to break out), is accepted harmlessly: stored and
 * read back verbatim. An object given for a JSONObject, however deep and whatever its keys, neither pollutes
 * the server's prototypes nor breaks it, and only the action's own parameters are stored.
 * Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real service on its own
 * database, the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 * The file's fixtures: a co-op of the steward's federation (the steward its ADMIN, one TREASURER, one
 * MEMBER) with a fund; its members' assemblies (one without delegation) and the federation's confederal
 * assembly seating it; open motions of every kind and rule the cases need, a secret one the steward has
 * voted on, a scheduled one, a closed one; an open approval request by the steward and one with a committee.
 */
import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import {
  GOVERNANCE,
  createAssembly,
  inMinutes,
  join,
  propose,
  runUntil,
  vote,
  type Member,
} from '../governance/governance-fixtures.js';
import {
  GRAPHQL_BREAKOUT,
  SQL_DROP,
  catalogueTest,
  fx,
  gql,
  group,
  invalid,
  refused,
  runCatalogue,
  send,
  type Accepted,
  type Case,
  type Sent,
} from './catalogue.js';

/** What the cases act on, made in the file's fixtures. */
const gx = {
  coopId: '',
  /** An organisation the steward runs that is not a member of the federation. */
  strangerId: '',
  /** A person with no membership. */
  outsiderId: '',
  treasurer: undefined as unknown as Member,
  member: undefined as unknown as Member,
  membersAssembly: '',
  noDelegationAssembly: '',
  confederal: '',
  /** The co-op's fund in CWC (credit line 100000), and its account in HOUR. */
  fund: '',
  coopHours: '',
  yesNo: '',
  consent: '',
  consensus: '',
  ranked: '',
  approval: '',
  budget: '',
  secret: '',
  scheduled: '',
  closed: '',
  /** A motion of the confederal assembly (another assembly than the members'). */
  confederalMotion: '',
  /** An open CONSENT motion that only the accepted objection with an SQL reason casts on. */
  objectionMotion: '',
  /** The steward's open request (approvers: the TREASURERs, 1 of 1). */
  request: '',
  /** The steward's open request decided by a committee of the TREASURER and the MEMBER, 1 of 2. */
  committeeRequest: '',
};

const ASSEMBLY_NAME = `query($id: ID!) { assembly(id: $id) { id name } }`;
const MOTION_TEXT = `query($id: ID!) { motion(id: $id) { id title body options } }`;
const CAST_WITH_REASON = `mutation($input: CastBallotInput!) { castBallot(input: $input) { ballot { voterId reason } } }`;
const REQUEST_TEXT = `query($id: ID!) { approvalRequest(id: $id) { id title action { kind params }
  decisions { approverId reason } } }`;
const ASSEMBLY_MOTIONS = `query($id: ID!, $after: String, $first: Int!, $status: MotionStatus) {
  assembly(id: $id) { motions(after: $after, first: $first, status: $status) { edges { node { id } } } } }`;
const ASSEMBLIES = `query($organizationId: ID!, $after: String, $first: Int!) {
  assemblies(organizationId: $organizationId, after: $after, first: $first) { edges { cursor node { id } } } }`;
const APPROVAL_REQUESTS = `query($organizationId: ID!, $after: String, $first: Int!) {
  approvalRequests(organizationId: $organizationId, after: $after, first: $first) { edges { node { id } } } }`;

const SQL_SELECT = "' UNION SELECT password_hash FROM person --";
const UNKNOWN = '3f9d2c1e-8b7a-4c6d-9e0f-1a2b3c4d5e6f';

const day = (days: number): string => inMinutes(fx.app, days * 24 * 60).toISOString();

/** A cursor of the given list, whose key is `key` (the shape a cursor has, with what is inside under test). */
const cursor = (tag: string, key: string): string => Buffer.from(`${tag}:${key}`, 'utf8').toString('base64url');

// Inputs with valid terms, changed by `override` (an undefined value takes the field out).

function assemblyInput(override: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: randomUUID(), organizationId: gx.coopId, name: 'Bakers assembly', kind: 'MEMBERS', ...override };
}

function motionInput(override: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    assemblyId: gx.membersAssembly,
    title: 'Buy a new oven',
    body: 'The old one is broken.',
    closesAt: day(1),
    ...override,
  };
}

function disburse(override: Record<string, unknown> = {}): Record<string, unknown> {
  return { fromAccountId: gx.fund, payments: [{ accountId: fx.bob, amount: '100' }], memo: 'Oven', ...override };
}

function budgetInput(override: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unitCode: 'CWC',
    fundAccountId: gx.fund,
    amount: '1000',
    method: 'GREEDY',
    proposals: [
      { id: 'roof', title: 'Mend the roof', cost: '600', payeeAccountId: fx.bob },
      { id: 'oven', title: 'A new oven', cost: '500', payeeAccountId: fx.alice },
    ],
    ...override,
  };
}

function requestInput(override: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    organizationId: gx.coopId,
    title: 'Pay for the oven',
    action: { kind: 'ledger.disburse', params: disburse() },
    approverRole: 'TREASURER',
    required: 1,
    expiresAt: day(1),
    ...override,
  };
}

const createAssemblyWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(GOVERNANCE.createAssembly, { input: assemblyInput(override) });
const proposeWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(GOVERNANCE.proposeMotion, { input: motionInput(override) });
const budgetWith = (override: Record<string, unknown>): Promise<Sent> =>
  proposeWith({ ballotKind: 'BUDGET', budget: budgetInput(override) });
const effectWith = (kind: string, params: unknown): Promise<Sent> => proposeWith({ effect: { kind, params } });
const requestWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(GOVERNANCE.requestApproval, { input: requestInput(override) });
const actionWith = (params: unknown, kind = 'ledger.disburse'): Promise<Sent> =>
  requestWith({ action: { kind, params } });
const castWith = (motionId: string, ballot: unknown, extra: Record<string, unknown> = {}): Promise<Sent> =>
  gql(GOVERNANCE.castBallot, { input: { motionId, ballot, reason: '', ...extra } });
const seatWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(GOVERNANCE.setAssemblySeat, {
    input: { assemblyId: gx.confederal, organizationId: gx.coopId, weight: 1, ...override },
  });
const delegateWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(GOVERNANCE.delegateVote, {
    input: { assemblyId: gx.membersAssembly, toVoterId: gx.member.personId, ...override },
  });
const decideWith = (override: Record<string, unknown>, token?: string): Promise<Sent> =>
  gql(
    GOVERNANCE.decideApproval,
    { input: { requestId: gx.request, version: 1, decision: 'APPROVE', reason: '', ...override } },
    token === undefined ? {} : { token },
  );

/** Accepted: no errors, one row more in `table` (none for an update), and that row holds `expected` exactly. */
function storedVerbatim(options: {
  table: string;
  /** The row's key, from the answer: a WHERE clause over $1, $2 … and its values. */
  where: (data: Record<string, any>) => { sql: string; values: unknown[] };
  expected: Record<string, unknown>;
  added?: number;
  /** Reads it back over GraphQL and checks what it shows. */
  readBack?: (data: Record<string, any>) => Promise<void>;
}): Accepted {
  return {
    accepted: async (sent, before) => {
      const body = sent.body as { data?: Record<string, any>; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const data = body.data ?? {};
      const { sql, values } = options.where(data);
      const rows: unknown[] = await fx.app.dataSource.query(
        `SELECT ${Object.keys(options.expected).join(', ')} FROM ${options.table} WHERE ${sql}`,
        values,
      );
      expect(rows).toEqual([options.expected]);
      const after = await fx.app.snapshot();
      expect(after[options.table]?.rows).toBe((before[options.table]?.rows ?? 0) + (options.added ?? 1));
      expect(Object.keys(after)).toEqual(expect.arrayContaining(Object.keys(before)));
      await options.readBack?.(data);
    },
  };
}

/** Accepted, and nothing changed (an idempotent replay, or a revocation of nothing). */
function acceptedUnchanged(check: (data: Record<string, any>) => void): Accepted {
  return {
    accepted: async (sent, before) => {
      const body = sent.body as { data?: Record<string, any>; errors?: unknown };
      expect(body.errors).toBeUndefined();
      check(body.data ?? {});
      expect(await fx.app.snapshot()).toEqual(before);
    },
  };
}

const IDS: readonly Case[] = [
  {
    name: 'createAssembly: id "not-a-uuid"',
    send: () => createAssemblyWith({ id: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createAssembly: organizationId with SQL in it',
    send: () => createAssemblyWith({ organizationId: `${UNKNOWN}' OR '1'='1` }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createAssembly: an unknown organisation',
    send: () => createAssemblyWith({ organizationId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
  },
  {
    name: "createAssembly: the id of the federation's assembly, for the co-op",
    send: () => createAssemblyWith({ id: gx.confederal }),
    expect: refused('CONFLICT', 'ID_TAKEN'),
  },
  {
    name: 'updateAssembly: an unknown assembly',
    send: () => gql(GOVERNANCE.updateAssembly, { input: { assemblyId: UNKNOWN, name: 'x' } }),
    expect: refused('NOT_FOUND', 'ASSEMBLY_NOT_FOUND'),
  },
  {
    name: 'updateAssembly: assemblyId 42',
    send: () => gql(GOVERNANCE.updateAssembly, { input: { assemblyId: 42, name: 'x' } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'setAssemblySeat: organizationId "not-a-uuid"',
    send: () => seatWith({ organizationId: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'setAssemblySeat: an unknown assembly',
    send: () => seatWith({ assemblyId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ASSEMBLY_NOT_FOUND'),
  },
  {
    name: 'removeAssemblySeat: an organisation without a seat',
    send: () =>
      gql(GOVERNANCE.removeAssemblySeat, { input: { assemblyId: gx.confederal, organizationId: gx.strangerId } }),
    expect: invalid('NOT_SEATED'),
  },
  {
    name: 'appointDelegate: delegateId "not-a-uuid"',
    send: () =>
      gql(GOVERNANCE.appointDelegate, {
        input: { assemblyId: gx.confederal, organizationId: gx.coopId, delegateId: 'not-a-uuid' },
      }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'delegateVote: an unknown person as the proxy',
    send: () => delegateWith({ toVoterId: UNKNOWN }),
    expect: invalid('PROXY_NOT_A_VOTER'),
  },
  {
    name: 'delegateVote: an unknown motion',
    send: () => delegateWith({ motionId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'MOTION_NOT_FOUND'),
  },
  {
    name: 'delegateVote: a motion of another assembly',
    send: () => delegateWith({ motionId: gx.confederalMotion }),
    expect: refused('NOT_FOUND', 'MOTION_NOT_FOUND'),
  },
  {
    name: 'revokeDelegation: an unknown assembly',
    send: () => gql(GOVERNANCE.revokeDelegation, { input: { assemblyId: UNKNOWN } }),
    expect: refused('NOT_FOUND', 'ASSEMBLY_NOT_FOUND'),
  },
  {
    name: 'revokeDelegation: motionId "not-a-uuid"',
    send: () => gql(GOVERNANCE.revokeDelegation, { input: { assemblyId: gx.membersAssembly, motionId: 'not-a-uuid' } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: an unknown assembly',
    send: () => proposeWith({ assemblyId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ASSEMBLY_NOT_FOUND'),
  },
  {
    name: 'proposeMotion: the id of a motion of another assembly',
    send: () => proposeWith({ id: gx.confederalMotion }),
    expect: refused('CONFLICT', 'ID_TAKEN'),
  },
  {
    name: 'withdrawMotion: motionId "not-a-uuid"',
    send: () => gql(GOVERNANCE.withdrawMotion, { input: { motionId: 'not-a-uuid' } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'withdrawMotion: an unknown motion',
    send: () => gql(GOVERNANCE.withdrawMotion, { input: { motionId: UNKNOWN } }),
    expect: refused('NOT_FOUND', 'MOTION_NOT_FOUND'),
  },
  {
    name: 'castBallot: an unknown motion',
    send: () => castWith(UNKNOWN, { choice: 'YES' }),
    expect: refused('NOT_FOUND', 'MOTION_NOT_FOUND'),
  },
  {
    name: 'castBallot: voterId "not-a-uuid"',
    send: () => castWith(gx.yesNo, { choice: 'YES' }, { voterId: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'changeSecretBallot: a receipt no ballot has',
    send: () =>
      gql(GOVERNANCE.changeSecretBallot, {
        input: { motionId: gx.secret, receipt: 'A'.repeat(32), ballot: { choice: 'NO' } },
      }),
    expect: refused('NOT_FOUND', 'UNKNOWN_RECEIPT'),
  },
  {
    name: 'changeSecretBallot: an empty receipt',
    send: () =>
      gql(GOVERNANCE.changeSecretBallot, { input: { motionId: gx.secret, receipt: '', ballot: { choice: 'NO' } } }),
    expect: refused('NOT_FOUND', 'UNKNOWN_RECEIPT'),
  },
  {
    name: 'requestApproval: an unknown organisation',
    send: () => requestWith({ organizationId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
  },
  {
    name: 'decideApproval: an unknown request',
    send: () => decideWith({ requestId: UNKNOWN }, gx.treasurer.token),
    expect: refused('NOT_FOUND', 'APPROVAL_REQUEST_NOT_FOUND'),
  },
  {
    name: 'changeApprovalRequest: an unknown request',
    send: () => gql(GOVERNANCE.changeApprovalRequest, { input: { requestId: UNKNOWN, params: disburse() } }),
    expect: refused('NOT_FOUND', 'APPROVAL_REQUEST_NOT_FOUND'),
  },
  {
    name: 'withdrawApprovalRequest: requestId "not-a-uuid"',
    send: () => gql(GOVERNANCE.withdrawApprovalRequest, { input: { requestId: 'not-a-uuid' } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'assembly(id: "not-a-uuid")',
    send: () => gql(ASSEMBLY_NAME, { id: 'not-a-uuid' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'assembly(id: an unknown UUID)',
    send: () => gql(ASSEMBLY_NAME, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ASSEMBLY_NOT_FOUND'),
  },
  {
    name: 'motion(id: a UUID with a trailing newline)',
    send: () => gql(MOTION_TEXT, { id: `${gx.yesNo}\n` }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'motion(id: an unknown UUID)',
    send: () => gql(MOTION_TEXT, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'MOTION_NOT_FOUND'),
  },
  {
    name: 'recount(motionId: "not-a-uuid")',
    send: () => gql(GOVERNANCE.recount, { motionId: 'not-a-uuid' }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'recount of an open motion',
    send: () => gql(GOVERNANCE.recount, { motionId: gx.yesNo }),
    expect: refused('CONFLICT', 'MOTION_NOT_CLOSED'),
  },
  {
    name: 'approvalRequest(id: SQL)',
    send: () => gql(GOVERNANCE.approvalRequest, { id: SQL_DROP }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'approvalRequest(id: an unknown UUID)',
    send: () => gql(GOVERNANCE.approvalRequest, { id: UNKNOWN }),
    expect: refused('NOT_FOUND', 'APPROVAL_REQUEST_NOT_FOUND'),
  },
  {
    name: 'assemblies(organizationId: "not-a-uuid")',
    send: () => gql(ASSEMBLIES, { organizationId: 'not-a-uuid', first: 10 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'approvalRequests(organizationId: "not-a-uuid")',
    send: () => gql(APPROVAL_REQUESTS, { organizationId: 'not-a-uuid', first: 10 }),
    expect: invalid('INVALID_INPUT'),
  },
];

const PAGES: readonly Case[] = [
  {
    name: 'assemblies(first: 0)',
    send: () => gql(ASSEMBLIES, { organizationId: gx.coopId, first: 0 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'assemblies(first: 201)',
    send: () => gql(ASSEMBLIES, { organizationId: gx.coopId, first: 201 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'assemblies(after: "garbage")',
    send: () => gql(ASSEMBLIES, { organizationId: gx.coopId, first: 10, after: 'garbage' }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    name: "approvalRequests(after: a cursor of the assemblies' list)",
    send: async () => {
      const page = await fx.app.ok(ASSEMBLIES, { organizationId: gx.coopId, first: 1 });
      const after = String(page['assemblies'].edges[0].cursor);
      return gql(APPROVAL_REQUESTS, { organizationId: gx.coopId, first: 10, after });
    },
    expect: invalid('INVALID_CURSOR'),
  },
  {
    // A forged cursor naming an instant that does not exist (30 February) names no position.
    name: 'assemblies(after: a forged cursor naming 30 February)',
    send: () =>
      gql(ASSEMBLIES, {
        organizationId: gx.coopId,
        first: 10,
        after: cursor('assembly', `2024-02-30T00:00:00.000Z|${UNKNOWN}`),
      }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    // The right shape, but no UUID: refused before it can reach PostgreSQL's uuid cast.
    name: 'assemblies(after: a cursor of the right shape whose id is 36 dashes)',
    send: () =>
      gql(ASSEMBLIES, {
        organizationId: gx.coopId,
        first: 10,
        after: cursor('assembly', `2024-02-01T00:00:00.000Z|${'-'.repeat(36)}`),
      }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    // The right shape, but no instant: refused before an Invalid Date can reach PostgreSQL.
    name: 'Assembly.motions(after: a cursor of the right shape naming month 13)',
    send: () =>
      gql(ASSEMBLY_MOTIONS, {
        id: gx.membersAssembly,
        first: 10,
        after: cursor('motion', `2024-13-45T99:99:99.999Z|${UNKNOWN}`),
      }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    name: 'approvalRequests(after: a forged cursor naming the year 0): a page, nothing changed',
    send: () =>
      gql(APPROVAL_REQUESTS, {
        organizationId: gx.coopId,
        first: 10,
        after: cursor('approval-request', `0000-01-01T00:00:00.000Z|${UNKNOWN}`),
      }),
    expect: acceptedUnchanged((data) => expect(data['approvalRequests'].edges).toEqual([])),
  },
  {
    name: 'Assembly.motions(status: "DECIDED")',
    send: () => gql(ASSEMBLY_MOTIONS, { id: gx.membersAssembly, first: 10, status: 'DECIDED' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    // FORBIDDEN, though its reason (ASSEMBLY_NOT_VISIBLE) speaks of an assembly: see the report.
    name: 'approvalRequests of an organisation that does not exist',
    send: () => gql(APPROVAL_REQUESTS, { organizationId: UNKNOWN, first: 10 }),
    expect: refused('FORBIDDEN'),
  },
];

const TEXT: readonly Case[] = [
  {
    name: 'createAssembly: an empty name',
    send: () => createAssemblyWith({ name: '' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createAssembly: a name of spaces',
    send: () => createAssemblyWith({ name: '   ' }),
    expect: invalid('INVALID_ASSEMBLY'),
  },
  {
    name: 'createAssembly: a name of 201 characters',
    send: () => createAssemblyWith({ name: 'n'.repeat(201) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'updateAssembly: an empty name',
    send: () => gql(GOVERNANCE.updateAssembly, { input: { assemblyId: gx.membersAssembly, name: '' } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'updateAssembly: a name of tabs and newlines',
    send: () => gql(GOVERNANCE.updateAssembly, { input: { assemblyId: gx.membersAssembly, name: '\t\n \n' } }),
    expect: invalid('INVALID_ASSEMBLY'),
  },
  {
    name: 'proposeMotion: an empty title',
    send: () => proposeWith({ title: '' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: a title of spaces',
    send: () => proposeWith({ title: '    ' }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'proposeMotion: a title of 201 characters',
    send: () => proposeWith({ title: 't'.repeat(201) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: a title of 201 emoji (counted in characters, not bytes)',
    send: () => proposeWith({ title: '🗳'.repeat(201) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: a text of 20001 characters',
    send: () => proposeWith({ body: 'b'.repeat(20_001) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: an option of 201 characters',
    send: () => proposeWith({ ballotKind: 'RANKED', options: ['a', 'o'.repeat(201)] }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: an option of spaces',
    send: () => proposeWith({ ballotKind: 'APPROVAL', options: ['a', '  '] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'proposeMotion: an effect kind of 101 characters',
    send: () => effectWith(`ledger.${'d'.repeat(94)}`, disburse()),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'proposeMotion: NUL in the title',
    send: () => proposeWith({ title: 'Oven\u0000' }),
    expect: { ...invalid('NUL_CHARACTER'), status: 400 },
  },
  {
    name: 'castBallot: a reason of 2001 characters',
    send: () => castWith(gx.consent, { choice: 'OBJECT' }, { reason: 'r'.repeat(2001) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'changeSecretBallot: a receipt of 101 characters',
    send: () =>
      gql(GOVERNANCE.changeSecretBallot, {
        input: { motionId: gx.secret, receipt: 'r'.repeat(101), ballot: { choice: 'NO' } },
      }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'requestApproval: an empty title',
    send: () => requestWith({ title: '' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'requestApproval: a title of spaces',
    send: () => requestWith({ title: '   ' }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'changeApprovalRequest: a title of spaces',
    send: () =>
      gql(GOVERNANCE.changeApprovalRequest, { input: { requestId: gx.request, title: '  ', params: disburse() } }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'decideApproval: a reason of 2001 characters',
    send: () => decideWith({ decision: 'REFUSE', reason: 'r'.repeat(2001) }, gx.treasurer.token),
    expect: invalid('INVALID_INPUT'),
  },
];

const DATES: readonly Case[] = [
  {
    name: 'proposeMotion: closesAt an hour ago',
    send: () => proposeWith({ closesAt: inMinutes(fx.app, -60).toISOString() }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'proposeMotion: closesAt before opensAt',
    send: () => proposeWith({ opensAt: day(2), closesAt: day(1) }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'proposeMotion: closesAt equal to opensAt',
    send: () => {
      const at = day(2);
      return proposeWith({ opensAt: at, closesAt: at });
    },
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'proposeMotion: open for 367 days',
    send: () => proposeWith({ closesAt: day(367) }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'proposeMotion: closesAt "2025-02-30T12:00:00Z" (no such day)',
    send: () => proposeWith({ closesAt: '2025-02-30T12:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'proposeMotion: closesAt "tomorrow"',
    send: () => proposeWith({ closesAt: 'tomorrow' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'proposeMotion: closesAt "2030-01-01" (a date without a time)',
    send: () => proposeWith({ closesAt: '2030-01-01' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'proposeMotion: closesAt in the year 10000',
    send: () => proposeWith({ closesAt: '+010000-01-01T00:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'proposeMotion: opensAt in month 13',
    send: () => proposeWith({ opensAt: '2030-13-01T00:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'proposeMotion: closesAt 0 (a number)',
    send: () => proposeWith({ closesAt: 0 }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'requestApproval: expiresAt a minute ago',
    send: () => requestWith({ expiresAt: inMinutes(fx.app, -1).toISOString() }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'requestApproval: expiresAt in 367 days',
    send: () => requestWith({ expiresAt: day(367) }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'requestApproval: expiresAt "2025-02-30T12:00:00Z" (no such day)',
    send: () => requestWith({ expiresAt: '2025-02-30T12:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
  {
    name: 'requestApproval: expiresAt in the year 0',
    send: () => requestWith({ expiresAt: '0000-01-01T00:00:00Z' }),
    expect: invalid('INVALID_DATE'),
  },
];

const MOTION_TERMS: readonly Case[] = [
  {
    name: 'SUPERMAJORITY without its fraction',
    send: () => proposeWith({ rule: 'SUPERMAJORITY' }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a fraction under MAJORITY',
    send: () => proposeWith({ rule: 'MAJORITY', supermajority: { numerator: 2, denominator: 3 } }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'SUPERMAJORITY of 1/3 (below one half)',
    send: () => proposeWith({ rule: 'SUPERMAJORITY', supermajority: { numerator: 1, denominator: 3 } }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'SUPERMAJORITY of 3/2 (above one)',
    send: () => proposeWith({ rule: 'SUPERMAJORITY', supermajority: { numerator: 3, denominator: 2 } }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'SUPERMAJORITY of 0/3',
    send: () => proposeWith({ rule: 'SUPERMAJORITY', supermajority: { numerator: 0, denominator: 3 } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'SUPERMAJORITY of 2/1001',
    send: () => proposeWith({ rule: 'SUPERMAJORITY', supermajority: { numerator: 2, denominator: 1001 } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'SUPERMAJORITY numerator 2^31 (past GraphQL Int)',
    send: () => proposeWith({ rule: 'SUPERMAJORITY', supermajority: { numerator: 2 ** 31, denominator: 3 } }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a quorum of 0',
    send: () => proposeWith({ quorum: { numerator: 0, denominator: 2 } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a quorum of 1/0',
    send: () => proposeWith({ quorum: { numerator: 1, denominator: 0 } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a quorum of 3/2 (over one)',
    send: () => proposeWith({ quorum: { numerator: 3, denominator: 2 } }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a quorum of "1/2" as a string',
    send: () => proposeWith({ quorum: '1/2' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'closing early while ballots may change',
    send: () => proposeWith({ earlyClose: true, changeable: true }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'ballotKind "SECRET" (no such kind)',
    send: () => proposeWith({ ballotKind: 'SECRET' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a yes/no motion with options',
    send: () => proposeWith({ options: ['yes', 'no'] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a ranked motion with 1 option',
    send: () => proposeWith({ ballotKind: 'RANKED', options: ['only'] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a ranked motion with the same option twice',
    send: () => proposeWith({ ballotKind: 'RANKED', options: ['rye', 'spelt', 'rye'] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a ranked motion with 51 options',
    send: () => proposeWith({ ballotKind: 'RANKED', options: Array.from({ length: 51 }, (_, i) => `option ${i}`) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'an approval motion without options',
    send: () => proposeWith({ ballotKind: 'APPROVAL', options: [] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a ranked motion under SUPERMAJORITY',
    send: () =>
      proposeWith({
        ballotKind: 'RANKED',
        options: ['a', 'b'],
        rule: 'SUPERMAJORITY',
        supermajority: { numerator: 2, denominator: 3 },
      }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a ranked motion with an effect',
    send: () =>
      proposeWith({
        ballotKind: 'RANKED',
        options: ['a', 'b'],
        effect: { kind: 'ledger.disburse', params: disburse() },
      }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    // Only a budget motion has a budget (the CHECK motion_budget_is_a_budget twins the rule).
    name: 'a yes/no motion with a budget',
    send: () => proposeWith({ budget: budgetInput() }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'an approval motion with a budget',
    send: () => proposeWith({ ballotKind: 'APPROVAL', options: ['a', 'b'], budget: budgetInput() }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    // A budget motion's ballots name its proposals: options besides them would mean nothing.
    name: 'a budget motion with options besides its proposals',
    send: () => proposeWith({ ballotKind: 'BUDGET', budget: budgetInput(), options: ['a', 'b'] }),
    expect: invalid('INVALID_MOTION'),
  },
];

const BUDGETS: readonly Case[] = [
  {
    name: 'a budget motion without a budget',
    send: () => proposeWith({ ballotKind: 'BUDGET' }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'two proposals with one id',
    send: () =>
      budgetWith({
        proposals: [
          { id: 'oven', title: 'Oven', cost: '100', payeeAccountId: fx.bob },
          { id: 'oven', title: 'Another oven', cost: '200', payeeAccountId: fx.alice },
        ],
      }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a proposal that costs 0',
    send: () => budgetWith({ proposals: [{ id: 'free', title: 'Free', cost: '0', payeeAccountId: fx.bob }] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a proposal that costs -5',
    send: () => budgetWith({ proposals: [{ id: 'refund', title: 'Refund', cost: '-5', payeeAccountId: fx.bob }] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a proposal that costs "1.5"',
    send: () => budgetWith({ proposals: [{ id: 'half', title: 'Half', cost: '1.5', payeeAccountId: fx.bob }] }),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'a proposal that costs 15 (a number)',
    send: () => budgetWith({ proposals: [{ id: 'num', title: 'Number', cost: 15, payeeAccountId: fx.bob }] }),
    expect: invalid('INVALID_AMOUNT'),
  },
  {
    name: 'a proposal id with a space',
    send: () => budgetWith({ proposals: [{ id: 'new oven', title: 'Oven', cost: '5', payeeAccountId: fx.bob }] }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a proposal with an empty title',
    send: () => budgetWith({ proposals: [{ id: 'oven', title: '', cost: '5', payeeAccountId: fx.bob }] }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'no proposals',
    send: () => budgetWith({ proposals: [] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: '201 proposals',
    send: () =>
      budgetWith({
        proposals: Array.from({ length: 201 }, (_, i) => ({
          id: `p${i}`,
          title: 'P',
          cost: '1',
          payeeAccountId: fx.bob,
        })),
      }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'an amount of 0',
    send: () => budgetWith({ amount: '0' }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a fund of another organisation (the federation)',
    send: () => budgetWith({ fundAccountId: fx.alice }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a fund in another unit than the budget',
    send: () => budgetWith({ fundAccountId: gx.coopHours }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'an unknown fund',
    send: () => budgetWith({ fundAccountId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'a proposal paid to the fund itself',
    send: () => budgetWith({ proposals: [{ id: 'self', title: 'Self', cost: '5', payeeAccountId: gx.fund }] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a proposal paid to an account in another unit',
    send: () => budgetWith({ proposals: [{ id: 'hours', title: 'Hours', cost: '5', payeeAccountId: fx.hours }] }),
    expect: invalid('INVALID_MOTION'),
  },
  {
    name: 'a proposal paid to an unknown account',
    send: () => budgetWith({ proposals: [{ id: 'ghost', title: 'Ghost', cost: '5', payeeAccountId: UNKNOWN }] }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'a unit code of 17 characters',
    send: () => budgetWith({ unitCode: 'C'.repeat(17) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'method "LOTTERY" (no such method)',
    send: () => budgetWith({ method: 'LOTTERY' }),
    expect: invalid('INVALID_REQUEST'),
  },
];

const EFFECTS: readonly Case[] = [
  {
    name: 'proposeMotion: an effect kind nobody offers',
    send: () => effectWith('ledger.print-money', disburse()),
    expect: invalid('UNKNOWN_EFFECT'),
  },
  {
    name: 'proposeMotion: an empty effect kind',
    send: () => effectWith('', disburse()),
    expect: invalid('UNKNOWN_EFFECT'),
  },
  {
    name: 'requestApproval: an action kind with SQL in it',
    send: () => actionWith(disburse(), SQL_DROP),
    expect: invalid('UNKNOWN_EFFECT'),
    echoes: [SQL_DROP],
  },
  {
    name: 'proposeMotion: an amount as a number',
    send: () => effectWith('ledger.disburse', disburse({ payments: [{ accountId: fx.bob, amount: 100 }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'proposeMotion: an amount of "1.5"',
    send: () => effectWith('ledger.disburse', disburse({ payments: [{ accountId: fx.bob, amount: '1.5' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: an amount of "-5"',
    send: () => actionWith(disburse({ payments: [{ accountId: fx.bob, amount: '-5' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: an amount of "0"',
    send: () => actionWith(disburse({ payments: [{ accountId: fx.bob, amount: '0' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: an amount past 64 bits',
    send: () => actionWith(disburse({ payments: [{ accountId: fx.bob, amount: '99999999999999999999' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    // The ledger refuses an entry over 10^15 (AMOUNT_TOO_LARGE): such a request could never be carried out.
    name: 'requestApproval: an amount of 10^18 (over the ledger’s 10^15 per entry)',
    send: () => actionWith(disburse({ payments: [{ accountId: fx.bob, amount: '1000000000000000000' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: 64 payments',
    send: () =>
      actionWith(disburse({ payments: Array.from({ length: 64 }, () => ({ accountId: fx.bob, amount: '1' })) })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: no payments',
    send: () => actionWith(disburse({ payments: [] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: payments as an object',
    send: () => actionWith(disburse({ payments: { accountId: fx.bob, amount: '1' } })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a payment that is a string',
    send: () => actionWith(disburse({ payments: [fx.bob] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a payment to "not-a-uuid"',
    send: () => actionWith(disburse({ payments: [{ accountId: 'not-a-uuid', amount: '1' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a payment to an unknown account',
    send: () => actionWith(disburse({ payments: [{ accountId: UNKNOWN, amount: '1' }] })),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'requestApproval: no fromAccountId',
    send: () => actionWith({ payments: [{ accountId: fx.bob, amount: '1' }] }),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a fund of another organisation (the federation)',
    send: () => actionWith(disburse({ fromAccountId: fx.alice })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: the same payee account twice',
    send: () =>
      actionWith(
        disburse({
          payments: [
            { accountId: fx.bob, amount: '1' },
            { accountId: fx.bob, amount: '2' },
          ],
        }),
      ),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a payment to the fund itself',
    send: () => actionWith(disburse({ payments: [{ accountId: gx.fund, amount: '1' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a payment in another unit than the fund',
    send: () => actionWith(disburse({ payments: [{ accountId: fx.hours, amount: '1' }] })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a memo of 501 characters',
    send: () => actionWith(disburse({ memo: 'm'.repeat(501) })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: a memo that is a number',
    send: () => actionWith(disburse({ memo: 42 })),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: set-credit-line of a negative limit',
    send: () => actionWith({ accountId: fx.bob, creditLimit: '-1' }, 'ledger.set-credit-line'),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: set-credit-line of a limit as a number',
    send: () => actionWith({ accountId: fx.bob, creditLimit: 500 }, 'ledger.set-credit-line'),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: "requestApproval: set-credit-line of an account in a unit the co-op doesn't issue",
    send: () => actionWith({ accountId: gx.fund, creditLimit: '500' }, 'ledger.set-credit-line'),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: set-credit-line with an upper limit of "lots"',
    send: () => actionWith({ accountId: gx.fund, creditLimit: '500', upperLimit: 'lots' }, 'ledger.set-credit-line'),
    expect: invalid('INVALID_EFFECT'),
  },
  {
    name: 'requestApproval: params given a list',
    send: () => actionWith([disburse()]),
    expect: invalid('INVALID_JSON_OBJECT'),
  },
  {
    name: 'requestApproval: params given a string',
    send: () => actionWith(JSON.stringify(disburse())),
    expect: invalid('INVALID_JSON_OBJECT'),
  },
  {
    name: 'requestApproval: params given null',
    send: () => actionWith(null),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'proposeMotion: params given as a literal list in the document',
    send: () =>
      gql(
        `mutation($id: ID!, $assemblyId: ID!, $closesAt: DateTime!) { proposeMotion(input: { id: $id,
          assemblyId: $assemblyId, title: "Oven", closesAt: $closesAt,
          effect: { kind: "ledger.disburse", params: [1, 2] } }) { id } }`,
        { id: randomUUID(), assemblyId: gx.membersAssembly, closesAt: day(1) },
      ),
    expect: invalid('INVALID_JSON_OBJECT'),
  },
  {
    name: 'changeApprovalRequest: params given a list',
    send: () => gql(GOVERNANCE.changeApprovalRequest, { input: { requestId: gx.request, params: [disburse()] } }),
    expect: invalid('INVALID_JSON_OBJECT'),
  },
  {
    name: 'changeApprovalRequest: an amount of "1.5"',
    send: () =>
      gql(GOVERNANCE.changeApprovalRequest, {
        input: { requestId: gx.request, params: disburse({ payments: [{ accountId: fx.bob, amount: '1.5' }] }) },
      }),
    expect: invalid('INVALID_EFFECT'),
  },
];

const REQUESTS: readonly Case[] = [
  {
    name: 'both an approverRole and a committee',
    send: () => requestWith({ committee: [gx.treasurer.personId] }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'neither an approverRole nor a committee',
    send: () => requestWith({ approverRole: undefined }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'required 0',
    send: () => requestWith({ required: 0 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'required 51',
    send: () => requestWith({ required: 51 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'required 2 of the one TREASURER',
    send: () => requestWith({ required: 2 }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'required "1" as a string',
    send: () => requestWith({ required: '1' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'an empty committee',
    send: () => requestWith({ approverRole: undefined, committee: [] }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'a committee of a person who is not a member',
    send: () => requestWith({ approverRole: undefined, committee: [gx.outsiderId] }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'a committee of its author alone',
    send: () => requestWith({ approverRole: undefined, committee: [fx.app.steward.personId] }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'a committee naming the TREASURER twice, 2 required (one person counts once)',
    send: () =>
      requestWith({ approverRole: undefined, committee: [gx.treasurer.personId, gx.treasurer.personId], required: 2 }),
    expect: invalid('INVALID_APPROVAL_REQUEST'),
  },
  {
    name: 'a committee naming "not-a-uuid"',
    send: () => requestWith({ approverRole: undefined, committee: ['not-a-uuid'] }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a committee of 51',
    send: () =>
      requestWith({ approverRole: undefined, committee: Array.from({ length: 51 }, () => gx.treasurer.personId) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'approverRole "KING" (no such role)',
    send: () => requestWith({ approverRole: 'KING' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'decideApproval: version 0',
    send: () => decideWith({ version: 0 }, gx.treasurer.token),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'decideApproval: a version the request never had',
    send: () => decideWith({ version: 7 }, gx.treasurer.token),
    expect: refused('CONFLICT', 'VERSION_CHANGED'),
  },
  {
    name: 'decideApproval: decision "MAYBE"',
    send: () => decideWith({ decision: 'MAYBE' }, gx.treasurer.token),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'decideApproval: by its author',
    send: () => decideWith({}),
    expect: refused('FORBIDDEN', 'MAY_NOT_APPROVE'),
  },
  {
    name: 'requestApproval: the id of an existing request, by its author: the stored request, nothing changed',
    send: () => requestWith({ id: gx.request, title: 'Something else entirely' }),
    expect: acceptedUnchanged((data) => expect(data['requestApproval']).toMatchObject({ id: gx.request, version: 1 })),
  },
];

const SEATS_AND_DELEGATION: readonly Case[] = [
  {
    name: 'createAssembly: a confederal assembly of a co-op',
    send: () => createAssemblyWith({ kind: 'CONFEDERAL' }),
    expect: invalid('CONFEDERAL_NEEDS_FEDERATION'),
  },
  {
    name: 'createAssembly: kind "BOTH"',
    send: () => createAssemblyWith({ kind: 'BOTH' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'createAssembly: outcomesPublic "yes"',
    send: () => createAssemblyWith({ outcomesPublic: 'yes' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'setAssemblySeat: weight 0',
    send: () => seatWith({ weight: 0 }),
    expect: invalid('INVALID_ASSEMBLY'),
  },
  {
    name: 'setAssemblySeat: weight -1',
    send: () => seatWith({ weight: -1 }),
    expect: invalid('INVALID_ASSEMBLY'),
  },
  {
    name: 'setAssemblySeat: weight 1000001',
    send: () => seatWith({ weight: 1_000_001 }),
    expect: invalid('INVALID_ASSEMBLY'),
  },
  {
    name: 'setAssemblySeat: weight 2^31 (past GraphQL Int)',
    send: () => seatWith({ weight: 2 ** 31 }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'setAssemblySeat: weight 1.5',
    send: () => seatWith({ weight: 1.5 }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: "setAssemblySeat: in a members' assembly",
    send: () => seatWith({ assemblyId: gx.membersAssembly }),
    expect: invalid('NOT_CONFEDERAL'),
  },
  {
    name: 'setAssemblySeat: an organisation that is not a member of the federation',
    send: () => seatWith({ organizationId: gx.strangerId }),
    expect: invalid('NOT_A_MEMBER_ORGANIZATION'),
  },
  {
    name: 'setAssemblySeat: an unknown organisation',
    send: () => seatWith({ organizationId: UNKNOWN }),
    expect: invalid('NOT_A_MEMBER_ORGANIZATION'),
  },
  {
    name: 'appointDelegate: a person who is not a member of the seated co-op',
    send: () =>
      gql(GOVERNANCE.appointDelegate, {
        input: { assemblyId: gx.confederal, organizationId: gx.coopId, delegateId: gx.outsiderId },
      }),
    expect: invalid('DELEGATE_NOT_A_MEMBER'),
  },
  {
    name: 'appointDelegate: for an organisation without a seat',
    send: () =>
      gql(GOVERNANCE.appointDelegate, {
        input: { assemblyId: gx.confederal, organizationId: gx.strangerId, delegateId: fx.app.steward.personId },
      }),
    expect: invalid('NOT_SEATED'),
  },
  {
    name: 'delegateVote: to oneself',
    send: () => delegateWith({ toVoterId: fx.app.steward.personId }),
    expect: refused('CONFLICT', 'DELEGATION_CYCLE'),
  },
  {
    name: 'delegateVote: in an assembly without delegation',
    send: () => delegateWith({ assemblyId: gx.noDelegationAssembly }),
    expect: refused('CONFLICT', 'DELEGATION_DISABLED'),
  },
  {
    name: 'delegateVote: on a secret motion',
    send: () => delegateWith({ motionId: gx.secret }),
    expect: refused('CONFLICT', 'DELEGATION_DISABLED'),
  },
  {
    name: 'delegateVote: on a closed motion',
    send: () => delegateWith({ motionId: gx.closed }),
    expect: refused('CONFLICT', 'MOTION_CLOSED'),
  },
  {
    name: 'delegateVote: to a person in a confederal assembly (its voters are seats)',
    send: () => delegateWith({ assemblyId: gx.confederal, toVoterId: gx.member.personId }),
    expect: invalid('PROXY_NOT_A_VOTER'),
  },
  {
    name: "delegateVote: from another member's vote",
    send: () => delegateWith({ fromVoterId: gx.treasurer.personId }),
    expect: refused('FORBIDDEN', 'NOT_A_VOTER'),
  },
  {
    name: 'revokeDelegation: when there is none, null and nothing changed',
    send: () => gql(GOVERNANCE.revokeDelegation, { input: { assemblyId: gx.membersAssembly } }),
    expect: acceptedUnchanged((data) => expect(data['revokeDelegation']).toBeNull()),
  },
];

const BALLOTS: readonly Case[] = [
  {
    name: 'both a choice and approvals',
    send: () => castWith(gx.yesNo, { choice: 'YES', approved: ['a'] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'an empty ballot',
    send: () => castWith(gx.yesNo, {}),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'choice "MAYBE" (no such choice)',
    send: () => castWith(gx.yesNo, { choice: 'MAYBE' }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a BLOCK, with its reason, under MAJORITY',
    send: () => castWith(gx.yesNo, { choice: 'BLOCK' }, { reason: 'No' }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    // The choice is checked before its reason: a reason would not make this ballot one that can be cast.
    name: 'a BLOCK without a reason under MAJORITY (not a choice there: INVALID_BALLOT, not REASON_REQUIRED)',
    send: () => castWith(gx.yesNo, { choice: 'BLOCK' }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'an OBJECT without a reason under CONSENT',
    send: () => castWith(gx.consent, { choice: 'OBJECT' }),
    expect: invalid('REASON_REQUIRED'),
  },
  {
    name: 'an OBJECT with a reason of spaces and newlines under CONSENT',
    send: () => castWith(gx.consent, { choice: 'OBJECT' }, { reason: ' \n\t ' }),
    expect: invalid('REASON_REQUIRED'),
  },
  {
    name: 'a BLOCK without a reason under CONSENSUS',
    send: () => castWith(gx.consensus, { choice: 'BLOCK' }),
    expect: invalid('REASON_REQUIRED'),
  },
  {
    name: 'a ranking on a yes/no motion',
    send: () => castWith(gx.yesNo, { ranking: [['a']] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'a yes/no choice on a ranked motion',
    send: () => castWith(gx.ranked, { choice: 'YES' }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'a ranking naming an unknown option',
    send: () => castWith(gx.ranked, { ranking: [['rye'], ['barley']] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'a ranking naming an option twice',
    send: () => castWith(gx.ranked, { ranking: [['rye'], ['spelt', 'rye']] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'a ranking with an empty group',
    send: () => castWith(gx.ranked, { ranking: [['rye'], [], ['spelt']] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'a ranking with a null in a group',
    send: () => castWith(gx.ranked, { ranking: [['rye', null]] }),
    expect: invalid('INVALID_REQUEST'),
  },
  {
    name: 'a ranking of 51 groups',
    send: () => castWith(gx.ranked, { ranking: Array.from({ length: 51 }, () => ['rye']) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'approvals naming an unknown option',
    send: () => castWith(gx.approval, { approved: ['rye', 'barley'] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'approvals naming an option twice',
    send: () => castWith(gx.approval, { approved: ['rye', 'rye'] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'approvals of an unknown proposal of a budget',
    send: () => castWith(gx.budget, { approved: ['roof', 'pool'] }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    name: 'approvals of 201 options',
    send: () => castWith(gx.approval, { approved: Array.from({ length: 201 }, (_, i) => `o${i}`) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a ballot for a voter one is not',
    send: () => castWith(gx.yesNo, { choice: 'YES' }, { voterId: gx.member.personId }),
    expect: refused('FORBIDDEN', 'NOT_A_VOTER'),
  },
  {
    name: 'a ballot on a closed motion',
    send: () => castWith(gx.closed, { choice: 'YES' }),
    expect: refused('CONFLICT', 'MOTION_CLOSED'),
  },
  {
    name: 'a ballot on a motion not yet open',
    send: () => castWith(gx.scheduled, { choice: 'YES' }),
    expect: refused('CONFLICT', 'MOTION_NOT_OPEN'),
  },
  {
    name: 'a second secret ballot',
    send: () => castWith(gx.secret, { choice: 'NO' }),
    expect: refused('CONFLICT', 'ALREADY_VOTED'),
  },
  {
    name: 'changeSecretBallot: a ballot that does not fit the motion',
    send: () =>
      gql(GOVERNANCE.changeSecretBallot, {
        input: { motionId: gx.secret, receipt: 'A'.repeat(32), ballot: { ranking: [['a']] } },
      }),
    expect: invalid('INVALID_BALLOT'),
  },
  {
    // An open ballot is changed by casting it again; a receipt means nothing there.
    name: 'changeSecretBallot: on a motion whose ballots are open',
    send: () =>
      gql(GOVERNANCE.changeSecretBallot, {
        input: { motionId: gx.yesNo, receipt: 'A'.repeat(32), ballot: { choice: 'NO' } },
      }),
    expect: invalid('INVALID_BALLOT'),
  },
];

const HOSTILE_TEXT_ACCEPTED: readonly Case[] = [
  {
    name: `createAssembly: the name "${SQL_DROP}"`,
    send: () => createAssemblyWith({ name: SQL_DROP }),
    expect: storedVerbatim({
      table: 'assembly',
      where: (data) => ({ sql: 'id = $1', values: [data['createAssembly'].id] }),
      expected: { name: SQL_DROP },
      readBack: async (data) => {
        const read = await fx.app.ok(ASSEMBLY_NAME, { id: data['createAssembly'].id });
        expect(read['assembly'].name).toBe(SQL_DROP);
      },
    }),
    echoes: [SQL_DROP],
  },
  {
    name: 'updateAssembly: a name of GraphQL that tries to break out',
    send: () =>
      gql(`mutation($input: UpdateAssemblyInput!) { updateAssembly(input: $input) { id name } }`, {
        input: { assemblyId: gx.noDelegationAssembly, name: GRAPHQL_BREAKOUT },
      }),
    expect: storedVerbatim({
      table: 'assembly',
      where: () => ({ sql: 'id = $1', values: [gx.noDelegationAssembly] }),
      expected: { name: GRAPHQL_BREAKOUT },
      added: 0,
    }),
    echoes: [GRAPHQL_BREAKOUT],
  },
  {
    name: 'proposeMotion: a title of GraphQL that breaks out, a text and options of SQL',
    send: () =>
      gql(`mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id title body options } }`, {
        input: motionInput({
          title: GRAPHQL_BREAKOUT,
          body: `${SQL_DROP}\n${SQL_SELECT}`,
          ballotKind: 'RANKED',
          options: [SQL_DROP, SQL_SELECT, GRAPHQL_BREAKOUT],
        }),
      }),
    expect: storedVerbatim({
      table: 'motion',
      where: (data) => ({ sql: 'id = $1', values: [data['proposeMotion'].id] }),
      expected: {
        title: GRAPHQL_BREAKOUT,
        body: `${SQL_DROP}\n${SQL_SELECT}`,
        options: [SQL_DROP, SQL_SELECT, GRAPHQL_BREAKOUT],
      },
      readBack: async (data) => {
        const read = await fx.app.ok(MOTION_TEXT, { id: data['proposeMotion'].id });
        expect(read['motion']).toMatchObject({
          title: GRAPHQL_BREAKOUT,
          options: [SQL_DROP, SQL_SELECT, GRAPHQL_BREAKOUT],
        });
      },
    }),
    echoes: [GRAPHQL_BREAKOUT, SQL_DROP, SQL_SELECT, `${SQL_DROP}\n${SQL_SELECT}`],
  },
  {
    name: 'castBallot: an objection whose reason is SQL',
    send: () =>
      gql(CAST_WITH_REASON, {
        input: { motionId: gx.objectionMotion, ballot: { choice: 'OBJECT' }, reason: SQL_SELECT },
      }),
    expect: storedVerbatim({
      table: 'ballot',
      where: () => ({ sql: 'motion_id = $1 AND voter_id = $2', values: [gx.objectionMotion, fx.app.steward.personId] }),
      expected: { reason: SQL_SELECT },
    }),
    echoes: [SQL_SELECT],
  },
  {
    name: 'requestApproval: a title of SQL and a memo of GraphQL that breaks out',
    send: () =>
      gql(`mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id title } }`, {
        input: requestInput({
          title: SQL_DROP,
          action: { kind: 'ledger.disburse', params: disburse({ memo: GRAPHQL_BREAKOUT }) },
        }),
      }),
    expect: storedVerbatim({
      table: 'approval_request',
      where: (data) => ({ sql: 'id = $1', values: [data['requestApproval'].id] }),
      expected: { title: SQL_DROP },
      readBack: async (data) => {
        const read = await fx.app.ok(REQUEST_TEXT, { id: data['requestApproval'].id });
        expect(read['approvalRequest']).toMatchObject({
          title: SQL_DROP,
          action: { params: { memo: GRAPHQL_BREAKOUT } },
        });
      },
    }),
    echoes: [SQL_DROP, GRAPHQL_BREAKOUT],
  },
  {
    name: 'decideApproval: a refusal whose reason is SQL',
    send: () =>
      decideWith({ requestId: gx.committeeRequest, decision: 'REFUSE', reason: SQL_DROP }, gx.treasurer.token),
    expect: storedVerbatim({
      table: 'approval_decision',
      where: () => ({
        sql: 'request_id = $1 AND approver_id = $2',
        values: [gx.committeeRequest, gx.treasurer.personId],
      }),
      expected: { decision: 'REFUSE', reason: SQL_DROP },
      readBack: async () => {
        const read = await fx.app.ok(REQUEST_TEXT, { id: gx.committeeRequest });
        expect(read['approvalRequest'].decisions).toEqual([{ approverId: gx.treasurer.personId, reason: SQL_DROP }]);
      },
    }),
    echoes: [SQL_DROP],
  },
];

/** The raw JSON of a requestApproval whose action's params are the valid ones with `extra` (JSON text) before them. */
function requestWithRawParams(extra: string): string {
  const input = requestInput({ action: { kind: 'ledger.disburse', params: { '@@PARAMS@@': true } } });
  const params = JSON.stringify(disburse()).slice(1, -1);
  return JSON.stringify({ query: GOVERNANCE.requestApproval, variables: { input } }).replace(
    '"@@PARAMS@@":true',
    `${extra}, ${params}`,
  );
}

/** What a disbursement request stores as its action: the checked parameters, and nothing else. */
function storedAction(): Accepted {
  return {
    accepted: (sent, before) =>
      storedVerbatim({
        table: 'approval_request',
        where: (data) => ({ sql: 'id = $1', values: [data['requestApproval'].id] }),
        expected: {
          action: {
            kind: 'ledger.disburse',
            params: {
              fromAccountId: gx.fund,
              unitCode: 'CWC',
              payments: [{ accountId: fx.bob, amount: '100' }],
              memo: 'Oven',
            },
          },
        },
      }).accepted(sent, before),
  };
}

/**
 * Either answer is right for parameters nested deeper than any action needs: refused as malformed
 * (VALIDATION_FAILED, nothing changed), or accepted with the action's own parameters stored and nothing else.
 */
function storedActionOrRefused(): Accepted {
  return {
    accepted: async (sent, before) => {
      const body = sent.body as { errors?: { extensions?: { code?: string } }[] };
      if (body.errors === undefined) {
        await storedAction().accepted(sent, before);
        return;
      }
      expect(body.errors.map((error) => error.extensions?.code)).toEqual(['VALIDATION_FAILED']);
      expect(await fx.app.snapshot()).toEqual(before);
    },
  };
}

const JSON_OBJECTS: readonly Case[] = [
  {
    name: 'params with a "__proto__" key',
    send: () => send(requestWithRawParams(`"__proto__": { "polluted": "yes", "fromAccountId": "${UNKNOWN}" }`)),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: 'params with "constructor": { "prototype": … }',
    send: () => send(requestWithRawParams('"constructor": { "prototype": { "polluted": "yes" } }')),
    expect: invalid('INVALID_REQUEST', { status: 400 }),
  },
  {
    name: "params with keys named after Object's methods: the action's own parameters stored, nothing else",
    send: () =>
      send(
        requestWithRawParams(
          '"constructor": "x", "toString": "y", "hasOwnProperty": "z", "valueOf": { "a": 1 }, "toJSON": "w"',
        ),
      ),
    expect: storedAction(),
  },
  {
    // The JSONObject scalar refuses depth before the validation pipe's transform walks it recursively.
    name: "params with a list nested 5000 deep beside them: refused as malformed, or only the action's own stored",
    send: () => send(requestWithRawParams(`"deep": ${'['.repeat(5000)}${']'.repeat(5000)}`)),
    expect: storedActionOrRefused(),
  },
  {
    name: "params with an object nested 5000 deep beside them: refused as malformed, or only the action's own stored",
    send: () => send(requestWithRawParams(`"deep": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)),
    expect: storedActionOrRefused(),
  },
  {
    // graphql-js's parser overflows its stack on a literal this deep: the answer says the document nests too
    // deeply, and nothing of the engine.
    name: 'params as a literal nested 3000 deep in the document: a typed refusal that says nothing of the server',
    send: () =>
      gql(
        `mutation($id: ID!, $assemblyId: ID!, $closesAt: DateTime!) { proposeMotion(input: { id: $id,
          assemblyId: $assemblyId, title: "Oven", closesAt: $closesAt,
          effect: { kind: "ledger.disburse", params: { deep: ${'{ a: '.repeat(3000)}1${' }'.repeat(3000)} } } }) { id } }`,
        { id: randomUUID(), assemblyId: gx.membersAssembly, closesAt: day(1) },
      ),
    expect: invalid(),
  },
];

runCatalogue(
  'governance',
  [
    ...group('ids', IDS),
    ...group('pages', PAGES),
    ...group('text', TEXT),
    ...group('dates', DATES),
    ...group('motion terms', MOTION_TERMS),
    ...group('budgets', BUDGETS),
    ...group('effects and actions', EFFECTS),
    ...group('effect parameters as JSON objects', JSON_OBJECTS),
    ...group('approval requests', REQUESTS),
    ...group('seats and delegation', SEATS_AND_DELEGATION),
    ...group('ballots', BALLOTS),
    ...group('hostile text accepted harmlessly', HOSTILE_TEXT_ACCEPTED),
  ],
  {
    fixtures: async () => {
      const app = fx.app;
      const steward = app.steward;
      const createOrganization = async (slug: string): Promise<string> =>
        (await app.ok(GOVERNANCE.createOrganization, { input: { kind: 'COOPERATIVE', name: `Org ${slug}`, slug } }))[
          'createOrganization'
        ].id as string;
      gx.coopId = await createOrganization('governance-bakers');
      const requested = await app.ok(
        `mutation($input: RequestFederationMembershipInput!) { requestFederationMembership(input: $input) { id } }`,
        { input: { federationId: steward.organizationId, organizationId: gx.coopId } },
      );
      await app.ok(`mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { id } }`, {
        input: { federationMembershipId: requested['requestFederationMembership'].id },
      });
      gx.strangerId = await createOrganization('governance-strangers');
      gx.treasurer = await join(app, steward.token, gx.coopId, 'treasurer@bakers.test', ['TREASURER']);
      gx.member = await join(app, steward.token, gx.coopId, 'member@bakers.test');
      const outsider = await app.register('outsider@elsewhere.test');
      gx.outsiderId = (await app.ok(`{ me { person { id } } }`, {}, { token: outsider }))['me'].person.id;

      gx.fund = await openAccount(app, { holderId: gx.coopId, creditLimit: '100000' });
      gx.coopHours = await openAccount(app, { holderId: gx.coopId, unitCode: 'HOUR' });

      gx.membersAssembly = await createAssembly(app, gx.coopId);
      gx.noDelegationAssembly = await createAssembly(app, gx.coopId, { delegationAllowed: false });
      gx.confederal = await createAssembly(app, steward.organizationId, { kind: 'CONFEDERAL' });
      await app.ok(GOVERNANCE.setAssemblySeat, {
        input: { assemblyId: gx.confederal, organizationId: gx.coopId, weight: 1 },
      });
      await app.ok(GOVERNANCE.appointDelegate, {
        input: { assemblyId: gx.confederal, organizationId: gx.coopId, delegateId: steward.personId },
      });

      const open = (input: Record<string, unknown>) =>
        propose(app, steward.token, gx.membersAssembly, { closesAt: day(300), ...input });
      gx.yesNo = await open({});
      gx.consent = await open({ rule: 'CONSENT' });
      gx.consensus = await open({ rule: 'CONSENSUS' });
      gx.objectionMotion = await open({ rule: 'CONSENT' });
      gx.ranked = await open({ ballotKind: 'RANKED', options: ['rye', 'spelt', 'wheat'] });
      gx.approval = await open({ ballotKind: 'APPROVAL', options: ['rye', 'spelt', 'wheat'] });
      gx.budget = await open({ ballotKind: 'BUDGET', budget: budgetInput() });
      gx.secret = await open({ secret: true });
      await vote(app, steward.token, gx.secret, { choice: 'YES' });
      gx.scheduled = await open({ opensAt: day(100) });
      gx.confederalMotion = await propose(app, steward.token, gx.confederal, { closesAt: day(300) });
      const closing = inMinutes(app, 5);
      gx.closed = await open({ closesAt: closing.toISOString() });
      await runUntil(app, closing);

      gx.request = String(requestInput()['id']);
      await app.ok(GOVERNANCE.requestApproval, { input: { ...requestInput(), id: gx.request } });
      gx.committeeRequest = randomUUID();
      await app.ok(GOVERNANCE.requestApproval, {
        input: {
          ...requestInput(),
          id: gx.committeeRequest,
          approverRole: undefined,
          committee: [gx.treasurer.personId, gx.member.personId],
        },
      });
    },
    tests: () => {
      catalogueTest(
        'INVALID_INPUT names every field that breaks its constraints, nested ones by their path',
        async () => {
          const fieldsOf = (sent: Sent) =>
            (sent.body as { errors: { extensions: { details: { reason: string; fields: unknown } } }[] }).errors.map(
              (error) => [error.extensions.details.reason, error.extensions.details.fields],
            );
          const before = await fx.app.snapshot();
          expect(fieldsOf(await proposeWith({ title: '' }))).toEqual([
            ['INVALID_INPUT', [{ path: 'title', problems: [expect.any(String)] }]],
          ]);
          expect(
            fieldsOf(
              await budgetWith({ proposals: [{ id: 'new oven', title: 'Oven', cost: '5', payeeAccountId: fx.bob }] }),
            ),
          ).toEqual([['INVALID_INPUT', [{ path: 'budget.proposals.0.id', problems: [expect.any(String)] }]]]);
          expect(fieldsOf(await castWith(gx.ranked, { ranking: Array.from({ length: 51 }, () => ['rye']) }))).toEqual([
            ['INVALID_INPUT', [{ path: 'ballot.ranking', problems: [expect.any(String)] }]],
          ]);
          expect(
            fieldsOf(await requestWith({ approverRole: undefined, committee: ['not-a-uuid'], required: 0 })),
          ).toEqual([
            [
              'INVALID_INPUT',
              [
                { path: 'committee', problems: [expect.any(String)] },
                { path: 'required', problems: [expect.any(String)] },
              ],
            ],
          ]);
          expect(await fx.app.snapshot()).toEqual(before);
        },
      );
      catalogueTest("no request of the file polluted the server's prototypes", () => {
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
        return Promise.resolve();
      });
    },
  },
);
