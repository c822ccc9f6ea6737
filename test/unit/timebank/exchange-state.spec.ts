/**
 * Goal: the state machine of a time log allows exactly the steps of its table, refuses every other with
 * its reason, in the documented order (right, then status, then timing, then parameters), and never reaches a
 * status twice; the auto-confirmation falls due at the bank's delay, on a whole second, never before.
 * Method: worked examples of each step, then fast-check properties over every status, caller and action,
 * and over random walks of steps.
 */
import fc from 'fast-check';
import {
  autoConfirmAt,
  decideTransition,
  EXCHANGE_ACTIONS,
  EXCHANGE_STATUSES,
  isDue,
  isFinal,
  successors,
  type Caller,
  type ExchangeState,
  type ExchangeStatus,
} from '../../../src/timebank/rules/exchange-state.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const giver: Caller = { isGiver: true, isReceiver: false, isCoordinator: false, isSystem: false };
const receiver: Caller = { isGiver: false, isReceiver: true, isCoordinator: false, isSystem: false };
const coordinator: Caller = { isGiver: false, isReceiver: false, isCoordinator: true, isSystem: false };
const system: Caller = { isGiver: false, isReceiver: false, isCoordinator: false, isSystem: true };
const stranger: Caller = { isGiver: false, isReceiver: false, isCoordinator: false, isSystem: false };

const pending = (overrides: Partial<ExchangeState> = {}): ExchangeState => ({
  status: 'PENDING',
  minutes: 90,
  startedBy: 'GIVER',
  dueAt: new Date(NOW.getTime() - 1000),
  ...overrides,
});

describe('the time log state machine', () => {
  it('lets the receiver confirm what the giver logged, and the giver what the receiver recorded', () => {
    expect(decideTransition(pending(), receiver, { action: 'CONFIRM', now: NOW })).toEqual({
      ok: true,
      next: 'CONFIRMED',
      effect: 'POST',
      minutes: 90,
    });
    expect(decideTransition(pending(), giver, { action: 'CONFIRM', now: NOW })).toEqual({
      ok: false,
      refusal: 'NOT_THE_CONFIRMER',
    });
    expect(decideTransition(pending({ startedBy: 'RECEIVER' }), giver, { action: 'CONFIRM', now: NOW })).toMatchObject({
      ok: true,
      next: 'CONFIRMED',
    });
  });

  it('replays a confirmation of a confirmed log, and refuses one of a cancelled log', () => {
    expect(decideTransition(pending({ status: 'CONFIRMED' }), receiver, { action: 'CONFIRM', now: NOW })).toEqual({
      ok: true,
      replay: true,
      next: 'CONFIRMED',
    });
    expect(decideTransition(pending({ status: 'CANCELLED' }), receiver, { action: 'CONFIRM', now: NOW })).toEqual({
      ok: false,
      refusal: 'TRANSITION_REFUSED',
    });
  });

  it('asks a reason of disputes, cancellations and corrections', () => {
    expect(decideTransition(pending(), receiver, { action: 'DISPUTE', now: NOW, reason: ' ' })).toEqual({
      ok: false,
      refusal: 'EXPLANATION_REQUIRED',
    });
    expect(
      decideTransition(pending({ status: 'CONFIRMED' }), coordinator, { action: 'REVERSE', now: NOW, reason: 'Twice' }),
    ).toEqual({ ok: true, next: 'REVERSED', effect: 'REVERSE', minutes: 90 });
  });

  it('lets a coordinator confirm a dispute with fewer minutes, never more', () => {
    const disputed = pending({ status: 'DISPUTED' });
    expect(decideTransition(disputed, coordinator, { action: 'RESOLVE_CONFIRM', now: NOW, minutes: 60 })).toEqual({
      ok: true,
      next: 'CONFIRMED',
      effect: 'POST',
      minutes: 60,
    });
    for (const minutes of [0, 91, 1.5, -1]) {
      expect(decideTransition(disputed, coordinator, { action: 'RESOLVE_CONFIRM', now: NOW, minutes })).toEqual({
        ok: false,
        refusal: 'MINUTES_ABOVE_LOGGED',
      });
    }
    expect(decideTransition(disputed, receiver, { action: 'RESOLVE_CONFIRM', now: NOW, minutes: 60 })).toEqual({
      ok: false,
      refusal: 'COORDINATOR_REQUIRED',
    });
  });

  it('confirms by itself only as the system and only once due', () => {
    expect(decideTransition(pending(), system, { action: 'AUTO_CONFIRM', now: NOW })).toMatchObject({ ok: true });
    expect(
      decideTransition(pending({ dueAt: new Date(NOW.getTime() + 1) }), system, { action: 'AUTO_CONFIRM', now: NOW }),
    ).toEqual({ ok: false, refusal: 'NOT_DUE' });
    expect(decideTransition(pending(), receiver, { action: 'AUTO_CONFIRM', now: NOW })).toEqual({
      ok: false,
      refusal: 'NOT_THE_CONFIRMER',
    });
  });

  const callers = fc.constantFrom(giver, receiver, coordinator, system, stranger);
  const statuses = fc.constantFrom(...EXCHANGE_STATUSES);
  const actions = fc.constantFrom(...EXCHANGE_ACTIONS);
  const states = fc.record({
    status: statuses,
    minutes: fc.integer({ min: 1, max: 10080 }),
    startedBy: fc.constantFrom('GIVER' as const, 'RECEIVER' as const, 'COORDINATOR' as const),
    dueAt: fc.option(fc.date({ min: new Date('2026-01-01'), max: new Date('2026-06-01'), noInvalidDate: true })),
  });

  it('moves only along the table: every next status is a successor, the minutes never grow', () => {
    fc.assert(
      fc.property(
        states,
        callers,
        actions,
        fc.option(fc.integer({ min: -5, max: 20000 })),
        fc.string(),
        (state, caller, action, minutes, reason) => {
          const decision = decideTransition(state, caller, { action, now: NOW, minutes, reason });
          if (!decision.ok) return;
          if ('replay' in decision) {
            expect(decision.next).toBe(state.status);
            return;
          }
          expect(successors(state.status)).toContain(decision.next);
          expect(decision.minutes).toBeGreaterThanOrEqual(1);
          expect(decision.minutes).toBeLessThanOrEqual(state.minutes);
        },
      ),
    );
  });

  it('refuses strangers everything, and leaves final statuses for good', () => {
    fc.assert(
      fc.property(states, actions, (state, action) => {
        const decision = decideTransition(state, stranger, { action, now: NOW, reason: 'why' });
        expect(decision.ok).toBe(false);
      }),
    );
    for (const status of EXCHANGE_STATUSES) {
      if (isFinal(status)) expect(successors(status)).toEqual([]);
    }
  });

  it('never reaches a status twice along any walk', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(callers, actions, fc.option(fc.integer({ min: 1, max: 90 }))), { maxLength: 20 }),
        (walk) => {
          let state = pending();
          const seen: ExchangeStatus[] = [state.status];
          for (const [caller, action, minutes] of walk) {
            const decision = decideTransition(state, caller, { action, now: NOW, minutes, reason: 'because' });
            if (!decision.ok || 'replay' in decision) continue;
            expect(seen).not.toContain(decision.next);
            seen.push(decision.next);
            state = { ...state, status: decision.next };
          }
        },
      ),
    );
  });

  it('falls due at the delay rounded up to the second, never before', () => {
    expect(autoConfirmAt(new Date('2026-03-01T12:00:00.250Z'), 0).toISOString()).toBe('2026-03-01T12:00:01.000Z');
    expect(autoConfirmAt(new Date('2026-03-01T12:00:00Z'), 60 * 24 * 7).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 129600 }),
        (loggedAt, delay) => {
          const due = autoConfirmAt(loggedAt, delay);
          expect(due.getTime() % 1000).toBe(0);
          expect(due.getTime()).toBeGreaterThanOrEqual(loggedAt.getTime() + delay * 60_000);
          expect(due.getTime() - (loggedAt.getTime() + delay * 60_000)).toBeLessThan(1000);
          expect(isDue(due, new Date(due.getTime() - 1))).toBe(false);
          expect(isDue(due, due)).toBe(true);
        },
      ),
    );
    expect(isDue(null, NOW)).toBe(false);
  });
});
