/**
 * Goal: every strike-fund mutation (funds, contributions, pledges, strikes and rules, strikers, picket shifts,
 * stipend batches, hardship draws, escrow deposits) refuses malformed and hostile input with a typed error and
 * the reason docs/ERRORS.md gives it — kernel reasons for the shape (INVALID_INPUT naming the fields,
 * coercion of ids, enums and amounts), the module's reasons for what a fund, a rule, a shift, a draw or a
 * deposit may be, NOT_FOUND reasons for unknown ids — and changes nothing. Hostile text that is valid data is
 * stored verbatim. Method: the bad-input catalogue (catalogue.ts): each case's raw request to the real
 * service on its own database, the snapshot of every table before and after, a leak scan, GET /health.
 * Fixtures: a strike-fund union (the steward its ADMIN; a committee of two; a member who strikes and rents),
 * a funded STRIKE fund with a strike, the member enrolled with one shift and a previewed batch (a superseded
 * one too), and a RENT_ESCROW fund; the clock set after the strike's first week.
 */
import { randomUUID } from 'node:crypto';
import { join, type Member } from '../governance/governance-fixtures.js';
import { openAccount } from '../ledger/ledger-fixtures.js';
import { MONDAY, SF, setDay } from '../strike-funds/strike-funds-fixtures.js';
import { SQL_DROP, fx, gql, group, invalid, refused, runCatalogue, type Case, type Sent } from './catalogue.js';

const UNKNOWN = '3f9d2c1e-8b7a-4c6d-9e0f-1a2b3c4d5e6f';
const PLEDGE = `mutation($input: CreatePledgeInput!) { createPledge(input: $input) { id } }`;

const sx = {
  unionId: '',
  committee: [] as Member[],
  member: undefined as unknown as Member,
  outsiderId: '',
  fund: { id: '', accountId: '' },
  escrowFund: '',
  strikeId: '',
  memberAccount: '',
  supersededBatch: '',
};

function fundInput(override: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    organizationId: sx.unionId,
    name: 'Hardship fund',
    purpose: 'MUTUAL_AID',
    unitCode: 'CWC',
    committee: sx.committee.map((person) => person.personId),
    required: 2,
    drawCapPerYear: '10000',
    ...override,
  };
}

const fundWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(SF.createStrikeFund, { input: fundInput(override) });
const contributionWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(SF.recordContribution, {
    input: { id: randomUUID(), fundId: sx.fund.id, amount: '10', source: 'OUTSIDE', ...override },
  });
const pledgeWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(PLEDGE, { input: { id: randomUUID(), fundId: sx.fund.id, amount: '10', period: 'WEEKLY', ...override } });
const rules = (override: Record<string, unknown> = {}) => ({
  weeklyRate: '1000',
  fullMinutes: 600,
  minimumMinutes: 60,
  ...override,
});
const strikeWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(SF.createStrike, {
    input: {
      id: randomUUID(),
      fundId: sx.fund.id,
      name: 'Strike',
      startsOn: MONDAY,
      drawCapPerStriker: '1000',
      rules: rules(),
      ...override,
    },
  });
const enrolWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(SF.enrolStriker, {
    input: { strikeId: sx.strikeId, personId: sx.member.personId, accountId: sx.memberAccount, ...override },
  });
const shiftWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(SF.recordPicketShift, {
    input: {
      id: randomUUID(),
      strikeId: sx.strikeId,
      personId: sx.member.personId,
      day: MONDAY,
      minutes: 60,
      ...override,
    },
  });
const computeWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(SF.computeStipendBatch, { input: { id: randomUUID(), strikeId: sx.strikeId, weekStart: MONDAY, ...override } });
const drawWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(
    SF.applyForDraw,
    {
      input: {
        id: randomUUID(),
        fundId: sx.fund.id,
        accountId: sx.memberAccount,
        amount: '100',
        category: 'RENT',
        ...override,
      },
    },
    { token: sx.member.token },
  );
const depositWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(
    SF.depositEscrow,
    {
      input: {
        id: randomUUID(),
        fundId: sx.escrowFund,
        tenantId: sx.member.personId,
        tenantAccountId: sx.memberAccount,
        month: '2027-01-01',
        amount: '100',
        ...override,
      },
    },
    { token: sx.member.token },
  );

const FUNDS: readonly Case[] = [
  {
    name: 'createStrikeFund: id "not-a-uuid"',
    send: () => fundWith({ id: 'not-a-uuid' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createStrikeFund: an unknown organisation',
    send: () => fundWith({ organizationId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
  },
  { name: 'createStrikeFund: purpose PIGGY_BANK', send: () => fundWith({ purpose: 'PIGGY_BANK' }), expect: invalid() },
  { name: 'createStrikeFund: an empty name', send: () => fundWith({ name: '' }), expect: invalid('INVALID_INPUT') },
  { name: 'createStrikeFund: no committee', send: () => fundWith({ committee: [] }), expect: invalid('INVALID_INPUT') },
  {
    name: 'createStrikeFund: 3 approvals of a committee of 2',
    send: () => fundWith({ required: 3 }),
    expect: invalid('INVALID_FUND'),
  },
  {
    name: 'createStrikeFund: a committee with someone of another organisation',
    send: () => fundWith({ committee: [sx.committee[0]!.personId, sx.outsiderId] }),
    expect: invalid('INVALID_FUND'),
  },
  {
    name: 'createStrikeFund: a yearly cap of 0',
    send: () => fundWith({ drawCapPerYear: '0' }),
    expect: invalid('INVALID_FUND'),
  },
  { name: 'createStrikeFund: a cap as a number', send: () => fundWith({ drawCapPerYear: 100 }), expect: invalid() },
  { name: 'createStrikeFund: reviewDays 0', send: () => fundWith({ reviewDays: 0 }), expect: invalid('INVALID_INPUT') },
  {
    name: 'createStrikeFund: an unknown unit',
    send: () => fundWith({ unitCode: 'NOPE' }),
    expect: refused('NOT_FOUND', 'UNIT_NOT_FOUND'),
  },
  {
    name: "createStrikeFund: the id of the union's fund, with another name",
    send: () => fundWith({ id: sx.fund.id, name: 'Another fund' }),
    expect: refused('CONFLICT', 'FUND_RECORD_ID_TAKEN'),
  },
];

const MONEY_IN: readonly Case[] = [
  {
    name: 'recordContribution: amount "0"',
    send: () => contributionWith({ amount: '0' }),
    expect: invalid('INVALID_CONTRIBUTION'),
  },
  { name: 'recordContribution: amount "1.5"', send: () => contributionWith({ amount: '1.5' }), expect: invalid() },
  {
    name: 'recordContribution: amount -5 as a number',
    send: () => contributionWith({ amount: -5 }),
    expect: invalid(),
  },
  {
    name: 'recordContribution: an unknown fund',
    send: () => contributionWith({ fundId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'FUND_NOT_FOUND'),
  },
  {
    name: 'recordContribution: from the ledger without an account',
    send: () => contributionWith({ source: 'LEDGER' }),
    expect: invalid('INVALID_CONTRIBUTION'),
  },
  {
    name: 'recordContribution: from an account in hours',
    send: () => contributionWith({ source: 'LEDGER', fromAccountId: fx.hours }),
    expect: invalid('UNIT_MISMATCH_FUND'),
  },
  {
    name: 'recordContribution: from the fund itself',
    send: () => contributionWith({ source: 'LEDGER', fromAccountId: sx.fund.accountId }),
    expect: invalid('INVALID_CONTRIBUTION'),
  },
  {
    name: 'recordContribution: from outside, naming an account',
    send: () => contributionWith({ fromAccountId: fx.alice }),
    expect: invalid('INVALID_CONTRIBUTION'),
  },
  {
    name: 'recordContribution: anonymous, with a name',
    send: () => contributionWith({ visibility: 'ANONYMOUS', contributorName: 'Ann' }),
    expect: invalid('INVALID_CONTRIBUTION'),
  },
  {
    name: 'recordContribution: a memo of 501 characters',
    send: () => contributionWith({ memo: 'x'.repeat(501) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createPledge: amount "0"',
    send: () => pledgeWith({ amount: '0' }),
    expect: invalid('INVALID_CONTRIBUTION'),
  },
  { name: 'createPledge: period DAILY', send: () => pledgeWith({ period: 'DAILY' }), expect: invalid() },
  {
    name: 'createPledge: an unknown fund',
    send: () => pledgeWith({ fundId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'FUND_NOT_FOUND'),
  },
  {
    name: 'endPledge: an unknown pledge',
    send: () =>
      gql(`mutation($input: PledgeIdInput!) { endPledge(input: $input) { id } }`, { input: { pledgeId: UNKNOWN } }),
    expect: refused('NOT_FOUND', 'PLEDGE_NOT_FOUND'),
  },
];

const STRIKES: readonly Case[] = [
  {
    name: 'createStrike: startsOn 2027-02-30',
    send: () => strikeWith({ startsOn: '2027-02-30' }),
    expect: invalid('INVALID_STRIKE'),
  },
  {
    name: 'createStrike: startsOn "tomorrow"',
    send: () => strikeWith({ startsOn: 'tomorrow' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createStrike: ends before it starts',
    send: () => strikeWith({ endsOn: '2027-02-01' }),
    expect: invalid('INVALID_STRIKE'),
  },
  {
    name: 'createStrike: a minimum above the full week',
    send: () => strikeWith({ rules: rules({ minimumMinutes: 700 }) }),
    expect: invalid('INVALID_STRIKE'),
  },
  {
    name: 'createStrike: fullMinutes 0',
    send: () => strikeWith({ rules: rules({ fullMinutes: 0 }) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'createStrike: a weekly rate of 0',
    send: () => strikeWith({ rules: rules({ weeklyRate: '0' }) }),
    expect: invalid('INVALID_STRIKE'),
  },
  {
    name: 'createStrike: paid by an escrow fund',
    send: () => strikeWith({ fundId: sx.escrowFund }),
    expect: invalid('WRONG_FUND_PURPOSE'),
  },
  {
    name: 'changeStipendRules: an unknown strike',
    send: () => gql(SF.changeStipendRules, { input: { strikeId: UNKNOWN, rules: rules() } }),
    expect: refused('NOT_FOUND', 'STRIKE_NOT_FOUND'),
  },
  {
    name: "enrolStriker: someone else's account",
    send: () => enrolWith({ accountId: fx.bob }),
    expect: refused('FORBIDDEN', 'NOT_YOUR_ACCOUNT'),
  },
  {
    name: 'enrolStriker: a person of another organisation',
    send: () => enrolWith({ personId: sx.outsiderId }),
    expect: invalid('INVALID_STRIKE'),
  },
  { name: 'enrolStriker: 21 dependants', send: () => enrolWith({ dependants: 21 }), expect: invalid('INVALID_INPUT') },
  {
    name: 'enrolStriker: an unknown strike',
    send: () => enrolWith({ strikeId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'STRIKE_NOT_FOUND'),
  },
  { name: 'recordPicketShift: 0 minutes', send: () => shiftWith({ minutes: 0 }), expect: invalid('INVALID_SHIFT') },
  {
    name: 'recordPicketShift: 2000 minutes',
    send: () => shiftWith({ minutes: 2000 }),
    expect: invalid('INVALID_INPUT'),
  },
  { name: 'recordPicketShift: 1.5 minutes', send: () => shiftWith({ minutes: 1.5 }), expect: invalid() },
  {
    name: 'recordPicketShift: negative, correcting nothing',
    send: () => shiftWith({ minutes: -30 }),
    expect: invalid('INVALID_SHIFT'),
  },
  {
    name: 'recordPicketShift: correcting an unknown shift',
    send: () => shiftWith({ minutes: -30, correctsId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'SHIFT_NOT_FOUND'),
  },
  {
    name: 'recordPicketShift: a day to come',
    send: () => shiftWith({ day: '2027-12-01' }),
    expect: invalid('INVALID_SHIFT'),
  },
  {
    name: 'recordPicketShift: before the strike',
    send: () => shiftWith({ day: '2027-02-01' }),
    expect: invalid('INVALID_SHIFT'),
  },
  {
    name: 'recordPicketShift: a person not enrolled',
    send: () => shiftWith({ personId: sx.committee[0]!.personId }),
    expect: invalid('NOT_A_STRIKER'),
  },
  {
    name: 'computeStipendBatch: a week starting on a Tuesday',
    send: () => computeWith({ weekStart: '2027-03-02' }),
    expect: invalid('INVALID_STRIKE'),
  },
  {
    name: 'computeStipendBatch: a week not over',
    send: () => computeWith({ weekStart: '2027-03-08' }),
    expect: refused('CONFLICT', 'WEEK_NOT_OVER'),
  },
  {
    name: 'computeStipendBatch: an unknown strike',
    send: () => computeWith({ strikeId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'STRIKE_NOT_FOUND'),
  },
  {
    name: 'submitStipendBatch: an unknown batch',
    send: () => gql(SF.submitStipendBatch, { input: { batchId: UNKNOWN, requestId: randomUUID() } }),
    expect: refused('NOT_FOUND', 'BATCH_NOT_FOUND'),
  },
  {
    name: 'submitStipendBatch: a superseded preview',
    send: () => gql(SF.submitStipendBatch, { input: { batchId: sx.supersededBatch, requestId: randomUUID() } }),
    expect: refused('CONFLICT', 'BATCH_NOT_PREVIEW'),
  },
];

const DRAWS: readonly Case[] = [
  { name: 'applyForDraw: amount "0"', send: () => drawWith({ amount: '0' }), expect: invalid('INVALID_DRAW') },
  { name: 'applyForDraw: category BEER', send: () => drawWith({ category: 'BEER' }), expect: invalid() },
  {
    name: 'applyForDraw: a statement of 4001 characters',
    send: () => drawWith({ statement: 'x'.repeat(4001) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'applyForDraw: an unknown strike',
    send: () => drawWith({ strikeId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'STRIKE_NOT_FOUND'),
  },
  {
    name: 'applyForDraw: from an escrow fund',
    send: () => drawWith({ fundId: sx.escrowFund }),
    expect: invalid('WRONG_FUND_PURPOSE'),
  },
  {
    name: 'applyForDraw: paid into the fund itself',
    send: () => drawWith({ accountId: sx.fund.accountId }),
    expect: invalid('INVALID_DRAW'),
  },
  {
    name: 'applyForDraw: paid into an account in hours',
    send: () => drawWith({ accountId: fx.hours }),
    expect: invalid('UNIT_MISMATCH_FUND'),
  },
  {
    name: 'applyForDraw: past the yearly cap',
    send: () => drawWith({ amount: '20001' }),
    expect: refused('CONFLICT', 'DRAW_CAP_EXCEEDED'),
  },
  {
    name: 'applyForDraw: past the strike cap',
    send: () => drawWith({ amount: '1001', strikeId: sx.strikeId }),
    expect: refused('CONFLICT', 'DRAW_CAP_EXCEEDED'),
  },
];

const ESCROW: readonly Case[] = [
  {
    name: 'depositEscrow: the 15th of a month',
    send: () => depositWith({ month: '2027-01-15' }),
    expect: invalid('INVALID_DEPOSIT'),
  },
  {
    name: 'depositEscrow: month "January"',
    send: () => depositWith({ month: 'January' }),
    expect: invalid('INVALID_INPUT'),
  },
  { name: 'depositEscrow: amount "0"', send: () => depositWith({ amount: '0' }), expect: invalid('INVALID_DEPOSIT') },
  {
    name: "depositEscrow: someone else's account",
    send: () => depositWith({ tenantAccountId: fx.bob }),
    expect: refused('FORBIDDEN', 'NOT_YOUR_ACCOUNT'),
  },
  {
    name: 'depositEscrow: into a strike fund',
    send: () => depositWith({ fundId: sx.fund.id }),
    expect: invalid('WRONG_FUND_PURPOSE'),
  },
  { name: 'depositEscrow: source CASH', send: () => depositWith({ source: 'CASH' }), expect: invalid() },
];

const HOSTILE_TEXT_ACCEPTED: readonly Case[] = [
  {
    name: 'recordContribution: SQL in the memo and the name is stored verbatim',
    send: () => contributionWith({ memo: SQL_DROP, contributorName: SQL_DROP, visibility: 'NAMED' }),
    echoes: [SQL_DROP],
    expect: {
      accepted: async (sent) => {
        const body = sent.body as { data?: { recordContribution?: { id: string } }; errors?: unknown };
        expect(body.errors).toBeUndefined();
        const rows: unknown[] = await fx.app.dataSource.query(
          `SELECT memo, contributor_name FROM fund_contribution WHERE id = $1`,
          [body.data?.recordContribution?.id],
        );
        expect(rows).toEqual([{ memo: SQL_DROP, contributor_name: SQL_DROP }]);
      },
    },
  },
];

runCatalogue(
  'strike funds',
  [
    ...group('funds', FUNDS),
    ...group('money in', MONEY_IN),
    ...group('strikes', STRIKES),
    ...group('draws', DRAWS),
    ...group('escrow', ESCROW),
    ...group('hostile text accepted harmlessly', HOSTILE_TEXT_ACCEPTED),
  ],
  {
    fixtures: async () => {
      const app = fx.app;
      setDay(app, MONDAY);
      const created = await app.ok<{ createOrganization: { id: string } }>(
        `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
        { input: { kind: 'STRIKE_FUND', name: 'Union', slug: 'bad-input-union' } },
      );
      sx.unionId = created.createOrganization.id;
      sx.committee = [
        await join(app, app.steward.token, sx.unionId, 'committee-0@union.test'),
        await join(app, app.steward.token, sx.unionId, 'committee-1@union.test'),
      ];
      sx.member = await join(app, app.steward.token, sx.unionId, 'member@union.test');
      const other = await app.ok<{ createOrganization: { id: string } }>(
        `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
        { input: { kind: 'COOPERATIVE', name: 'Elsewhere', slug: 'bad-input-elsewhere' } },
      );
      sx.outsiderId = (await join(app, app.steward.token, other.createOrganization.id, 'outsider@else.test')).personId;
      const fund = await app.ok<{ createStrikeFund: { id: string; accountId: string } }>(SF.createStrikeFund, {
        input: fundInput({ purpose: 'STRIKE', drawCapPerYear: '20000', outsideLimit: '100000000' }),
      });
      sx.fund = fund.createStrikeFund;
      await app.ok(SF.recordContribution, {
        input: { id: randomUUID(), fundId: sx.fund.id, amount: '1000000', source: 'OUTSIDE' },
      });
      const escrow = await app.ok<{ createStrikeFund: { id: string } }>(SF.createStrikeFund, {
        input: fundInput({ purpose: 'RENT_ESCROW' }),
      });
      sx.escrowFund = escrow.createStrikeFund.id;
      sx.memberAccount = await openAccount(app, { holderId: sx.member.personId });
      sx.strikeId = randomUUID();
      await app.ok(SF.createStrike, {
        input: {
          id: sx.strikeId,
          fundId: sx.fund.id,
          name: 'Strike',
          startsOn: MONDAY,
          drawCapPerStriker: '1000',
          rules: rules(),
        },
      });
      await app.ok(SF.enrolStriker, {
        input: { strikeId: sx.strikeId, personId: sx.member.personId, accountId: sx.memberAccount },
      });
      await app.ok(SF.recordPicketShift, {
        input: { id: randomUUID(), strikeId: sx.strikeId, personId: sx.member.personId, day: MONDAY, minutes: 600 },
      });
      setDay(app, '2027-03-09');
      const first = await app.ok<{ computeStipendBatch: { id: string } }>(SF.computeStipendBatch, {
        input: { id: randomUUID(), strikeId: sx.strikeId, weekStart: MONDAY },
      });
      sx.supersededBatch = first.computeStipendBatch.id;
      await app.ok(SF.computeStipendBatch, { input: { id: randomUUID(), strikeId: sx.strikeId, weekStart: MONDAY } });
    },
  },
);
