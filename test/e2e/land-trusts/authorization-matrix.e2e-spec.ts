/**
 * Goal: who may do what in a land trust, as one table. A community land trust T (an organisation running a
 * trust in a unit it issues) has people in every role, a member who holds a lease himself (L1), and a
 * household organisation H (not a member of T) holding another lease (L2) with its ADMIN and a MEMBER;
 * there is an outsider, T's API token, and an unauthenticated caller. Every land-trust operation is tried
 * by each of them, and each attempt is either allowed or refused (FORBIDDEN for the signed-in,
 * UNAUTHENTICATED for the anonymous) as src/land-trusts/rules/land-trust-access.ts says; a refused attempt
 * changes nothing (app.snapshot(): every table).
 * Method: the real service over HTTP on its own database, its clock controlled. Each case prepares what it
 * acts on afresh where acting changes it (a new parcel, lease, charge or organisation); the shared trust,
 * leases and accounts serve the reads.
 */
import { randomUUID } from 'node:crypto';
import { join } from '../governance/governance-fixtures.js';
import { TestApp, type GraphQLResponse } from '../setup/test-app.js';
import { LAND, setClock } from './land-trust-fixtures.js';

const ACTORS = {
  trustAdmin: 'ADMIN of the land trust',
  trustTreasurer: 'TREASURER of the land trust',
  trustCoordinator: 'COORDINATOR of the land trust',
  trustMember: 'MEMBER of the land trust',
  leaseholder: 'a MEMBER of the trust who holds lease L1',
  householdAdmin: 'ADMIN of the household holding lease L2',
  householdMember: 'MEMBER of the household holding lease L2',
  outsider: 'a person with no membership',
  trustToken: "the trust's API token",
  anonymous: 'an unauthenticated caller',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
const STEWARDS: Actor[] = ['trustAdmin', 'trustTreasurer', 'trustCoordinator'];
const TRUST_PEOPLE: Actor[] = [...STEWARDS, 'trustMember', 'leaseholder'];
const PERSONS: Actor[] = EVERYONE.filter((actor) => actor !== 'trustToken' && actor !== 'anonymous');

const FORBIDDEN_REASONS = [
  'STEWARD_REQUIRED',
  'TRUST_ROLE_REQUIRED',
  'TRUST_NOT_VISIBLE',
  'LEASE_STATEMENT_NOT_VISIBLE',
  'MAY_NOT_PAY',
  'NOT_ACCOUNT_HOLDER',
  'PERSON_REQUIRED',
  'ROLE_REQUIRED',
];

const DOCUMENTS = {
  createOrganization: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
  createUnit: `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`,
  createApiToken: `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
  me: `{ me { person { id } } }`,
} as const;

type Attempt = (token: string | null) => Promise<GraphQLResponse<Record<string, any>>>;

interface Operation {
  readonly title: string;
  readonly allow: readonly Actor[];
  readonly prepare: () => Attempt | Promise<Attempt>;
  readonly check?: (data: Record<string, any>, actor: Actor) => void;
}

interface World {
  readonly tokens: Record<Actor, string | null>;
  readonly trustOrg: string;
  readonly trustId: string;
  readonly lease1: string;
  readonly lease2: string;
  readonly parcel: string;
  readonly leaseholderWallet: string;
  readonly householdWallet: string;
}

describe('land trusts authorization matrix', () => {
  let app: TestApp;
  let world: World;
  let serial = 0;
  const next = (): number => (serial += 1);

  async function as<T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown>) {
    return app.ok<T>(query, variables, { token });
  }
  const admin = (): string => world.tokens.trustAdmin ?? '';

  async function freshParcel(): Promise<string> {
    const id = randomUUID();
    await as(admin(), LAND.addLandParcel, {
      input: { id, trustId: world.trustId, name: `Lot ${next()}`, description: '' },
    });
    return id;
  }
  async function freshLease(): Promise<string> {
    const id = randomUUID();
    await as(admin(), LAND.signGroundLease, {
      input: {
        id,
        parcelId: await freshParcel(),
        leaseholderId: app.steward.personId,
        startsOn: '2025-01-01',
        fee: '1000',
        reserveSharePoints: 1000,
      },
    });
    return id;
  }
  async function freshCharge(): Promise<string> {
    const leaseId = await freshLease();
    await as(admin(), LAND.postDueLeaseCharges, { input: { trustId: world.trustId } });
    const statement = await as<{ leaseStatement: { charges: { charge: { id: string } }[] } }>(
      admin(),
      LAND.leaseStatement,
      {
        leaseId,
      },
    );
    return statement.leaseStatement.charges[0]?.charge.id ?? '';
  }

  const OPERATIONS: Operation[] = [
    {
      title: 'set up a land trust for an organisation of theirs',
      allow: ['trustAdmin'],
      prepare: async () => {
        const organizationId = (
          await as<{ createOrganization: { id: string } }>(admin(), DOCUMENTS.createOrganization, {
            input: { kind: 'COOPERATIVE', name: `Trust ${next()}`, slug: `trust-${randomUUID().slice(0, 8)}` },
          })
        ).createOrganization.id;
        const unitCode = `U${String(next()).padStart(4, '0')}`;
        await as(admin(), DOCUMENTS.createUnit, {
          input: { code: unitCode, name: 'Unit', kind: 'CURRENCY', scale: 2, issuerId: organizationId },
        });
        return (token) =>
          app.graphql(
            LAND.createLandTrust,
            {
              input: {
                id: randomUUID(),
                organizationId,
                name: 'New trust',
                unitCode,
                resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500 },
              },
            },
            { token },
          );
      },
    },
    {
      title: "change the trust's resale formula",
      allow: ['trustAdmin', 'trustTreasurer'],
      prepare: () => (token) =>
        app.graphql(
          LAND.setResaleFormula,
          { input: { trustId: world.trustId, formula: { kind: 'APPRECIATION_SHARE', sharePoints: 2000 + next() } } },
          { token },
        ),
    },
    {
      title: 'add a parcel',
      allow: STEWARDS,
      prepare: () => (token) =>
        app.graphql(
          LAND.addLandParcel,
          { input: { id: randomUUID(), trustId: world.trustId, name: `Lot ${next()}`, description: '' } },
          { token },
        ),
    },
    {
      title: 'sign a lease',
      allow: STEWARDS,
      prepare: async () => {
        const parcelId = await freshParcel();
        return (token) =>
          app.graphql(
            LAND.signGroundLease,
            {
              input: {
                id: randomUUID(),
                parcelId,
                leaseholderId: app.steward.personId,
                startsOn: '2025-01-01',
                fee: '1000',
                reserveSharePoints: 0,
              },
            },
            { token },
          );
      },
    },
    {
      title: "change a lease's fee",
      allow: STEWARDS,
      prepare: async () => {
        const leaseId = await freshLease();
        return (token) =>
          app.graphql(
            LAND.changeGroundLeaseFee,
            { input: { leaseId, effectiveOn: '2026-01-01', fee: '2000', reserveSharePoints: 0 } },
            { token },
          );
      },
    },
    {
      title: 'terminate a lease',
      allow: STEWARDS,
      prepare: async () => {
        const leaseId = await freshLease();
        return (token) =>
          app.graphql(
            LAND.terminateGroundLease,
            { input: { leaseId, lastDay: '2025-06-30', reason: 'Moved' } },
            { token },
          );
      },
    },
    {
      title: 'record a payment received from outside',
      allow: STEWARDS,
      prepare: () => (token) =>
        app.graphql(
          LAND.recordLeasePayment,
          { input: { id: randomUUID(), leaseId: world.lease1, amount: '10' } },
          { token },
        ),
    },
    {
      title: "pay toward lease L1 from its leaseholder's account",
      allow: ['leaseholder'],
      prepare: () => (token) =>
        app.graphql(
          LAND.recordLeasePayment,
          { input: { id: randomUUID(), leaseId: world.lease1, amount: '10', fromAccountId: world.leaseholderWallet } },
          { token },
        ),
    },
    {
      title: "pay toward lease L2 from the household's account",
      allow: ['householdAdmin'],
      prepare: () => (token) =>
        app.graphql(
          LAND.recordLeasePayment,
          { input: { id: randomUUID(), leaseId: world.lease2, amount: '10', fromAccountId: world.householdWallet } },
          { token },
        ),
    },
    {
      title: 'waive a charge',
      allow: STEWARDS,
      prepare: async () => {
        const chargeId = await freshCharge();
        return (token) =>
          app.graphql(LAND.waiveLeaseCharge, { input: { id: randomUUID(), chargeId, reason: 'Hardship' } }, { token });
      },
    },
    {
      title: 'defer a charge',
      allow: STEWARDS,
      prepare: async () => {
        const chargeId = await freshCharge();
        return (token) =>
          app.graphql(
            LAND.deferLeaseCharge,
            { input: { id: randomUUID(), chargeId, deferTo: '2026-01-01', reason: 'Plan' } },
            { token },
          );
      },
    },
    {
      title: 'post the charges due now',
      allow: STEWARDS,
      prepare: async () => {
        await freshLease();
        return (token) => app.graphql(LAND.postDueLeaseCharges, { input: { trustId: world.trustId } }, { token });
      },
    },
    {
      title: 'see the trust',
      allow: TRUST_PEOPLE,
      prepare: () => (token) => app.graphql(LAND.landTrust, { id: world.trustId }, { token }),
    },
    {
      title: "see the organisation's trust",
      allow: TRUST_PEOPLE,
      prepare: () => (token) => app.graphql(LAND.landTrustOf, { organizationId: world.trustOrg }, { token }),
    },
    {
      title: "list the trust's parcels",
      allow: TRUST_PEOPLE,
      prepare: () => (token) => app.graphql(LAND.landParcels, { trustId: world.trustId }, { token }),
    },
    {
      title: "list the trust's leases (stewards all, a leaseholder their own)",
      allow: TRUST_PEOPLE,
      prepare: () => (token) => app.graphql(LAND.groundLeases, { trustId: world.trustId }, { token }),
      check: (data, actor) => {
        const ids = (data['groundLeases'].edges as { node: { id: string } }[]).map((edge) => edge.node.id);
        expect([actor, ids.includes(world.lease1)]).toEqual([
          actor,
          STEWARDS.includes(actor) || actor === 'leaseholder',
        ]);
        expect([actor, ids.includes(world.lease2)]).toEqual([actor, STEWARDS.includes(actor)]);
      },
    },
    {
      title: 'see lease L1',
      allow: [...STEWARDS, 'leaseholder'],
      prepare: () => (token) => app.graphql(LAND.groundLease, { id: world.lease1 }, { token }),
    },
    {
      title: 'see the statement of lease L1',
      allow: [...STEWARDS, 'leaseholder'],
      prepare: () => (token) => app.graphql(LAND.leaseStatement, { leaseId: world.lease1 }, { token }),
    },
    {
      title: "see the statement of the household's lease L2",
      allow: [...STEWARDS, 'householdAdmin', 'householdMember'],
      prepare: () => (token) => app.graphql(LAND.leaseStatement, { leaseId: world.lease2 }, { token }),
    },
    {
      title: 'see the arrears report',
      allow: STEWARDS,
      prepare: () => (token) => app.graphql(LAND.arrearsReport, { trustId: world.trustId }, { token }),
    },
    {
      title: 'see the resale price of a home',
      allow: TRUST_PEOPLE,
      prepare: () => (token) =>
        app.graphql(
          LAND.resalePrice,
          { parcelId: world.parcel, appraisedValue: '30000000', saleYear: 2025 },
          { token },
        ),
    },
    {
      title: 'list the leases they hold',
      allow: [...PERSONS, 'trustToken'],
      prepare: () => (token) => app.graphql(LAND.myGroundLeases, {}, { token }),
      check: (data, actor) => {
        const ids = (data['myGroundLeases'] as { id: string }[]).map((lease) => lease.id);
        const expected =
          actor === 'leaseholder'
            ? [world.lease1]
            : actor === 'householdAdmin' || actor === 'householdMember'
              ? [world.lease2]
              : [];
        expect([actor, ids]).toEqual([actor, expected]);
      },
    },
  ];

  const ROWS = OPERATIONS.flatMap((operation) =>
    EVERYONE.map((actor) => {
      const allowed = operation.allow.includes(actor);
      return [
        `${ACTORS[actor]} ${allowed ? 'may' : 'may not'} ${operation.title}`,
        { actor, operation, allowed },
      ] as const;
    }),
  );

  beforeAll(async () => {
    app = await TestApp.start();
    setClock(app, '2025-03-10');
    const adminToken = await app.register('clt-admin@clt.test');
    const trustOrg = (
      await as<{ createOrganization: { id: string } }>(adminToken, DOCUMENTS.createOrganization, {
        input: { kind: 'COOPERATIVE', name: 'Hillside CLT', slug: 'hillside-clt' },
      })
    ).createOrganization.id;
    const treasurer = await join(app, adminToken, trustOrg, 'clt-treasurer@clt.test', ['TREASURER']);
    const coordinator = await join(app, adminToken, trustOrg, 'clt-coordinator@clt.test', ['COORDINATOR']);
    const member = await join(app, adminToken, trustOrg, 'clt-member@clt.test');
    const leaseholder = await join(app, adminToken, trustOrg, 'clt-leaseholder@clt.test');
    const householdAdminToken = await app.register('household-admin@home.test');
    const household = (
      await as<{ createOrganization: { id: string } }>(householdAdminToken, DOCUMENTS.createOrganization, {
        input: { kind: 'COOPERATIVE', name: 'The Okafor household', slug: 'okafor-household' },
      })
    ).createOrganization.id;
    const householdMember = await join(app, householdAdminToken, household, 'household-member@home.test');
    const outsider = await app.register('outsider@elsewhere.test');
    const trustToken = (
      await as<{ createApiToken: { token: string } }>(adminToken, DOCUMENTS.createApiToken, {
        input: { organizationId: trustOrg, name: 'Books', scopes: ['LEDGER_READ', 'LEDGER_WRITE'] },
      })
    ).createApiToken.token;
    await as(adminToken, DOCUMENTS.createUnit, {
      input: { code: 'HCLT', name: 'Hillside dollars', kind: 'CURRENCY', scale: 2, issuerId: trustOrg },
    });
    const trustId = randomUUID();
    await as(adminToken, LAND.createLandTrust, {
      input: {
        id: trustId,
        organizationId: trustOrg,
        name: 'Hillside CLT',
        unitCode: 'HCLT',
        resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500 },
      },
    });
    const parcel = randomUUID();
    await as(adminToken, LAND.addLandParcel, {
      input: {
        id: parcel,
        trustId,
        name: 'Home 1',
        description: '',
        purchasePrice: '20000000',
        purchasedOn: '2015-06-01',
      },
    });
    const parcel2 = randomUUID();
    await as(adminToken, LAND.addLandParcel, { input: { id: parcel2, trustId, name: 'Home 2', description: '' } });
    const lease1 = randomUUID();
    await as(adminToken, LAND.signGroundLease, {
      input: {
        id: lease1,
        parcelId: parcel,
        leaseholderId: leaseholder.personId,
        startsOn: '2025-01-01',
        fee: '50000',
        reserveSharePoints: 2500,
      },
    });
    const lease2 = randomUUID();
    await as(adminToken, LAND.signGroundLease, {
      input: {
        id: lease2,
        parcelId: parcel2,
        leaseholderId: household,
        startsOn: '2025-01-01',
        fee: '50000',
        reserveSharePoints: 2500,
      },
    });
    await as(adminToken, LAND.postDueLeaseCharges, { input: { trustId } });
    const wallet = (holderId: string) =>
      app.ok<{ openAccount: { id: string } }>(
        `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`,
        {
          input: {
            unitCode: 'HCLT',
            holderId,
            name: 'Wallet',
            kind: 'MEMBER',
            creditLimit: '1000000',
            upperLimit: null,
          },
        },
        { token: treasurer.token },
      );
    const leaseholderWallet = (await wallet(leaseholder.personId)).openAccount.id;
    const householdWallet = (await wallet(household)).openAccount.id;
    world = {
      tokens: {
        trustAdmin: adminToken,
        trustTreasurer: treasurer.token,
        trustCoordinator: coordinator.token,
        trustMember: member.token,
        leaseholder: leaseholder.token,
        householdAdmin: householdAdminToken,
        householdMember: householdMember.token,
        outsider,
        trustToken,
        anonymous: null,
      },
      trustOrg,
      trustId,
      lease1,
      lease2,
      parcel,
      leaseholderWallet,
      householdWallet,
    };
  });

  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it('sets the world up as the table assumes', () => {
    expect(ROWS.length).toBe(OPERATIONS.length * EVERYONE.length);
    expect(Object.values(world.tokens).filter((token) => token !== null)).toHaveLength(EVERYONE.length - 1);
  });

  it.each(ROWS)('%s', async (_name, { actor, operation, allowed }) => {
    const attempt = await operation.prepare();
    const before = await app.snapshot();
    const response = await attempt(world.tokens[actor]);
    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data).not.toBeNull();
      operation.check?.(response.data ?? {}, actor);
      return;
    }
    if (actor === 'anonymous') {
      expect(response.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    } else {
      expect(response.errors).toHaveLength(1);
      const extensions = response.errors?.[0]?.extensions;
      expect({
        code: extensions?.code,
        reason: FORBIDDEN_REASONS.includes(String(extensions?.details.reason)) ? 'known' : extensions?.details.reason,
      }).toEqual({ code: 'FORBIDDEN', reason: 'known' });
    }
    expect(Object.values(response.data ?? {}).every((value) => value === null)).toBe(true);
    expect(await app.snapshot()).toEqual(before);
  });
});
