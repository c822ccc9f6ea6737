/**
 * Goal: signing in is exact and hard to abuse: registration refuses taken (case-insensitively), weak and
 * malformed credentials; login does not tell an unknown email from a wrong password; access tokens expire
 * and forged ones (another secret, alg none, tampered, garbage, wrong header) are refused; refresh tokens
 * rotate once and a reused one revokes its whole session; logout and password changes end sessions at once;
 * repeated failed logins lock an email for a while; organisation API tokens are shown once, act only within
 * their scopes and organisation, never as a person, and stop working when revoked or expired.
 * Method: the real service over HTTP on its own PostgreSQL database; a second app with a 2 s access-token
 * TTL (a 1 s TTL lives 0–1 s because `iat` is floored to the second, which would make the steward's own
 * sign-up in TestApp.start flaky; waiting 2.1 s after issue still always expires a 2 s token) and a third
 * with a small login throttle; forged tokens are built with jose; refused ledger writes compare
 * app.snapshot() before and after.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import request from 'supertest';
import { EMAIL_SENDER, type OutboxEmailSender } from '../../../src/kernel/email-sender.js';
import { ACCOUNT, POST_TRANSACTION, transfer } from '../ledger/ledger-fixtures.js';
import { TEST_PASSWORD, TestApp, type GraphQLResponse } from '../setup/test-app.js';

const AUTH_FIELDS = `accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt person { id name email }`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation($input: RefreshSessionInput!) { refreshSession(input: $input) { ${AUTH_FIELDS} } }`;
const LOGOUT = `mutation { logout }`;
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revokedSessions } }`;
const ME = `{ me { person { id name email } apiTokenOrganizationId scopes
  memberships { id organizationId personId roles status } } }`;
const CREATE_ORGANIZATION = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { id slug } }`;
const CREATE_API_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { token apiToken { id name organizationId scopes createdAt expiresAt revokedAt } } }`;
const REVOKE_API_TOKEN = `mutation($input: ApiTokenIdInput!) {
  revokeApiToken(input: $input) { id revokedAt } }`;
const API_TOKENS = `query($id: ID!) { organization(id: $id, slug: null) { apiTokens { id name scopes revokedAt } } }`;
const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
const OPEN_ACCOUNT = `mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }`;
const ACCOUNTS = `query($holderId: ID) { accounts(holderId: $holderId) { edges { node { id holderId balance } } } }`;
const HISTORY = `query($accountId: ID!) { accountHistory(accountId: $accountId) { edges { node { amount side } } } }`;
const INVITE = `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { auth { accessToken } membership { id roles } } }`;

interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  person: { id: string; name: string; email: string | null };
}

type AnyResponse = GraphQLResponse<unknown>;

function expectError(response: AnyResponse, code: string, reason?: string): void {
  expect(response.errors).toBeDefined();
  expect(response.errors?.[0]?.extensions).toMatchObject(
    reason === undefined ? { code } : { code, details: { reason } },
  );
}

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@auth.example`;
}

async function register(target: TestApp, email: string, password = TEST_PASSWORD): Promise<Session> {
  const data = await target.ok<{ register: Session }>(
    REGISTER,
    { input: { email, name: email.split('@')[0], password } },
    { token: null },
  );
  return data.register;
}

async function login(target: TestApp, email: string, password = TEST_PASSWORD): Promise<Session> {
  return (await target.ok<{ login: Session }>(LOGIN, { input: { email, password } }, { token: null })).login;
}

function loginResponse(target: TestApp, email: string, password: string) {
  return target.graphql<{ login: Session }>(LOGIN, { input: { email, password } }, { token: null });
}

function me(target: TestApp, token: string | null) {
  return target.graphql<{ me: any }>(ME, {}, { token });
}

function refresh(target: TestApp, refreshToken: string) {
  return target.graphql<{ refreshSession: Session }>(REFRESH, { input: { refreshToken } }, { token: null });
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function claimsOf(accessToken: string): { sub: string; sid: string } {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; sid: string };
}

describe('authentication, sessions and API tokens', () => {
  let app: TestApp;
  let shortLived: TestApp;
  let throttled: TestApp;
  /** Accounts in TOK (issued by the steward's organisation): two of the steward's organisation, one of another. */
  let readAccount: string;
  let payee: string;
  let foreignAccount: string;
  const unitCode = 'TOK';

  const createToken = async (scopes: string[], extra: Record<string, unknown> = {}, token?: string) =>
    app.graphql<{ createApiToken: { token: string; apiToken: any } }>(
      CREATE_API_TOKEN,
      { input: { organizationId: app.steward.organizationId, name: `token ${scopes.join('+')}`, scopes, ...extra } },
      token === undefined ? {} : { token },
    );

  beforeAll(async () => {
    [app, shortLived, throttled] = await Promise.all([
      TestApp.start(),
      // Long enough for its steward's sign-up under load (a token's first second may be cut short).
      TestApp.start({ ACCESS_TOKEN_TTL_SECONDS: '8' }),
      TestApp.start({ LOGIN_SLOW_AFTER: '2', LOGIN_LOCK_AFTER: '4', LOGIN_LOCK_SECONDS: '60' }),
    ]);
    await app.ok(CREATE_UNIT, {
      input: { code: unitCode, name: 'Token credit', kind: 'CREDIT', scale: 2, issuerId: app.steward.organizationId },
    });
    const open = async (holderId: string, creditLimit: string) =>
      (
        await app.ok(OPEN_ACCOUNT, {
          input: { unitCode, holderId, name: 'Till account', kind: 'MEMBER', creditLimit },
        })
      ).openAccount.id as string;
    readAccount = await open(app.steward.organizationId, '1000');
    payee = await open(app.steward.organizationId, '0');
    const outsider = await register(app, uniqueEmail('outsider'));
    const other = await app.ok(
      CREATE_ORGANIZATION,
      { input: { kind: 'COOPERATIVE', name: 'Other co-op', slug: `other-coop-${randomUUID().slice(0, 8)}` } },
      { token: outsider.accessToken },
    );
    foreignAccount = await open(other.createOrganization.id, '1000');
  });
  afterAll(async () => {
    await Promise.all([app?.close(), shortLived?.close(), throttled?.close()]);
  });

  // Registration and login

  it('register creates a person and returns an access and a refresh token that work', async () => {
    const email = uniqueEmail('ada');
    const session = await register(app, email);
    expect(session.accessToken).toEqual(expect.any(String));
    expect(session.refreshToken).toEqual(expect.any(String));
    expect(session.refreshToken).not.toBe(session.accessToken);
    expect(new Date(session.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(session.refreshTokenExpiresAt).getTime()).toBeGreaterThan(
      new Date(session.accessTokenExpiresAt).getTime(),
    );
    expect(session.person).toEqual({ id: expect.any(String), name: email.split('@')[0], email });
    const viewer = await me(app, session.accessToken);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.me).toEqual({
      person: session.person,
      apiTokenOrganizationId: null,
      scopes: [],
      memberships: [],
    });
    const rows: { password_hash: string }[] = await app.dataSource.query(
      'SELECT password_hash FROM person WHERE id = $1',
      [session.person.id],
    );
    expect(rows[0]?.password_hash).not.toContain(TEST_PASSWORD);
  });

  it('register refuses an email already taken, compared without case, as CONFLICT EMAIL_TAKEN', async () => {
    const local = `dup-${randomUUID().slice(0, 8)}`;
    await register(app, `${local}@auth.example`);
    const response = await app.graphql(
      REGISTER,
      { input: { email: `${local.toUpperCase()}@Auth.EXAMPLE`, name: 'Twin', password: TEST_PASSWORD } },
      { token: null },
    );
    expectError(response, 'CONFLICT', 'EMAIL_TAKEN');
    const rows: { count: string }[] = await app.dataSource.query(
      'SELECT count(*) FROM person WHERE lower(email) = $1',
      [`${local}@auth.example`],
    );
    expect(rows[0]?.count).toBe('1');
  });

  it.each([
    ['too short', 'short-pw'],
    ['too few different characters', 'aaaaaaaaaaaaaaaaaaaa'],
    ['the email address itself', 'SAME-AS-EMAIL'],
  ])('register refuses a weak password (%s) as VALIDATION_FAILED WEAK_PASSWORD', async (_, password) => {
    const email = uniqueEmail('weak');
    const response = await app.graphql(
      REGISTER,
      { input: { email, name: 'Weak', password: password === 'SAME-AS-EMAIL' ? email : password } },
      { token: null },
    );
    expectError(response, 'VALIDATION_FAILED', 'WEAK_PASSWORD');
    expect(await loginResponse(app, email, TEST_PASSWORD)).toMatchObject({ data: null });
  });

  it.each(['not-an-email', 'two@@example.org', 'spaces in@example.org', ''])(
    'register refuses the malformed email %j as VALIDATION_FAILED',
    async (email) => {
      const response = await app.graphql(
        REGISTER,
        { input: { email, name: 'Nobody', password: TEST_PASSWORD } },
        { token: null },
      );
      expectError(response, 'VALIDATION_FAILED');
    },
  );

  it('login with a wrong password and with an unknown email fail alike: UNAUTHENTICATED INVALID_CREDENTIALS', async () => {
    const email = uniqueEmail('grace');
    await register(app, email);
    const wrongPassword = await loginResponse(app, email, 'not the right password at all');
    const unknownEmail = await loginResponse(app, uniqueEmail('nobody'), TEST_PASSWORD);
    expectError(wrongPassword, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expectError(unknownEmail, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expect(unknownEmail.errors?.[0]?.message).toBe(wrongPassword.errors?.[0]?.message);
    expect(unknownEmail.errors?.[0]?.extensions).toEqual(wrongPassword.errors?.[0]?.extensions);
    const session = await login(app, email.toUpperCase());
    expect(session.person.email).toBe(email);
  });

  it('me shows the signed-in person and their memberships, and refuses anonymous callers', async () => {
    const viewer = await me(app, app.steward.token);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.me.person).toEqual({
      id: app.steward.personId,
      name: 'steward',
      email: 'steward@test.example',
    });
    expect(viewer.data?.me.memberships).toEqual([
      {
        id: expect.any(String),
        organizationId: app.steward.organizationId,
        personId: app.steward.personId,
        roles: expect.arrayContaining(['ADMIN', 'TREASURER', 'MEMBER']),
        status: 'ACTIVE',
      },
    ]);
    expectError(await me(app, null), 'UNAUTHENTICATED', 'MISSING_TOKEN');
  });

  // Access tokens

  it('an expired access token is refused as TOKEN_EXPIRED, and refreshSession then gives a working one', async () => {
    const session = await register(shortLived, uniqueEmail('brief'));
    expect((await me(shortLived, session.accessToken)).errors).toBeUndefined();
    await sleep(Date.parse(session.accessTokenExpiresAt) - Date.now() + 100);
    expectError(await me(shortLived, session.accessToken), 'UNAUTHENTICATED', 'TOKEN_EXPIRED');
    const refreshed = await refresh(shortLived, session.refreshToken);
    expect(refreshed.errors).toBeUndefined();
    const viewer = await me(shortLived, refreshed.data?.refreshSession.accessToken ?? '');
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.me.person.id).toBe(session.person.id);
  });

  it('refuses forged and malformed access tokens as UNAUTHENTICATED INVALID_TOKEN', async () => {
    const victim = await register(app, uniqueEmail('victim'));
    const other = await register(app, uniqueEmail('other'));
    const claims = claimsOf(victim.accessToken);
    const [header, payload, signature] = victim.accessToken.split('.') as [string, string, string];
    const now = Math.floor(Date.now() / 1000);
    const otherSecret = await new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer('commonwealth-ledger')
      .setAudience('commonwealth-ledger:api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret-42'));
    const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const noSignature = `${header}.${payload}.`;
    const tampered = `${header}.${base64url({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: other.person.id })}.${signature}`;
    for (const token of [otherSecret, algNone, noSignature, tampered, 'garbage', 'a.b.c', `${victim.accessToken}x`]) {
      expectError(await me(app, token), 'UNAUTHENTICATED', 'INVALID_TOKEN');
    }
    const server = app.app.getHttpServer();
    for (const authorization of [
      victim.accessToken,
      `Basic ${Buffer.from('victim:password').toString('base64')}`,
      'Bearer',
      `Bearer  ${victim.accessToken}`,
      `Bearer ${victim.accessToken} extra`,
      `Token ${victim.accessToken}`,
    ]) {
      const response = await request(server)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', authorization)
        .send({ query: ME });
      expectError(
        { status: response.status, data: null, errors: response.body.errors },
        'UNAUTHENTICATED',
        'INVALID_TOKEN',
      );
    }
    // The genuine token still works: the refusals were about the tokens, not the session.
    expect((await me(app, victim.accessToken)).data?.me.person.id).toBe(victim.person.id);
  });

  // Sessions

  it('refreshSession rotates: a new pair, and the old refresh token reused revokes the whole session', async () => {
    const first = await register(app, uniqueEmail('rotor'));
    const second = await refresh(app, first.refreshToken);
    expect(second.errors).toBeUndefined();
    const rotated = second.data?.refreshSession as Session;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.person.id).toBe(first.person.id);
    expect((await me(app, rotated.accessToken)).errors).toBeUndefined();

    expectError(await refresh(app, first.refreshToken), 'UNAUTHENTICATED', 'REFRESH_TOKEN_REUSED');
    expectError(await refresh(app, rotated.refreshToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    expectError(await me(app, rotated.accessToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    expectError(await me(app, first.accessToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    const rows: { revoke_reason: string }[] = await app.dataSource.query(
      'SELECT revoke_reason FROM auth_session WHERE id = $1',
      [claimsOf(first.accessToken).sid],
    );
    expect(rows).toEqual([{ revoke_reason: 'REFRESH_TOKEN_REUSED' }]);
  });

  it('refreshSession refuses a malformed or unknown refresh token as INVALID_REFRESH_TOKEN', async () => {
    const session = await register(app, uniqueEmail('fresh'));
    const [id] = session.refreshToken.split('.') as [string];
    for (const token of ['nonsense', `${randomUUID()}.${'A'.repeat(43)}`, `${id}.${'B'.repeat(43)}`]) {
      expectError(await refresh(app, token), 'UNAUTHENTICATED', 'INVALID_REFRESH_TOKEN');
    }
    // A wrong secret for a real id does not count as reuse: the session lives on.
    expect((await refresh(app, session.refreshToken)).errors).toBeUndefined();
  });

  it('logout ends the session: its access token is refused SESSION_REVOKED, its refresh token too', async () => {
    const email = uniqueEmail('leaver');
    const kept = await register(app, email);
    const ended = await login(app, email);
    const out = await app.graphql<{ logout: boolean }>(LOGOUT, {}, { token: ended.accessToken });
    expect(out).toMatchObject({ data: { logout: true } });
    expect(out.errors).toBeUndefined();
    expectError(await me(app, ended.accessToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    expectError(await refresh(app, ended.refreshToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    expectError(await app.graphql(LOGOUT, {}, { token: ended.accessToken }), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    // Other sessions of the same person are untouched.
    expect((await me(app, kept.accessToken)).errors).toBeUndefined();
  });

  it('concurrent requests check their sessions together, and each gets the answer for its own session', async () => {
    // Session checks of concurrent requests share one query: a revoked session among live ones is refused
    // alone, and every live one is answered as its own person.
    const email = uniqueEmail('crowd');
    const live = [await register(app, email), await login(app, email), await register(app, uniqueEmail('crowd'))];
    const ended = await login(app, email);
    await app.ok(LOGOUT, {}, { token: ended.accessToken });
    const tokens = Array.from({ length: 40 }, (_, index) =>
      index % 4 === 3 ? ended.accessToken : (live[index % 4] as { accessToken: string }).accessToken,
    );
    const replies = await Promise.all(tokens.map((token) => me(app, token)));
    replies.forEach((reply, index) => {
      if (index % 4 === 3) expectError(reply, 'UNAUTHENTICATED', 'SESSION_REVOKED');
      else expect(reply.errors).toBeUndefined();
    });
    const ids = replies.map((reply) => reply.data?.me?.person?.id as string | undefined);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });
  it('changePassword checks the current password, refuses a weak one, and ends the other sessions only', async () => {
    const email = uniqueEmail('changer');
    const newPassword = 'a much better passphrase 2024';
    const current = await register(app, email);
    const others = [await login(app, email), await login(app, email)];

    const wrong = await app.graphql(
      CHANGE_PASSWORD,
      { input: { currentPassword: 'not my password at all', newPassword } },
      { token: current.accessToken },
    );
    expectError(wrong, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    const weak = await app.graphql(
      CHANGE_PASSWORD,
      { input: { currentPassword: TEST_PASSWORD, newPassword: 'short' } },
      { token: current.accessToken },
    );
    expectError(weak, 'VALIDATION_FAILED', 'WEAK_PASSWORD');
    for (const other of others) expect((await me(app, other.accessToken)).errors).toBeUndefined();

    const changed = await app.graphql<{ changePassword: { revokedSessions: number } }>(
      CHANGE_PASSWORD,
      { input: { currentPassword: TEST_PASSWORD, newPassword } },
      { token: current.accessToken },
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data?.changePassword.revokedSessions).toBe(2);

    for (const other of others) {
      expectError(await me(app, other.accessToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
      expectError(await refresh(app, other.refreshToken), 'UNAUTHENTICATED', 'SESSION_REVOKED');
    }
    expect((await me(app, current.accessToken)).errors).toBeUndefined();
    expect((await refresh(app, current.refreshToken)).errors).toBeUndefined();
    expectError(await loginResponse(app, email, TEST_PASSWORD), 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expect((await login(app, email, newPassword)).person.id).toBe(current.person.id);
  });

  it('changePassword is refused to API tokens (PERSON_REQUIRED)', async () => {
    const created = await app.ok(CREATE_API_TOKEN, {
      input: { organizationId: app.steward.organizationId, name: 'till', scopes: ['LEDGER_WRITE'] },
    });
    const response = await app.graphql(
      CHANGE_PASSWORD,
      { input: { currentPassword: TEST_PASSWORD, newPassword: 'a much better passphrase 2024' } },
      { token: created.createApiToken.token },
    );
    expectError(response, 'FORBIDDEN', 'PERSON_REQUIRED');
  });

  // Login throttling

  it('locks an email after repeated failures, even for the right password, without touching other emails', async () => {
    const email = uniqueEmail('target');
    const bystander = uniqueEmail('bystander');
    await register(throttled, email);
    await register(throttled, bystander);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expectError(
        await loginResponse(throttled, email, `wrong password number ${attempt}`),
        'UNAUTHENTICATED',
        'INVALID_CREDENTIALS',
      );
    }
    const locked = await loginResponse(throttled, email, TEST_PASSWORD);
    expectError(locked, 'RATE_LIMITED', 'TOO_MANY_FAILED_LOGINS');
    const retryAfter = locked.errors?.[0]?.extensions.details['retryAfterSeconds'];
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(locked.data).toBeNull();
    // The same email in other case is the same key.
    expectError(
      await loginResponse(throttled, email.toUpperCase(), TEST_PASSWORD),
      'RATE_LIMITED',
      'TOO_MANY_FAILED_LOGINS',
    );
    expect((await login(throttled, bystander)).person.email).toBe(bystander);
  });

  // API tokens

  it('an ADMIN creates a token shown once, starting with cwl_, kept only as a hash', async () => {
    const created = await createToken(['LEDGER_READ', 'LEDGER_WRITE']);
    expect(created.errors).toBeUndefined();
    const { token, apiToken } = created.data!.createApiToken;
    expect(token.startsWith('cwl_')).toBe(true);
    expect(apiToken).toMatchObject({
      organizationId: app.steward.organizationId,
      scopes: ['LEDGER_READ', 'LEDGER_WRITE'],
      expiresAt: null,
      revokedAt: null,
    });
    const listed = await app.ok(API_TOKENS, { id: app.steward.organizationId });
    expect(listed.organization.apiTokens).toContainEqual({
      id: apiToken.id,
      name: apiToken.name,
      scopes: ['LEDGER_READ', 'LEDGER_WRITE'],
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(token.split('.')[1]);
    const rows: unknown[] = await app.dataSource.query(
      'SELECT id, encode(token_hash, $2) AS hash, name FROM api_token WHERE id = $1',
      [apiToken.id, 'base64'],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token.split('.')[1]);
  });

  it('a LEDGER_READ token reads its organisation accounts and history, and me shows its organisation and scopes', async () => {
    const token = (await createToken(['LEDGER_READ'])).data!.createApiToken.token;
    const viewer = await me(app, token);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.me).toEqual({
      person: null,
      apiTokenOrganizationId: app.steward.organizationId,
      scopes: ['LEDGER_READ'],
      memberships: [],
    });
    const listed = await app.graphql<{ accounts: any }>(ACCOUNTS, { holderId: app.steward.organizationId }, { token });
    expect(listed.errors).toBeUndefined();
    const ids = listed.data?.accounts.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids).toEqual(expect.arrayContaining([readAccount, payee]));
    expect(ids).not.toContain(foreignAccount);
    const one = await app.graphql<{ account: { id: string } }>(ACCOUNT, { id: readAccount }, { token });
    expect(one.data?.account.id).toBe(readAccount);
    expect((await app.graphql(HISTORY, { accountId: readAccount }, { token })).errors).toBeUndefined();
    expectError(await app.graphql(ACCOUNT, { id: foreignAccount }, { token }), 'FORBIDDEN', 'ACCOUNT_NOT_VISIBLE');
  });

  it('a LEDGER_READ token may not move value out of its organisation: FORBIDDEN, nothing written', async () => {
    const token = (await createToken(['LEDGER_READ'])).data!.createApiToken.token;
    const before = await app.snapshot();
    const response = await app.graphql(
      POST_TRANSACTION,
      { input: transfer(readAccount, payee, '100', { unitCode }) },
      { token },
    );
    expectError(response, 'FORBIDDEN', 'NOT_ACCOUNT_HOLDER');
    expect(await app.snapshot()).toEqual(before);
  });

  it('a LEDGER_WRITE token posts a transaction debiting its organisation account', async () => {
    const token = (await createToken(['LEDGER_WRITE'])).data!.createApiToken.token;
    const payerBefore = (await app.ok(ACCOUNT, { id: readAccount })).account;
    const payeeBefore = (await app.ok(ACCOUNT, { id: payee })).account;
    const input = transfer(readAccount, payee, '250', { unitCode });
    const response = await app.graphql<{ postTransaction: any }>(POST_TRANSACTION, { input }, { token });
    expect(response.errors).toBeUndefined();
    expect(response.data?.postTransaction).toMatchObject({
      replayed: false,
      transaction: { id: input.id, status: 'POSTED', unitCode },
    });
    const payerAfter = (await app.ok(ACCOUNT, { id: readAccount })).account;
    const payeeAfter = (await app.ok(ACCOUNT, { id: payee })).account;
    expect(BigInt(payerAfter.balance)).toBe(BigInt(payerBefore.balance) - 250n);
    expect(BigInt(payeeAfter.balance)).toBe(BigInt(payeeBefore.balance) + 250n);
    await app.assertBooksBalance();
  });

  it('a token may not debit another organisation account (FORBIDDEN, nothing changed) nor act as a person', async () => {
    const token = (await createToken(['LEDGER_READ', 'LEDGER_WRITE'])).data!.createApiToken.token;
    const before = await app.snapshot();
    const response = await app.graphql(
      POST_TRANSACTION,
      { input: transfer(foreignAccount, payee, '100', { unitCode }) },
      { token },
    );
    expectError(response, 'FORBIDDEN', 'NOT_ACCOUNT_HOLDER');
    expect(await app.snapshot()).toEqual(before);

    const organization = await app.graphql(
      CREATE_ORGANIZATION,
      { input: { kind: 'COOPERATIVE', name: 'Token co-op', slug: `token-coop-${randomUUID().slice(0, 8)}` } },
      { token },
    );
    expectError(organization, 'FORBIDDEN', 'PERSON_REQUIRED');
    expectError(await createToken(['LEDGER_WRITE'], {}, token), 'FORBIDDEN', 'PERSON_REQUIRED');
    expectError(await app.graphql(LOGOUT, {}, { token }), 'FORBIDDEN', 'PERSON_REQUIRED');
    const orgs: { count: string }[] = await app.dataSource.query(
      "SELECT count(*) FROM organization WHERE name = 'Token co-op'",
    );
    expect(orgs[0]?.count).toBe('0');
  });

  it('a revoked token is refused at once as UNAUTHENTICATED INVALID_TOKEN', async () => {
    const created = (await createToken(['LEDGER_READ'])).data!.createApiToken;
    expect((await me(app, created.token)).errors).toBeUndefined();
    const revoked = await app.ok(REVOKE_API_TOKEN, { input: { apiTokenId: created.apiToken.id } });
    expect(revoked.revokeApiToken).toEqual({ id: created.apiToken.id, revokedAt: expect.any(String) });
    expectError(await me(app, created.token), 'UNAUTHENTICATED', 'INVALID_TOKEN');
    expectError(
      await app.graphql(ACCOUNT, { id: readAccount }, { token: created.token }),
      'UNAUTHENTICATED',
      'INVALID_TOKEN',
    );
    expectError(
      await app.graphql(REVOKE_API_TOKEN, { input: { apiTokenId: created.apiToken.id } }),
      'CONFLICT',
      'API_TOKEN_REVOKED',
    );
  });

  it('a member who is not ADMIN may not create tokens (FORBIDDEN)', async () => {
    const email = uniqueEmail('treasurer');
    const outbox = app.app.get<symbol, OutboxEmailSender>(EMAIL_SENDER);
    await app.ok(INVITE, {
      input: { organizationId: app.steward.organizationId, email, roles: ['TREASURER'] },
    });
    const message = [...outbox.sent].reverse().find((sent) => sent.to === email);
    const invitationToken = /\(invitation token: ([A-Za-z0-9_-]+)\)/.exec(message?.text ?? '')?.[1] ?? '';
    const accepted = await app.ok(
      ACCEPT,
      { input: { token: invitationToken, name: 'Treasurer', password: TEST_PASSWORD } },
      { token: null },
    );
    expect([...accepted.acceptInvitation.membership.roles].sort()).toEqual(['MEMBER', 'TREASURER']);
    const before: { count: string }[] = await app.dataSource.query('SELECT count(*) FROM api_token');
    const response = await createToken(['LEDGER_READ'], {}, accepted.acceptInvitation.auth.accessToken);
    expectError(response, 'FORBIDDEN', 'ROLE_REQUIRED');
    const after: { count: string }[] = await app.dataSource.query('SELECT count(*) FROM api_token');
    expect(after).toEqual(before);
  });

  it('refuses an expiry in the past, and an expired token is UNAUTHENTICATED', async () => {
    expectError(
      await createToken(['LEDGER_READ'], { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
      'VALIDATION_FAILED',
      'EXPIRY_IN_THE_PAST',
    );
    const expiresAt = Date.now() + 10_000;
    const created = await createToken(['LEDGER_READ'], { expiresAt: new Date(expiresAt).toISOString() });
    expect(created.errors).toBeUndefined();
    const token = created.data!.createApiToken.token;
    expect((await me(app, token)).errors).toBeUndefined();
    await sleep(expiresAt - Date.now() + 200);
    expectError(await me(app, token), 'UNAUTHENTICATED', 'INVALID_TOKEN');
  });
});
