import type { Authority } from '../ledger/ledger.records.js';
import type { ExchangeStatus, StartedBy } from './rules/exchange-state.js';
import type { StatementMonth } from './rules/statements.js';
import type { StatementVisibility, TimebankSettings } from './rules/settings.js';

export type { ExchangeStatus, StartedBy, StatementMonth, StatementVisibility, TimebankSettings };

/** Rows as the repository returns them, and the types other modules may use. */
export interface TimebankRecord {
  /** The organisation (of kind TIME_BANK) the bank is. */
  readonly organizationId: string;
  readonly unitCode: string;
  /** The bank's own account: it pays community work. */
  readonly bankAccountId: string;
  /** The other side of its members' exchanges with other banks, in its own unit. */
  readonly clearingAccountId: string;
  readonly settings: TimebankSettings;
  readonly version: number;
  readonly createdAt: Date;
}

export interface SettingsChangeRecord {
  readonly timebankId: string;
  readonly version: number;
  readonly changedBy: string;
  readonly authority: Authority | null;
  readonly reason: string;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown>;
  readonly changedAt: Date;
}

export interface BankMemberRecord {
  readonly timebankId: string;
  readonly personId: string;
  readonly accountId: string;
  readonly joinedAt: Date;
}

export type ListingKind = 'OFFER' | 'REQUEST';
export type ListingStatus = 'ACTIVE' | 'WITHDRAWN';

export interface ListingRecord {
  readonly id: string;
  readonly timebankId: string;
  readonly authorId: string;
  readonly kind: ListingKind;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly estimatedMinutes: number | null;
  readonly availability: string;
  readonly status: ListingStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type ExchangeKind = 'MEMBER' | 'COMMUNITY';

export interface ExchangeRecord {
  readonly id: string;
  readonly kind: ExchangeKind;
  /** The bank it was logged in. */
  readonly timebankId: string;
  readonly giverId: string;
  readonly giverBankId: string;
  readonly giverAccountId: string;
  readonly receiverId: string;
  readonly receiverBankId: string;
  readonly receiverAccountId: string;
  readonly minutes: number;
  readonly confirmedMinutes: number | null;
  readonly description: string;
  readonly listingId: string | null;
  readonly startedBy: StartedBy;
  readonly loggedBy: string;
  readonly status: ExchangeStatus;
  readonly dueAt: Date | null;
  readonly createdAt: Date;
  readonly confirmedAt: Date | null;
  readonly closedAt: Date | null;
}

export type StepAction =
  | 'LOGGED'
  | 'CONFIRMED'
  | 'AUTO_CONFIRMED'
  | 'DISPUTED'
  | 'WITHDRAWN'
  | 'RESOLVED_CONFIRMED'
  | 'RESOLVED_CANCELLED'
  | 'REVERSED';

export interface ExchangeStepRecord {
  readonly exchangeId: string;
  readonly step: number;
  readonly action: StepAction;
  readonly status: ExchangeStatus;
  readonly actor: string;
  readonly minutes: number | null;
  readonly reason: string;
  readonly at: Date;
}

export interface MemberStatementRecord {
  readonly timebankId: string;
  readonly personId: string;
  readonly months: readonly StatementMonth[];
  /** The account's balance now, as the ledger keeps it (pending holds not counted). */
  readonly balance: bigint;
  /** Minutes held by logs awaiting an answer. */
  readonly pendingMinutes: bigint;
}

export interface BankMonthRecord {
  readonly month: string;
  readonly exchanges: number;
  readonly activeMembers: number;
  readonly minutes: bigint;
  readonly corrections: number;
}
