/**
 * Goal: a land trust's parcels and leases over time: a trust set up once per organisation in a unit it
 * issues; parcels named once; leases that never overlap on a parcel (refused by the service, and by the
 * database when two stewards sign at once or a write goes around the service); a lease ended by its date or
 * by a steward's termination with a reason, never deleted, with days already charged after its last day
 * credited back; replays that return what was written; refusals that change nothing. Method: the real app
 * over GraphQL on its own database; direct SQL for the database's twins of the rules.
 */
import { randomUUID } from 'node:crypto';
import { createUnit } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  LAND,
  UNIT,
  addParcel,
  setClock,
  setUpTrust,
  signLease,
  statementOf,
  type Trust,
} from './land-trust-fixtures.js';

describe('land trusts, parcels and leases', () => {
  let app: TestApp;

  useTestApp({}, (fixture) => {
    app = fixture.app;
  });

  beforeEach(() => {
    setClock(app, '2025-03-10');
  });

  describe('setting up', () => {
    it('sets up one trust per organisation, replays the same id, and refuses a unit it does not issue', async () => {
      await createUnit(app, UNIT, 'CURRENCY', 2);
      const input = {
        id: randomUUID(),
        organizationId: app.steward.organizationId,
        name: 'Riverside CLT',
        unitCode: UNIT,
        resaleFormula: { kind: 'INDEXED', indexes: [{ year: 2020, value: '100' }] },
      };
      const first = await app.ok<{ createLandTrust: Trust }>(LAND.createLandTrust, { input });
      expect(await app.ok(LAND.createLandTrust, { input })).toEqual(first);
      const before = await app.snapshot();
      const second = await app.graphql(LAND.createLandTrust, { input: { ...input, id: randomUUID() } });
      expect(second.errors?.[0]?.extensions.details.reason).toBe('TRUST_EXISTS');
      const badFormula = await app.graphql(LAND.setResaleFormula, {
        input: { trustId: input.id, formula: { kind: 'APPRECIATION_SHARE', sharePoints: 20000 } },
      });
      expect(badFormula.errors?.[0]?.extensions.details).toMatchObject({
        reason: 'INVALID_RESALE_FORMULA',
        problem: 'SHARE_OUT_OF_RANGE',
      });
      expect(await app.snapshot()).toEqual(before);
      const { landTrustOf } = await app.ok<{ landTrustOf: { id: string } }>(LAND.landTrustOf, {
        organizationId: app.steward.organizationId,
      });
      expect(landTrustOf.id).toBe(input.id);
    });

    it('refuses a unit issued by another organisation and a missing unit, changing nothing', async () => {
      await createUnit(app, UNIT, 'CURRENCY', 2);
      const orgId = await app.ok<{ createOrganization: { id: string } }>(
        `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
        { input: { kind: 'COOPERATIVE', name: 'Elsewhere', slug: `elsewhere-${randomUUID().slice(0, 8)}` } },
      );
      const before = await app.snapshot();
      const attempt = (unitCode: string) =>
        app.graphql(LAND.createLandTrust, {
          input: {
            id: randomUUID(),
            organizationId: orgId.createOrganization.id,
            name: 'Elsewhere CLT',
            unitCode,
            resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500 },
          },
        });
      expect((await attempt(UNIT)).errors?.[0]?.extensions.details.reason).toBe('UNIT_NOT_ISSUED_BY_TRUST');
      expect((await attempt('NOPE')).errors?.[0]?.extensions.details.reason).toBe('UNIT_NOT_FOUND');
      expect(await app.snapshot()).toEqual(before);
    });

    it('adds parcels once by name and pages them', async () => {
      const trust = await setUpTrust(app);
      const input = {
        id: randomUUID(),
        trustId: trust.id,
        name: 'Lot 1',
        description: '1 Oak Row',
        purchasePrice: '25000000',
        purchasedOn: '2018-05-01',
      };
      const first = await app.ok(LAND.addLandParcel, { input });
      expect(await app.ok(LAND.addLandParcel, { input })).toEqual(first);
      for (const name of ['Lot 2', 'Lot 3']) await addParcel(app, trust.id, { name });
      const before = await app.snapshot();
      const duplicate = await app.graphql(LAND.addLandParcel, { input: { ...input, id: randomUUID() } });
      expect(duplicate.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
      const halfHome = await app.graphql(LAND.addLandParcel, {
        input: { ...input, id: randomUUID(), name: 'Lot 9', purchasedOn: null },
      });
      expect(halfHome.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
      expect(await app.snapshot()).toEqual(before);
      const page = await app.ok<{
        landParcels: { edges: { node: { name: string } }[]; pageInfo: { endCursor: string } };
      }>(LAND.landParcels, { trustId: trust.id, first: 2 });
      expect(page.landParcels.edges.map((edge) => edge.node.name)).toEqual(['Lot 1', 'Lot 2']);
      const next = await app.ok<{ landParcels: { edges: { node: { name: string } }[] } }>(LAND.landParcels, {
        trustId: trust.id,
        first: 2,
        after: page.landParcels.pageInfo.endCursor,
      });
      expect(next.landParcels.edges.map((edge) => edge.node.name)).toEqual(['Lot 3']);
    });
  });

  describe('leases over time', () => {
    let trust: Trust;
    let parcelId: string;

    beforeEach(async () => {
      trust = await setUpTrust(app);
      parcelId = await addParcel(app, trust.id);
    });

    it('signs consecutive leases of a parcel and refuses an overlapping one, changing nothing', async () => {
      const first = await signLease(app, parcelId, {
        leaseholderId: app.steward.personId,
        startsOn: '2020-01-01',
        endsOn: '2024-12-31',
      });
      await signLease(app, parcelId, { leaseholderId: app.steward.organizationId, startsOn: '2025-01-01' });
      const before = await app.snapshot();
      for (const [startsOn, endsOn] of [
        ['2024-12-31', '2024-12-31'],
        ['2019-01-01', '2020-01-01'],
        ['2030-01-01', null],
      ]) {
        const response = await app.graphql(LAND.signGroundLease, {
          input: {
            id: randomUUID(),
            parcelId,
            leaseholderId: app.steward.personId,
            startsOn,
            endsOn,
            fee: '1',
            reserveSharePoints: 0,
          },
        });
        expect(response.errors?.[0]?.extensions.details.reason).toBe('LEASES_OVERLAP');
      }
      expect(await app.snapshot()).toEqual(before);
      const { groundLease } = await app.ok<{ groundLease: { lastDay: string; fees: unknown[] } }>(LAND.groundLease, {
        id: first.id,
      });
      expect(groundLease).toMatchObject({ lastDay: '2024-12-31' });
    });

    it('lets only one of two overlapping leases signed at once through', async () => {
      const attempts = await Promise.all(
        [0, 1, 2, 3].map(() =>
          app.graphql(LAND.signGroundLease, {
            input: {
              id: randomUUID(),
              parcelId,
              leaseholderId: app.steward.personId,
              startsOn: '2025-01-01',
              fee: '100',
              reserveSharePoints: 0,
            },
          }),
        ),
      );
      expect(attempts.filter((attempt) => attempt.errors === undefined)).toHaveLength(1);
      for (const refused of attempts.filter((attempt) => attempt.errors !== undefined)) {
        expect(refused.errors?.[0]?.extensions.details.reason).toBe('LEASES_OVERLAP');
      }
    });

    it('the database refuses an overlapping lease, a deletion and an edit written around the service', async () => {
      const lease = await signLease(app, parcelId, { leaseholderId: app.steward.personId, startsOn: '2025-01-01' });
      const accountId = lease.accountId;
      await expect(
        app.dataSource.query(
          `INSERT INTO ground_lease (id, trust_id, parcel_id, leaseholder_id, account_id, starts_on, due_day, created_by)
           VALUES ($1, $2, $3, $4, $5, '2026-01-01', 1, 'test')`,
          [randomUUID(), trust.id, parcelId, app.steward.personId, accountId],
        ),
      ).rejects.toThrow(/overlap/);
      await expect(app.dataSource.query(`DELETE FROM ground_lease WHERE id = $1`, [lease.id])).rejects.toThrow(
        /append-only/,
      );
      await expect(
        app.dataSource.query(`UPDATE ground_lease SET due_day = 2 WHERE id = $1`, [lease.id]),
      ).rejects.toThrow(/termination/);
      await expect(
        app.dataSource.query(`DELETE FROM ground_lease_fee WHERE lease_id = $1`, [lease.id]),
      ).rejects.toThrow(/append-only/);
    });

    it('refuses malformed leases with their reasons, changing nothing', async () => {
      const before = await app.snapshot();
      const base = {
        parcelId,
        leaseholderId: app.steward.personId,
        startsOn: '2025-01-01',
        fee: '100',
        reserveSharePoints: 100,
      };
      const cases: [Record<string, unknown>, string][] = [
        [{ dueDay: 29 }, 'INVALID_LEASE'],
        [{ dueDay: 0 }, 'INVALID_LEASE'],
        [{ reserveSharePoints: 10001 }, 'INVALID_LEASE'],
        [{ fee: '-1' }, 'INVALID_LEASE'],
        [{ endsOn: '2024-12-31' }, 'INVALID_LEASE'],
        [{ startsOn: '2025-02-30' }, 'INVALID_LEASE'],
        [{ startsOn: '2025/01/01' }, 'INVALID_INPUT'],
        [{ leaseholderId: randomUUID() }, 'LEASEHOLDER_NOT_FOUND'],
        [{ parcelId: randomUUID() }, 'PARCEL_NOT_FOUND'],
      ];
      for (const [extra, reason] of cases) {
        const response = await app.graphql(LAND.signGroundLease, { input: { id: randomUUID(), ...base, ...extra } });
        expect([extra, response.errors?.[0]?.extensions.details.reason]).toEqual([extra, reason]);
      }
      expect(await app.snapshot()).toEqual(before);
    });

    it('replays a lease signed again with the same id, and refuses the id for other terms', async () => {
      const input = {
        id: randomUUID(),
        parcelId,
        leaseholderId: app.steward.personId,
        startsOn: '2025-01-01',
        fee: '100',
        reserveSharePoints: 100,
      };
      const first = await app.ok(LAND.signGroundLease, { input });
      expect(await app.ok(LAND.signGroundLease, { input })).toEqual(first);
      const before = await app.snapshot();
      const other = await app.graphql(LAND.signGroundLease, { input: { ...input, fee: '101' } });
      expect(other.errors?.[0]?.extensions.details.reason).toBe('ID_IN_USE');
      expect(await app.snapshot()).toEqual(before);
    });

    it('terminates a lease with a reason, credits back the days charged after its last day, and refuses it again', async () => {
      const lease = await signLease(app, parcelId, {
        leaseholderId: app.steward.personId,
        startsOn: '2025-01-01',
        fee: '310000',
        reserveSharePoints: 2000,
      });
      await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
      const input = { leaseId: lease.id, lastDay: '2025-03-10', reason: 'The household moved away' };
      const { terminateGroundLease } = await app.ok<{
        terminateGroundLease: { lastDay: string; terminationReason: string };
      }>(LAND.terminateGroundLease, { input });
      expect(terminateGroundLease).toMatchObject({
        lastDay: '2025-03-10',
        terminationReason: 'The household moved away',
      });
      // March: 10 of 31 days of 3100.00 = 1000.00; 2100.00 credited back as a waiver.
      const statement = await statementOf(app, lease.id);
      expect(statement.reliefs).toEqual([
        expect.objectContaining({ kind: 'WAIVE', amount: '210000', chargeId: statement.charges[2]?.charge.id }),
      ]);
      expect(statement).toMatchObject({
        charged: '930000',
        waived: '210000',
        outstanding: '720000',
        accountBalance: '-720000',
      });
      expect(await app.ok(LAND.terminateGroundLease, { input })).toEqual({ terminateGroundLease: expect.anything() });
      const before = await app.snapshot();
      const again = await app.graphql(LAND.terminateGroundLease, { input: { ...input, lastDay: '2025-03-09' } });
      expect(again.errors?.[0]?.extensions.details.reason).toBe('LEASE_ENDED');
      const fee = await app.graphql(LAND.changeGroundLeaseFee, {
        input: { leaseId: lease.id, effectiveOn: '2025-04-01', fee: '1', reserveSharePoints: 0 },
      });
      expect(fee.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
      // Nothing more is charged after the last day.
      setClock(app, '2025-06-10');
      await app.ok(LAND.postDueLeaseCharges, { input: { trustId: trust.id } });
      expect(await app.snapshot()).toEqual(before);
      // The parcel is free again from the day after.
      await signLease(app, parcelId, { leaseholderId: app.steward.personId, startsOn: '2025-03-11' });
    });

    it('refuses a termination after the end date or before the start, changing nothing', async () => {
      const lease = await signLease(app, parcelId, {
        leaseholderId: app.steward.personId,
        startsOn: '2025-01-01',
        endsOn: '2025-12-31',
      });
      const before = await app.snapshot();
      for (const lastDay of ['2025-12-31', '2024-12-30']) {
        const response = await app.graphql(LAND.terminateGroundLease, {
          input: { leaseId: lease.id, lastDay, reason: 'x' },
        });
        expect(response.errors?.[0]?.extensions.details.reason).toBe('INVALID_LEASE');
      }
      const missing = await app.graphql(LAND.terminateGroundLease, {
        input: { leaseId: randomUUID(), lastDay: '2025-06-01', reason: 'x' },
      });
      expect(missing.errors?.[0]?.extensions.details.reason).toBe('LEASE_NOT_FOUND');
      expect(await app.snapshot()).toEqual(before);
    });
  });
});
