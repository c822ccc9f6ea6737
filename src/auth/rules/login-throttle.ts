/**
 * Repeated failed logins are slowed, then refused for a while, per key (an email address, and separately
 * the client's address with a looser policy). Guessing passwords then costs hours, not seconds, while a
 * person who mistypes a few times barely notices. Failures count within a window; a success clears the
 * email's count. SQL twin: the login_throttle table, read and written under a row lock.
 */
export interface ThrottleState {
  readonly failures: number;
  readonly windowStartedAt: Date;
  readonly lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  /** Failures older than this no longer count. */
  readonly windowSeconds: number;
  /** From this many failures on, each attempt waits (doubling, up to maxDelayMs). */
  readonly slowAfter: number;
  /** At this many failures the key is refused for lockSeconds. */
  readonly lockAfter: number;
  readonly lockSeconds: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export type ThrottleVerdict =
  | { readonly allowed: true; readonly delayMs: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export function assessLogin(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleVerdict {
  if (state === null) return { allowed: true, delayMs: 0 };
  if (state.lockedUntil !== null && state.lockedUntil > now) {
    return { allowed: false, retryAfterSeconds: Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  const failures = countingFailures(state, now, policy);
  if (failures < policy.slowAfter) return { allowed: true, delayMs: 0 };
  const doublings = Math.min(failures - policy.slowAfter, 20);
  return { allowed: true, delayMs: Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings) };
}

export function recordFailure(state: ThrottleState | null, now: Date, policy: ThrottlePolicy): ThrottleState {
  // An attempt admitted just before the lock may fail after it: the lock stands as it is.
  if (state?.lockedUntil != null && state.lockedUntil > now) return state;
  const current = state === null ? 0 : countingFailures(state, now, policy);
  const windowStartedAt = state === null || current === 0 ? now : state.windowStartedAt;
  const failures = current + 1;
  if (failures >= policy.lockAfter) {
    // The lock starts a fresh window: after it, the next failures are slowed again from the start.
    return { failures: 0, windowStartedAt: now, lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000) };
  }
  return { failures, windowStartedAt, lockedUntil: null };
}

function countingFailures(state: ThrottleState, now: Date, policy: ThrottlePolicy): number {
  const expired = now.getTime() - state.windowStartedAt.getTime() >= policy.windowSeconds * 1000;
  return expired ? 0 : state.failures;
}
