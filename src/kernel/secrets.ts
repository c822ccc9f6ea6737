import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque secrets the service hands out (refresh, API and invitation tokens): 256 random bits, stored only as
 * their SHA-256 (a slow hash adds nothing to a secret that cannot be guessed) and compared in constant time.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
