import { Inject, Injectable } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { SIGNING_SECRET } from '../kernel/database/database.module.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { AUTH_ERRORS } from './auth.errors.js';

/**
 * Access tokens: short-lived HS256 JWTs naming person and session (opaque tokens are kernel/secrets.ts,
 * passwords password-hasher.ts).
 */
const ISSUER = 'commonwealth-ledger';
const AUDIENCE = 'commonwealth-ledger:api';

export interface AccessClaims {
  readonly personId: string;
  readonly sessionId: string;
}

/** Verified tokens kept (oldest forgotten first); each is about 0.5 KB. */
const VERIFIED_TOKENS_KEPT = 10_000;

@Injectable()
export class AccessTokenSigner {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, until they expire: a client sends the same token with every request for its
   * lifetime, and checking the signature again (WebCrypto HMAC, off the main thread) is most of the CPU
   * that authenticating a request costs. Whether its session is still live is checked every time.
   */
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();

  constructor(
    @Inject(SIGNING_SECRET) secret: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: AccessClaims, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + this.config.auth.accessTokenTtlSeconds;
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.personId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The claims of a valid token; UNAUTHENTICATED (TOKEN_EXPIRED or INVALID_TOKEN) otherwise. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known !== undefined && known.expiresAtMs > Date.now()) return known.claims;
    const verified = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      const oldest = this.verified.keys().next();
      if (oldest.done !== true) this.verified.delete(oldest.value);
    }
    this.verified.set(token, verified);
    return verified.claims;
  }

  private async verifySignature(token: string): Promise<{ claims: AccessClaims; expiresAtMs: number }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const sessionId = payload['sid'];
      if (typeof payload.sub !== 'string' || typeof sessionId !== 'string' || payload.exp === undefined) {
        throw new Error('claims missing');
      }
      return { claims: { personId: payload.sub, sessionId }, expiresAtMs: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new DomainError(AUTH_ERRORS.TOKEN_EXPIRED, 'The access token has expired: refresh the session');
      }
      throw new DomainError(AUTH_ERRORS.INVALID_TOKEN, 'The access token is not valid');
    }
  }
}
