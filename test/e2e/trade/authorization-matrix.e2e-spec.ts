/**
 * Goal: who may do what in trade, as one table. Co-ops A (the issuer) and B (the payer) belong to the
 * federation F (the steward's); people hold roles in A, in B and in F, one holds none; A has an API token.
 * Every trade operation (each mutation, and each query of invoices, statements, automatic payments, clearing
 * settings and rounds) is tried by every one of them and by an unauthenticated caller, and each attempt is
 * either allowed or refused — FORBIDDEN for the signed-in (UNAUTHENTICATED for the anonymous) — as
 * src/trade/rules/trade-access.ts says. A refused attempt changes nothing (app.snapshot(): every table).
 * Method: the real service over HTTP on its own PostgreSQL database. Each case prepares what it acts on
 * afresh where acting would change it (a new invoice, new obligations and a new round), so that the cases
 * are independent of each other and of their order; a shared invoice and a shared round serve the reads.
 * Whatever is not named as allowed in a row is expected to be refused.
 */
import { randomUUID } from 'node:crypto';
import { createUnit, openAccount } from '../ledger/ledger-fixtures.js';
import { TestApp, type GraphQLResponse } from '../setup/test-app.js';
import { join } from '../governance/governance-fixtures.js';
import { TRADE } from './trade-fixtures.js';

const ACTORS = {
  issuerAdmin: 'ADMIN of the issuing co-op',
  issuerTreasurer: 'TREASURER of the issuing co-op',
  issuerMember: 'MEMBER of the issuing co-op',
  payerTreasurer: 'TREASURER of the paying co-op',
  payerMember: 'MEMBER of the paying co-op',
  fedAdmin: 'ADMIN (and TREASURER) of the federation',
  fedMember: 'MEMBER of the federation',
  outsider: 'a person with no membership',
  issuerToken: "the issuing co-op's API token",
  anonymous: 'an unauthenticated caller',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
const ISSUER_PEOPLE: Actor[] = ['issuerAdmin', 'issuerTreasurer', 'issuerMember'];
const PAYER_PEOPLE: Actor[] = ['payerTreasurer', 'payerMember'];

/** The FORBIDDEN reasons a refusal in this table may carry. */
const FORBIDDEN_REASONS = [
  'MAY_NOT_INVOICE',
  'MAY_NOT_PAY_INVOICE',
  'INVOICE_NOT_VISIBLE',
  'MAY_NOT_SEE_STATEMENT',
  'MAY_NOT_CLEAR',
  'MAY_NOT_CONSENT',
  'ROUND_NOT_VISIBLE',
];

type Attempt = (token: string | null) => Promise<GraphQLResponse<Record<string, any>>>;

interface Operation {
  readonly title: string;
  readonly allow: readonly Actor[];
  readonly prepare: () => Attempt | Promise<Attempt>;
}

interface World {
  readonly tokens: Record<Actor, string | null>;
  readonly federationId: string;
  readonly issuerId: string;
  readonly payerId: string;
  readonly issuerAccount: string;
  readonly payerAccount: string;
  readonly sharedInvoice: string;
  readonly sharedRound: string;
}

describe('trade authorization matrix', () => {
  let app: TestApp;
  let world: World;

  async function as<T = Record<string, any>>(token: string | null, query: string, variables: Record<string, unknown>) {
    return app.ok<T>(query, variables, { token });
  }
  const tokenOf = (actor: Actor): string => world.tokens[actor] ?? '';

  /** A new invoice from A to B, issued by A's treasurer; accepted by B's treasurer if asked. */
  async function freshInvoice(options: { accepted?: boolean; from?: 'A' | 'B'; amount?: string } = {}) {
    const fromA = (options.from ?? 'A') === 'A';
    const id = randomUUID();
    await as(tokenOf(fromA ? 'issuerTreasurer' : 'payerTreasurer'), TRADE.issueInvoice, {
      input: {
        id,
        issuerId: fromA ? world.issuerId : world.payerId,
        payerId: fromA ? world.payerId : world.issuerId,
        unitCode: 'CWC',
        creditAccountId: fromA ? world.issuerAccount : world.payerAccount,
        lines: [{ description: 'Bread', quantity: '1', unitPrice: options.amount ?? '100' }],
        dueOn: '2099-01-01',
      },
    });
    if (options.accepted ?? false) {
      await as(tokenOf(fromA ? 'payerTreasurer' : 'issuerTreasurer'), TRADE.acceptInvoice, {
        input: { invoiceId: id },
      });
    }
    return id;
  }
  /** New obligations both ways between A and B, and a round over them previewed by the steward. */
  async function freshRound(): Promise<string> {
    await freshInvoice({ accepted: true, amount: '10' });
    await freshInvoice({ accepted: true, amount: '10', from: 'B' });
    const id = randomUUID();
    await as(app.steward.token, TRADE.previewClearingRound, {
      input: { id, federationId: world.federationId, unitCode: 'CWC' },
    });
    return id;
  }

  const OPERATIONS: Operation[] = [
    {
      title: 'issue an invoice of the issuing co-op',
      allow: ['issuerAdmin', 'issuerTreasurer'],
      prepare: () => (token) =>
        app.graphql(
          TRADE.issueInvoice,
          {
            input: {
              id: randomUUID(),
              issuerId: world.issuerId,
              payerId: world.payerId,
              unitCode: 'CWC',
              creditAccountId: world.issuerAccount,
              lines: [{ description: 'Bread', quantity: '1', unitPrice: '5' }],
              dueOn: '2099-01-01',
            },
          },
          { token },
        ),
    },
    {
      title: 'accept an invoice to the paying co-op',
      allow: ['payerTreasurer'],
      prepare: async () => {
        const invoiceId = await freshInvoice();
        return (token) => app.graphql(TRADE.acceptInvoice, { input: { invoiceId } }, { token });
      },
    },
    {
      title: 'reject an invoice to the paying co-op',
      allow: ['payerTreasurer'],
      prepare: async () => {
        const invoiceId = await freshInvoice();
        return (token) => app.graphql(TRADE.rejectInvoice, { input: { invoiceId, reason: 'Not ours' } }, { token });
      },
    },
    {
      title: 'cancel an invoice of the issuing co-op',
      allow: ['issuerAdmin', 'issuerTreasurer'],
      prepare: async () => {
        const invoiceId = await freshInvoice();
        return (token) => app.graphql(TRADE.cancelInvoice, { input: { invoiceId } }, { token });
      },
    },
    {
      title: 'pay an invoice to the paying co-op',
      allow: ['payerTreasurer'],
      prepare: async () => {
        const invoiceId = await freshInvoice();
        return (token) =>
          app.graphql(
            TRADE.payInvoice,
            { input: { invoiceId, paymentId: randomUUID(), fromAccountId: world.payerAccount, amount: '1' } },
            { token },
          );
      },
    },
    {
      title: "set the paying co-op's automatic payment",
      allow: ['payerTreasurer'],
      prepare: () => (token) =>
        app.graphql(
          TRADE.setAutomaticPayment,
          {
            input: {
              payerId: world.payerId,
              issuerId: world.issuerId,
              unitCode: 'CWC',
              fromAccountId: world.payerAccount,
              maxAmount: String(Math.floor(Math.random() * 1000) + 1),
            },
          },
          { token },
        ),
    },
    {
      title: 'read an invoice between the co-ops',
      allow: [...ISSUER_PEOPLE, ...PAYER_PEOPLE],
      prepare: () => (token) => app.graphql(TRADE.invoice, { id: world.sharedInvoice }, { token }),
    },
    {
      title: "list the issuing co-op's invoices",
      allow: ISSUER_PEOPLE,
      prepare: () => (token) => app.graphql(TRADE.invoices, { organizationId: world.issuerId }, { token }),
    },
    {
      title: "read the issuing co-op's statement",
      allow: ISSUER_PEOPLE,
      prepare: () => (token) =>
        app.graphql(
          TRADE.statement,
          {
            organizationId: world.issuerId,
            unitCode: 'CWC',
            from: '2025-01-01T00:00:00.000Z',
            to: '2029-01-01T00:00:00.000Z',
          },
          { token },
        ),
    },
    {
      title: "list the paying co-op's automatic payments",
      allow: PAYER_PEOPLE,
      prepare: () => (token) => app.graphql(TRADE.automaticPayments, { organizationId: world.payerId }, { token }),
    },
    {
      title: "set the federation's clearing settings",
      allow: ['fedAdmin'],
      prepare: () => (token) =>
        app.graphql(
          TRADE.setClearingSettings,
          { input: { federationId: world.federationId, consentByMembership: false, consentHours: 48 } },
          { token },
        ),
    },
    {
      title: "read the federation's clearing settings",
      allow: ['fedAdmin'],
      prepare: () => (token) => app.graphql(TRADE.clearingSettings, { federationId: world.federationId }, { token }),
    },
    {
      title: 'preview a clearing round of the federation',
      allow: ['fedAdmin'],
      prepare: () => (token) =>
        app.graphql(
          TRADE.previewClearingRound,
          { input: { id: randomUUID(), federationId: world.federationId, unitCode: 'CWC' } },
          { token },
        ),
    },
    {
      title: 'consent to a clearing round for the paying co-op',
      allow: ['payerTreasurer'],
      prepare: async () => {
        const roundId = await freshRound();
        return (token) =>
          app.graphql(
            TRADE.decideClearingConsent,
            { input: { roundId, organizationId: world.payerId, consent: true } },
            { token },
          );
      },
    },
    {
      title: 'execute a clearing round of the federation',
      allow: ['fedAdmin'],
      prepare: async () => {
        const roundId = await freshRound();
        await as(tokenOf('issuerTreasurer'), TRADE.decideClearingConsent, {
          input: { roundId, organizationId: world.issuerId, consent: true },
        });
        await as(tokenOf('payerTreasurer'), TRADE.decideClearingConsent, {
          input: { roundId, organizationId: world.payerId, consent: true },
        });
        return (token) => app.graphql(TRADE.executeClearingRound, { input: { roundId } }, { token });
      },
    },
    {
      title: 'read a clearing round the co-ops take part in',
      allow: ['fedAdmin', ...ISSUER_PEOPLE, ...PAYER_PEOPLE],
      prepare: () => (token) => app.graphql(TRADE.clearingRound, { id: world.sharedRound }, { token }),
    },
    {
      title: "list the federation's clearing rounds",
      allow: ['fedAdmin'],
      prepare: () => (token) => app.graphql(TRADE.clearingRounds, { federationId: world.federationId }, { token }),
    },
  ];

  const ROWS = OPERATIONS.flatMap((operation) =>
    EVERYONE.map((actor) => {
      const allowed = operation.allow.includes(actor);
      const name = `${ACTORS[actor]} ${allowed ? 'may' : 'may not'} ${operation.title}`;
      return [name, { actor, operation, allowed }] as const;
    }),
  );

  beforeAll(async () => {
    app = await TestApp.start();
    const steward = app.steward;
    const federationId = steward.organizationId;
    await createUnit(app, 'CWC');
    const fedMember = await join(app, steward.token, federationId, 'fed-member@federation.test');
    const coop = async (slug: string) => {
      const adminToken = await app.register(`${slug}-admin@coop.test`);
      const { createOrganization } = await as<{ createOrganization: { id: string } }>(
        adminToken,
        `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
        { input: { kind: 'COOPERATIVE', name: `Co-op ${slug}`, slug } },
      );
      const id = createOrganization.id;
      const { requestFederationMembership } = await as<{ requestFederationMembership: { id: string } }>(
        adminToken,
        `mutation($input: RequestFederationMembershipInput!) { requestFederationMembership(input: $input) { id } }`,
        { input: { federationId, organizationId: id } },
      );
      await as(
        steward.token,
        `mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { id } }`,
        {
          input: { federationMembershipId: requestFederationMembership.id },
        },
      );
      const treasurer = await join(app, adminToken, id, `${slug}-treasurer@coop.test`, ['TREASURER']);
      const member = await join(app, adminToken, id, `${slug}-member@coop.test`);
      return { id, adminToken, treasurer, member };
    };
    const issuer = await coop('issuer');
    const payer = await coop('payer');
    const issuerToken = (
      await as<{ createApiToken: { token: string } }>(
        issuer.adminToken,
        `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
        { input: { organizationId: issuer.id, name: 'Till', scopes: ['LEDGER_READ', 'LEDGER_WRITE'] } },
      )
    ).createApiToken.token;
    const outsider = await app.register('outsider@elsewhere.test');
    world = {
      tokens: {
        issuerAdmin: issuer.adminToken,
        issuerTreasurer: issuer.treasurer.token,
        issuerMember: issuer.member.token,
        payerTreasurer: payer.treasurer.token,
        payerMember: payer.member.token,
        fedAdmin: steward.token,
        fedMember: fedMember.token,
        outsider,
        issuerToken,
        anonymous: null,
      },
      federationId,
      issuerId: issuer.id,
      payerId: payer.id,
      issuerAccount: await openAccount(app, { holderId: issuer.id, creditLimit: '1000000' }),
      payerAccount: await openAccount(app, { holderId: payer.id, creditLimit: '1000000' }),
      sharedInvoice: '',
      sharedRound: '',
    };
    world = { ...world, sharedInvoice: await freshInvoice(), sharedRound: await freshRound() };
  });

  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it('covers every operation for every actor', () => {
    expect(ROWS.length).toBe(OPERATIONS.length * EVERYONE.length);
  });

  it.each(ROWS)('%s', async (_name, { actor, operation, allowed }) => {
    const attempt = await operation.prepare();
    const before = await app.snapshot();
    const response = await attempt(world.tokens[actor]);
    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data).not.toBeNull();
      return;
    }
    if (actor === 'anonymous') {
      expect(response.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    } else {
      expect(response.errors).toHaveLength(1);
      const extensions = response.errors?.[0]?.extensions;
      expect({
        code: extensions?.code,
        reasonKnown: FORBIDDEN_REASONS.includes(String(extensions?.details.reason)),
      }).toEqual({ code: 'FORBIDDEN', reasonKnown: true });
    }
    expect(Object.values(response.data ?? {}).every((value) => value === null)).toBe(true);
    expect(await app.snapshot()).toEqual(before);
  });
});
