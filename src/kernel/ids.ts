/**
 * Ids are UUIDs in canonical lower case, the one definition every module uses. Derived ids are name-based
 * (version 5): the same name in the same namespace gives the same id in every process, which is how a
 * retried workflow step or a hold's expiry finds the transaction it already wrote.
 */
import { createHash, type BinaryLike } from 'node:crypto';
import { DomainError } from './errors/domain-error.js';
import { KERNEL_ERRORS } from './errors/kernel.errors.js';

/** A UUID as the ledger accepts one: lower case, RFC 9562 version 1 to 8, its variant bits set. */
export const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

/** Only the 8-4-4-4-12 form, version and variant unchecked: the id part of the tokens this service issues. */
export const UUID_FORM_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const UUID_PATTERN = new RegExp(`^${UUID_SOURCE}$`);

/** The same pattern in either case, for inputs that are lower-cased after they are checked. */
export const UUID_ANY_CASE = new RegExp(`^${UUID_SOURCE}$`, 'i');

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/** A UUID in the canonical lower case, or a VALIDATION_FAILED naming the field. */
export function requireUuid(id: string, field: string): string {
  const lower = id.toLowerCase();
  if (!isUuid(lower)) throw new DomainError(KERNEL_ERRORS.INVALID_ID, `${field} must be a UUID`, { field });
  return lower;
}

const STEP_NAMESPACE = '9c4f2d1e-5b7a-4e3c-8f60-2a1b3c4d5e6f';

/**
 * The id of what a workflow step writes, derived from what the step is: its kind (`<module>.<step>`) and
 * the parts that make it one (a lease and a period, a strike and a week). A step run again, after a crash or
 * in a second process, derives the same id and so replays what it wrote instead of writing it twice.
 */
export function stepId(step: string, ...identity: readonly string[]): string {
  return uuidV5(JSON.stringify([step, ...identity]), STEP_NAMESPACE);
}

/** A name-based (version 5) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1')
    .update(Buffer.concat([namespaceBytes, Buffer.from(name, 'utf8')]) as BinaryLike)
    .digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
