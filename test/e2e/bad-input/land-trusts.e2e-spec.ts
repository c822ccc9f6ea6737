/**
 * Goal: every land-trust operation (trusts, parcels, leases, fees, terminations, payments, waivers,
 * deferrals, posting, and the queries of statements, arrears and resale prices) refuses malformed and
 * hostile input with a typed error and its documented reason — kernel reasons for the shape (INVALID_INPUT,
 * INVALID_ID, INVALID_AMOUNT, INVALID_CURSOR, coercion), land-trust reasons for what a lease, a fee, a
 * payment, a relief or a resale formula may be, NOT_FOUND reasons for unknown ids — and changes nothing.
 * Hostile text that is valid data (a parcel's name, a reason) is stored and read back verbatim.
 * Method: the bad-input catalogue (catalogue.ts) on the file's own app and database: the steward's
 * federation runs a trust in its unit CLT with a parcel, a lease from 2025-01-01 and its charges posted.
 */
import { randomUUID } from 'node:crypto';
import { LAND } from '../land-trusts/land-trust-fixtures.js';
import {
  CREATE_UNIT,
  GRAPHQL_BREAKOUT,
  SQL_DROP,
  fx,
  gql,
  group,
  invalid,
  refused,
  runCatalogue,
  type Case,
  type Sent,
} from './catalogue.js';

const lx = { trustId: '', parcelId: '', homeId: '', leaseId: '', chargeId: '' };
const UNKNOWN = '3f9d2c1e-8b7a-4c6d-9e0f-1a2b3c4d5e6f';

const signWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.signGroundLease, {
    input: {
      id: randomUUID(),
      parcelId: lx.parcelId,
      leaseholderId: fx.app.steward.personId,
      startsOn: '2030-01-01',
      fee: '1000',
      reserveSharePoints: 100,
      ...override,
    },
  });
const feeWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.changeGroundLeaseFee, {
    input: { leaseId: lx.leaseId, effectiveOn: '2031-01-01', fee: '1000', reserveSharePoints: 100, ...override },
  });
const payWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.recordLeasePayment, { input: { id: randomUUID(), leaseId: lx.leaseId, amount: '100', ...override } });
const waiveWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.waiveLeaseCharge, {
    input: { id: randomUUID(), chargeId: lx.chargeId, amount: '1', reason: 'x', ...override },
  });
const deferWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.deferLeaseCharge, {
    input: { id: randomUUID(), chargeId: lx.chargeId, deferTo: '2031-01-01', reason: 'x', ...override },
  });
const parcelWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.addLandParcel, {
    input: { id: randomUUID(), trustId: lx.trustId, name: 'Lot', description: '', ...override },
  });
const trustWith = (override: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.createLandTrust, {
    input: {
      id: randomUUID(),
      organizationId: fx.app.steward.organizationId,
      name: 'Another',
      unitCode: 'CLT',
      resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 100 },
      ...override,
    },
  });
const formulaWith = (formula: unknown): Promise<Sent> =>
  gql(LAND.setResaleFormula, { input: { trustId: lx.trustId, formula } });
const resaleWith = (variables: Record<string, unknown>): Promise<Sent> =>
  gql(LAND.resalePrice, { parcelId: lx.homeId, appraisedValue: '30000000', saleYear: 2030, ...variables });

const IDS: Case[] = [
  {
    name: 'a lease id that is not a UUID',
    send: () => feeWith({ leaseId: 'lease-1' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'an unknown lease',
    send: () => feeWith({ leaseId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'LEASE_NOT_FOUND'),
  },
  {
    name: 'an unknown parcel',
    send: () => signWith({ parcelId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'PARCEL_NOT_FOUND'),
  },
  {
    name: 'an unknown leaseholder',
    send: () => signWith({ leaseholderId: UNKNOWN }),
    expect: invalid('LEASEHOLDER_NOT_FOUND'),
  },
  {
    name: 'an unknown charge to waive',
    send: () => waiveWith({ chargeId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'CHARGE_NOT_FOUND'),
  },
  {
    name: 'an unknown trust to post',
    send: () => gql(LAND.postDueLeaseCharges, { input: { trustId: UNKNOWN } }),
    expect: refused('NOT_FOUND', 'LAND_TRUST_NOT_FOUND'),
  },
  {
    name: 'a trust id that is not a UUID in a query',
    send: () => gql(LAND.landTrust, { id: "1' OR '1'='1" }),
    expect: invalid('INVALID_ID'),
  },
  {
    name: 'an unknown lease statement',
    send: () => gql(LAND.leaseStatement, { leaseId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'LEASE_NOT_FOUND'),
  },
  {
    name: 'an unknown paying account',
    send: () => payWith({ fromAccountId: UNKNOWN }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'a lease id given as the paying account',
    send: () => payWith({ fromAccountId: lx.leaseId }),
    expect: refused('NOT_FOUND', 'ACCOUNT_NOT_FOUND'),
  },
  {
    name: 'a paying account of another unit',
    send: () => payWith({ fromAccountId: fx.alice }),
    expect: invalid('WRONG_UNIT'),
  },
];

const DATES: Case[] = [
  {
    name: 'a start day that does not exist',
    send: () => signWith({ startsOn: '2030-02-30' }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'a start day in another form',
    send: () => signWith({ startsOn: '01/02/2030' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a start day with a time',
    send: () => signWith({ startsOn: '2030-01-01T00:00:00Z' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a start day before 1900',
    send: () => signWith({ startsOn: '1899-12-31' }),
    expect: invalid('INVALID_LEASE'),
  },
  { name: 'an end before the start', send: () => signWith({ endsOn: '2029-12-31' }), expect: invalid('INVALID_LEASE') },
  {
    name: 'a fee change in month 13',
    send: () => feeWith({ effectiveOn: '2031-13-01' }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'a fee change in a period already charged',
    send: () => feeWith({ effectiveOn: '2025-02-01' }),
    expect: refused('CONFLICT', 'PERIOD_ALREADY_CHARGED'),
  },
  {
    name: 'a payment received in the future',
    send: () => payWith({ receivedOn: '2999-01-01' }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'a deferral to the past',
    send: () => deferWith({ deferTo: '2000-01-01' }),
    expect: refused('CONFLICT', 'DEFERRAL_NOT_LATER'),
  },
  {
    name: 'a termination before the lease began',
    send: () => gql(LAND.terminateGroundLease, { input: { leaseId: lx.leaseId, lastDay: '2020-01-01', reason: 'x' } }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'an arrears report on a day in another form',
    send: () => gql(LAND.arrearsReport, { trustId: lx.trustId, asOf: 'yesterday' }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a statement on a day that does not exist',
    send: () => gql(LAND.leaseStatement, { leaseId: lx.leaseId, asOf: '2025-04-31' }),
    expect: invalid('INVALID_LEASE'),
  },
];

const NUMBERS: Case[] = [
  { name: 'a negative fee', send: () => signWith({ fee: '-1' }), expect: invalid('INVALID_LEASE') },
  { name: 'a fee as a float', send: () => signWith({ fee: '10.5' }), expect: invalid('INVALID_AMOUNT') },
  { name: 'a fee as a JSON number', send: () => signWith({ fee: 1000 }), expect: invalid() },
  {
    name: 'a fee past the ledger bound',
    send: () => signWith({ fee: '1000000000000000001' }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'a fee past 64 bits',
    send: () => signWith({ fee: '99999999999999999999' }),
    expect: invalid('AMOUNT_OUT_OF_RANGE'),
  },
  {
    name: 'a reserve share over 10000',
    send: () => signWith({ reserveSharePoints: 10001 }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'a negative reserve share',
    send: () => feeWith({ reserveSharePoints: -1 }),
    expect: invalid('INVALID_LEASE'),
  },
  { name: 'a reserve share as a fraction', send: () => signWith({ reserveSharePoints: 0.5 }), expect: invalid() },
  { name: 'a due day of 31', send: () => signWith({ dueDay: 31 }), expect: invalid('INVALID_LEASE') },
  { name: 'a payment of zero', send: () => payWith({ amount: '0' }), expect: invalid('INVALID_LEASE') },
  { name: 'a negative payment', send: () => payWith({ amount: '-100' }), expect: invalid('INVALID_LEASE') },
  { name: 'a waiver of zero', send: () => waiveWith({ amount: '0' }), expect: invalid('INVALID_LEASE') },
  {
    name: 'a waiver beyond the charge',
    send: () => waiveWith({ amount: '999999999' }),
    expect: refused('CONFLICT', 'WAIVER_EXCEEDS_CHARGE'),
  },
  {
    name: 'a negative purchase price',
    send: () => parcelWith({ purchasePrice: '-1', purchasedOn: '2020-01-01' }),
    expect: invalid('INVALID_LEASE'),
  },
  {
    name: 'a negative appraisal',
    send: () => resaleWith({ appraisedValue: '-1' }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'a sale before the purchase',
    send: () => resaleWith({ saleYear: 2010 }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'a resale price of a parcel with no home price',
    send: () => resaleWith({ parcelId: lx.parcelId }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
];

const FORMULAS: Case[] = [
  {
    name: 'a share over 100%',
    send: () => formulaWith({ kind: 'APPRECIATION_SHARE', sharePoints: 10001 }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'a share formula without its share',
    send: () => formulaWith({ kind: 'APPRECIATION_SHARE' }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'an indexed formula with a share',
    send: () => formulaWith({ kind: 'INDEXED', sharePoints: 1, indexes: [{ year: 2020, value: '1' }] }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'an indexed formula with no index',
    send: () => formulaWith({ kind: 'INDEXED', indexes: [] }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'an index that is not a decimal',
    send: () => formulaWith({ kind: 'INDEXED', indexes: [{ year: 2020, value: '1e9' }] }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'an index of zero',
    send: () => formulaWith({ kind: 'INDEXED', indexes: [{ year: 2020, value: '0.000000' }] }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'a year given twice',
    send: () =>
      formulaWith({
        kind: 'INDEXED',
        indexes: [
          { year: 2020, value: '1' },
          { year: 2020, value: '2' },
        ],
      }),
    expect: invalid('INVALID_RESALE_FORMULA'),
  },
  {
    name: 'an index year before 1900',
    send: () => formulaWith({ kind: 'INDEXED', indexes: [{ year: 1800, value: '1' }] }),
    expect: invalid('INVALID_INPUT'),
  },
  { name: 'an unknown formula kind', send: () => formulaWith({ kind: 'MARKET', sharePoints: 1 }), expect: invalid() },
  {
    name: 'a second trust for the organisation',
    send: () => trustWith({ unitCode: 'CWC' }),
    expect: refused('CONFLICT', 'TRUST_EXISTS'),
  },
  {
    name: 'a second trust in a unit that does not exist (the organisation comes first)',
    send: () => trustWith({ unitCode: 'NOPE' }),
    expect: refused('CONFLICT', 'TRUST_EXISTS'),
  },
];

const TEXT: Case[] = [
  { name: 'an empty parcel name', send: () => parcelWith({ name: '' }), expect: invalid('INVALID_INPUT') },
  {
    name: 'a parcel name of 201 characters',
    send: () => parcelWith({ name: 'x'.repeat(201) }),
    expect: invalid('INVALID_INPUT'),
  },
  { name: 'a parcel name of blanks', send: () => parcelWith({ name: '   ' }), expect: invalid('INVALID_LEASE') },
  {
    name: 'a parcel name with a NUL',
    send: () => parcelWith({ name: 'Lot\u0000 1' }),
    expect: invalid('NUL_CHARACTER'),
  },
  {
    name: 'a termination without a reason',
    send: () => gql(LAND.terminateGroundLease, { input: { leaseId: lx.leaseId, lastDay: '2031-01-01', reason: '' } }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a waiver reason of 2001 characters',
    send: () => waiveWith({ reason: 'x'.repeat(2001) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a memo of 501 characters',
    send: () => payWith({ memo: 'x'.repeat(501) }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a parcel named with SQL, stored verbatim',
    send: () => parcelWith({ name: SQL_DROP, description: GRAPHQL_BREAKOUT }),
    expect: {
      accepted: async (sent) => {
        const body = sent.body as { data: { addLandParcel: { name: string; description: string } } };
        expect(body.data.addLandParcel).toMatchObject({ name: SQL_DROP.trim(), description: GRAPHQL_BREAKOUT });
        const rows: { count: string }[] = await fx.app.dataSource.query(`SELECT count(*) FROM entry`);
        expect(Number(rows[0]?.count)).toBeGreaterThan(0);
      },
    },
    echoes: [SQL_DROP.trim(), GRAPHQL_BREAKOUT],
  },
];

const SHAPES: Case[] = [
  { name: 'a lease without a fee', send: () => signWith({ fee: undefined }), expect: invalid() },
  { name: 'a lease with an unknown field', send: () => signWith({ deposit: '100' }), expect: invalid() },
  { name: 'a reserve share as text', send: () => signWith({ reserveSharePoints: '25%' }), expect: invalid() },
  {
    name: 'a page of 0 parcels',
    send: () => gql(LAND.landParcels, { trustId: lx.trustId, first: 0 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a page of 201 parcels',
    send: () => gql(LAND.landParcels, { trustId: lx.trustId, first: 201 }),
    expect: invalid('INVALID_INPUT'),
  },
  {
    name: 'a forged parcel cursor',
    send: () => gql(LAND.landParcels, { trustId: lx.trustId, after: 'bm90LWEtY3Vyc29y' }),
    expect: invalid('INVALID_CURSOR'),
  },
  {
    name: 'an arrears cursor of another list',
    send: () =>
      gql(LAND.arrearsReport, {
        trustId: lx.trustId,
        after: Buffer.from(`land-parcel:${UNKNOWN}`).toString('base64url'),
      }),
    expect: invalid('INVALID_CURSOR'),
  },
  { name: 'a sale year as text', send: () => resaleWith({ saleYear: '2030' }), expect: invalid() },
  {
    name: 'a relief of an unknown kind through waive',
    send: () =>
      gql(LAND.waiveLeaseCharge, { input: { id: randomUUID(), chargeId: lx.chargeId, kind: 'FORGIVE', reason: 'x' } }),
    expect: invalid(),
  },
];

runCatalogue(
  'land trusts',
  [
    ...group('ids', IDS),
    ...group('dates', DATES),
    ...group('numbers', NUMBERS),
    ...group('resale formulas and set-up', FORMULAS),
    ...group('text', TEXT),
    ...group('shapes', SHAPES),
  ],
  {
    fixtures: async () => {
      await gql(CREATE_UNIT, {
        input: {
          code: 'CLT',
          name: 'Trust dollars',
          kind: 'CURRENCY',
          scale: 2,
          issuerId: fx.app.steward.organizationId,
        },
      });
      const trustId = randomUUID();
      await fx.app.ok(LAND.createLandTrust, {
        input: {
          id: trustId,
          organizationId: fx.app.steward.organizationId,
          name: 'Catalogue CLT',
          unitCode: 'CLT',
          resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500 },
        },
      });
      lx.trustId = trustId;
      lx.parcelId = randomUUID();
      await fx.app.ok(LAND.addLandParcel, { input: { id: lx.parcelId, trustId, name: 'Bare land', description: '' } });
      lx.homeId = randomUUID();
      await fx.app.ok(LAND.addLandParcel, {
        input: {
          id: lx.homeId,
          trustId,
          name: 'Home',
          description: '',
          purchasePrice: '20000000',
          purchasedOn: '2015-01-01',
        },
      });
      lx.leaseId = randomUUID();
      await fx.app.ok(LAND.signGroundLease, {
        input: {
          id: lx.leaseId,
          parcelId: lx.homeId,
          leaseholderId: fx.app.steward.personId,
          startsOn: '2025-01-01',
          endsOn: '2029-12-31',
          fee: '100000',
          reserveSharePoints: 2500,
        },
      });
      await fx.app.ok(LAND.postDueLeaseCharges, { input: { trustId } });
      const statement = await fx.app.ok<{ leaseStatement: { charges: { charge: { id: string } }[] } }>(
        LAND.leaseStatement,
        { leaseId: lx.leaseId },
      );
      lx.chargeId = statement.leaseStatement.charges[0]?.charge.id ?? '';
    },
  },
);
