/**
 * A time bank's settings and the limits they keep. Each setting has a range; a change names only what it
 * changes, the rest stays. Refusals name the first setting out of range (`problem`). SQL twins: the CHECK
 * constraints of `timebank` (migrations/1764400000000-Timebank.ts).
 *
 * - autoConfirmMinutes: how long an unanswered log waits before it confirms itself, 0 (at once) to 90 days.
 * - maxMinutesPerLog: the most minutes one log may carry, 1 to 7 days' worth.
 * - defaultCreditMinutes: how far below zero a new member's account may go, 0 to 1,000,000 minutes.
 * - bankCreditMinutes: how far the bank's own account may go below zero paying community work.
 * - federationExchanges: whether members of other banks of the same federation may exchange with ours.
 * - statementVisibility: PRIVATE (a member's statement: themselves and the coordinators) or MEMBERS.
 * - categories: the bank's list for offers and requests, 1 to 50 names of 1 to 60 characters, distinct.
 */

export const MAX_AUTO_CONFIRM_MINUTES = 90 * 24 * 60;
export const MAX_MINUTES_PER_LOG = 7 * 24 * 60;
export const MAX_DEFAULT_CREDIT_MINUTES = 1_000_000n;
export const MAX_BANK_CREDIT_MINUTES = 100_000_000n;
export const MAX_CATEGORIES = 50;
export const MAX_CATEGORY_LENGTH = 60;

export type StatementVisibility = 'PRIVATE' | 'MEMBERS';

export interface TimebankSettings {
  readonly autoConfirmMinutes: number;
  readonly maxMinutesPerLog: number;
  readonly defaultCreditMinutes: bigint;
  readonly bankCreditMinutes: bigint;
  readonly federationExchanges: boolean;
  readonly statementVisibility: StatementVisibility;
  readonly categories: readonly string[];
}

export type SettingsChange = Partial<TimebankSettings>;

export const DEFAULT_SETTINGS: TimebankSettings = {
  autoConfirmMinutes: 7 * 24 * 60,
  maxMinutesPerLog: 8 * 60,
  defaultCreditMinutes: 600n,
  bankCreditMinutes: 6000n,
  federationExchanges: false,
  statementVisibility: 'PRIVATE',
  categories: ['Care', 'Home and garden', 'Learning', 'Transport', 'Other'],
};

export type SettingsDecision =
  | { readonly ok: true; readonly settings: TimebankSettings; readonly changed: readonly (keyof TimebankSettings)[] }
  | { readonly ok: false; readonly problem: string };

/** The settings after a change, or the first problem with it. */
export function applySettingsChange(current: TimebankSettings, change: SettingsChange): SettingsDecision {
  const next: TimebankSettings = {
    autoConfirmMinutes: change.autoConfirmMinutes ?? current.autoConfirmMinutes,
    maxMinutesPerLog: change.maxMinutesPerLog ?? current.maxMinutesPerLog,
    defaultCreditMinutes: change.defaultCreditMinutes ?? current.defaultCreditMinutes,
    bankCreditMinutes: change.bankCreditMinutes ?? current.bankCreditMinutes,
    federationExchanges: change.federationExchanges ?? current.federationExchanges,
    statementVisibility: change.statementVisibility ?? current.statementVisibility,
    categories: change.categories === undefined ? current.categories : change.categories.map((name) => name.trim()),
  };
  const problem = settingsProblem(next);
  if (problem !== null) return { ok: false, problem };
  const changed = (Object.keys(next) as (keyof TimebankSettings)[]).filter(
    (key) => JSON.stringify(view(next)[key]) !== JSON.stringify(view(current)[key]),
  );
  return { ok: true, settings: next, changed };
}

export function settingsProblem(settings: TimebankSettings): string | null {
  const whole = (value: number, low: number, high: number) =>
    Number.isSafeInteger(value) && value >= low && value <= high;
  if (!whole(settings.autoConfirmMinutes, 0, MAX_AUTO_CONFIRM_MINUTES)) {
    return `autoConfirmMinutes is 0 to ${MAX_AUTO_CONFIRM_MINUTES}`;
  }
  if (!whole(settings.maxMinutesPerLog, 1, MAX_MINUTES_PER_LOG))
    return `maxMinutesPerLog is 1 to ${MAX_MINUTES_PER_LOG}`;
  if (settings.defaultCreditMinutes < 0n || settings.defaultCreditMinutes > MAX_DEFAULT_CREDIT_MINUTES) {
    return `defaultCreditMinutes is 0 to ${MAX_DEFAULT_CREDIT_MINUTES}`;
  }
  if (settings.bankCreditMinutes < 0n || settings.bankCreditMinutes > MAX_BANK_CREDIT_MINUTES) {
    return `bankCreditMinutes is 0 to ${MAX_BANK_CREDIT_MINUTES}`;
  }
  if (settings.statementVisibility !== 'PRIVATE' && settings.statementVisibility !== 'MEMBERS') {
    return 'statementVisibility is PRIVATE or MEMBERS';
  }
  const categories = settings.categories;
  if (categories.length < 1 || categories.length > MAX_CATEGORIES) return `categories has 1 to ${MAX_CATEGORIES} names`;
  if (categories.some((name) => name.length < 1 || [...name].length > MAX_CATEGORY_LENGTH)) {
    return `a category is 1 to ${MAX_CATEGORY_LENGTH} characters`;
  }
  if (new Set(categories.map((name) => name.toLowerCase())).size !== categories.length)
    return 'categories are distinct';
  return null;
}

/** Settings as plain JSON (the audit log, the settings history, a motion's parameters). */
export function view(settings: TimebankSettings): Record<string, unknown> {
  return {
    autoConfirmMinutes: settings.autoConfirmMinutes,
    maxMinutesPerLog: settings.maxMinutesPerLog,
    defaultCreditMinutes: settings.defaultCreditMinutes.toString(),
    bankCreditMinutes: settings.bankCreditMinutes.toString(),
    federationExchanges: settings.federationExchanges,
    statementVisibility: settings.statementVisibility,
    categories: [...settings.categories],
  };
}

/**
 * A settings change from a motion's parameters (plain JSON), or the first problem with them: numbers for
 * minutes of a log, decimal strings for credit lines (as the Money scalar takes them), a boolean, a list.
 */
export function parseSettingsChange(params: Readonly<Record<string, unknown>>): SettingsChange | string {
  const known = new Set([
    'autoConfirmMinutes',
    'maxMinutesPerLog',
    'defaultCreditMinutes',
    'bankCreditMinutes',
    'federationExchanges',
    'statementVisibility',
    'categories',
  ]);
  const unknown = Object.keys(params).filter((key) => !known.has(key));
  if (unknown.length > 0) return `unknown settings: ${unknown.join(', ')}`;
  if (Object.keys(params).length === 0) return 'a change names at least one setting';
  const change: { -readonly [K in keyof TimebankSettings]?: TimebankSettings[K] } = {};
  for (const key of ['autoConfirmMinutes', 'maxMinutesPerLog'] as const) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${key} is a whole number of minutes`;
    change[key] = value;
  }
  for (const key of ['defaultCreditMinutes', 'bankCreditMinutes'] as const) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) return `${key} is minutes as a decimal string`;
    change[key] = BigInt(value);
  }
  const federation = params['federationExchanges'];
  if (federation !== undefined) {
    if (typeof federation !== 'boolean') return 'federationExchanges is true or false';
    change.federationExchanges = federation;
  }
  const visibility = params['statementVisibility'];
  if (visibility !== undefined) {
    if (visibility !== 'PRIVATE' && visibility !== 'MEMBERS') return 'statementVisibility is PRIVATE or MEMBERS';
    change.statementVisibility = visibility;
  }
  const categories = params['categories'];
  if (categories !== undefined) {
    if (!Array.isArray(categories) || categories.some((name) => typeof name !== 'string')) {
      return 'categories is a list of names';
    }
    change.categories = categories as string[];
  }
  return change;
}

/** Whether a log of this many minutes fits the bank's limit. */
export function minutesWithinLimit(minutes: number, maxMinutesPerLog: number): boolean {
  return Number.isSafeInteger(minutes) && minutes >= 1 && minutes <= maxMinutesPerLog;
}
