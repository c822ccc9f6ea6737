/**
 * An assertion states something the code relies on. One that fails is a bug, not bad input: it throws,
 * the request is answered with INTERNAL_SERVER_ERROR and its database transaction rolls back.
 */
export class AssertionFailed extends Error {
  constructor(message: string) {
    super(`Assertion failed: ${message}`);
    this.name = 'AssertionFailed';
  }
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}

export function assertNever(value: never, what: string): never {
  throw new AssertionFailed(`unexpected ${what}: ${String(value)}`);
}
