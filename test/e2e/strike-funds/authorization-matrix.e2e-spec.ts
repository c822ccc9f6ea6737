/**
 * Goal: who may do what with a strike fund, as one table (src/strike-funds/rules/fund-access.ts). A union U
 * (STRIKE_FUND) has an ADMIN (the steward), a TREASURER, a picket captain (COORDINATOR), a committee member
 * and a member (a striker and tenant); an outsider belongs elsewhere; U has an API token; and there is the
 * anonymous caller. Every operation of the module is tried by each of them, on a target prepared afresh
 * where acting changes it: allowed, or refused with FORBIDDEN (UNAUTHENTICATED for the anonymous) and
 * nothing changed (app.snapshot(): every table). Method: the real service over HTTP on its own PostgreSQL
 * database; its clock set after the first week of the strike.
 */
import { randomUUID } from 'node:crypto';
import { createUnit } from '../ledger/ledger-fixtures.js';
import { join, type Member } from '../governance/governance-fixtures.js';
import { TestApp } from '../setup/test-app.js';
import { accountOf, MONDAY, setDay, SF } from './strike-funds-fixtures.js';

const ACTORS = {
  admin: 'ADMIN of the union',
  treasurer: 'TREASURER of the union',
  captain: 'picket captain (COORDINATOR)',
  committee: 'a MEMBER on the fund committee',
  member: 'a MEMBER (striker, tenant)',
  outsider: 'a person of another organisation',
  token: "the union's API token",
  anonymous: 'an unauthenticated caller',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
const MANAGERS: Actor[] = ['admin', 'treasurer'];
const MEMBERS: Actor[] = ['admin', 'treasurer', 'captain', 'committee', 'member'];
const PERSONS: Actor[] = [...MEMBERS, 'outsider'];

interface Row {
  readonly operation: string;
  readonly allowed: readonly Actor[];
  /** The document and its variables, prepared afresh for each attempt. */
  readonly prepare: (actor: Actor) => Promise<{ query: string; variables: Record<string, unknown> }>;
}

describe('strike funds authorization matrix', () => {
  let app: TestApp;
  const tokens = {} as Record<Actor, string | null>;
  const people = {} as Record<Actor, string>;
  let unionId: string;
  let committee: Member[];
  let fund: { id: string; accountId: string };
  let escrowFund: { id: string };
  let strikeId: string;
  let memberAccount: string;
  let batchId: string;
  let months = 0;

  async function createFund(purpose: string): Promise<{ id: string; accountId: string }> {
    const data = await app.ok<{ createStrikeFund: { id: string; accountId: string } }>(SF.createStrikeFund, {
      input: fundInput(purpose),
    });
    return data.createStrikeFund;
  }

  function fundInput(purpose: string) {
    return {
      id: randomUUID(),
      organizationId: unionId,
      name: 'Fund',
      purpose,
      unitCode: 'CWC',
      committee: committee.map((person) => person.personId),
      required: 2,
      drawCapPerYear: '100000000',
      outsideLimit: '0',
    };
  }

  async function newStrike(): Promise<string> {
    const id = randomUUID();
    await app.ok(SF.createStrike, {
      input: {
        id,
        fundId: fund.id,
        name: 'Strike',
        startsOn: MONDAY,
        drawCapPerStriker: '100000000',
        rules: { weeklyRate: '1000', fullMinutes: 60, minimumMinutes: 0 },
      },
    });
    await app.ok(SF.enrolStriker, { input: { strikeId: id, personId: people.member, accountId: memberAccount } });
    await app.ok(SF.recordPicketShift, {
      input: { id: randomUUID(), strikeId: id, personId: people.member, day: MONDAY, minutes: 60 },
    });
    return id;
  }

  async function newBatch(strike: string): Promise<string> {
    const data = await app.ok<{ computeStipendBatch: { id: string } }>(SF.computeStipendBatch, {
      input: { id: randomUUID(), strikeId: strike, weekStart: MONDAY },
    });
    return data.computeStipendBatch.id;
  }

  async function newPledge(): Promise<string> {
    const id = randomUUID();
    await app.ok(`mutation($input: CreatePledgeInput!) { createPledge(input: $input) { id } }`, {
      input: { id, fundId: fund.id, amount: '100', period: 'MONTHLY' },
    });
    return id;
  }

  beforeAll(async () => {
    app = await TestApp.start();
    setDay(app, MONDAY);
    await createUnit(app, 'CWC', 'CREDIT', 2);
    const { createOrganization } = await app.ok<{ createOrganization: { id: string } }>(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { kind: 'STRIKE_FUND', name: 'Union', slug: 'matrix-union' } },
    );
    unionId = createOrganization.id;
    const treasurer = await join(app, app.steward.token, unionId, 'treasurer@union.test', ['TREASURER']);
    const captain = await join(app, app.steward.token, unionId, 'captain@union.test', ['COORDINATOR']);
    committee = [
      await join(app, app.steward.token, unionId, 'committee-0@union.test'),
      await join(app, app.steward.token, unionId, 'committee-1@union.test'),
      await join(app, app.steward.token, unionId, 'committee-2@union.test'),
    ];
    const member = await join(app, app.steward.token, unionId, 'member@union.test');
    const { createOrganization: other } = await app.ok<{ createOrganization: { id: string } }>(
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { kind: 'COOPERATIVE', name: 'Elsewhere', slug: 'matrix-elsewhere' } },
    );
    const outsider = await join(app, app.steward.token, other.id, 'outsider@elsewhere.test');
    const token = await app.ok<{ createApiToken: { token: string } }>(
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
      { input: { organizationId: unionId, name: 'Till', scopes: ['LEDGER_READ', 'LEDGER_WRITE'] } },
    );
    const cast: [Actor, Member][] = [
      ['treasurer', treasurer],
      ['captain', captain],
      ['committee', committee[0]!],
      ['member', member],
      ['outsider', outsider],
    ];
    tokens.admin = app.steward.token;
    people.admin = app.steward.personId;
    for (const [actor, person] of cast) {
      tokens[actor] = person.token;
      people[actor] = person.personId;
    }
    tokens.token = token.createApiToken.token;
    tokens.anonymous = null;

    // The steward issues CWC: the union's fund receives from outside through a credit line only it may grant.
    const funded = await app.ok<{ createStrikeFund: { id: string; accountId: string } }>(SF.createStrikeFund, {
      input: { ...fundInput('STRIKE'), outsideLimit: '100000000' },
    });
    fund = funded.createStrikeFund;
    await app.ok(SF.recordContribution, {
      input: { id: randomUUID(), fundId: fund.id, amount: '10000000', source: 'OUTSIDE' },
    });
    escrowFund = await createFund('RENT_ESCROW');
    memberAccount = await accountOf(app, people.member);
    const { openAccount } = await import('../ledger/ledger-fixtures.js');
    const source = await openAccount(app, { creditLimit: '100000000' });
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: source, side: 'DEBIT', amount: '1000000' },
          { accountId: memberAccount, side: 'CREDIT', amount: '1000000' },
        ],
      },
    });
    setDay(app, '2027-03-09');
    strikeId = await newStrike();
    batchId = await newBatch(strikeId);
  });

  afterEach(async () => {
    await app.assertBooksBalance();
  });

  afterAll(async () => {
    await app?.close();
  });

  const query = (text: string, variables: () => Record<string, unknown>) => () =>
    Promise.resolve({ query: text, variables: variables() });

  const ROWS: Row[] = [
    {
      operation: 'createStrikeFund',
      allowed: MANAGERS,
      prepare: () => Promise.resolve({ query: SF.createStrikeFund, variables: { input: fundInput('MUTUAL_AID') } }),
    },
    {
      operation: 'recordContribution (from outside)',
      allowed: MANAGERS,
      prepare: query(SF.recordContribution, () => ({
        input: { id: randomUUID(), fundId: fund.id, amount: '10', source: 'OUTSIDE' },
      })),
    },
    {
      operation: 'createPledge (from outside)',
      allowed: MANAGERS,
      prepare: query(`mutation($input: CreatePledgeInput!) { createPledge(input: $input) { id } }`, () => ({
        input: { id: randomUUID(), fundId: fund.id, amount: '10', period: 'WEEKLY' },
      })),
    },
    {
      operation: 'endPledge',
      allowed: MANAGERS,
      prepare: async () => ({
        query: `mutation($input: PledgeIdInput!) { endPledge(input: $input) { id status } }`,
        variables: { input: { pledgeId: await newPledge() } },
      }),
    },
    {
      operation: 'createStrike',
      allowed: MANAGERS,
      prepare: query(SF.createStrike, () => ({
        input: {
          id: randomUUID(),
          fundId: fund.id,
          name: 'Strike',
          startsOn: MONDAY,
          drawCapPerStriker: '1000',
          rules: { weeklyRate: '1000', fullMinutes: 60, minimumMinutes: 0 },
        },
      })),
    },
    {
      operation: 'changeStipendRules',
      allowed: MANAGERS,
      prepare: query(SF.changeStipendRules, () => ({
        input: { strikeId, rules: { weeklyRate: '1000', fullMinutes: 60, minimumMinutes: 0 } },
      })),
    },
    {
      operation: 'enrolStriker',
      allowed: [...MANAGERS, 'captain'],
      prepare: query(SF.enrolStriker, () => ({
        input: { strikeId, personId: people.member, accountId: memberAccount },
      })),
    },
    {
      operation: 'recordPicketShift',
      allowed: [...MANAGERS, 'captain'],
      prepare: query(SF.recordPicketShift, () => ({
        input: { id: randomUUID(), strikeId, personId: people.member, day: '2027-03-02', minutes: 30 },
      })),
    },
    {
      operation: 'computeStipendBatch',
      allowed: MANAGERS,
      prepare: async () => ({
        query: SF.computeStipendBatch,
        variables: { input: { id: randomUUID(), strikeId: await newStrike(), weekStart: MONDAY } },
      }),
    },
    {
      operation: 'submitStipendBatch',
      allowed: MANAGERS,
      prepare: async () => ({
        query: SF.submitStipendBatch,
        variables: { input: { batchId: await newBatch(await newStrike()), requestId: randomUUID() } },
      }),
    },
    {
      operation: 'applyForDraw',
      allowed: MEMBERS,
      prepare: query(SF.applyForDraw, () => ({
        input: { id: randomUUID(), fundId: fund.id, accountId: memberAccount, amount: '10', category: 'FOOD' },
      })),
    },
    {
      operation: 'depositEscrow (from the tenant’s account)',
      allowed: ['member'],
      prepare: query(SF.depositEscrow, () => ({
        input: {
          id: randomUUID(),
          fundId: escrowFund.id,
          tenantId: people.member,
          tenantAccountId: memberAccount,
          month: `${2000 + Math.floor(months / 12)}-${String((months++ % 12) + 1).padStart(2, '0')}-01`,
          amount: '10',
        },
      })),
    },
    { operation: 'strikeFund', allowed: MEMBERS, prepare: query(SF.strikeFund, () => ({ id: fund.id })) },
    {
      operation: 'strikeFunds',
      allowed: MEMBERS,
      prepare: query(`query($id: ID!) { strikeFunds(organizationId: $id) { id } }`, () => ({ id: unionId })),
    },
    {
      operation: 'fundContributions',
      allowed: MANAGERS,
      prepare: query(`query($id: ID!) { fundContributions(fundId: $id) { id } }`, () => ({ id: fund.id })),
    },
    {
      operation: 'fundReport',
      allowed: [...PERSONS, 'token'],
      prepare: query(SF.fundReport, () => ({ fundId: fund.id })),
    },
    {
      operation: 'fundPledges (own, or all for managers)',
      allowed: PERSONS,
      prepare: query(`query($id: ID!) { fundPledges(fundId: $id) { id } }`, () => ({ id: fund.id })),
    },
    {
      operation: 'strike',
      allowed: MEMBERS,
      prepare: query(`query($id: ID!) { strike(id: $id) { id } }`, () => ({ id: strikeId })),
    },
    {
      operation: 'strikes',
      allowed: MEMBERS,
      prepare: query(`query($id: ID!) { strikes(fundId: $id) { id } }`, () => ({ id: fund.id })),
    },
    {
      operation: 'stipendRules',
      allowed: MEMBERS,
      prepare: query(`query($id: ID!) { stipendRules(strikeId: $id) { version } }`, () => ({ id: strikeId })),
    },
    {
      operation: 'strikers',
      allowed: [...MANAGERS, 'captain'],
      prepare: query(`query($id: ID!) { strikers(strikeId: $id) { personId } }`, () => ({ id: strikeId })),
    },
    {
      operation: 'picketShifts (own)',
      allowed: MEMBERS,
      prepare: query(SF.picketShifts, () => ({ strikeId })),
    },
    {
      operation: "picketShifts (a striker's)",
      allowed: [...MANAGERS, 'captain', 'member'],
      prepare: query(SF.picketShifts, () => ({ strikeId, personId: people.member })),
    },
    { operation: 'myStipends', allowed: MEMBERS, prepare: query(SF.myStipends, () => ({ strikeId })) },
    {
      operation: 'stipendBatch',
      allowed: [...MANAGERS, 'committee'],
      prepare: query(SF.stipendBatch, () => ({ id: batchId })),
    },
    {
      operation: 'stipendBatches',
      allowed: MEMBERS,
      prepare: query(`query($id: ID!) { stipendBatches(strikeId: $id) { id } }`, () => ({ id: strikeId })),
    },
    {
      operation: 'drawReviewQueue',
      allowed: [...MANAGERS, 'committee'],
      prepare: query(SF.drawReviewQueue, () => ({ fundId: fund.id })),
    },
    { operation: 'myDraws', allowed: PERSONS, prepare: query(SF.myDraws, () => ({ fundId: fund.id })) },
    {
      operation: 'escrowDeposits (own, or all for managers)',
      allowed: MEMBERS,
      prepare: query(SF.escrowDeposits, () => ({ fundId: escrowFund.id })),
    },
    {
      operation: "escrowDeposits (a tenant's)",
      allowed: [...MANAGERS, 'member'],
      prepare: query(SF.escrowDeposits, () => ({ fundId: escrowFund.id, tenantId: people.member })),
    },
    { operation: 'escrow', allowed: MEMBERS, prepare: query(SF.escrow, () => ({ fundId: escrowFund.id })) },
    {
      operation: 'escrowReleases',
      allowed: MEMBERS,
      prepare: query(SF.escrowReleases, () => ({ fundId: escrowFund.id })),
    },
  ];

  const cases = ROWS.flatMap((row) => EVERYONE.map((actor) => [row.operation, actor, row] as const));

  it.each(cases)('%s by %s', async (_operation, actor, row) => {
    const { query: document, variables } = await row.prepare(actor);
    const before = await app.snapshot();
    const response = await app.graphql(document, variables, { token: tokens[actor] });
    if (row.allowed.includes(actor)) {
      expect(response.errors).toBeUndefined();
      return;
    }
    const code = actor === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    expect([actor, response.errors?.[0]?.extensions?.['code']]).toEqual([actor, code]);
    expect(await app.snapshot()).toEqual(before);
  });
});
