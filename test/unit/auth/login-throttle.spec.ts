/**
 * Goal: repeated failed logins are first slowed (doubling from baseDelayMs, capped at maxDelayMs from
 * slowAfter failures on), then refused for lockSeconds once lockAfter failures fall within one window; a
 * lock, once set, holds until lockedUntil; failures older than the window stop counting. Method: worked
 * examples with a fixed policy and explicit clocks (time is a parameter, so no fake timers), including the
 * boundaries (the window's last millisecond, the lock's last millisecond, rounding of retryAfterSeconds),
 * plus fast-check properties over random policies and failure times: the delay is never above maxDelayMs
 * and never falls while failures accumulate within a window; lockAfter failures in a row lock the key
 * until exactly lockedUntil.
 */
import fc from 'fast-check';
import {
  assessLogin,
  recordFailure,
  type ThrottlePolicy,
  type ThrottleState,
} from '../../../src/auth/rules/login-throttle.js';

const POLICY: ThrottlePolicy = {
  windowSeconds: 900,
  slowAfter: 3,
  lockAfter: 10,
  lockSeconds: 600,
  baseDelayMs: 250,
  maxDelayMs: 4000,
};
const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const SECOND = 1000;

/** The state after `count` failures at the given times (ms after T0), or one per second from T0. */
function failures(count: number, policy = POLICY, times = Array.from({ length: count }, (_, i) => i * SECOND)) {
  let state: ThrottleState | null = null;
  for (const time of times.slice(0, count)) state = recordFailure(state, at(time), policy);
  return state;
}

function delayOf(state: ThrottleState | null, now: Date, policy = POLICY): number {
  const verdict = assessLogin(state, now, policy);
  if (!verdict.allowed) throw new Error(`expected an allowed attempt, got retry after ${verdict.retryAfterSeconds}s`);
  return verdict.delayMs;
}

describe('assessLogin and recordFailure: worked examples', () => {
  it('an unknown key is allowed at once', () => {
    expect(assessLogin(null, T0, POLICY)).toEqual({ allowed: true, delayMs: 0 });
  });

  it('the first failure opens a window at its own time', () => {
    expect(recordFailure(null, at(5 * SECOND), POLICY)).toEqual({
      failures: 1,
      windowStartedAt: at(5 * SECOND),
      lockedUntil: null,
    });
  });

  it('fewer than slowAfter failures: no delay; from slowAfter on: 250, 500, 1000, 2000, then capped at 4000', () => {
    const now = at(20 * SECOND);
    const delays = Array.from({ length: 10 }, (_, n) => delayOf(failures(n), now));
    expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('failures within the window keep its start (a fixed window, not a sliding one)', () => {
    const state = failures(3, POLICY, [0, 100 * SECOND, 800 * SECOND]);
    expect(state).toEqual({ failures: 3, windowStartedAt: T0, lockedUntil: null });
  });

  it('the lockAfter-th failure locks the key for lockSeconds and starts a fresh, empty window', () => {
    const lastAt = at(9 * SECOND);
    expect(failures(10)).toEqual({
      failures: 0,
      windowStartedAt: lastAt,
      lockedUntil: new Date(lastAt.getTime() + 600 * SECOND),
    });
  });

  it('a locked key is refused with retryAfterSeconds rounded up; at lockedUntil it is allowed again, unslowed', () => {
    const locked = failures(10) as ThrottleState;
    const until = (locked.lockedUntil as Date).getTime() - T0.getTime();
    expect(assessLogin(locked, at(9 * SECOND), POLICY)).toEqual({ allowed: false, retryAfterSeconds: 600 });
    expect(assessLogin(locked, at(until - 1500), POLICY)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(assessLogin(locked, at(until - 1000), POLICY)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(assessLogin(locked, at(until - 1), POLICY)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(assessLogin(locked, at(until), POLICY)).toEqual({ allowed: true, delayMs: 0 });
    expect(assessLogin(locked, at(until + 3_600_000), POLICY)).toEqual({ allowed: true, delayMs: 0 });
  });

  it('after a lock, failures are slowed again from the start', () => {
    const locked = failures(10) as ThrottleState;
    const until = (locked.lockedUntil as Date).getTime() - T0.getTime();
    let state: ThrottleState = locked;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      state = recordFailure(state, at(until + i * SECOND), POLICY);
      delays.push(delayOf(state, at(until + i * SECOND)));
    }
    expect(delays).toEqual([0, 0, 250, 500, 1000]);
  });

  it('failures stop counting at the window’s end (not one millisecond before)', () => {
    const state = failures(5); // window opened at T0
    const end = 900 * SECOND;
    expect(delayOf(state, at(end - 1))).toBe(1000);
    expect(delayOf(state, at(end))).toBe(0);
    expect(delayOf(state, at(end + 86_400_000))).toBe(0);
  });

  it('a failure after the window opens a new one at its own time, counting from one', () => {
    const state = failures(9) as ThrottleState;
    const later = at(900 * SECOND);
    expect(recordFailure(state, later, POLICY)).toEqual({ failures: 1, windowStartedAt: later, lockedUntil: null });
  });

  it('ten failures spread over two windows (five in each) never lock', () => {
    const times = [0, 1, 2, 3, 4, 900, 901, 902, 903, 904].map((s) => s * SECOND);
    const state = failures(10, POLICY, times) as ThrottleState;
    expect(state.lockedUntil).toBeNull();
    expect(state.failures).toBe(5);
  });

  it('an expired lock does not count as a lock, whatever is stored beside it', () => {
    const stale: ThrottleState = { failures: 4, windowStartedAt: at(0), lockedUntil: at(-1) };
    expect(assessLogin(stale, at(10 * SECOND), POLICY)).toEqual({ allowed: true, delayMs: 500 });
  });

  it('a failure recorded while the key is locked keeps it locked (e.g. an attempt admitted just before)', () => {
    // Attempts are admitted and their failures recorded in separate transactions: several attempts admitted
    // in parallel record their failures one after another, the last ones after the lock has been set. The
    // lock must survive them, or parallel guessing would never be refused for long.
    const locked = failures(10) as ThrottleState;
    const lockedUntil = locked.lockedUntil as Date;
    const after = recordFailure(locked, at(10 * SECOND), POLICY);
    expect(after.lockedUntil?.getTime() ?? 0).toBeGreaterThanOrEqual(lockedUntil.getTime());
    expect(assessLogin(after, at(11 * SECOND), POLICY)).toMatchObject({ allowed: false });
  });
});

const policyArb: fc.Arbitrary<ThrottlePolicy> = fc.record({
  windowSeconds: fc.integer({ min: 1, max: 7200 }),
  slowAfter: fc.integer({ min: 1, max: 12 }),
  lockAfter: fc.integer({ min: 1, max: 40 }),
  lockSeconds: fc.integer({ min: 1, max: 7200 }),
  baseDelayMs: fc.integer({ min: 0, max: 5000 }),
  maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
});

/** Failure times (ms after T0) that all fall within one window opened by the first of them. */
function withinWindow(policy: ThrottlePolicy, count: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.integer({ min: 0, max: policy.windowSeconds * SECOND - 1 }), { minLength: count, maxLength: count })
    .map((times) => [...times].sort((a, b) => a - b))
    .map((times) => times.map((t) => t - (times[0] ?? 0)));
}

describe('assessLogin and recordFailure: properties', () => {
  it('the delay never exceeds maxDelayMs and never falls as failures accumulate within a window', () => {
    fc.assert(
      fc.property(
        policyArb.chain((policy) => fc.tuple(fc.constant(policy), withinWindow(policy, policy.lockAfter - 1))),
        ([policy, times]) => {
          let state: ThrottleState | null = null;
          let previous = 0;
          for (const time of times) {
            state = recordFailure(state, at(time), policy);
            const delay = delayOf(state, at(time), policy);
            expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
            expect(delay).toBeGreaterThanOrEqual(previous);
            if (state.failures < policy.slowAfter) expect(delay).toBe(0);
            previous = delay;
          }
        },
      ),
    );
  });

  it('for any state and time, an allowed attempt waits between 0 and maxDelayMs', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.nat({ max: 1000 }),
        fc.integer({ min: -1e7, max: 1e7 }),
        fc.option(fc.integer({ min: -1e7, max: 1e7 })),
        fc.integer({ min: -1e7, max: 1e7 }),
        (policy, count, started, locked, now) => {
          const state: ThrottleState = {
            failures: count,
            windowStartedAt: at(started),
            lockedUntil: locked === null ? null : at(locked),
          };
          const verdict = assessLogin(state, at(now), policy);
          if (verdict.allowed) {
            expect(verdict.delayMs).toBeGreaterThanOrEqual(0);
            expect(verdict.delayMs).toBeLessThanOrEqual(policy.maxDelayMs);
          } else {
            expect(locked).not.toBeNull();
            expect(verdict.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('lockAfter failures within a window: every attempt before is allowed, and refused after until lockedUntil', () => {
    fc.assert(
      fc.property(
        policyArb.chain((policy) =>
          fc.tuple(
            fc.constant(policy),
            withinWindow(policy, policy.lockAfter),
            fc.integer({ min: 0, max: policy.lockSeconds * SECOND - 1 }),
          ),
        ),
        ([policy, times, into]) => {
          let state: ThrottleState | null = null;
          for (const time of times) {
            expect(assessLogin(state, at(time), policy).allowed).toBe(true);
            state = recordFailure(state, at(time), policy);
          }
          const last = times[times.length - 1] as number;
          const lockedUntil = state?.lockedUntil;
          expect(lockedUntil).toEqual(at(last + policy.lockSeconds * SECOND));
          const verdict = assessLogin(state, at(last + into), policy);
          expect(verdict).toEqual({
            allowed: false,
            retryAfterSeconds: Math.ceil((policy.lockSeconds * SECOND - into) / SECOND),
          });
          expect(assessLogin(state, at(last + policy.lockSeconds * SECOND), policy).allowed).toBe(true);
        },
      ),
    );
  });

  it('retryAfterSeconds: waiting that long always suffices, and a second less never does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e8 }), fc.integer({ min: -1e6, max: 1e6 }), (remaining, started) => {
        const state: ThrottleState = { failures: 0, windowStartedAt: at(started), lockedUntil: at(remaining) };
        const verdict = assessLogin(state, T0, POLICY);
        if (verdict.allowed) throw new Error('expected a refusal');
        expect(T0.getTime() + verdict.retryAfterSeconds * SECOND).toBeGreaterThanOrEqual(T0.getTime() + remaining);
        expect(T0.getTime() + (verdict.retryAfterSeconds - 1) * SECOND).toBeLessThan(T0.getTime() + remaining);
      }),
    );
  });

  it('a lock is never shortened by a failure recorded during it', () => {
    fc.assert(
      fc.property(
        policyArb.chain((policy) =>
          fc.tuple(fc.constant(policy), fc.integer({ min: 0, max: policy.lockSeconds * SECOND - 1 })),
        ),
        ([policy, into]) => {
          const locked = failures(policy.lockAfter, policy, Array<number>(policy.lockAfter).fill(0)) as ThrottleState;
          const lockedUntil = locked.lockedUntil as Date;
          const lastAt = lockedUntil.getTime() - policy.lockSeconds * SECOND;
          const after = recordFailure(locked, new Date(lastAt + into), policy);
          expect(after.lockedUntil?.getTime() ?? -Infinity).toBeGreaterThanOrEqual(lockedUntil.getTime());
        },
      ),
    );
  });

  it('time is a parameter: the same state and instant always give the same verdict', () => {
    fc.assert(
      fc.property(policyArb, fc.nat({ max: 30 }), fc.nat({ max: 1e7 }), (policy, count, now) => {
        const state = failures(count, policy);
        expect(assessLogin(state, at(now), policy)).toEqual(assessLogin(state, at(now), policy));
        expect(recordFailure(state, at(now), policy)).toEqual(recordFailure(state, at(now), policy));
      }),
    );
  });
});
