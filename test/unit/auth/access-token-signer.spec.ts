/**
 * Goal: an access token is accepted exactly while it is valid, whether its signature is checked afresh or
 * remembered from an earlier request: a remembered token is refused once it expires (TOKEN_EXPIRED), and a
 * token that differs from a remembered one in any character (a forged signature, other claims) is checked
 * afresh and refused. Method: a signer with a 2-second lifetime; tokens signed by it and by another
 * secret; one real wait past the expiry.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../../../src/kernel/config/app-config.js';
import { DomainError } from '../../../src/kernel/errors/domain-error.js';
import { AccessTokenSigner } from '../../../src/auth/access-token-signer.js';

const CLAIMS = { personId: '0b9d6f2e-3c1a-4e5b-8f7d-1a2b3c4d5e6f', sessionId: '7f3e2d1c-0b9a-4876-9543-210fedcba987' };

function signer(secret: string, ttlSeconds: number): AccessTokenSigner {
  return new AccessTokenSigner(secret, { auth: { accessTokenTtlSeconds: ttlSeconds } } as AppConfig);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return String(error.details['reason']);
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('AccessTokenSigner', () => {
  it('accepts its own token again and again, with the same claims', async () => {
    const tokens = signer('a-secret-of-at-least-thirty-two-characters', 900);
    const { token } = await tokens.sign(CLAIMS, new Date());
    expect(await tokens.verify(token)).toEqual(CLAIMS);
    expect(await tokens.verify(token)).toEqual(CLAIMS);
  });

  it('refuses a token signed with another secret, and any change to a token it has accepted', async () => {
    const tokens = signer('a-secret-of-at-least-thirty-two-characters', 900);
    const { token } = await tokens.sign(CLAIMS, new Date());
    await tokens.verify(token);
    const foreign = await signer('another-secret-of-thirty-two-characters!', 900).sign(CLAIMS, new Date());
    expect(await refusal(tokens.verify(foreign.token))).toBe('INVALID_TOKEN');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(await refusal(tokens.verify(`${token.slice(0, -1)}${last}`))).toBe('INVALID_TOKEN');
    const [header, , signature] = token.split('.');
    const otherClaims = Buffer.from(JSON.stringify({ sub: CLAIMS.personId, sid: 'someone-else' })).toString(
      'base64url',
    );
    expect(await refusal(tokens.verify(`${header}.${otherClaims}.${signature}`))).toBe('INVALID_TOKEN');
  });

  it('refuses a token it has accepted once the token expires', async () => {
    const tokens = signer('a-secret-of-at-least-thirty-two-characters', 2);
    const { token, expiresAt } = await tokens.sign(CLAIMS, new Date());
    expect(await tokens.verify(token)).toEqual(CLAIMS);
    await sleep(expiresAt.getTime() - Date.now() + 50);
    expect(await refusal(tokens.verify(token))).toBe('TOKEN_EXPIRED');
  });
});
