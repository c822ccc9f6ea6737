/**
 * Goal: organisations govern themselves exactly as documented: the creator becomes ADMIN, slugs are unique
 * and well-formed, only ADMINs change settings, invite, set roles and remove; invitations are single-use,
 * expire and can be revoked, and accepting one either registers a new person or proves an existing one;
 * an organisation always keeps an ADMIN, ended memberships stay as history and end access at once;
 * federations nest without ever forming a cycle and only their ADMINs admit members; balance visibility
 * (MEMBERS, FEDERATION, PUBLIC) decides who sees an account's figures, never its history; and every change
 * is in an audit log that the database refuses to edit.
 * Method: the real service over HTTP on its own PostgreSQL database, plus a second app with a 1 s invitation
 * TTL; people are registered and invited through the API, invitation tokens read from the in-memory outbox
 * (EMAIL_DELIVERY=memory); accounts live in a unit issued by the steward's organisation; raw SQL through
 * app.dataSource checks rows and tries to edit the audit log.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMAIL_SENDER, type OutboxEmailSender } from '../../../src/kernel/email-sender.js';
import { ACCOUNT, POST_TRANSACTION, transfer } from '../ledger/ledger-fixtures.js';
import { TEST_PASSWORD, TestApp, type GraphQLResponse } from '../setup/test-app.js';

const MEMBERSHIP_FIELDS = 'id organizationId personId roles status joinedAt endedAt';
const FEDERATION_FIELDS = 'id federationId memberId status requestedAt decidedAt endedAt';
const INVITATION_FIELDS = 'id organizationId email roles status createdAt expiresAt acceptedAt revokedAt';

const ME = `{ me { person { id email } memberships { ${MEMBERSHIP_FIELDS} } } }`;
const CREATE_ORGANIZATION = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id slug name kind description balanceVisibility } }`;
const CREATE_ORGANIZATION_WITH_MEMBERS = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id memberships { ${MEMBERSHIP_FIELDS} } } }`;
const UPDATE_ORGANIZATION = `mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { id name description balanceVisibility } }`;
/** `slug: null` is spelled out: see the test of organization(id) alone. */
const ORGANIZATION = `query($id: ID!) { organization(id: $id, slug: null) { id slug name description balanceVisibility } }`;
const MEMBERSHIPS = `query($id: ID!, $includeEnded: Boolean!) { organization(id: $id, slug: null) {
  memberships(includeEnded: $includeEnded) { ${MEMBERSHIP_FIELDS} } } }`;
const INVITATIONS = `query($id: ID!) { organization(id: $id, slug: null) { invitations { ${INVITATION_FIELDS} } } }`;
const FEDERATION_TIES = `query($id: ID!) { organization(id: $id, slug: null) {
  federations { ${FEDERATION_FIELDS} } federationMembers { ${FEDERATION_FIELDS} } } }`;
const INVITE = `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { ${INVITATION_FIELDS} } }`;
const REVOKE_INVITATION = `mutation($input: InvitationIdInput!) { revokeInvitation(input: $input) { ${INVITATION_FIELDS} } }`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) {
  auth { accessToken refreshToken person { id name email } } membership { ${MEMBERSHIP_FIELDS} } } }`;
const SET_ROLES = `mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { ${MEMBERSHIP_FIELDS} } }`;
const END_MEMBERSHIP = `mutation($input: MembershipIdInput!) { endMembership(input: $input) { ${MEMBERSHIP_FIELDS} } }`;
const REQUEST_FEDERATION = `mutation($input: RequestFederationMembershipInput!) {
  requestFederationMembership(input: $input) { ${FEDERATION_FIELDS} } }`;
const ADMIT = `mutation($input: FederationMembershipIdInput!) { admitFederationMember(input: $input) { ${FEDERATION_FIELDS} } }`;
const DECLINE = `mutation($input: FederationMembershipIdInput!) {
  declineFederationMember(input: $input) { ${FEDERATION_FIELDS} } }`;
const END_FEDERATION = `mutation($input: FederationMembershipIdInput!) {
  endFederationMembership(input: $input) { ${FEDERATION_FIELDS} } }`;
const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
const OPEN_ACCOUNT = `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`;
const SET_LIMITS = `mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id creditLimit } }`;
const ACCOUNTS = `query($holderId: ID) { accounts(holderId: $holderId) { edges { node { id holderId balance } } } }`;
const HISTORY = `query($accountId: ID!) { accountHistory(accountId: $accountId) { edges { node { amount side } } } }`;
const AUDIT_LOG = `query($organizationId: ID!) { auditLog(organizationId: $organizationId, first: 200) {
  edges { node { id action actorPersonId actorApiTokenId organizationId relatedOrganizationId subjectType subjectId
    before after occurredAt } } } }`;

const UNIT = 'ORG';

interface Person {
  token: string;
  personId: string;
  email: string;
}

interface Organization {
  id: string;
  slug: string;
  name: string;
}

interface MembershipView {
  id: string;
  organizationId: string;
  personId: string;
  roles: string[];
  status: string;
  joinedAt: string;
  endedAt: string | null;
}

interface FederationView {
  id: string;
  federationId: string;
  memberId: string;
  status: string;
  decidedAt: string | null;
  endedAt: string | null;
}

interface AuditView {
  id: string;
  action: string;
  actorPersonId: string | null;
  actorApiTokenId: string | null;
  organizationId: string;
  relatedOrganizationId: string | null;
  subjectType: string;
  subjectId: string;
  before: string | null;
  after: string | null;
}

type AnyResponse = GraphQLResponse<unknown>;

function expectError(response: AnyResponse, code: string, reason?: string): void {
  expect(response.errors).toBeDefined();
  expect(response.errors?.[0]?.extensions).toMatchObject(
    reason === undefined ? { code } : { code, details: { reason } },
  );
}

function suffix(): string {
  return randomUUID().slice(0, 8);
}

function sorted(roles: readonly string[]): string[] {
  return [...roles].sort();
}

describe('organisations, memberships, invitations, federations, visibility and audit', () => {
  let app: TestApp;
  let shortInvitations: TestApp;
  /** An account of the steward's organisation in UNIT, with a large credit line, to pay others from. */
  let fund: string;

  beforeAll(async () => {
    [app, shortInvitations] = await Promise.all([TestApp.start(), TestApp.start({ INVITATION_TTL_SECONDS: '1' })]);
    await app.ok(CREATE_UNIT, {
      input: {
        code: UNIT,
        name: 'Organisation credit',
        kind: 'CREDIT',
        scale: 2,
        issuerId: app.steward.organizationId,
      },
    });
    fund = await openAccount(app.steward.organizationId, '1000000');
  });
  afterAll(async () => {
    await Promise.all([app?.close(), shortInvitations?.close()]);
  });

  // Helpers (they read the file's app unless told otherwise)

  async function signUp(label: string, target: TestApp = app): Promise<Person> {
    const email = `${label}-${suffix()}@orgs.example`;
    const token = await target.register(email);
    const viewer = await target.ok<{ me: { person: { id: string } } }>(ME, {}, { token });
    return { token, personId: viewer.me.person.id, email };
  }

  async function createOrganization(
    owner: Person | null,
    kind = 'COOPERATIVE',
    extra: Record<string, unknown> = {},
  ): Promise<Organization> {
    const slug = `${kind.toLowerCase().replaceAll('_', '-')}-${suffix()}`;
    const data = await app.ok(
      CREATE_ORGANIZATION,
      { input: { kind, name: `Org ${slug}`, slug, ...extra } },
      owner === null ? {} : { token: owner.token },
    );
    return { id: data.createOrganization.id, slug, name: `Org ${slug}` };
  }

  function outboxOf(target: TestApp): OutboxEmailSender {
    return target.app.get<symbol, OutboxEmailSender>(EMAIL_SENDER);
  }

  function invitationToken(email: string, target: TestApp = app): string {
    const message = [...outboxOf(target).sent].reverse().find((sent) => sent.to === email);
    const token = /\(invitation token: ([A-Za-z0-9_-]+)\)/.exec(message?.text ?? '')?.[1];
    if (token === undefined) throw new Error(`no invitation was sent to ${email}`);
    return token;
  }

  async function invite(admin: Person | null, organizationId: string, email: string, roles = ['MEMBER']) {
    const data = await app.ok(
      INVITE,
      { input: { organizationId, email, roles } },
      admin === null ? {} : { token: admin.token },
    );
    return data.inviteMember as { id: string; status: string; roles: string[]; email: string };
  }

  function accept(token: string, password = TEST_PASSWORD, name: string | null = 'Invited Person', target = app) {
    return target.graphql<{ acceptInvitation: any }>(ACCEPT, { input: { token, name, password } }, { token: null });
  }

  /** A new person, invited by `admin` with `roles` and registered by accepting; with their membership id. */
  async function newMember(
    admin: Person | null,
    organizationId: string,
    roles = ['MEMBER'],
  ): Promise<Person & { membershipId: string }> {
    const email = `member-${suffix()}@orgs.example`;
    await invite(admin, organizationId, email, roles);
    const accepted = await accept(invitationToken(email));
    expect(accepted.errors).toBeUndefined();
    const payload = accepted.data?.acceptInvitation;
    return {
      token: payload.auth.accessToken,
      personId: payload.auth.person.id,
      email,
      membershipId: payload.membership.id,
    };
  }

  async function membershipOf(person: Person, organizationId: string): Promise<MembershipView | undefined> {
    const viewer = await app.ok<{ me: { memberships: MembershipView[] } }>(ME, {}, { token: person.token });
    return viewer.me.memberships.find((membership) => membership.organizationId === organizationId);
  }

  async function openAccount(holderId: string, creditLimit = '0'): Promise<string> {
    const data = await app.ok(OPEN_ACCOUNT, {
      input: { unitCode: UNIT, holderId, name: 'Account', kind: 'MEMBER', creditLimit },
    });
    return data.openAccount.id as string;
  }

  async function requestToJoin(admin: Person, memberId: string, federationId: string) {
    return app.graphql<{ requestFederationMembership: FederationView }>(
      REQUEST_FEDERATION,
      { input: { organizationId: memberId, federationId } },
      { token: admin.token },
    );
  }

  async function join(memberAdmin: Person, memberId: string, federationAdmin: Person, federationId: string) {
    const requested = await requestToJoin(memberAdmin, memberId, federationId);
    expect(requested.errors).toBeUndefined();
    const id = requested.data?.requestFederationMembership.id;
    await app.ok(ADMIT, { input: { federationMembershipId: id } }, { token: federationAdmin.token });
    return id as string;
  }

  async function auditOf(organizationId: string, token?: string): Promise<AuditView[]> {
    const data = await app.ok(AUDIT_LOG, { organizationId }, token === undefined ? {} : { token });
    return data.auditLog.edges.map((edge: { node: AuditView }) => edge.node);
  }

  // Organisations

  it('createOrganization makes the creator its ADMIN (and MEMBER)', async () => {
    const founder = await signUp('founder');
    const slug = `bakery-${suffix()}`;
    const response = await app.graphql<{ createOrganization: any }>(
      CREATE_ORGANIZATION,
      { input: { kind: 'COOPERATIVE', name: 'Bakery co-op', slug, description: 'Bread for all' } },
      { token: founder.token },
    );
    expect(response.errors).toBeUndefined();
    const created = response.data?.createOrganization;
    expect(created).toEqual({
      id: expect.any(String),
      slug,
      name: 'Bakery co-op',
      kind: 'COOPERATIVE',
      description: 'Bread for all',
      balanceVisibility: 'MEMBERS',
    });
    const mine = await membershipOf(founder, created.id);
    expect(mine).toMatchObject({ personId: founder.personId, status: 'ACTIVE', endedAt: null });
    expect(sorted(mine?.roles ?? [])).toEqual(['ADMIN', 'MEMBER']);
    const members = await app.ok(MEMBERSHIPS, { id: created.id, includeEnded: true }, { token: founder.token });
    expect(members.organization.memberships).toEqual([mine]);
  });

  it('the createOrganization payload shows the creator among the memberships', async () => {
    const founder = await signUp('payload');
    const response = await app.graphql<{ createOrganization: { id: string; memberships: MembershipView[] } }>(
      CREATE_ORGANIZATION_WITH_MEMBERS,
      { input: { kind: 'LAND_TRUST', name: 'Land trust', slug: `land-trust-${suffix()}` } },
      { token: founder.token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.createOrganization.memberships).toEqual([
      expect.objectContaining({ personId: founder.personId, status: 'ACTIVE' }),
    ]);
  });

  it('createOrganization refuses a taken slug as CONFLICT SLUG_TAKEN, creating nothing', async () => {
    const first = await signUp('first');
    const second = await signUp('second');
    const taken = await createOrganization(first);
    const response = await app.graphql(
      CREATE_ORGANIZATION,
      { input: { kind: 'TIME_BANK', name: 'Copycat', slug: taken.slug } },
      { token: second.token },
    );
    expectError(response, 'CONFLICT', 'SLUG_TAKEN');
    const rows: { count: string }[] = await app.dataSource.query(
      `SELECT (SELECT count(*) FROM organization WHERE name = 'Copycat')
            + (SELECT count(*) FROM membership WHERE person_id = $1) AS count`,
      [second.personId],
    );
    expect(rows[0]?.count).toBe('0');
  });

  it.each(['Bad Slug', 'UPPER', 'under_score', '-leading', 'trailing-', '', 'x'.repeat(65), 'émoji'])(
    'createOrganization refuses the slug %j as VALIDATION_FAILED',
    async (slug) => {
      const response = await app.graphql(CREATE_ORGANIZATION, {
        input: { kind: 'COOPERATIVE', name: 'Badly named', slug },
      });
      expectError(response, 'VALIDATION_FAILED');
    },
  );

  it('organization looks an organisation up by id alone and by slug alone', async () => {
    const organization = await createOrganization(null);
    const byId = await app.graphql<{ organization: { id: string; slug: string } }>(
      `query($id: ID!) { organization(id: $id) { id slug } }`,
      { id: organization.id },
    );
    expect(byId.errors).toBeUndefined();
    expect(byId.data?.organization).toEqual({ id: organization.id, slug: organization.slug });
    const bySlug = await app.graphql<{ organization: { id: string; slug: string } }>(
      `query($slug: String!) { organization(slug: $slug) { id slug } }`,
      { slug: organization.slug },
    );
    expect(bySlug.errors).toBeUndefined();
    expect(bySlug.data?.organization).toEqual({ id: organization.id, slug: organization.slug });
  });

  it('updateOrganization is for ADMINs: a member or an outsider is FORBIDDEN and changes nothing', async () => {
    const admin = await signUp('admin');
    const organization = await createOrganization(admin);
    const member = await newMember(admin, organization.id, ['MEMBER', 'TREASURER']);
    const outsider = await signUp('outsider');
    for (const caller of [member, outsider]) {
      const refused = await app.graphql(
        UPDATE_ORGANIZATION,
        { input: { organizationId: organization.id, name: 'Hijacked', balanceVisibility: 'PUBLIC' } },
        { token: caller.token },
      );
      expectError(refused, 'FORBIDDEN', 'ROLE_REQUIRED');
    }
    expect((await app.ok(ORGANIZATION, { id: organization.id })).organization).toMatchObject({
      name: organization.name,
      balanceVisibility: 'MEMBERS',
    });
    const updated = await app.graphql(
      UPDATE_ORGANIZATION,
      { input: { organizationId: organization.id, name: 'Renamed', description: 'New words' } },
      { token: admin.token },
    );
    expect(updated.errors).toBeUndefined();
    expect((await app.ok(ORGANIZATION, { id: organization.id })).organization).toEqual({
      id: organization.id,
      slug: organization.slug,
      name: 'Renamed',
      description: 'New words',
      balanceVisibility: 'MEMBERS',
    });
  });

  // Invitations

  it('inviteMember emails a token; accepting it as a new address registers, joins with the roles, signs in', async () => {
    const admin = await signUp('inviter');
    const organization = await createOrganization(admin);
    const email = `newcomer-${suffix()}@orgs.example`;
    const sentBefore = outboxOf(app).sent.length;
    const invitation = await invite(admin, organization.id, email.toUpperCase(), ['COORDINATOR']);
    expect(invitation).toMatchObject({ email, status: 'PENDING', organizationId: organization.id });
    expect(sorted(invitation.roles)).toEqual(['COORDINATOR', 'MEMBER']);
    const sent = outboxOf(app).sent.slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: email, subject: expect.stringContaining(organization.name) });
    const token = invitationToken(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored: { token_hash: Buffer }[] = await app.dataSource.query(
      'SELECT token_hash FROM invitation WHERE id = $1',
      [invitation.id],
    );
    expect(stored[0]?.token_hash.toString('utf8')).not.toContain(token);

    const accepted = await accept(token, TEST_PASSWORD, 'New Comer');
    expect(accepted.errors).toBeUndefined();
    const payload = accepted.data?.acceptInvitation;
    expect(payload.auth.person).toEqual({ id: expect.any(String), name: 'New Comer', email });
    expect(payload.membership).toMatchObject({
      organizationId: organization.id,
      personId: payload.auth.person.id,
      status: 'ACTIVE',
    });
    expect(sorted(payload.membership.roles)).toEqual(['COORDINATOR', 'MEMBER']);
    const newcomer = { token: payload.auth.accessToken, personId: payload.auth.person.id, email };
    expect((await membershipOf(newcomer, organization.id))?.id).toBe(payload.membership.id);
    const invitations = await app.ok(INVITATIONS, { id: organization.id }, { token: admin.token });
    expect(invitations.organization.invitations).toEqual([
      expect.objectContaining({ id: invitation.id, status: 'ACCEPTED', acceptedAt: expect.any(String) }),
    ]);
    // The new person signs in with the password chosen when accepting.
    const login = await app.graphql(
      `mutation($input: LoginInput!) { login(input: $input) { person { id } } }`,
      { input: { email, password: TEST_PASSWORD } },
      { token: null },
    );
    expect(login.errors).toBeUndefined();

    expectError(await accept(token, TEST_PASSWORD, 'New Comer'), 'UNAUTHENTICATED', 'INVITATION_USED');
    const people: { count: string }[] = await app.dataSource.query('SELECT count(*) FROM person WHERE email = $1', [
      email,
    ]);
    expect(people[0]?.count).toBe('1');
  });

  it('accepting as a new address needs a name and a strong password', async () => {
    const email = `unnamed-${suffix()}@orgs.example`;
    await invite(null, app.steward.organizationId, email);
    const token = invitationToken(email);
    expectError(await accept(token, TEST_PASSWORD, null), 'VALIDATION_FAILED', 'NAME_REQUIRED');
    expectError(await accept(token, TEST_PASSWORD, '   '), 'VALIDATION_FAILED', 'NAME_REQUIRED');
    expectError(await accept(token, 'short', 'Named'), 'VALIDATION_FAILED', 'WEAK_PASSWORD');
    expectError(await accept('not-a-token', TEST_PASSWORD, 'Named'), 'UNAUTHENTICATED', 'INVALID_INVITATION');
    expectError(await accept('A'.repeat(43), TEST_PASSWORD, 'Named'), 'UNAUTHENTICATED', 'INVALID_INVITATION');
    // None of the refusals used the invitation up.
    expect((await accept(token, TEST_PASSWORD, 'Named')).errors).toBeUndefined();
  });

  it('an expired invitation is refused as INVITATION_EXPIRED and registers no one', async () => {
    const email = `late-${suffix()}@orgs.example`;
    const invitation = await shortInvitations.ok(INVITE, {
      input: { organizationId: shortInvitations.steward.organizationId, email, roles: ['MEMBER'] },
    });
    const token = invitationToken(email, shortInvitations);
    await sleep(2000);
    const response = await accept(token, TEST_PASSWORD, 'Too Late', shortInvitations);
    expectError(response, 'UNAUTHENTICATED', 'INVITATION_EXPIRED');
    const people: { count: string }[] = await shortInvitations.dataSource.query(
      'SELECT count(*) FROM person WHERE email = $1',
      [email],
    );
    expect(people[0]?.count).toBe('0');
    const listed = await shortInvitations.ok(INVITATIONS, { id: shortInvitations.steward.organizationId });
    expect(listed.organization.invitations).toContainEqual(
      expect.objectContaining({ id: invitation.inviteMember.id, status: 'EXPIRED' }),
    );
  });

  it('a revoked invitation is refused as INVITATION_REVOKED; revoking twice is a CONFLICT', async () => {
    const email = `withdrawn-${suffix()}@orgs.example`;
    const invitation = await invite(null, app.steward.organizationId, email);
    const token = invitationToken(email);
    const revoked = await app.ok(REVOKE_INVITATION, { input: { invitationId: invitation.id } });
    expect(revoked.revokeInvitation).toMatchObject({
      id: invitation.id,
      status: 'REVOKED',
      revokedAt: expect.any(String),
    });
    expectError(await accept(token), 'UNAUTHENTICATED', 'INVITATION_REVOKED');
    expectError(
      await app.graphql(REVOKE_INVITATION, { input: { invitationId: invitation.id } }),
      'CONFLICT',
      'INVITATION_CLOSED',
    );
    const people: { count: string }[] = await app.dataSource.query('SELECT count(*) FROM person WHERE email = $1', [
      email,
    ]);
    expect(people[0]?.count).toBe('0');
  });

  it('an existing person accepts with their own password; a wrong one is INVALID_CREDENTIALS', async () => {
    const admin = await signUp('host');
    const organization = await createOrganization(admin);
    const guest = await signUp('guest');
    const invitation = await invite(admin, organization.id, guest.email, ['TREASURER']);
    const token = invitationToken(guest.email);

    expectError(await accept(token, 'not the password of the guest', null), 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    const pending = await app.ok(INVITATIONS, { id: organization.id }, { token: admin.token });
    expect(pending.organization.invitations).toContainEqual(
      expect.objectContaining({ id: invitation.id, status: 'PENDING' }),
    );
    expect(await membershipOf(guest, organization.id)).toBeUndefined();

    const accepted = await accept(token, TEST_PASSWORD, null);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptInvitation.auth.person.id).toBe(guest.personId);
    expect(sorted(accepted.data?.acceptInvitation.membership.roles)).toEqual(['MEMBER', 'TREASURER']);
    expect(sorted((await membershipOf(guest, organization.id))?.roles ?? [])).toEqual(['MEMBER', 'TREASURER']);
    const people: { count: string }[] = await app.dataSource.query(
      'SELECT count(*) FROM person WHERE lower(email) = $1',
      [guest.email],
    );
    expect(people[0]?.count).toBe('1');
  });

  it('only an ADMIN may invite or revoke: a member and an outsider are FORBIDDEN and nothing is sent', async () => {
    const admin = await signUp('gate');
    const organization = await createOrganization(admin);
    const member = await newMember(admin, organization.id, ['MEMBER', 'TREASURER', 'COORDINATOR']);
    const outsider = await signUp('stranger');
    const pendingEmail = `pending-${suffix()}@orgs.example`;
    const pending = await invite(admin, organization.id, pendingEmail);
    const sentBefore = outboxOf(app).sent.length;
    for (const caller of [member, outsider]) {
      const refused = await app.graphql(
        INVITE,
        { input: { organizationId: organization.id, email: `sneaky-${suffix()}@orgs.example`, roles: ['ADMIN'] } },
        { token: caller.token },
      );
      expectError(refused, 'FORBIDDEN', 'ROLE_REQUIRED');
      expectError(
        await app.graphql(REVOKE_INVITATION, { input: { invitationId: pending.id } }, { token: caller.token }),
        'FORBIDDEN',
        'ROLE_REQUIRED',
      );
    }
    expect(outboxOf(app).sent.length).toBe(sentBefore);
    const listed = await app.ok(INVITATIONS, { id: organization.id }, { token: admin.token });
    expect(listed.organization.invitations.map((item: { email: string }) => item.email)).toEqual([
      member.email,
      pendingEmail,
    ]);
  });

  // Roles and memberships

  it('setMemberRoles by an ADMIN sets roles (MEMBER always kept); a non-ADMIN is FORBIDDEN', async () => {
    const admin = await signUp('chair');
    const organization = await createOrganization(admin);
    const member = await newMember(admin, organization.id);
    const changed = await app.graphql<{ setMemberRoles: MembershipView }>(
      SET_ROLES,
      { input: { membershipId: member.membershipId, roles: ['TREASURER', 'COORDINATOR'] } },
      { token: admin.token },
    );
    expect(changed.errors).toBeUndefined();
    expect(sorted(changed.data?.setMemberRoles.roles ?? [])).toEqual(['COORDINATOR', 'MEMBER', 'TREASURER']);
    expect(sorted((await membershipOf(member, organization.id))?.roles ?? [])).toEqual([
      'COORDINATOR',
      'MEMBER',
      'TREASURER',
    ]);
    const adminMembership = await membershipOf(admin, organization.id);
    const refused = await app.graphql(
      SET_ROLES,
      { input: { membershipId: adminMembership?.id, roles: ['MEMBER'] } },
      { token: member.token },
    );
    expectError(refused, 'FORBIDDEN', 'ROLE_REQUIRED');
    expectError(
      await app.graphql(
        SET_ROLES,
        { input: { membershipId: member.membershipId, roles: ['ADMIN'] } },
        { token: member.token },
      ),
      'FORBIDDEN',
      'ROLE_REQUIRED',
    );
    expect(sorted((await membershipOf(admin, organization.id))?.roles ?? [])).toEqual(['ADMIN', 'MEMBER']);
  });

  it('the last ADMIN can neither drop the role nor leave (CONFLICT LAST_ADMIN); with a second ADMIN both work', async () => {
    const admin = await signUp('sole');
    const organization = await createOrganization(admin);
    const own = (await membershipOf(admin, organization.id)) as MembershipView;
    expectError(
      await app.graphql(SET_ROLES, { input: { membershipId: own.id, roles: ['MEMBER'] } }, { token: admin.token }),
      'CONFLICT',
      'LAST_ADMIN',
    );
    expectError(
      await app.graphql(END_MEMBERSHIP, { input: { membershipId: own.id } }, { token: admin.token }),
      'CONFLICT',
      'LAST_ADMIN',
    );
    expect(sorted((await membershipOf(admin, organization.id))?.roles ?? [])).toEqual(['ADMIN', 'MEMBER']);

    const successor = await newMember(admin, organization.id, ['ADMIN']);
    const demoted = await app.ok(
      SET_ROLES,
      { input: { membershipId: own.id, roles: ['TREASURER'] } },
      { token: admin.token },
    );
    expect(sorted(demoted.setMemberRoles.roles)).toEqual(['MEMBER', 'TREASURER']);
    expectError(
      await app.graphql(
        SET_ROLES,
        { input: { membershipId: successor.membershipId, roles: ['MEMBER'] } },
        { token: successor.token },
      ),
      'CONFLICT',
      'LAST_ADMIN',
    );
  });

  it('endMembership: leaving is LEFT, removal by an ADMIN is REMOVED, and ended rows stay as history', async () => {
    const admin = await signUp('keeper');
    const organization = await createOrganization(admin);
    const leaver = await newMember(admin, organization.id);
    const removed = await newMember(admin, organization.id, ['TREASURER']);
    const bystander = await newMember(admin, organization.id);

    expectError(
      await app.graphql(END_MEMBERSHIP, { input: { membershipId: removed.membershipId } }, { token: bystander.token }),
      'FORBIDDEN',
      'ROLE_REQUIRED',
    );
    const left = await app.ok(
      END_MEMBERSHIP,
      { input: { membershipId: leaver.membershipId } },
      { token: leaver.token },
    );
    expect(left.endMembership).toMatchObject({ id: leaver.membershipId, status: 'LEFT', endedAt: expect.any(String) });
    const gone = await app.ok(
      END_MEMBERSHIP,
      { input: { membershipId: removed.membershipId } },
      { token: admin.token },
    );
    expect(gone.endMembership).toMatchObject({
      id: removed.membershipId,
      status: 'REMOVED',
      endedAt: expect.any(String),
    });
    expectError(
      await app.graphql(END_MEMBERSHIP, { input: { membershipId: removed.membershipId } }, { token: admin.token }),
      'CONFLICT',
      'MEMBERSHIP_ENDED',
    );

    const active = await app.ok(MEMBERSHIPS, { id: organization.id, includeEnded: false }, { token: admin.token });
    expect(active.organization.memberships.map((item: MembershipView) => item.personId).sort()).toEqual(
      [admin.personId, bystander.personId].sort(),
    );
    const all = await app.ok(MEMBERSHIPS, { id: organization.id, includeEnded: true }, { token: admin.token });
    const byId = new Map<string, MembershipView>(
      all.organization.memberships.map((item: MembershipView) => [item.id, item]),
    );
    expect(byId.size).toBe(4);
    expect(byId.get(leaver.membershipId)).toMatchObject({ status: 'LEFT', endedAt: expect.any(String) });
    expect(byId.get(removed.membershipId)).toMatchObject({ status: 'REMOVED', endedAt: expect.any(String) });
    // Ended history is for ADMINs; a plain member sees the active ones only.
    expectError(
      await app.graphql(MEMBERSHIPS, { id: organization.id, includeEnded: true }, { token: bystander.token }),
      'FORBIDDEN',
      'ROLE_REQUIRED',
    );
    expect(await membershipOf(leaver, organization.id)).toBeUndefined();
  });

  it('a removed member loses access to the organisation accounts at once, with the same token', async () => {
    const admin = await signUp('owner');
    const organization = await createOrganization(admin);
    const account = await openAccount(organization.id);
    await app.ok(POST_TRANSACTION, { input: transfer(fund, account, '300', { unitCode: UNIT }) });
    const member = await newMember(admin, organization.id);

    const seen = await app.graphql<{ account: { id: string; balance: string } }>(
      ACCOUNT,
      { id: account },
      { token: member.token },
    );
    expect(seen.data?.account).toMatchObject({ id: account, balance: '300' });
    expect((await app.graphql(HISTORY, { accountId: account }, { token: member.token })).errors).toBeUndefined();

    await app.ok(END_MEMBERSHIP, { input: { membershipId: member.membershipId } }, { token: admin.token });

    expectError(
      await app.graphql(ACCOUNT, { id: account }, { token: member.token }),
      'FORBIDDEN',
      'ACCOUNT_NOT_VISIBLE',
    );
    expectError(
      await app.graphql(HISTORY, { accountId: account }, { token: member.token }),
      'FORBIDDEN',
      'ACCOUNT_NOT_VISIBLE',
    );
    const listed = await app.ok(ACCOUNTS, { holderId: organization.id }, { token: member.token });
    expect(listed.accounts.edges).toEqual([]);
    expect(await membershipOf(member, organization.id)).toBeUndefined();
    await app.assertBooksBalance();
  });

  // Federations

  it('a member organisation asks to join (PENDING) and the federation ADMIN admits it (ACTIVE)', async () => {
    const coopAdmin = await signUp('coop');
    const federationAdmin = await signUp('federal');
    const coop = await createOrganization(coopAdmin);
    const federation = await createOrganization(federationAdmin, 'FEDERATION');

    const requested = await requestToJoin(coopAdmin, coop.id, federation.id);
    expect(requested.errors).toBeUndefined();
    const request = requested.data?.requestFederationMembership as FederationView;
    expect(request).toMatchObject({
      federationId: federation.id,
      memberId: coop.id,
      status: 'PENDING',
      decidedAt: null,
      endedAt: null,
    });
    expectError(await requestToJoin(coopAdmin, coop.id, federation.id), 'CONFLICT', 'ALREADY_REQUESTED');

    // The requester is not the federation's ADMIN: it may not admit itself.
    expectError(
      await app.graphql(ADMIT, { input: { federationMembershipId: request.id } }, { token: coopAdmin.token }),
      'FORBIDDEN',
      'ROLE_REQUIRED',
    );
    const admitted = await app.ok(
      ADMIT,
      { input: { federationMembershipId: request.id } },
      { token: federationAdmin.token },
    );
    expect(admitted.admitFederationMember).toMatchObject({
      id: request.id,
      status: 'ACTIVE',
      decidedAt: expect.any(String),
    });
    const ties = await app.ok(FEDERATION_TIES, { id: federation.id });
    expect(ties.organization.federationMembers).toEqual([
      expect.objectContaining({ id: request.id, status: 'ACTIVE' }),
    ]);
    const coopTies = await app.ok(FEDERATION_TIES, { id: coop.id });
    expect(coopTies.organization.federations).toEqual([expect.objectContaining({ id: request.id, status: 'ACTIVE' })]);
    expectError(
      await app.graphql(ADMIT, { input: { federationMembershipId: request.id } }, { token: federationAdmin.token }),
      'CONFLICT',
      'NOT_PENDING',
    );
  });

  it('requesting needs the ADMIN role of the asking organisation; joining a non-federation is NOT_A_FEDERATION', async () => {
    const coopAdmin = await signUp('asker');
    const coop = await createOrganization(coopAdmin);
    const federation = await createOrganization(null, 'FEDERATION');
    const member = await newMember(coopAdmin, coop.id, ['TREASURER', 'COORDINATOR']);
    expectError(await requestToJoin(member, coop.id, federation.id), 'FORBIDDEN', 'ROLE_REQUIRED');
    const other = await createOrganization(null, 'TENANT_UNION');
    const refused = await requestToJoin(coopAdmin, coop.id, other.id);
    expectError(refused, 'VALIDATION_FAILED', 'NOT_A_FEDERATION');
    const rows: { count: string }[] = await app.dataSource.query(
      'SELECT count(*) FROM federation_membership WHERE member_id = $1',
      [coop.id],
    );
    expect(rows[0]?.count).toBe('0');
  });

  it('the federation ADMIN declines a request (DECLINED); the organisation may ask again later', async () => {
    const coopAdmin = await signUp('declined');
    const federationAdmin = await signUp('decider');
    const coop = await createOrganization(coopAdmin);
    const federation = await createOrganization(federationAdmin, 'FEDERATION');
    const request = (await requestToJoin(coopAdmin, coop.id, federation.id)).data?.requestFederationMembership;
    expectError(
      await app.graphql(DECLINE, { input: { federationMembershipId: request?.id } }, { token: coopAdmin.token }),
      'FORBIDDEN',
      'ROLE_REQUIRED',
    );
    const declined = await app.ok(
      DECLINE,
      { input: { federationMembershipId: request?.id } },
      { token: federationAdmin.token },
    );
    expect(declined.declineFederationMember).toMatchObject({ status: 'DECLINED', decidedAt: expect.any(String) });
    expect((await app.ok(FEDERATION_TIES, { id: federation.id })).organization.federationMembers).toEqual([]);
    expectError(
      await app.graphql(ADMIT, { input: { federationMembershipId: request?.id } }, { token: federationAdmin.token }),
      'CONFLICT',
      'NOT_PENDING',
    );
    const again = await requestToJoin(coopAdmin, coop.id, federation.id);
    expect(again.errors).toBeUndefined();
    expect(again.data?.requestFederationMembership.status).toBe('PENDING');
  });

  it('federations never form a cycle: B cannot join A when A is in B, nor C join A when A⊂B⊂C, nor A itself', async () => {
    const builder = await signUp('builder');
    const a = await createOrganization(builder, 'FEDERATION');
    const b = await createOrganization(builder, 'FEDERATION');
    const c = await createOrganization(builder, 'FEDERATION');
    await join(builder, a.id, builder, b.id);
    expectError(await requestToJoin(builder, b.id, a.id), 'CONFLICT', 'FEDERATION_CYCLE');
    await join(builder, b.id, builder, c.id);
    expectError(await requestToJoin(builder, c.id, a.id), 'CONFLICT', 'FEDERATION_CYCLE');
    expectError(await requestToJoin(builder, c.id, b.id), 'CONFLICT', 'FEDERATION_CYCLE');
    expectError(await requestToJoin(builder, a.id, a.id), 'CONFLICT', 'FEDERATION_CYCLE');
    const rows: { count: string }[] = await app.dataSource.query(
      'SELECT count(*) FROM federation_membership WHERE federation_id = ANY($1::uuid[])',
      [[a.id, b.id, c.id]],
    );
    expect(rows[0]?.count).toBe('2');
  });

  it('two crossed requests may both be pending, but admitting the second would close a cycle (CONFLICT)', async () => {
    const builder = await signUp('crossed');
    const x = await createOrganization(builder, 'FEDERATION');
    const y = await createOrganization(builder, 'FEDERATION');
    const xInY = (await requestToJoin(builder, x.id, y.id)).data?.requestFederationMembership;
    const yInX = (await requestToJoin(builder, y.id, x.id)).data?.requestFederationMembership;
    expect([xInY?.status, yInX?.status]).toEqual(['PENDING', 'PENDING']);
    await app.ok(ADMIT, { input: { federationMembershipId: xInY?.id } }, { token: builder.token });
    expectError(
      await app.graphql(ADMIT, { input: { federationMembershipId: yInX?.id } }, { token: builder.token }),
      'CONFLICT',
      'FEDERATION_CYCLE',
    );
    const still: { status: string }[] = await app.dataSource.query(
      'SELECT status FROM federation_membership WHERE id = $1',
      [yInX?.id],
    );
    expect(still).toEqual([{ status: 'PENDING' }]);
  });

  it('endFederationMembership by either ADMIN ends it (ENDED); others are FORBIDDEN', async () => {
    const coopAdmin = await signUp('quitter');
    const federationAdmin = await signUp('host-fed');
    const outsider = await signUp('meddler');
    const coop = await createOrganization(coopAdmin);
    const federation = await createOrganization(federationAdmin, 'FEDERATION');
    const tie = await join(coopAdmin, coop.id, federationAdmin, federation.id);
    expectError(
      await app.graphql(END_FEDERATION, { input: { federationMembershipId: tie } }, { token: outsider.token }),
      'FORBIDDEN',
      'ROLE_REQUIRED',
    );
    const ended = await app.ok(END_FEDERATION, { input: { federationMembershipId: tie } }, { token: coopAdmin.token });
    expect(ended.endFederationMembership).toMatchObject({ id: tie, status: 'ENDED', endedAt: expect.any(String) });
    expect((await app.ok(FEDERATION_TIES, { id: federation.id })).organization.federationMembers).toEqual([]);
    expectError(
      await app.graphql(END_FEDERATION, { input: { federationMembershipId: tie } }, { token: federationAdmin.token }),
      'CONFLICT',
      'NOT_ACTIVE',
    );
    const second = await join(coopAdmin, coop.id, federationAdmin, federation.id);
    const byFederation = await app.ok(
      END_FEDERATION,
      { input: { federationMembershipId: second } },
      { token: federationAdmin.token },
    );
    expect(byFederation.endFederationMembership.status).toBe('ENDED');
  });

  // Balance visibility

  it('balance visibility: MEMBERS hides, FEDERATION shows figures up the federations, PUBLIC to all; history stays private', async () => {
    const ownerAdmin = await signUp('holder');
    const federationAdmin = await signUp('regional');
    const upperAdmin = await signUp('national');
    const pendingAdmin = await signUp('pending');
    const stranger = await signUp('passerby');
    const coop = await createOrganization(ownerAdmin);
    const federation = await createOrganization(federationAdmin, 'FEDERATION');
    const upper = await createOrganization(upperAdmin, 'FEDERATION');
    const pendingFederation = await createOrganization(pendingAdmin, 'FEDERATION');
    await join(ownerAdmin, coop.id, federationAdmin, federation.id);
    await join(federationAdmin, federation.id, upperAdmin, upper.id);
    expect((await requestToJoin(ownerAdmin, coop.id, pendingFederation.id)).errors).toBeUndefined();
    const account = await openAccount(coop.id);
    await app.ok(POST_TRANSACTION, { input: transfer(fund, account, '500', { unitCode: UNIT }) });

    const look = (viewer: Person) =>
      app.graphql<{ account: { id: string; balance: string } }>(ACCOUNT, { id: account }, { token: viewer.token });
    const history = (viewer: Person) => app.graphql(HISTORY, { accountId: account }, { token: viewer.token });
    const listed = async (viewer: Person) =>
      (await app.ok(ACCOUNTS, { holderId: coop.id }, { token: viewer.token })).accounts.edges.map(
        (edge: { node: { id: string } }) => edge.node.id,
      );
    const setVisibility = (balanceVisibility: string) =>
      app.ok(
        UPDATE_ORGANIZATION,
        { input: { organizationId: coop.id, balanceVisibility } },
        { token: ownerAdmin.token },
      );

    // MEMBERS: the organisation's own members only.
    expect((await look(ownerAdmin)).data?.account.balance).toBe('500');
    expect((await history(ownerAdmin)).errors).toBeUndefined();
    for (const viewer of [federationAdmin, upperAdmin, pendingAdmin, stranger]) {
      expectError(await look(viewer), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
      expect(await listed(viewer)).toEqual([]);
    }

    // FEDERATION: members of every federation above it, directly or not; history stays private.
    await setVisibility('FEDERATION');
    for (const viewer of [federationAdmin, upperAdmin]) {
      const seen = await look(viewer);
      expect(seen.errors).toBeUndefined();
      expect(seen.data?.account).toMatchObject({ id: account, balance: '500' });
      expect(await listed(viewer)).toEqual([account]);
      expectError(await history(viewer), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
    }
    for (const viewer of [pendingAdmin, stranger]) {
      expectError(await look(viewer), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
      expect(await listed(viewer)).toEqual([]);
    }

    // PUBLIC: anyone signed in sees the figures, still not the history.
    await setVisibility('PUBLIC');
    const seen = await look(stranger);
    expect(seen.errors).toBeUndefined();
    expect(seen.data?.account).toMatchObject({ id: account, balance: '500' });
    expect(await listed(stranger)).toEqual([account]);
    expectError(await history(stranger), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
    expectError(await app.graphql(ACCOUNT, { id: account }, { token: null }), 'UNAUTHENTICATED', 'MISSING_TOKEN');

    // Back to MEMBERS: hidden again at once.
    await setVisibility('MEMBERS');
    expectError(await look(stranger), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
    expectError(await look(upperAdmin), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
  });

  it('FEDERATION visibility follows the federation ties: ending one hides the figures from those above', async () => {
    const ownerAdmin = await signUp('tied');
    const federationAdmin = await signUp('untied');
    const coop = await createOrganization(ownerAdmin, 'MUTUAL_AID', { balanceVisibility: 'FEDERATION' });
    const federation = await createOrganization(federationAdmin, 'FEDERATION');
    const tie = await join(ownerAdmin, coop.id, federationAdmin, federation.id);
    const account = await openAccount(coop.id);
    expect((await app.graphql(ACCOUNT, { id: account }, { token: federationAdmin.token })).errors).toBeUndefined();
    await app.ok(END_FEDERATION, { input: { federationMembershipId: tie } }, { token: ownerAdmin.token });
    expectError(
      await app.graphql(ACCOUNT, { id: account }, { token: federationAdmin.token }),
      'FORBIDDEN',
      'ACCOUNT_NOT_VISIBLE',
    );
  });

  // Audit log

  it('the audit log lists membership, role, invitation and credit-line changes with their actor and before/after', async () => {
    const organization = await createOrganization(null);
    const member = await newMember(null, organization.id, ['MEMBER']);
    await app.ok(SET_ROLES, { input: { membershipId: member.membershipId, roles: ['TREASURER'] } });

    const events = await auditOf(organization.id);
    const ids = events.map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0)));
    expect(events.map((event) => event.action)).toEqual([
      'MEMBERSHIP_ROLES_CHANGED',
      'INVITATION_ACCEPTED',
      'MEMBERSHIP_CREATED',
      'INVITATION_CREATED',
      'MEMBERSHIP_CREATED',
      'ORGANIZATION_CREATED',
    ]);
    const byAction = (action: string) => events.filter((event) => event.action === action);

    const [rolesChanged] = byAction('MEMBERSHIP_ROLES_CHANGED');
    expect(rolesChanged).toMatchObject({
      actorPersonId: app.steward.personId,
      actorApiTokenId: null,
      organizationId: organization.id,
      subjectType: 'MEMBERSHIP',
      subjectId: member.membershipId,
    });
    expect(JSON.parse(rolesChanged?.before ?? 'null')).toEqual({
      personId: member.personId,
      status: 'ACTIVE',
      roles: ['MEMBER'],
    });
    const after = JSON.parse(rolesChanged?.after ?? 'null');
    expect(after).toMatchObject({ personId: member.personId, status: 'ACTIVE' });
    expect(sorted(after.roles)).toEqual(['MEMBER', 'TREASURER']);

    const [invited] = byAction('INVITATION_CREATED');
    expect(invited).toMatchObject({ actorPersonId: app.steward.personId, subjectType: 'INVITATION', before: null });
    expect(JSON.parse(invited?.after ?? 'null')).toMatchObject({ email: member.email, roles: ['MEMBER'] });

    const created = byAction('MEMBERSHIP_CREATED');
    expect(created.map((event) => event.subjectId)).toContain(member.membershipId);
    const joined = created.find((event) => event.subjectId === member.membershipId);
    expect(joined).toMatchObject({ actorPersonId: member.personId, before: null });
    expect(JSON.parse(joined?.after ?? 'null')).toMatchObject({ personId: member.personId, roles: ['MEMBER'] });
    const founding = created.find((event) => event.subjectId !== member.membershipId);
    expect(founding?.actorPersonId).toBe(app.steward.personId);
    expect(sorted(JSON.parse(founding?.after ?? 'null').roles)).toEqual(['ADMIN', 'MEMBER']);
  });

  it('setAccountLimits writes CREDIT_LINE_CHANGED to the issuer log (and the holder organisation log)', async () => {
    const holder = await createOrganization(null);
    const account = await openAccount(holder.id);
    const changed = await app.ok(SET_LIMITS, {
      input: { accountId: account, creditLimit: '750', upperLimit: null, reason: 'harvest season' },
    });
    expect(changed.setAccountLimits.creditLimit).toBe('750');
    const [event] = (await auditOf(app.steward.organizationId)).filter(
      (item) => item.action === 'CREDIT_LINE_CHANGED' && item.subjectId === account,
    );
    expect(event).toMatchObject({
      actorPersonId: app.steward.personId,
      organizationId: app.steward.organizationId,
      relatedOrganizationId: holder.id,
      subjectType: 'ACCOUNT',
    });
    expect(JSON.parse(event?.before ?? 'null')).toMatchObject({ creditLimit: '0', status: 'ACTIVE' });
    expect(JSON.parse(event?.after ?? 'null')).toMatchObject({ creditLimit: '750', reason: 'harvest season' });
    const holderEvents = await auditOf(holder.id);
    expect(holderEvents.map((item) => item.id)).toContain(event?.id);
    const [opened] = (await auditOf(app.steward.organizationId)).filter(
      (item) => item.action === 'ACCOUNT_OPENED' && item.subjectId === account,
    );
    expect(opened).toMatchObject({ actorPersonId: app.steward.personId, relatedOrganizationId: holder.id });
    expect(JSON.parse(opened?.after ?? 'null')).toMatchObject({ creditLimit: '0', holderId: holder.id });
  });

  it('the audit log is for ADMINs only, and the audit_event table refuses UPDATE and DELETE', async () => {
    const admin = await signUp('auditor');
    const organization = await createOrganization(admin);
    const member = await newMember(admin, organization.id, ['TREASURER', 'COORDINATOR']);
    const outsider = await signUp('peeker');
    for (const caller of [member, outsider]) {
      expectError(
        await app.graphql(AUDIT_LOG, { organizationId: organization.id }, { token: caller.token }),
        'FORBIDDEN',
        'ROLE_REQUIRED',
      );
    }
    const events = await auditOf(organization.id, admin.token);
    expect(events.length).toBeGreaterThan(0);
    const before = await app.dataSource.query('SELECT * FROM audit_event WHERE organization_id = $1 ORDER BY id', [
      organization.id,
    ]);
    await expect(
      app.dataSource.query(`UPDATE audit_event SET action = 'FORGED' WHERE organization_id = $1`, [organization.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      app.dataSource.query(`UPDATE audit_event SET after = NULL WHERE organization_id = $1`, [organization.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      app.dataSource.query('DELETE FROM audit_event WHERE organization_id = $1', [organization.id]),
    ).rejects.toThrow(/append-only/);
    const after = await app.dataSource.query('SELECT * FROM audit_event WHERE organization_id = $1 ORDER BY id', [
      organization.id,
    ]);
    expect(after).toEqual(before);
  });
});
