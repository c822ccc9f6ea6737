/**
 * The life of a time log (an exchange), as a state machine. Who may take each step, from which status, and
 * what the ledger then does:
 *
 * | action           | by                                   | from      | to        | ledger                    |
 * | ---------------- | ------------------------------------ | --------- | --------- | ------------------------- |
 * | CONFIRM          | the other side (not who logged it)   | PENDING   | CONFIRMED | the hold posts in full    |
 * | DISPUTE          | the other side, with a reason        | PENDING   | DISPUTED  | the hold stays            |
 * | AUTO_CONFIRM     | the system, once `dueAt` has come     | PENDING   | CONFIRMED | the hold posts in full    |
 * | WITHDRAW         | who logged it                        | PENDING   | CANCELLED | the hold is voided        |
 * | RESOLVE_CONFIRM  | a coordinator, 1..logged minutes     | DISPUTED  | CONFIRMED | the hold posts (in part)  |
 * | RESOLVE_CANCEL   | a coordinator, with a reason         | DISPUTED  | CANCELLED | the hold is voided        |
 * | REVERSE          | a coordinator, with a reason         | CONFIRMED | REVERSED  | a reversal (a correction) |
 *
 * Refusals, in this order: the caller's right (NOT_THE_CONFIRMER, NOT_THE_LOGGER, COORDINATOR_REQUIRED),
 * then the status (TRANSITION_REFUSED), then the timing (NOT_DUE), then the parameters
 * (EXPLANATION_REQUIRED, MINUTES_ABOVE_LOGGED). CONFIRM of an exchange its caller already confirmed is not a
 * refusal but a replay (the caller sees it as it is). No status is reached twice: the graph has no cycle.
 * SQL twin: the trigger guard_timebank_exchange (migrations/1764400000000-Timebank.ts).
 */

export const EXCHANGE_STATUSES = ['PENDING', 'DISPUTED', 'CONFIRMED', 'CANCELLED', 'REVERSED'] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

export const EXCHANGE_ACTIONS = [
  'CONFIRM',
  'DISPUTE',
  'AUTO_CONFIRM',
  'WITHDRAW',
  'RESOLVE_CONFIRM',
  'RESOLVE_CANCEL',
  'REVERSE',
] as const;
export type ExchangeAction = (typeof EXCHANGE_ACTIONS)[number];

export type StartedBy = 'GIVER' | 'RECEIVER' | 'COORDINATOR';

export interface ExchangeState {
  readonly status: ExchangeStatus;
  readonly minutes: number;
  readonly startedBy: StartedBy;
  readonly dueAt: Date | null;
}

/** What the rules know of the caller: which side they are, and whether they coordinate the bank. */
export interface Caller {
  readonly isGiver: boolean;
  readonly isReceiver: boolean;
  readonly isCoordinator: boolean;
  readonly isSystem: boolean;
}

export interface Step {
  readonly action: ExchangeAction;
  readonly now: Date;
  /** RESOLVE_CONFIRM: the minutes confirmed (null: all the logged minutes). */
  readonly minutes?: number | null;
  readonly reason?: string;
}

export type LedgerEffect = 'POST' | 'VOID' | 'REVERSE' | 'NONE';

export type TransitionRefusal =
  | 'NOT_THE_CONFIRMER'
  | 'NOT_THE_LOGGER'
  | 'COORDINATOR_REQUIRED'
  | 'TRANSITION_REFUSED'
  | 'NOT_DUE'
  | 'EXPLANATION_REQUIRED'
  | 'MINUTES_ABOVE_LOGGED';

export type Transition =
  | { readonly ok: true; readonly next: ExchangeStatus; readonly effect: LedgerEffect; readonly minutes: number }
  | { readonly ok: true; readonly replay: true; readonly next: ExchangeStatus }
  | { readonly ok: false; readonly refusal: TransitionRefusal };

const FROM: Record<ExchangeAction, ExchangeStatus> = {
  CONFIRM: 'PENDING',
  DISPUTE: 'PENDING',
  AUTO_CONFIRM: 'PENDING',
  WITHDRAW: 'PENDING',
  RESOLVE_CONFIRM: 'DISPUTED',
  RESOLVE_CANCEL: 'DISPUTED',
  REVERSE: 'CONFIRMED',
};

const TO: Record<ExchangeAction, ExchangeStatus> = {
  CONFIRM: 'CONFIRMED',
  DISPUTE: 'DISPUTED',
  AUTO_CONFIRM: 'CONFIRMED',
  WITHDRAW: 'CANCELLED',
  RESOLVE_CONFIRM: 'CONFIRMED',
  RESOLVE_CANCEL: 'CANCELLED',
  REVERSE: 'REVERSED',
};

const EFFECT: Record<ExchangeAction, LedgerEffect> = {
  CONFIRM: 'POST',
  DISPUTE: 'NONE',
  AUTO_CONFIRM: 'POST',
  WITHDRAW: 'VOID',
  RESOLVE_CONFIRM: 'POST',
  RESOLVE_CANCEL: 'VOID',
  REVERSE: 'REVERSE',
};

/** Whether the caller is the side who answers the log (the one who did not start it). */
export function isConfirmer(exchange: Pick<ExchangeState, 'startedBy'>, caller: Caller): boolean {
  switch (exchange.startedBy) {
    case 'GIVER':
      return caller.isReceiver;
    case 'RECEIVER':
      return caller.isGiver;
    case 'COORDINATOR':
      return false;
  }
}

function isLogger(exchange: Pick<ExchangeState, 'startedBy'>, caller: Caller): boolean {
  switch (exchange.startedBy) {
    case 'GIVER':
      return caller.isGiver;
    case 'RECEIVER':
      return caller.isReceiver;
    case 'COORDINATOR':
      return caller.isCoordinator;
  }
}

function mayAct(exchange: ExchangeState, caller: Caller, action: ExchangeAction): TransitionRefusal | null {
  switch (action) {
    case 'CONFIRM':
    case 'DISPUTE':
      return isConfirmer(exchange, caller) ? null : 'NOT_THE_CONFIRMER';
    case 'AUTO_CONFIRM':
      return caller.isSystem ? null : 'NOT_THE_CONFIRMER';
    case 'WITHDRAW':
      return isLogger(exchange, caller) ? null : 'NOT_THE_LOGGER';
    case 'RESOLVE_CONFIRM':
    case 'RESOLVE_CANCEL':
    case 'REVERSE':
      return caller.isCoordinator ? null : 'COORDINATOR_REQUIRED';
  }
}

/** Decides one step on an exchange: the next status and the ledger's part, or why not. */
export function decideTransition(exchange: ExchangeState, caller: Caller, step: Step): Transition {
  const denied = mayAct(exchange, caller, step.action);
  if (denied !== null) return { ok: false, refusal: denied };
  if (exchange.status !== FROM[step.action]) {
    if (step.action === 'CONFIRM' && exchange.status === 'CONFIRMED') {
      return { ok: true, replay: true, next: exchange.status };
    }
    return { ok: false, refusal: 'TRANSITION_REFUSED' };
  }
  if (step.action === 'AUTO_CONFIRM' && !isDue(exchange.dueAt, step.now)) return { ok: false, refusal: 'NOT_DUE' };
  const needsReason = step.action === 'DISPUTE' || step.action === 'RESOLVE_CANCEL' || step.action === 'REVERSE';
  if (needsReason && (step.reason ?? '').trim().length === 0) return { ok: false, refusal: 'EXPLANATION_REQUIRED' };
  let minutes = exchange.minutes;
  if (step.action === 'RESOLVE_CONFIRM' && step.minutes !== null && step.minutes !== undefined) {
    if (!Number.isSafeInteger(step.minutes) || step.minutes < 1 || step.minutes > exchange.minutes) {
      return { ok: false, refusal: 'MINUTES_ABOVE_LOGGED' };
    }
    minutes = step.minutes;
  }
  return { ok: true, next: TO[step.action], effect: EFFECT[step.action], minutes };
}

/** Statuses no step leaves. */
export function isFinal(status: ExchangeStatus): boolean {
  return status === 'CANCELLED' || status === 'REVERSED';
}

/** The statuses reachable in one step from a status (whoever acts). */
export function successors(status: ExchangeStatus): ExchangeStatus[] {
  return [...new Set(EXCHANGE_ACTIONS.filter((action) => FROM[action] === status).map((action) => TO[action]))];
}

/**
 * When an unanswered log confirms itself: `autoConfirmMinutes` after it was logged (0: at once). The instant
 * is rounded up to the whole second, so that the logs falling due in one second share one scheduled run.
 */
export function autoConfirmAt(loggedAt: Date, autoConfirmMinutes: number): Date {
  const due = loggedAt.getTime() + autoConfirmMinutes * 60_000;
  return new Date(Math.ceil(due / 1000) * 1000);
}

export function isDue(dueAt: Date | null, now: Date): boolean {
  return dueAt !== null && dueAt.getTime() <= now.getTime();
}
