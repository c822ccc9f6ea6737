import { DomainError } from '../errors/domain-error.js';
import { KERNEL_ERRORS } from '../errors/kernel.errors.js';

/** Opaque page cursors: a tagged key, base64url-encoded, so that clients do not build them by hand. */
export function encodeCursor(tag: string, key: string): string {
  return Buffer.from(`${tag}:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(tag: string, cursor: string | null | undefined, keyPattern: RegExp): string | null {
  if (cursor === null || cursor === undefined) return null;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = decoded.startsWith(`${tag}:`) ? decoded.slice(tag.length + 1) : '';
  if (!keyPattern.test(key))
    throw new DomainError(KERNEL_ERRORS.INVALID_CURSOR, 'The cursor is not one this list produced');
  return key;
}
