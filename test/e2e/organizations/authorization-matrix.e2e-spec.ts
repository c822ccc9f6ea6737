/**
 * Goal: who may do what, as one table. A federation F issues the unit CWC; a co-op C belongs to F; people
 * hold every role in C and in F, and some hold none. Every operation that moves value, changes an account's
 * terms, manages an organisation or reads the books is tried by every one of them, and each attempt is
 * either allowed or refused with FORBIDDEN, as src/organizations/rules/access-rules.ts (and the ADMIN-only
 * organisation operations) say. A refused attempt changes nothing: not the ledger (app.snapshot()) and not
 * the organisations (memberships, invitations, API tokens, federation ties, settings, the audit log).
 * Method: the real service over HTTP on its own PostgreSQL database. Each case prepares what it acts on
 * afresh (a new hold, a new account, a new member, new ids), so that the cases are independent of each
 * other and of their order; whatever is not named as allowed in a row is expected to be refused.
 */
import { randomUUID } from 'node:crypto';
import { EMAIL_SENDER, type OutboxEmailSender } from '../../../src/kernel/email-sender.js';
import { TEST_PASSWORD, TestApp, type GraphQLResponse } from '../setup/test-app.js';
import { createUnit, openAccount, transfer } from '../ledger/ledger-fixtures.js';

const ACTORS = {
  coopAdmin: 'ADMIN of the co-op',
  coopTreasurer: 'TREASURER of the co-op',
  coopCoordinator: 'COORDINATOR of the co-op',
  coopMember: 'MEMBER of the co-op',
  fedSteward: 'TREASURER (and ADMIN) of the federation',
  fedAdmin: 'ADMIN of the federation',
  fedCoordinator: 'COORDINATOR of the federation',
  fedMember: 'MEMBER of the federation',
  coopWriteToken: "the co-op's API token with LEDGER_WRITE",
  coopReadToken: "the co-op's API token with LEDGER_READ",
  person: 'a person with their own account',
  outsider: 'an outsider',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
const COOP_MEMBERS: Actor[] = ['coopAdmin', 'coopTreasurer', 'coopCoordinator', 'coopMember'];
const FEDERATION_MEMBERS: Actor[] = ['fedSteward', 'fedAdmin', 'fedCoordinator', 'fedMember'];
const COOP_TOKENS: Actor[] = ['coopWriteToken', 'coopReadToken'];
/** Who may move value out of the co-op's accounts: its money roles and its LEDGER_WRITE token. */
const COOP_PAYERS: Actor[] = ['coopAdmin', 'coopTreasurer', 'coopWriteToken'];

const DOCUMENTS = {
  createOrganization: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
  requestFederationMembership: `mutation($input: RequestFederationMembershipInput!) {
    requestFederationMembership(input: $input) { id status } }`,
  admitFederationMember: `mutation($input: FederationMembershipIdInput!) {
    admitFederationMember(input: $input) { id status } }`,
  inviteMember: `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id email roles } }`,
  acceptInvitation: `mutation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { auth { accessToken person { id } } membership { id roles } } }`,
  setMemberRoles: `mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id roles } }`,
  endMembership: `mutation($input: MembershipIdInput!) { endMembership(input: $input) { id status } }`,
  updateOrganization: `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id description } }`,
  createApiToken: `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }`,
  auditLog: `query($organizationId: ID!) { auditLog(organizationId: $organizationId) { edges { node { id action } } } }`,
  createUnit: `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code issuerId } }`,
  openAccount: `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id holderId creditLimit } }`,
  setAccountLimits: `mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id creditLimit } }`,
  freezeAccount: `mutation($input: ChangeAccountStatusInput!) { freezeAccount(input: $input) { id status } }`,
  unfreezeAccount: `mutation($input: ChangeAccountStatusInput!) { unfreezeAccount(input: $input) { id status } }`,
  closeAccount: `mutation($input: ChangeAccountStatusInput!) { closeAccount(input: $input) { id status } }`,
  postTransaction: `mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`,
  postTransactions: `mutation($input: PostTransactionsInput!) {
    postTransactions(input: $input) { id error { code reason } transaction { id } } }`,
  placeHold: `mutation($input: PlaceHoldInput!) { placeHold(input: $input) { transaction { id status } } }`,
  postHold: `mutation($input: PostHoldInput!) { postHold(input: $input) { transaction { id operation } } }`,
  voidHold: `mutation($input: VoidHoldInput!) { voidHold(input: $input) { transaction { id operation } } }`,
  reverseTransaction: `mutation($input: ReverseTransactionInput!) {
    reverseTransaction(input: $input) { transaction { id operation } } }`,
  account: `query($id: ID!) { account(id: $id) { id balance } }`,
  accountHistory: `query($accountId: ID!) { accountHistory(accountId: $accountId) { edges { node { sequence } } } }`,
  trialBalance: `query { trialBalance(unitCodes: ["CWC"]) { unitCode balanced } }`,
} as const;

/** Sends the attempt as the actor whose token it is given. */
type Attempt = (token: string) => Promise<GraphQLResponse>;

interface Operation {
  /** Reads after "may" / "may not" in the test name. */
  readonly title: string;
  /** Whoever is not here must be refused with FORBIDDEN. */
  readonly allow: readonly Actor[];
  /** Makes what this one attempt acts on (fresh each time) and returns the attempt. */
  readonly prepare: () => Attempt | Promise<Attempt>;
  /** For an allowed attempt: checks beyond "no errors". */
  readonly check?: (data: Record<string, any>) => void;
  /** A bulk operation answers per item: a refused attempt has every item FORBIDDEN, under this field. */
  readonly perItem?: 'postTransactions';
}

interface World {
  readonly tokens: Record<Actor, string>;
  readonly federationId: string;
  readonly coopId: string;
  /** Creates organisations that ask to join the federation. */
  readonly applicantToken: string;
  /** C's account in CWC, with a credit line of 100000. */
  readonly coopAccount: string;
  /** The person's own CWC account. */
  readonly personAccount: string;
  /** The CWC account of another organisation (a tenants' union none of the actors belongs to). */
  readonly otherAccount: string;
}

describe('authorization matrix', () => {
  let app: TestApp;
  let world: World;
  let serial = 0;
  const next = (): number => (serial += 1);

  async function as<T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown>) {
    return app.ok<T>(query, variables, { token });
  }

  function outbox(): OutboxEmailSender {
    return app.app.get<symbol, OutboxEmailSender>(EMAIL_SENDER);
  }

  /** Invites a new address into an organisation and accepts as a new person: their token and membership. */
  async function join(
    adminToken: string,
    organizationId: string,
    email: string,
    roles: string[],
  ): Promise<{ token: string; personId: string; membershipId: string }> {
    await as(adminToken, DOCUMENTS.inviteMember, { input: { organizationId, email, roles } });
    const message = outbox().sent.findLast((sent) => sent.to === email);
    const invitationToken = /\(invitation token: ([A-Za-z0-9_-]+)\)/.exec(message?.text ?? '')?.[1];
    if (invitationToken === undefined) throw new Error(`no invitation reached ${email}`);
    const accepted = await app.ok<{
      acceptInvitation: { auth: { accessToken: string; person: { id: string } }; membership: { id: string } };
    }>(
      DOCUMENTS.acceptInvitation,
      { input: { token: invitationToken, name: email.split('@')[0], password: TEST_PASSWORD } },
      { token: null },
    );
    return {
      token: accepted.acceptInvitation.auth.accessToken,
      personId: accepted.acceptInvitation.auth.person.id,
      membershipId: accepted.acceptInvitation.membership.id,
    };
  }

  async function createOrganization(token: string, kind: string, slug: string): Promise<string> {
    const created = await as<{ createOrganization: { id: string } }>(token, DOCUMENTS.createOrganization, {
      input: { kind, name: `Organisation ${slug}`, slug },
    });
    return created.createOrganization.id;
  }

  async function requestToJoin(adminToken: string, organizationId: string, federationId: string): Promise<string> {
    const requested = await as<{ requestFederationMembership: { id: string } }>(
      adminToken,
      DOCUMENTS.requestFederationMembership,
      { input: { organizationId, federationId } },
    );
    return requested.requestFederationMembership.id;
  }

  /** A new account of the co-op with a credit line, opened by the federation's treasurer. */
  async function freshCoopAccount(): Promise<string> {
    return openAccount(app, { holderId: world.coopId, creditLimit: '100000' });
  }

  async function holdOnCoop(): Promise<string> {
    const hold = transfer(world.coopAccount, world.personAccount, '1');
    await as(world.tokens.coopTreasurer, DOCUMENTS.placeHold, { input: hold });
    return hold.id;
  }

  /** Everything the organisations module keeps, to prove a refused request changed none of it. */
  async function organizationState(): Promise<string> {
    const rows: unknown[] = await app.dataSource.query(`
      SELECT json_build_object(
        'auditEvents', (SELECT count(*) FROM audit_event),
        'organizations', (SELECT coalesce(json_agg(o ORDER BY o.id), '[]') FROM organization o),
        'memberships', (SELECT coalesce(json_agg(m ORDER BY m.id), '[]') FROM membership m),
        'roles', (SELECT coalesce(json_agg(r ORDER BY r.membership_id, r.role), '[]') FROM membership_role r),
        'federations', (SELECT coalesce(json_agg(f ORDER BY f.id), '[]') FROM federation_membership f),
        'invitations', (SELECT count(*) FROM invitation),
        'apiTokens', (SELECT count(*) FROM api_token)) AS state`);
    return JSON.stringify(rows);
  }

  const OPERATIONS: Operation[] = [
    // Moving value: whoever may debit the accounts debited.
    {
      title: 'post a transaction debiting the co-op',
      allow: COOP_PAYERS,
      prepare: () => (token) =>
        app.graphql(
          DOCUMENTS.postTransaction,
          { input: transfer(world.coopAccount, world.otherAccount, '1') },
          { token },
        ),
    },
    {
      title: 'place a hold debiting the co-op',
      allow: COOP_PAYERS,
      prepare: () => (token) =>
        app.graphql(DOCUMENTS.placeHold, { input: transfer(world.coopAccount, world.otherAccount, '1') }, { token }),
    },
    {
      title: 'post a hold the co-op placed for the person',
      allow: COOP_PAYERS,
      prepare: async () => {
        const holdId = await holdOnCoop();
        return (token) => app.graphql(DOCUMENTS.postHold, { input: { id: randomUUID(), holdId } }, { token });
      },
      check: (data) => expect(data.postHold.transaction.operation).toBe('POST_HOLD'),
    },
    {
      // Its payers (the co-op's money roles) or its payee declining it (the person).
      title: 'void a hold the co-op placed for the person',
      allow: [...COOP_PAYERS, 'person'],
      prepare: async () => {
        const holdId = await holdOnCoop();
        return (token) => app.graphql(DOCUMENTS.voidHold, { input: { id: randomUUID(), holdId } }, { token });
      },
      check: (data) => expect(data.voidHold.transaction.operation).toBe('VOID_HOLD'),
    },
    {
      // The reversal debits the payee (the person); the issuer's stewards correct mistakes.
      title: 'reverse a transfer from the co-op to the person',
      allow: ['person', 'fedSteward', 'fedAdmin', 'fedCoordinator'],
      prepare: async () => {
        const original = transfer(world.coopAccount, world.personAccount, '1');
        await as(world.tokens.coopTreasurer, DOCUMENTS.postTransaction, { input: original });
        return (token) =>
          app.graphql(
            DOCUMENTS.reverseTransaction,
            { input: { id: randomUUID(), transactionId: original.id } },
            { token },
          );
      },
      check: (data) => expect(data.reverseTransaction.transaction.operation).toBe('REVERSAL'),
    },
    {
      title: 'post a batch of transfers that all debit the co-op',
      allow: COOP_PAYERS,
      prepare: () => (token) =>
        app.graphql(
          DOCUMENTS.postTransactions,
          {
            input: {
              transactions: [
                transfer(world.coopAccount, world.otherAccount, '1'),
                transfer(world.coopAccount, world.personAccount, '1'),
              ],
            },
          },
          { token },
        ),
      check: (data) =>
        expect(data.postTransactions.map((item: { error: unknown }) => item.error)).toEqual([null, null]),
      perItem: 'postTransactions',
    },
    {
      // Two items the co-op's payers may make, and one that debits another organisation: that one alone is
      // refused (a result per item), and its neighbours are applied.
      title: 'post a batch in which one transfer debits another organisation, with that item refused alone',
      allow: COOP_PAYERS,
      perItem: 'postTransactions',
      check: (data) =>
        expect(
          data.postTransactions.map((item: { error: { code: string } | null }) => item.error?.code ?? null),
        ).toEqual([null, null, 'FORBIDDEN']),
      prepare: () => (token) =>
        app.graphql(
          DOCUMENTS.postTransactions,
          {
            input: {
              transactions: [
                transfer(world.coopAccount, world.otherAccount, '1'),
                transfer(world.coopAccount, world.personAccount, '1'),
                transfer(world.otherAccount, world.coopAccount, '1'),
              ],
            },
          },
          { token },
        ),
    },
    // An account's terms: the unit's issuer.
    {
      title: "set the limits of the co-op's account",
      allow: ['fedSteward'],
      prepare: async () => {
        const accountId = await freshCoopAccount();
        return (token) =>
          app.graphql(DOCUMENTS.setAccountLimits, { input: { accountId, creditLimit: '200000' } }, { token });
      },
      check: (data) => expect(data.setAccountLimits.creditLimit).toBe('200000'),
    },
    {
      title: "freeze the co-op's account",
      allow: ['fedSteward', 'fedAdmin'],
      prepare: async () => {
        const accountId = await freshCoopAccount();
        return (token) => app.graphql(DOCUMENTS.freezeAccount, { input: { accountId } }, { token });
      },
      check: (data) => expect(data.freezeAccount.status).toBe('FROZEN'),
    },
    {
      title: "unfreeze the co-op's account",
      allow: ['fedSteward', 'fedAdmin'],
      prepare: async () => {
        const accountId = await freshCoopAccount();
        await as(app.steward.token, DOCUMENTS.freezeAccount, { input: { accountId } });
        return (token) => app.graphql(DOCUMENTS.unfreezeAccount, { input: { accountId } }, { token });
      },
      check: (data) => expect(data.unfreezeAccount.status).toBe('ACTIVE'),
    },
    {
      // "Close: those [the issuer's TREASURER or ADMIN], or whoever may debit it", except API tokens, which
      // "change no status" (access-rules.ts): the co-op's LEDGER_WRITE token may debit it but not close it.
      title: "close the co-op's account",
      allow: ['fedSteward', 'fedAdmin', 'coopAdmin', 'coopTreasurer'],
      prepare: async () => {
        const accountId = await freshCoopAccount();
        return (token) => app.graphql(DOCUMENTS.closeAccount, { input: { accountId } }, { token });
      },
      check: (data) => expect(data.closeAccount.status).toBe('CLOSED'),
    },
    {
      // The co-op's money roles for the co-op; the issuer's treasurer for anyone; API tokens open no accounts.
      title: 'open an account for the co-op without a credit line',
      allow: ['coopAdmin', 'coopTreasurer', 'fedSteward'],
      prepare: () => (token) =>
        app.graphql(
          DOCUMENTS.openAccount,
          {
            input: {
              id: randomUUID(),
              unitCode: 'CWC',
              holderId: world.coopId,
              name: 'Till',
              kind: 'MEMBER',
              creditLimit: '0',
            },
          },
          { token },
        ),
    },
    {
      title: 'open an account for the co-op with a credit line',
      allow: ['fedSteward'],
      prepare: () => (token) =>
        app.graphql(
          DOCUMENTS.openAccount,
          {
            input: {
              id: randomUUID(),
              unitCode: 'CWC',
              holderId: world.coopId,
              name: 'Credit',
              kind: 'MEMBER',
              creditLimit: '5000',
            },
          },
          { token },
        ),
      check: (data) => expect(data.openAccount.creditLimit).toBe('5000'),
    },
    // Units: a TREASURER or ADMIN of the issuer.
    {
      title: 'create a unit issued by the co-op',
      allow: ['coopAdmin', 'coopTreasurer'],
      prepare: () => {
        const code = `COOP${next()}`;
        return (token) =>
          app.graphql(
            DOCUMENTS.createUnit,
            { input: { code, name: `${code} credit`, kind: 'CREDIT', scale: 2, issuerId: world.coopId } },
            { token },
          );
      },
    },
    {
      title: 'create a unit issued by the federation',
      allow: ['fedSteward', 'fedAdmin'],
      prepare: () => {
        const code = `FED${next()}`;
        return (token) =>
          app.graphql(
            DOCUMENTS.createUnit,
            { input: { code, name: `${code} credit`, kind: 'CREDIT', scale: 2, issuerId: world.federationId } },
            { token },
          );
      },
    },
    // Managing the co-op: its ADMIN.
    {
      title: 'invite a member to the co-op',
      allow: ['coopAdmin'],
      prepare: () => {
        const email = `invitee-${next()}@coop.test`;
        return (token) =>
          app.graphql(
            DOCUMENTS.inviteMember,
            { input: { organizationId: world.coopId, email, roles: ['MEMBER'] } },
            { token },
          );
      },
    },
    {
      title: 'set the roles of another member of the co-op',
      allow: ['coopAdmin'],
      prepare: async () => {
        const target = await join(world.tokens.coopAdmin, world.coopId, `target-${next()}@coop.test`, ['MEMBER']);
        return (token) =>
          app.graphql(
            DOCUMENTS.setMemberRoles,
            { input: { membershipId: target.membershipId, roles: ['COORDINATOR'] } },
            { token },
          );
      },
      check: (data) => expect(data.setMemberRoles.roles).toContain('COORDINATOR'),
    },
    {
      title: 'remove another member from the co-op',
      allow: ['coopAdmin'],
      prepare: async () => {
        const target = await join(world.tokens.coopAdmin, world.coopId, `leaver-${next()}@coop.test`, ['MEMBER']);
        return (token) =>
          app.graphql(DOCUMENTS.endMembership, { input: { membershipId: target.membershipId } }, { token });
      },
      check: (data) => expect(data.endMembership.status).toBe('REMOVED'),
    },
    {
      title: "update the co-op's settings",
      allow: ['coopAdmin'],
      prepare: () => {
        const description = `Updated in case ${next()}`;
        return (token) =>
          app.graphql(
            DOCUMENTS.updateOrganization,
            { input: { organizationId: world.coopId, description } },
            { token },
          );
      },
    },
    {
      title: 'create an API token of the co-op',
      allow: ['coopAdmin'],
      prepare: () => (token) =>
        app.graphql(
          DOCUMENTS.createApiToken,
          { input: { organizationId: world.coopId, name: `Till ${next()}`, scopes: ['LEDGER_READ'] } },
          { token },
        ),
    },
    {
      title: "read the co-op's audit log",
      allow: ['coopAdmin'],
      prepare: () => (token) => app.graphql(DOCUMENTS.auditLog, { organizationId: world.coopId }, { token }),
    },
    // The federation's membership: its ADMIN.
    {
      title: 'admit an organisation to the federation',
      allow: ['fedSteward', 'fedAdmin'],
      prepare: async () => {
        const applicant = await createOrganization(world.applicantToken, 'TIME_BANK', `applicant-${next()}`);
        const requestId = await requestToJoin(world.applicantToken, applicant, world.federationId);
        return (token) =>
          app.graphql(DOCUMENTS.admitFederationMember, { input: { federationMembershipId: requestId } }, { token });
      },
      check: (data) => expect(data.admitFederationMember.status).toBe('ACTIVE'),
    },
    // Reading: the co-op's members and the issuer's stewards (C shows its figures to its MEMBERS only).
    {
      title: "see the co-op's account",
      allow: [...COOP_MEMBERS, ...COOP_TOKENS, 'fedSteward', 'fedAdmin', 'fedCoordinator'],
      prepare: () => (token) => app.graphql(DOCUMENTS.account, { id: world.coopAccount }, { token }),
    },
    {
      title: "read the history of the co-op's account",
      allow: [...COOP_MEMBERS, ...COOP_TOKENS, 'fedSteward', 'fedAdmin', 'fedCoordinator'],
      prepare: () => (token) => app.graphql(DOCUMENTS.accountHistory, { accountId: world.coopAccount }, { token }),
    },
    {
      // The members of the unit's issuer (F), whatever their role; C is not the issuer.
      title: 'read the trial balance of CWC',
      allow: FEDERATION_MEMBERS,
      prepare: () => (token) => app.graphql(DOCUMENTS.trialBalance, {}, { token }),
      check: (data) => expect(data.trialBalance).toEqual([{ unitCode: 'CWC', balanced: true }]),
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
    await createUnit(app, 'CWC');

    const fedAdmin = await join(steward.token, steward.organizationId, 'fed-admin@federation.test', ['ADMIN']);
    const fedCoordinator = await join(steward.token, steward.organizationId, 'fed-coordinator@federation.test', [
      'COORDINATOR',
    ]);
    const fedMember = await join(steward.token, steward.organizationId, 'fed-member@federation.test', ['MEMBER']);

    const coopAdmin = await app.register('coop-admin@coop.test');
    const coopId = await createOrganization(coopAdmin, 'COOPERATIVE', 'bakers-coop');
    const joining = await requestToJoin(coopAdmin, coopId, steward.organizationId);
    await as(steward.token, DOCUMENTS.admitFederationMember, { input: { federationMembershipId: joining } });
    const coopTreasurer = await join(coopAdmin, coopId, 'coop-treasurer@coop.test', ['TREASURER']);
    const coopCoordinator = await join(coopAdmin, coopId, 'coop-coordinator@coop.test', ['COORDINATOR']);
    const coopMember = await join(coopAdmin, coopId, 'coop-member@coop.test', ['MEMBER']);

    const apiToken = async (scope: string): Promise<string> =>
      (
        await as<{ createApiToken: { token: string } }>(coopAdmin, DOCUMENTS.createApiToken, {
          input: { organizationId: coopId, name: `Till (${scope})`, scopes: [scope] },
        })
      ).createApiToken.token;
    const coopWriteToken = await apiToken('LEDGER_WRITE');
    const coopReadToken = await apiToken('LEDGER_READ');

    const outsider = await app.register('outsider@elsewhere.test');
    const person = await app.register('person@elsewhere.test');
    const personId = (await as<{ me: { person: { id: string } } }>(person, `{ me { person { id } } }`, {})).me.person
      .id;
    const personAccount = await as<{ openAccount: { id: string } }>(person, DOCUMENTS.openAccount, {
      input: { unitCode: 'CWC', holderId: personId, name: 'My account', kind: 'MEMBER' },
    });

    const otherAdmin = await app.register('other-admin@union.test');
    const otherId = await createOrganization(otherAdmin, 'TENANT_UNION', 'tenants-union');
    const applicantToken = await app.register('applicant@applicants.test');

    world = {
      tokens: {
        coopAdmin,
        coopTreasurer: coopTreasurer.token,
        coopCoordinator: coopCoordinator.token,
        coopMember: coopMember.token,
        fedSteward: steward.token,
        fedAdmin: fedAdmin.token,
        fedCoordinator: fedCoordinator.token,
        fedMember: fedMember.token,
        coopWriteToken,
        coopReadToken,
        person,
        outsider,
      },
      federationId: steward.organizationId,
      coopId,
      applicantToken,
      coopAccount: await openAccount(app, { holderId: coopId, creditLimit: '100000' }),
      personAccount: personAccount.openAccount.id,
      otherAccount: await openAccount(app, { holderId: otherId }),
    };
  });
  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it('sets the roles up as the table assumes', async () => {
    const memberships = await as<{ me: { memberships: { organizationId: string; roles: string[] }[] } }>(
      world.tokens.coopTreasurer,
      `{ me { memberships { organizationId roles } } }`,
      {},
    );
    expect(memberships.me.memberships).toEqual([{ organizationId: world.coopId, roles: ['MEMBER', 'TREASURER'] }]);
    const federation = await as<{ organization: { federationMembers: { memberId: string; status: string }[] } }>(
      app.steward.token,
      `query($id: ID) { organization(id: $id) { federationMembers { memberId status } } }`,
      { id: world.federationId },
    );
    expect(federation.organization.federationMembers).toEqual([{ memberId: world.coopId, status: 'ACTIVE' }]);
    expect(ROWS.length).toBe(OPERATIONS.length * EVERYONE.length);
  });

  it.each(ROWS)('%s', async (_name, { actor, operation, allowed }) => {
    const attempt = await operation.prepare();
    const ledgerBefore = await app.snapshot();
    const organizationsBefore = await organizationState();
    const response = await attempt(world.tokens[actor]);
    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data).not.toBeNull();
      operation.check?.(response.data as Record<string, any>);
      return;
    }
    if (operation.perItem === undefined) {
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(response.data).toBeNull();
    } else {
      expect(response.errors).toBeUndefined();
      const items = (response.data as Record<string, { error: { code: string } | null }[]>)[operation.perItem] ?? [];
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((item) => item.error?.code)).toEqual(items.map(() => 'FORBIDDEN'));
    }
    expect(await app.snapshot()).toEqual(ledgerBefore);
    expect(await organizationState()).toBe(organizationsBefore);
  });

  it('does not keep a FORBIDDEN refusal against the id: the same transaction by a payer is applied later', async () => {
    const item = transfer(world.coopAccount, world.personAccount, '7');
    const refused = await app.graphql(DOCUMENTS.postTransaction, { input: item }, { token: world.tokens.outsider });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'NOT_ACCOUNT_HOLDER' },
    });
    const applied = await app.graphql(
      DOCUMENTS.postTransaction,
      { input: item },
      { token: world.tokens.coopTreasurer },
    );
    expect(applied.errors).toBeUndefined();
  });
});
