/**
 * Goal: every time bank operation (setting up, settings, joining, offers and requests, time logs and their
 * steps, community work, statements, and the queries that read them) refuses malformed and hostile input
 * with a typed error and the reason docs/ERRORS.md gives it — kernel reasons for the shape (INVALID_INPUT,
 * INVALID_ID, INVALID_CURSOR, INVALID_REQUEST for a value no enum has, INVALID_AMOUNT), time bank reasons for
 * what a setting, a log or a step may be, NOT_FOUND reasons for unknown ids — and changes nothing. Hostile
 * text that is valid data (SQL, GraphQL that tries to break out) is stored and read back verbatim; words of a
 * search that look like tsquery syntax are only words.
 * Method: the bad-input catalogue (catalogue.ts). The file's fixtures: a time bank run by the steward (its
 * ADMIN) with one member; a listing; a log the steward gave the member (pending), one confirmed, and one
 * disputed.
 */
import { randomUUID } from 'node:crypto';
import { join, type Member } from '../governance/governance-fixtures.js';
import { TIMEBANK } from '../timebank/timebank-fixtures.js';
import {
  GRAPHQL_BREAKOUT,
  SQL_DROP,
  fx,
  gql,
  group,
  invalid,
  refused,
  runCatalogue,
  type Accepted,
  type Case,
  type Sent,
} from './catalogue.js';

const tx = {
  bankId: '',
  member: undefined as unknown as Member,
  outsiderId: '',
  listingId: '',
  pending: '',
  confirmed: '',
  disputed: '',
};

const UNKNOWN = '3f9d2c1e-8b7a-4c6d-9e0f-1a2b3c4d5e6f';

const logWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TIMEBANK.logTime, {
    input: {
      id: randomUUID(),
      timeBankId: tx.bankId,
      side: 'GAVE',
      counterpartyId: tx.member.personId,
      minutes: 30,
      description: '',
      ...override,
    },
  });
const publishWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TIMEBANK.publish, {
    input: { id: randomUUID(), timeBankId: tx.bankId, kind: 'OFFER', title: 'Knitting', category: 'Care', ...override },
  });
const settingsWith = (settings: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Sent> =>
  gql(TIMEBANK.changeSettings, { input: { timeBankId: tx.bankId, settings, reason: '', ...extra } });
const communityWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(TIMEBANK.logCommunityWork, {
    input: { id: randomUUID(), timeBankId: tx.bankId, memberId: tx.member.personId, minutes: 30, ...override },
  });

/** Accepted: no error, and the listing's title stored exactly as sent. */
function titleStored(title: string): Accepted {
  return {
    accepted: async (sent, before) => {
      const body = sent.body as { data?: { publishListing?: { id: string; title: string } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const id = body.data?.publishListing?.id ?? '';
      const rows: unknown[] = await fx.app.dataSource.query(`SELECT title FROM timebank_listing WHERE id = $1`, [id]);
      expect(rows).toEqual([{ title }]);
      const after = await fx.app.snapshot();
      expect(after['timebank_listing']?.rows).toBe((before['timebank_listing']?.rows ?? 0) + 1);
    },
  };
}

/** Accepted: a read that answers without error and changes nothing. */
const harmlessRead: Accepted = {
  accepted: async (sent, before) => {
    expect((sent.body as { errors?: unknown }).errors).toBeUndefined();
    expect(await fx.app.snapshot()).toEqual(before);
  },
};

const cases: Case[] = [
  ...group('setUpTimeBank', [
    {
      name: 'organizationId not a UUID',
      send: () => gql(TIMEBANK.setUp, { input: { organizationId: 'bank', unitCode: 'XX', unitName: 'X' } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'unitCode in lower case',
      send: () => gql(TIMEBANK.setUp, { input: { organizationId: tx.bankId, unitCode: 'hours', unitName: 'X' } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'an unknown organisation',
      send: () => gql(TIMEBANK.setUp, { input: { organizationId: UNKNOWN, unitCode: 'XX', unitName: 'X' } }),
      expect: refused('NOT_FOUND', 'ORGANIZATION_NOT_FOUND'),
    },
    {
      name: 'the federation, which is no time bank',
      send: () =>
        gql(TIMEBANK.setUp, {
          input: { organizationId: fx.app.steward.organizationId, unitCode: 'XX', unitName: 'X' },
        }),
      expect: invalid('NOT_A_TIME_BANK'),
    },
    {
      name: 'set up again with another unit',
      send: () => gql(TIMEBANK.setUp, { input: { organizationId: tx.bankId, unitCode: 'OTHER', unitName: 'X' } }),
      expect: refused('CONFLICT', 'TIME_BANK_UNIT_TAKEN'),
    },
  ]),
  ...group('changeTimeBankSettings', [
    { name: 'unknown bank', send: () => settingsWith({}, { timeBankId: UNKNOWN }), expect: refused('NOT_FOUND') },
    {
      name: 'autoConfirmMinutes -1',
      send: () => settingsWith({ autoConfirmMinutes: -1 }),
      expect: invalid('INVALID_INPUT'),
    },
    { name: 'maxMinutesPerLog 0', send: () => settingsWith({ maxMinutesPerLog: 0 }), expect: invalid('INVALID_INPUT') },
    {
      name: 'maxMinutesPerLog as text',
      send: () => settingsWith({ maxMinutesPerLog: 'eight hours' }),
      expect: invalid(),
    },
    {
      name: 'bankCreditMinutes beyond its range',
      send: () => settingsWith({ bankCreditMinutes: '999999999999' }),
      expect: invalid('INVALID_SETTINGS'),
    },
    {
      name: 'defaultCreditMinutes as a number',
      send: () => settingsWith({ defaultCreditMinutes: 600 }),
      expect: invalid('INVALID_AMOUNT'),
    },
    {
      name: 'categories repeated in another case',
      send: () => settingsWith({ categories: ['Care', 'CARE'] }),
      expect: invalid('INVALID_SETTINGS'),
    },
    { name: 'no categories', send: () => settingsWith({ categories: [] }), expect: invalid('INVALID_SETTINGS') },
    {
      name: 'statementVisibility EVERYONE',
      send: () => settingsWith({ statementVisibility: 'EVERYONE' }),
      expect: invalid('INVALID_REQUEST'),
    },
    {
      name: 'a reason of 501 characters',
      send: () => settingsWith({ autoConfirmMinutes: 10 }, { reason: 'x'.repeat(501) }),
      expect: invalid('INVALID_INPUT'),
    },
  ]),
  ...group('joinTimeBank', [
    {
      name: 'timeBankId not a UUID',
      send: () => gql(TIMEBANK.join, { input: { timeBankId: 'x' } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'unknown bank',
      send: () => gql(TIMEBANK.join, { input: { timeBankId: UNKNOWN } }),
      expect: refused('NOT_FOUND', 'TIME_BANK_NOT_FOUND'),
    },
    {
      name: 'a person who is not a member',
      send: () => gql(TIMEBANK.join, { input: { timeBankId: tx.bankId, personId: tx.outsiderId } }),
      expect: refused('FORBIDDEN', 'NOT_A_BANK_MEMBER'),
    },
  ]),
  ...group('publishListing', [
    { name: 'an empty title', send: () => publishWith({ title: '' }), expect: invalid('INVALID_INPUT') },
    { name: 'a title of spaces', send: () => publishWith({ title: '   ' }), expect: invalid('INVALID_LISTING') },
    {
      name: 'a category not on the list',
      send: () => publishWith({ category: 'Astrology' }),
      expect: invalid('UNKNOWN_CATEGORY'),
    },
    { name: 'estimatedMinutes 0', send: () => publishWith({ estimatedMinutes: 0 }), expect: invalid('INVALID_INPUT') },
    { name: 'kind GIFT', send: () => publishWith({ kind: 'GIFT' }), expect: invalid('INVALID_REQUEST') },
    {
      name: 'a title of 201 characters',
      send: () => publishWith({ title: 'x'.repeat(201) }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'unknown bank',
      send: () => publishWith({ timeBankId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'TIME_BANK_NOT_FOUND'),
    },
    {
      name: 'an SQL title, stored verbatim',
      send: () => publishWith({ title: SQL_DROP }),
      expect: titleStored(SQL_DROP),
      echoes: [SQL_DROP],
    },
    {
      name: 'a GraphQL break-out title, stored verbatim',
      send: () => publishWith({ title: GRAPHQL_BREAKOUT }),
      expect: titleStored(GRAPHQL_BREAKOUT),
      echoes: [GRAPHQL_BREAKOUT],
    },
  ]),
  ...group('updateListing and withdrawListing', [
    {
      name: 'update an unknown listing',
      send: () => gql(TIMEBANK.updateListing, { input: { listingId: UNKNOWN, title: 'X' } }),
      expect: refused('NOT_FOUND', 'LISTING_NOT_FOUND'),
    },
    {
      name: 'update to a category not on the list',
      send: () => gql(TIMEBANK.updateListing, { input: { listingId: tx.listingId, category: 'Astrology' } }),
      expect: invalid('UNKNOWN_CATEGORY'),
    },
    {
      name: 'withdraw a listingId that is no UUID',
      send: () => gql(TIMEBANK.withdrawListing, { input: { listingId: '42' } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'withdraw an unknown listing',
      send: () => gql(TIMEBANK.withdrawListing, { input: { listingId: UNKNOWN } }),
      expect: refused('NOT_FOUND', 'LISTING_NOT_FOUND'),
    },
  ]),
  ...group('listings', [
    {
      name: 'a cursor this list did not make',
      send: () => gql(TIMEBANK.listings, { timeBankId: tx.bankId, after: 'bm90LWEtY3Vyc29y' }),
      expect: invalid('INVALID_CURSOR'),
    },
    {
      name: 'first 0',
      send: () => gql(TIMEBANK.listings, { timeBankId: tx.bankId, first: 0 }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'search words in tsquery syntax are only words',
      send: () => gql(TIMEBANK.listings, { timeBankId: tx.bankId, search: "knit:* & !(x | y) <-> ' \\" }),
      expect: harmlessRead,
    },
    {
      name: 'an SQL search',
      send: () => gql(TIMEBANK.listings, { timeBankId: tx.bankId, search: SQL_DROP }),
      expect: harmlessRead,
    },
  ]),
  ...group('logTime', [
    { name: 'minutes as text', send: () => logWith({ minutes: 'ten' }), expect: invalid() },
    { name: 'minutes 0', send: () => logWith({ minutes: 0 }), expect: invalid('MINUTES_OUT_OF_RANGE') },
    { name: 'minutes -30', send: () => logWith({ minutes: -30 }), expect: invalid('MINUTES_OUT_OF_RANGE') },
    {
      name: 'minutes above the bank’s limit',
      send: () => logWith({ minutes: 481 }),
      expect: invalid('MINUTES_OUT_OF_RANGE'),
    },
    { name: 'minutes beyond 32 bits', send: () => logWith({ minutes: 2 ** 31 }), expect: invalid() },
    { name: 'minutes 1.5', send: () => logWith({ minutes: 1.5 }), expect: invalid() },
    { name: 'side TOOK', send: () => logWith({ side: 'TOOK' }), expect: invalid('INVALID_REQUEST') },
    {
      name: 'with yourself',
      send: () => logWith({ counterpartyId: fx.app.steward.personId }),
      expect: invalid('SELF_EXCHANGE'),
    },
    {
      name: 'with a person who has not joined',
      send: () => logWith({ counterpartyId: tx.outsiderId }),
      expect: refused('CONFLICT', 'NOT_ENROLLED'),
    },
    {
      name: 'counterpartyId not a UUID',
      send: () => logWith({ counterpartyId: 'ben' }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'an unknown counterparty bank',
      send: () => logWith({ counterpartyBankId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'TIME_BANK_NOT_FOUND'),
    },
    { name: 'an unknown listing', send: () => logWith({ listingId: UNKNOWN }), expect: invalid('LISTING_NOT_IN_BANK') },
    {
      name: 'a description of 501 characters',
      send: () => logWith({ description: 'x'.repeat(501) }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'the id of another log',
      send: () => logWith({ id: tx.pending, minutes: 31 }),
      expect: refused('CONFLICT', 'LOG_ID_TAKEN'),
    },
  ]),
  ...group('logCommunityWork', [
    { name: 'minutes -5', send: () => communityWith({ minutes: -5 }), expect: invalid('MINUTES_OUT_OF_RANGE') },
    {
      name: 'to a person who has not joined',
      send: () => communityWith({ memberId: tx.outsiderId }),
      expect: refused('CONFLICT', 'NOT_ENROLLED'),
    },
    {
      name: 'to yourself',
      send: () => communityWith({ memberId: fx.app.steward.personId }),
      expect: refused('FORBIDDEN', 'OWN_COMMUNITY_WORK'),
    },
  ]),
  ...group('the steps of a log', [
    {
      name: 'confirm an unknown log',
      send: () => gql(TIMEBANK.confirm, { input: { timeLogId: UNKNOWN } }),
      expect: refused('NOT_FOUND', 'EXCHANGE_NOT_FOUND'),
    },
    {
      name: 'confirm a timeLogId that is no UUID',
      send: () => gql(TIMEBANK.confirm, { input: { timeLogId: 'log-1' } }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'dispute with a reason of spaces',
      send: () =>
        gql(TIMEBANK.dispute, { input: { timeLogId: tx.pending, reason: '   ' } }, { token: tx.member.token }),
      expect: invalid('EXPLANATION_REQUIRED'),
    },
    {
      name: 'dispute with a reason of 501 characters',
      send: () =>
        gql(
          TIMEBANK.dispute,
          { input: { timeLogId: tx.pending, reason: 'x'.repeat(501) } },
          { token: tx.member.token },
        ),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'withdraw a confirmed log',
      send: () => gql(TIMEBANK.withdraw, { input: { timeLogId: tx.confirmed } }),
      expect: refused('CONFLICT', 'TRANSITION_REFUSED'),
    },
    {
      name: 'resolve with outcome MAYBE',
      send: () => gql(TIMEBANK.resolve, { input: { timeLogId: tx.disputed, outcome: 'MAYBE', reason: 'x' } }),
      expect: invalid('INVALID_REQUEST'),
    },
    {
      name: 'resolve a pending log',
      send: () => gql(TIMEBANK.resolve, { input: { timeLogId: tx.pending, outcome: 'CANCEL', reason: 'x' } }),
      expect: refused('CONFLICT', 'TRANSITION_REFUSED'),
    },
    {
      name: 'resolve with 0 minutes',
      send: () =>
        gql(TIMEBANK.resolve, { input: { timeLogId: tx.disputed, outcome: 'CONFIRM', minutes: 0, reason: '' } }),
      expect: invalid('MINUTES_ABOVE_LOGGED'),
    },
    {
      name: 'resolve with more minutes than logged',
      send: () =>
        gql(TIMEBANK.resolve, { input: { timeLogId: tx.disputed, outcome: 'CONFIRM', minutes: 31, reason: '' } }),
      expect: invalid('MINUTES_ABOVE_LOGGED'),
    },
    {
      name: 'correct without a reason',
      send: () => gql(TIMEBANK.correct, { input: { timeLogId: tx.confirmed, reason: '' } }),
      expect: invalid('EXPLANATION_REQUIRED'),
    },
    {
      name: 'correct a pending log',
      send: () => gql(TIMEBANK.correct, { input: { timeLogId: tx.pending, reason: 'Wrong' } }),
      expect: refused('CONFLICT', 'TRANSITION_REFUSED'),
    },
  ]),
  ...group('reading', [
    {
      name: 'timeLog of an id that is no UUID',
      send: () => gql(TIMEBANK.timeLog, { id: 'abc' }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'an unknown timeLog',
      send: () => gql(TIMEBANK.timeLog, { id: UNKNOWN }),
      expect: refused('NOT_FOUND', 'EXCHANGE_NOT_FOUND'),
    },
    {
      name: 'timeLogs of status NOPE',
      send: () => gql(TIMEBANK.timeLogs, { timeBankId: tx.bankId, statuses: ['NOPE'] }),
      expect: invalid('INVALID_REQUEST'),
    },
    {
      name: 'memberStatement of a personId that is no UUID',
      send: () => gql(TIMEBANK.memberStatement, { timeBankId: tx.bankId, personId: 'me' }),
      expect: invalid('INVALID_INPUT'),
    },
    {
      name: 'memberStatement of a person who has not joined',
      send: () => gql(TIMEBANK.memberStatement, { timeBankId: tx.bankId, personId: tx.outsiderId }),
      expect: refused('CONFLICT', 'NOT_ENROLLED'),
    },
    {
      name: 'bankStatement of an id that is no UUID',
      send: () => gql(TIMEBANK.bankStatement, { timeBankId: 'x' }),
      expect: invalid('INVALID_ID'),
    },
    {
      name: 'bankStatement of an unknown bank',
      send: () => gql(TIMEBANK.bankStatement, { timeBankId: UNKNOWN }),
      expect: refused('NOT_FOUND', 'TIME_BANK_NOT_FOUND'),
    },
    {
      name: 'an unknown timeBank',
      send: () => gql(`query($id: ID!) { timeBank(id: $id) { id } }`, { id: UNKNOWN }),
      expect: refused('NOT_FOUND', 'TIME_BANK_NOT_FOUND'),
    },
  ]),
];

runCatalogue('time bank', cases, {
  fixtures: async () => {
    const app = fx.app;
    const organization = await app.ok<{ createOrganization: { id: string } }>(TIMEBANK.createOrganization, {
      input: { kind: 'TIME_BANK', name: 'Bad input bank', slug: 'bad-input-bank' },
    });
    tx.bankId = organization.createOrganization.id;
    tx.member = await join(app, app.steward.token, tx.bankId, 'bank-member@bad.test');
    const outsider = await app.register('bank-outsider@bad.test');
    tx.outsiderId = (
      await app.ok<{ me: { person: { id: string } } }>(`{ me { person { id } } }`, {}, { token: outsider })
    ).me.person.id;
    await app.ok(TIMEBANK.setUp, { input: { organizationId: tx.bankId, unitCode: 'BAD', unitName: 'Bad hours' } });
    await app.ok(TIMEBANK.join, { input: { timeBankId: tx.bankId } });
    await app.ok(TIMEBANK.join, { input: { timeBankId: tx.bankId } }, { token: tx.member.token });
    const listing = await app.ok<{ publishListing: { id: string } }>(TIMEBANK.publish, {
      input: { id: randomUUID(), timeBankId: tx.bankId, kind: 'OFFER', title: 'Knitting', category: 'Care' },
    });
    tx.listingId = listing.publishListing.id;
    const log = async () =>
      (
        await app.ok<{ logTime: { id: string } }>(TIMEBANK.logTime, {
          input: {
            id: randomUUID(),
            timeBankId: tx.bankId,
            side: 'GAVE',
            counterpartyId: tx.member.personId,
            minutes: 30,
          },
        })
      ).logTime.id;
    tx.pending = await log();
    tx.confirmed = await log();
    await app.ok(TIMEBANK.confirm, { input: { timeLogId: tx.confirmed } }, { token: tx.member.token });
    tx.disputed = await log();
    await app.ok(
      TIMEBANK.dispute,
      { input: { timeLogId: tx.disputed, reason: 'Too long' } },
      { token: tx.member.token },
    );
  },
});
