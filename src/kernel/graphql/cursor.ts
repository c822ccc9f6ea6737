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

/** A position in a list ordered by (created_at, id): what most lists of the modules page by. */
export interface Position {
  readonly at: Date;
  readonly id: string;
}

const POSITION =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A row's position as a cursor's key (toConnection encodes it). */
export function positionKey(row: { readonly createdAt: Date; readonly id: string }): string {
  return `${row.createdAt.toISOString()}|${row.id}`;
}

/** The position a cursor names, or null for none; INVALID_CURSOR unless it names a real instant and a UUID. */
export function decodePositionCursor(tag: string, cursor: string | null | undefined): Position | null {
  const key = decodeCursor(tag, cursor, POSITION);
  if (key === null) return null;
  const [, iso = '', id = ''] = POSITION.exec(key) ?? [];
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== iso) {
    throw new DomainError(KERNEL_ERRORS.INVALID_CURSOR, 'The cursor is not one this list produced');
  }
  return { at, id };
}
