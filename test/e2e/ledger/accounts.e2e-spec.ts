/**
 * Goal: units and accounts have a life the API keeps exact: units are created once (idempotently), accounts
 * open idempotently under a client id, limits and status changes are recorded as AccountChanges, limits and
 * statuses govern which transfers may move value, closing needs a zero balance and no pending holds, and
 * every refused mutation changes nothing. Method: the real service over HTTP on its own PostgreSQL database;
 * refusals compare app.snapshot() before and after; after every test the books-balance check runs.
 */
import { randomUUID } from 'node:crypto';
import { without, type DatabaseSnapshot } from '../../support/databases.js';
import { TestApp } from '../setup/test-app.js';
import {
  PLACE_HOLD,
  POST_TRANSACTION,
  account,
  createOrganization,
  createUnit,
  openAccount,
  transfer,
} from './ledger-fixtures.js';

const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code name kind scale issuerId } }`;
const UNIT = `query($code: String!) { unit(code: $code) { code name kind scale issuerId } }`;
const UNITS = `{ units { code name kind scale issuerId } }`;
const OPEN_ACCOUNT = `mutation($input: OpenAccountInput!) {
  openAccount(input: $input) { id unitCode holderId holder { __typename ... on Organization { id slug } }
    name kind status creditLimit upperLimit version } }`;
const SET_LIMITS = `mutation($input: SetAccountLimitsInput!) {
  setAccountLimits(input: $input) { id creditLimit upperLimit version } }`;
const FREEZE = `mutation($input: ChangeAccountStatusInput!) { freezeAccount(input: $input) { id status version } }`;
const UNFREEZE = `mutation($input: ChangeAccountStatusInput!) { unfreezeAccount(input: $input) { id status version } }`;
const CLOSE = `mutation($input: ChangeAccountStatusInput!) { closeAccount(input: $input) { id status version } }`;
const ACCOUNT_CHANGES = `query($accountId: ID!) { accountChanges(accountId: $accountId) {
  edges { node { version change status creditLimit upperLimit reason } } pageInfo { hasNextPage } } }`;

async function snapshotOf(app: TestApp): Promise<DatabaseSnapshot> {
  return app.snapshot();
}

/** A ledger refusal that depends on state is recorded against its id (one more outcome), nothing else. */
function withoutOutcomes(snapshot: DatabaseSnapshot): DatabaseSnapshot {
  return without(snapshot, 'transaction_outcome');
}

describe('units and accounts', () => {
  let app: TestApp;
  /** Two cooperatives the steward runs (as ADMIN): holders other than the steward's own federation. */
  let breadCoop: string;
  let otherCoop: string;

  beforeAll(async () => {
    app = await TestApp.start();
    breadCoop = await createOrganization(app, 'bread-coop');
    otherCoop = await createOrganization(app, 'other-coop');
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await app.truncate();
  });
  afterEach(async () => {
    await app.assertBooksBalance();
  });

  describe('createUnit', () => {
    let cwc: { code: string; name: string; kind: string; scale: number; issuerId: string };

    beforeEach(() => {
      cwc = {
        code: 'CWC',
        name: 'Commonwealth credit',
        kind: 'CREDIT',
        scale: 2,
        issuerId: app.steward.organizationId,
      };
    });

    it('creates a unit, and creating it again with the same terms returns it', async () => {
      const first = await app.ok(CREATE_UNIT, { input: cwc });
      expect(first.createUnit).toEqual(cwc);
      const before = await app.snapshot();
      const again = await app.ok(CREATE_UNIT, { input: cwc });
      expect(again.createUnit).toEqual(cwc);
      expect(await app.snapshot()).toEqual(before);
      expect((await app.ok(UNITS)).units).toEqual([cwc]);
    });

    it('refuses the same code with other terms as CONFLICT UNIT_EXISTS, changing nothing', async () => {
      await app.ok(CREATE_UNIT, { input: cwc });
      const before = await app.snapshot();
      for (const changed of [{ scale: 3 }, { issuerId: breadCoop }]) {
        const response = await app.graphql(CREATE_UNIT, { input: { ...cwc, ...changed } });
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          details: { reason: 'UNIT_EXISTS', code: 'CWC' },
        });
      }
      expect(await app.snapshot()).toEqual(before);
      expect((await app.ok(UNIT, { code: 'CWC' })).unit).toEqual(cwc);
    });

    it('refuses a lower-case code with VALIDATION_FAILED INVALID_INPUT', async () => {
      const before = await app.snapshot();
      const response = await app.graphql(CREATE_UNIT, { input: { ...cwc, code: 'eur' } });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'INVALID_INPUT' },
      });
      expect(await app.snapshot()).toEqual(before);
    });

    it('refuses HOURS with a scale other than 0 with a typed error, changing nothing', async () => {
      const before = await app.snapshot();
      const response = await app.graphql(CREATE_UNIT, {
        input: { code: 'HOUR', name: 'Hours', kind: 'HOURS', scale: 2, issuerId: app.steward.organizationId },
      });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'HOURS_IN_MINUTES' },
      });
      expect(await app.snapshot()).toEqual(before);
    });

    it('lists units and answers an unknown code with NOT_FOUND UNIT_NOT_FOUND', async () => {
      await createUnit(app, 'CWC');
      await createUnit(app, 'HOUR', 'HOURS', 0);
      const units = (await app.ok<{ units: { code: string }[] }>(UNITS)).units.map((unit) => unit.code);
      expect(units.sort()).toEqual(['CWC', 'HOUR']);
      expect((await app.ok(UNIT, { code: 'HOUR' })).unit).toMatchObject({ code: 'HOUR', kind: 'HOURS', scale: 0 });
      const response = await app.graphql(UNIT, { code: 'NOPE' });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        details: { reason: 'UNIT_NOT_FOUND' },
      });
    });
  });

  describe('openAccount', () => {
    const terms = (id: string) => ({
      id,
      unitCode: 'CWC',
      holderId: breadCoop,
      name: 'Bread coop',
      kind: 'MEMBER',
      creditLimit: '500',
      upperLimit: '10000',
    });

    beforeEach(async () => {
      await createUnit(app);
    });

    it('opens an account with a client id, and opening it again with the same terms returns it', async () => {
      const id = randomUUID();
      const first = await app.ok(OPEN_ACCOUNT, { input: terms(id) });
      expect(first.openAccount).toEqual({
        id,
        unitCode: 'CWC',
        holderId: breadCoop,
        holder: { __typename: 'Organization', id: breadCoop, slug: 'bread-coop' },
        name: 'Bread coop',
        kind: 'MEMBER',
        status: 'ACTIVE',
        creditLimit: '500',
        upperLimit: '10000',
        version: '1',
      });
      const before = await app.snapshot();
      const again = await app.ok(OPEN_ACCOUNT, { input: terms(id) });
      expect(again.openAccount).toEqual(first.openAccount);
      expect(await app.snapshot()).toEqual(before);
    });

    it('refuses the same id with other terms as CONFLICT EXISTS_WITH_DIFFERENT_CONTENT, changing nothing', async () => {
      const id = randomUUID();
      await app.ok(OPEN_ACCOUNT, { input: terms(id) });
      const before = await app.snapshot();
      for (const changed of [
        { name: 'Other' },
        { creditLimit: '600' },
        { upperLimit: null },
        { holderId: otherCoop },
        { holderId: app.steward.personId },
      ]) {
        const response = await app.graphql(OPEN_ACCOUNT, { input: { ...terms(id), ...changed } });
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          details: { reason: 'EXISTS_WITH_DIFFERENT_CONTENT', id },
        });
      }
      expect(await app.snapshot()).toEqual(before);
    });

    it('answers an unknown unit with NOT_FOUND UNIT_NOT_FOUND, changing nothing', async () => {
      const before = await app.snapshot();
      const response = await app.graphql(OPEN_ACCOUNT, { input: { ...terms(randomUUID()), unitCode: 'NOPE' } });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        details: { reason: 'UNIT_NOT_FOUND' },
      });
      expect(await app.snapshot()).toEqual(before);
    });
  });

  describe('limits and status', () => {
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      await createUnit(app);
      alice = await openAccount(app, { creditLimit: '1000' });
      bob = await openAccount(app);
    });

    async function changes(accountId: string) {
      const data = await app.ok<{ accountChanges: { edges: { node: Record<string, unknown> }[] } }>(ACCOUNT_CHANGES, {
        accountId,
      });
      return data.accountChanges.edges.map((edge) => edge.node);
    }

    it('records setAccountLimits as an AccountChange, newest first, and the same limits again add none', async () => {
      const set = await app.ok(SET_LIMITS, {
        input: { accountId: alice, creditLimit: '2000', upperLimit: '5000', reason: 'board decision' },
      });
      expect(set.setAccountLimits).toEqual({ id: alice, creditLimit: '2000', upperLimit: '5000', version: '2' });
      expect(await changes(alice)).toEqual([
        {
          version: '2',
          change: 'LIMITS_SET',
          status: 'ACTIVE',
          creditLimit: '2000',
          upperLimit: '5000',
          reason: 'board decision',
        },
        { version: '1', change: 'OPENED', status: 'ACTIVE', creditLimit: '1000', upperLimit: null, reason: 'Opened' },
      ]);
      const before = await app.snapshot();
      const again = await app.ok(SET_LIMITS, { input: { accountId: alice, creditLimit: '2000', upperLimit: '5000' } });
      expect(again.setAccountLimits).toEqual({ id: alice, creditLimit: '2000', upperLimit: '5000', version: '2' });
      expect(await app.snapshot()).toEqual(before);
      expect(await changes(alice)).toHaveLength(2);
    });

    it('allows lowering the credit limit below the position: further debits are refused, credits still work', async () => {
      await app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '800') });
      await app.ok(SET_LIMITS, { input: { accountId: alice, creditLimit: '500' } });
      expect(await account(app, alice)).toMatchObject({ balance: '-800', creditLimit: '500', version: '3' });

      const before = await snapshotOf(app);
      const refused = await app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '1') });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
        details: { reason: 'CREDIT_LIMIT_EXCEEDED', accountId: alice },
      });
      const after = await snapshotOf(app);
      expect(withoutOutcomes(after)).toEqual(withoutOutcomes(before));
      expect(Number(after['outcomes'])).toBe(Number(before['outcomes']) + 1);

      await app.ok(POST_TRANSACTION, { input: transfer(bob, alice, '100') });
      expect(await account(app, alice)).toMatchObject({ balance: '-700', version: '4' });
    });

    it('refuses credits past the upper limit with CONFLICT UPPER_LIMIT_EXCEEDED', async () => {
      await app.ok(SET_LIMITS, { input: { accountId: bob, creditLimit: '0', upperLimit: '300' } });
      await app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '300') });
      const before = await snapshotOf(app);
      const refused = await app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '1') });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'UPPER_LIMIT_EXCEEDED', accountId: bob, upperLimit: '300' },
      });
      expect(withoutOutcomes(await snapshotOf(app))).toEqual(withoutOutcomes(before));
      expect(await account(app, bob)).toMatchObject({ balance: '300', version: '3' });
    });

    it('refuses transfers from or to a frozen account with CONFLICT ACCOUNT_FROZEN until it is unfrozen', async () => {
      await app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '100') });
      const frozen = await app.ok(FREEZE, { input: { accountId: bob, reason: 'investigation' } });
      expect(frozen.freezeAccount).toEqual({ id: bob, status: 'FROZEN', version: '3' });

      const before = await snapshotOf(app);
      const into = await app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '10') });
      expect(into.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'ACCOUNT_FROZEN', accountId: bob, entryIndex: 1 },
      });
      const out = await app.graphql(POST_TRANSACTION, { input: transfer(bob, alice, '10') });
      expect(out.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'ACCOUNT_FROZEN', accountId: bob, entryIndex: 0 },
      });
      expect(withoutOutcomes(await snapshotOf(app))).toEqual(withoutOutcomes(before));

      const unfrozen = await app.ok(UNFREEZE, { input: { accountId: bob } });
      expect(unfrozen.unfreezeAccount).toEqual({ id: bob, status: 'ACTIVE', version: '4' });
      await app.ok(POST_TRANSACTION, { input: transfer(bob, alice, '10') });
      expect(await account(app, bob)).toMatchObject({ balance: '90', version: '5' });
      expect((await changes(bob)).map((change) => change.change)).toEqual(['UNFROZEN', 'FROZEN', 'OPENED']);
    });

    it('refuses to close with BALANCE_NOT_ZERO or HOLDS_PENDING, closes at zero, then refuses everything', async () => {
      await app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '100') });
      let before = await app.snapshot();
      const notZero = await app.graphql(CLOSE, { input: { accountId: bob } });
      expect(notZero.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'BALANCE_NOT_ZERO', accountId: bob },
      });
      expect(await app.snapshot()).toEqual(before);

      // Back to zero, but with value held on its way out.
      await app.ok(POST_TRANSACTION, { input: transfer(bob, alice, '60') });
      await app.ok(PLACE_HOLD, { input: transfer(bob, alice, '40') });
      expect(await account(app, bob)).toMatchObject({ balance: '40', debitsPending: '40', availableBalance: '0' });
      before = await app.snapshot();
      const pending = await app.graphql(CLOSE, { input: { accountId: bob } });
      expect(pending.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'HOLDS_PENDING', accountId: bob },
      });
      expect(await app.snapshot()).toEqual(before);

      // A fresh account at zero closes.
      const carol = await openAccount(app);
      const closed = await app.ok(CLOSE, { input: { accountId: carol, reason: 'left the coop' } });
      expect(closed.closeAccount).toEqual({ id: carol, status: 'CLOSED', version: '2' });
      const again = await app.ok(CLOSE, { input: { accountId: carol } });
      expect(again.closeAccount).toEqual({ id: carol, status: 'CLOSED', version: '2' });

      const beforeObject = await snapshotOf(app);
      for (const input of [transfer(alice, carol, '1'), transfer(carol, alice, '1')]) {
        const response = await app.graphql(POST_TRANSACTION, { input });
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          details: { reason: 'ACCOUNT_CLOSED', accountId: carol },
        });
      }
      expect(withoutOutcomes(await snapshotOf(app))).toEqual(withoutOutcomes(beforeObject));

      const afterTransfers = await app.snapshot();
      for (const document of [UNFREEZE, FREEZE]) {
        const response = await app.graphql(document, { input: { accountId: carol } });
        expect(response.errors?.[0]?.extensions).toMatchObject({
          code: 'CONFLICT',
          details: { reason: 'ACCOUNT_CLOSED', accountId: carol },
        });
      }
      const limits = await app.graphql(SET_LIMITS, { input: { accountId: carol, creditLimit: '5' } });
      expect(limits.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'ACCOUNT_CLOSED' } });
      expect(await app.snapshot()).toEqual(afterTransfers);
      expect(await account(app, carol)).toMatchObject({ status: 'CLOSED', balance: '0', version: '2' });
    });

    it('advances the account version by exactly one per change and per entry', async () => {
      const versions: string[] = [(await account(app, alice)).version];
      const step = async (work: () => Promise<unknown>) => {
        await work();
        versions.push((await account(app, alice)).version);
      };
      await step(() => app.ok(SET_LIMITS, { input: { accountId: alice, creditLimit: '1500' } }));
      await step(() => app.ok(POST_TRANSACTION, { input: transfer(alice, bob, '10') }));
      await step(() => app.ok(POST_TRANSACTION, { input: transfer(bob, alice, '5') }));
      await step(() => app.ok(FREEZE, { input: { accountId: alice } }));
      await step(() => app.ok(UNFREEZE, { input: { accountId: alice } }));
      await step(() => app.ok(PLACE_HOLD, { input: transfer(alice, bob, '3') }));
      expect(versions).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      // Refusals and no-op changes do not advance it.
      await app.graphql(POST_TRANSACTION, { input: transfer(alice, bob, '999999') });
      await app.ok(SET_LIMITS, { input: { accountId: alice, creditLimit: '1500' } });
      await app.ok(UNFREEZE, { input: { accountId: alice } });
      expect((await account(app, alice)).version).toBe('7');
      const changeVersions = (await changes(alice)).map((change) => change.version);
      expect(changeVersions).toEqual(['6', '5', '2', '1']);
    });

    it('refuses negative limits and unknown accounts without changing anything', async () => {
      const before = await app.snapshot();
      const negative = await app.graphql(SET_LIMITS, { input: { accountId: alice, creditLimit: '-1' } });
      expect(negative.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { reason: 'LIMIT_NEGATIVE' },
      });
      const unknown = await app.graphql(FREEZE, { input: { accountId: randomUUID() } });
      expect(unknown.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        details: { reason: 'ACCOUNT_NOT_FOUND' },
      });
      expect(await app.snapshot()).toEqual(before);
    });
  });
});
