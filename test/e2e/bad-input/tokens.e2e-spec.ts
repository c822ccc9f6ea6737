/**
 * Goal: every operation but a handful needs a token, and only a valid one of the right kind, with the right
 * rights, counts. A valid transfer sent with no token, a forged, altered, expired, truncated, oversized or
 * revoked token, a token of another kind or scheme, or a token without the right to move this money is
 * refused (UNAUTHENTICATED or FORBIDDEN, with its reason) and moves nothing; a login after too many failures
 * is refused (RATE_LIMITED) even with the right password.
 * Method: the bad-input catalogue (catalogue.ts) on an app with a known JWT secret (to forge tokens with it)
 * that locks an email after 2 failed logins: each case's raw request to the real service on its own database,
 * the snapshot of every table before and after, a leak scan of the answer, GET /health after it.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { TEST_PASSWORD } from '../setup/test-app.js';
import { fx, gql, postTransfer, refused, runCatalogue, type Case, type Sent } from './catalogue.js';

const JWT_SECRET = 'bad-input-catalogue-secret-0123456789-abcdefghij';
const ISSUER = 'commonwealth-ledger';
const AUDIENCE = 'commonwealth-ledger:api';

/** Filled in by the file's fixtures. */
const tokens = {
  stewardSessionId: '',
  /** A refresh token of another person. */
  refresh: '',
  /** API tokens of the steward's federation. */
  writeApi: '',
  readApi: '',
  revokedApi: '',
  /** The access token of a person who holds no account. */
  stranger: '',
};

interface AccessTokenOptions {
  readonly secret?: string;
  readonly alg?: string;
  readonly issuedAt?: number;
  readonly ttlSeconds?: number;
}

/** An access token as the service would sign it (for the steward's session), but for what the case changes. */
async function accessToken(claims: { sub?: string; sid?: string; aud?: string }, options: AccessTokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = options.issuedAt ?? now;
  return new SignJWT({ sid: claims.sid ?? tokens.stewardSessionId })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? fx.app.steward.personId)
    .setIssuer(ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 900))
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

/** A valid transfer sent with another token: every one of these must be refused and move nothing. */
function postAs(token: string | null, authorization?: string): Promise<Sent> {
  return postTransfer({}, authorization === undefined ? { token } : { authorization });
}

function login(password: string): Promise<Sent> {
  return gql(
    'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
    { input: { email: 'steward@test.example', password } },
    { token: null },
  );
}

const CASES: readonly Case[] = [
  {
    name: 'no token',
    send: () => postAs(null),
    expect: refused('UNAUTHENTICATED', 'MISSING_TOKEN'),
  },
  {
    name: 'a JWT with alg "none"',
    send: async () =>
      postAs(
        new UnsecuredJWT({ sid: tokens.stewardSessionId })
          .setSubject(fx.app.steward.personId)
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('15m')
          .encode(),
      ),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a JWT signed with another secret',
    send: async () => postAs(await accessToken({}, { secret: 'another-secret-another-secret-another-secret' })),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a JWT signed with the right secret but HS512',
    send: async () => postAs(await accessToken({}, { alg: 'HS512' })),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a JWT for another audience',
    send: async () => postAs(await accessToken({ aud: 'someone-else' })),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'an expired JWT',
    send: async () =>
      postAs(await accessToken({}, { issuedAt: Math.floor(Date.now() / 1000) - 3600, ttlSeconds: 900 })),
    expect: refused('UNAUTHENTICATED', 'TOKEN_EXPIRED'),
  },
  {
    name: 'a well-signed JWT for a session that never existed',
    send: async () => postAs(await accessToken({ sid: randomUUID() })),
    expect: refused('UNAUTHENTICATED', 'SESSION_REVOKED'),
  },
  {
    name: 'a truncated JWT',
    send: () => postAs(fx.app.steward.token.slice(0, -10)),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a refresh token used as an access token',
    send: () => postAs(tokens.refresh),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'an API token with a wrong secret',
    send: () => postAs(`${tokens.writeApi.slice(0, -1)}${tokens.writeApi.endsWith('A') ? 'B' : 'A'}`),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a revoked API token',
    send: () => postAs(tokens.revokedApi),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'an API token prefix with garbage',
    send: () => postAs("cwl_';DROP/**/TABLE/**/api_token;--"),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'the Basic scheme',
    send: () => postAs(null, `Basic ${Buffer.from('steward@test.example:password').toString('base64')}`),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a bearer token of 10 KB',
    send: () => postAs('a'.repeat(10 * 1024)),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: '"Bearer" with no token',
    send: () => postAs(null, 'Bearer '),
    expect: refused('UNAUTHENTICATED', 'INVALID_TOKEN'),
  },
  {
    name: 'a LEDGER_READ API token moving money',
    send: () => postAs(tokens.readApi),
    expect: refused('FORBIDDEN', 'NOT_ACCOUNT_HOLDER'),
  },
  {
    name: "a stranger debiting the steward's account",
    send: () => postAs(tokens.stranger),
    expect: refused('FORBIDDEN', 'NOT_ACCOUNT_HOLDER'),
  },
  {
    name: 'a third login after two failures (lock after 2)',
    arrange: async () => {
      await login('wrong password number one');
      await login('wrong password number two');
    },
    send: () => login(TEST_PASSWORD),
    expect: refused('RATE_LIMITED', 'TOO_MANY_FAILED_LOGINS'),
  },
];

runCatalogue('tokens', CASES, {
  env: { JWT_SECRET, LOGIN_SLOW_AFTER: '1', LOGIN_LOCK_AFTER: '2' },
  fixtures: async () => {
    tokens.stewardSessionId = String(decodeJwt(fx.app.steward.token)['sid']);
    const other = await fx.app.ok<{ register: { refreshToken: string } }>(
      'mutation($input: RegisterInput!) { register(input: $input) { refreshToken } }',
      { input: { email: 'refresher@test.example', name: 'Refresher', password: TEST_PASSWORD } },
      { token: null },
    );
    tokens.refresh = other.register.refreshToken;
    tokens.stranger = await fx.app.register('stranger@test.example');

    const createApiToken = async (scopes: string[]) =>
      (
        await fx.app.ok<{ createApiToken: { token: string; apiToken: { id: string } } }>(
          'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }',
          { input: { organizationId: fx.app.steward.organizationId, name: `Till ${scopes.join()}`, scopes } },
        )
      ).createApiToken;
    tokens.writeApi = (await createApiToken(['LEDGER_WRITE'])).token;
    tokens.readApi = (await createApiToken(['LEDGER_READ'])).token;
    const revoked = await createApiToken(['LEDGER_WRITE']);
    await fx.app.ok('mutation($input: ApiTokenIdInput!) { revokeApiToken(input: $input) { id } }', {
      input: { apiTokenId: revoked.apiToken.id },
    });
    tokens.revokedApi = revoked.token;
  },
});
