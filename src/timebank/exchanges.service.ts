import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import { assert } from '../kernel/assert.js';
import { AuditService } from '../kernel/audit/audit.service.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { EMAIL_SENDER, type EmailSender } from '../kernel/email-sender.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { Position } from '../kernel/graphql/cursor.js';
import { requirePerson } from '../kernel/graphql/request-principal.js';
import { requireUuid, stepId } from '../kernel/ids.js';
import { nameOf, systemPrincipal, type Principal } from '../kernel/principal.js';
import { CLOCK, type Clock } from '../kernel/scheduling/clock.js';
import { SchedulerService } from '../kernel/scheduling/scheduler.service.js';
import { AccountsService } from '../ledger/accounts.service.js';
import type { Authority, LedgerRequest } from '../ledger/ledger.records.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import {
  autoConfirmAt,
  decideTransition,
  isConfirmer,
  type ExchangeAction,
  type ExchangeStatus,
  type TransitionRefusal,
} from './rules/exchange-state.js';
import { minutesWithinLimit } from './rules/settings.js';
import { TIMEBANK_ERRORS } from './timebank.errors.js';
import type { ExchangeRecord, ExchangeStepRecord, StepAction, TimebankRecord } from './timebank.records.js';
import { TimebankRepository, type StatusChange } from './timebank.repository.js';
import { TimebankService } from './timebank.service.js';

/** The scheduled work that confirms unanswered logs: one occurrence per second in which some fall due. */
export const AUTO_CONFIRM = 'timebank.auto-confirm';
/** Exchanges confirmed per database transaction by the auto-confirmation (two ledger requests at most each). */
export const AUTO_CONFIRM_BATCH = 400;
const EXCHANGE_KIND = 'TIME_EXCHANGE';
const COMMUNITY_KIND = 'COMMUNITY_WORK';

export interface NewTimeLog {
  readonly id: string;
  readonly timeBankId: string;
  /** GAVE: the caller gave the hours; RECEIVED: the caller received them. */
  readonly side: 'GAVE' | 'RECEIVED';
  readonly counterpartyId: string;
  /** The counterparty's bank, when it is another bank of the federation; null: the same bank. */
  readonly counterpartyBankId: string | null;
  readonly minutes: number;
  readonly description: string;
  readonly listingId: string | null;
}

/** One ledger transaction of an exchange: within one bank there is one; between two banks, one in each unit. */
interface Leg {
  readonly unitCode: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
}

/** What an exchange step wants told, once its transaction has committed. */
interface Notice {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

const REFUSALS: Record<TransitionRefusal, (typeof TIMEBANK_ERRORS)[keyof typeof TIMEBANK_ERRORS]> = {
  NOT_THE_CONFIRMER: TIMEBANK_ERRORS.NOT_THE_CONFIRMER,
  NOT_THE_LOGGER: TIMEBANK_ERRORS.NOT_THE_LOGGER,
  COORDINATOR_REQUIRED: TIMEBANK_ERRORS.COORDINATOR_REQUIRED,
  TRANSITION_REFUSED: TIMEBANK_ERRORS.TRANSITION_REFUSED,
  NOT_DUE: TIMEBANK_ERRORS.NOT_DUE,
  EXPLANATION_REQUIRED: TIMEBANK_ERRORS.EXPLANATION_REQUIRED,
  MINUTES_ABOVE_LOGGED: TIMEBANK_ERRORS.MINUTES_ABOVE_LOGGED,
};

const STEP_OF: Record<ExchangeAction, StepAction> = {
  CONFIRM: 'CONFIRMED',
  DISPUTE: 'DISPUTED',
  AUTO_CONFIRM: 'AUTO_CONFIRMED',
  WITHDRAW: 'WITHDRAWN',
  RESOLVE_CONFIRM: 'RESOLVED_CONFIRMED',
  RESOLVE_CANCEL: 'RESOLVED_CANCELLED',
  REVERSE: 'REVERSED',
};

/**
 * Exchanges of hours (time logs). Either side logs one; the receiver's account is held for the minutes at
 * once (a ledger hold with no timeout), so the hours are reserved and the credit line honoured; the other side
 * confirms (the hold posts), disputes, or lets it confirm itself when the bank's time runs out (scheduled
 * work, acting as the system actor `timebank.auto-confirm`). Coordinators resolve disputes and correct
 * confirmed exchanges by reversal. Each step is one database transaction (READ COMMITTED) that locks the
 * exchange's row, writes its step and applies its ledger requests, whose ids derive from the exchange and
 * the step (so a retry replays) and whose authority is the log: `{ kind: 'TIME_LOG', id }`.
 */
@Injectable()
export class ExchangesService implements OnModuleInit {
  private readonly logger = new Logger(ExchangesService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TimebankRepository) private readonly repository: TimebankRepository,
    @Inject(TimebankService) private readonly banks: TimebankService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(AUTO_CONFIRM, async (occurrence) => {
      await this.autoConfirmDue(occurrence.runAt);
    });
  }

  /** A member logs hours they gave or received; the other side is asked to confirm. */
  async log(principal: Principal, input: NewTimeLog): Promise<ExchangeRecord> {
    const { personId } = requirePerson(principal);
    const id = requireUuid(input.id, 'id');
    const timeBankId = requireUuid(input.timeBankId, 'timeBankId');
    const counterpartyId = requireUuid(input.counterpartyId, 'counterpartyId');
    const otherBankId =
      input.counterpartyBankId === null ? timeBankId : requireUuid(input.counterpartyBankId, 'counterpartyBankId');
    const listingId = input.listingId === null ? null : requireUuid(input.listingId, 'listingId');
    const notices: Notice[] = [];
    const exchange = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const bank = await this.banks.requireBank(manager, timeBankId);
      this.banks.requireMember(principal, timeBankId);
      const replay = (existing: ExchangeRecord): ExchangeRecord => {
        const same =
          existing.kind === 'MEMBER' &&
          existing.loggedBy === personId &&
          existing.minutes === input.minutes &&
          existing.description === input.description.trim() &&
          (input.side === 'GAVE' ? existing.receiverId : existing.giverId) === counterpartyId;
        if (!same) throw new DomainError(TIMEBANK_ERRORS.LOG_ID_TAKEN, `The id ${id} names another time log`, { id });
        return existing;
      };
      const existing = await this.repository.findExchange(manager, id);
      if (existing !== null) return replay(existing);
      const own = await this.requireEnrolled(manager, timeBankId, personId);
      if (counterpartyId === personId) {
        throw new DomainError(TIMEBANK_ERRORS.SELF_EXCHANGE, 'You cannot exchange hours with yourself');
      }
      const otherBank = otherBankId === timeBankId ? bank : await this.banks.requireBank(manager, otherBankId);
      if (otherBank.organizationId !== bank.organizationId) await this.requireBetweenBanks(bank, otherBank);
      const other = await this.requireEnrolled(manager, otherBank.organizationId, counterpartyId);
      const maxMinutes = Math.min(bank.settings.maxMinutesPerLog, otherBank.settings.maxMinutesPerLog);
      if (!minutesWithinLimit(input.minutes, maxMinutes)) {
        throw new DomainError(TIMEBANK_ERRORS.MINUTES_OUT_OF_RANGE, `A log carries 1 to ${maxMinutes} minutes`, {
          maxMinutesPerLog: maxMinutes,
        });
      }
      if (listingId !== null) {
        const listing = await this.repository.findListing(manager, listingId);
        if (
          listing === null ||
          listing.status !== 'ACTIVE' ||
          (listing.timebankId !== bank.organizationId && listing.timebankId !== otherBank.organizationId)
        ) {
          throw new DomainError(
            TIMEBANK_ERRORS.LISTING_NOT_IN_BANK,
            'The listing is not an active one of these banks',
            {
              listingId,
            },
          );
        }
      }
      const gave = input.side === 'GAVE';
      const now = this.clock.now();
      // The side who answers is the counterparty: their bank's delay applies.
      const delay = otherBank.settings.autoConfirmMinutes;
      const record: ExchangeRecord = {
        id,
        kind: 'MEMBER',
        timebankId: timeBankId,
        giverId: gave ? personId : counterpartyId,
        giverBankId: gave ? bank.organizationId : otherBank.organizationId,
        giverAccountId: gave ? own : other,
        receiverId: gave ? counterpartyId : personId,
        receiverBankId: gave ? otherBank.organizationId : bank.organizationId,
        receiverAccountId: gave ? other : own,
        minutes: input.minutes,
        confirmedMinutes: null,
        description: input.description.trim(),
        listingId,
        startedBy: gave ? 'GIVER' : 'RECEIVER',
        loggedBy: personId,
        status: 'PENDING',
        dueAt: autoConfirmAt(now, delay),
        createdAt: now,
        confirmedAt: null,
        closedAt: null,
      };
      // The ledger first: it locks the accounts (FOR UPDATE, in id order) before the log's row takes its
      // foreign-key locks on them, so that concurrent logs against one account queue instead of deadlocking.
      const legs = await this.legsOf(manager, record);
      await this.applyLedger(
        manager,
        record,
        legs,
        'timebank.exchanges',
        legs.map((leg, index) => this.hold(record, leg, index)),
      );
      if (delay === 0) {
        await this.applyLedger(
          manager,
          record,
          legs,
          'timebank.auto-confirm',
          legs.map((_, index) => this.post(record, index, record.minutes)),
        );
      }
      if (!(await this.repository.insertExchange(manager, record))) {
        // The same id, logged at this very moment by another request: its answer is this one's (and the
        // ledger requests above were replays of its own).
        const raced = await this.repository.findExchange(manager, id);
        assert(raced !== null, 'a conflicting log exists');
        return replay(raced);
      }
      await this.repository.insertStep(manager, {
        exchangeId: id,
        action: 'LOGGED',
        status: 'PENDING',
        actor: nameOf(principal),
        minutes: record.minutes,
        reason: '',
        at: now,
      });
      if (delay === 0) {
        await this.repository.changeStatuses(
          manager,
          [
            {
              id,
              status: 'CONFIRMED',
              confirmedMinutes: record.minutes,
              action: 'AUTO_CONFIRMED',
              minutes: record.minutes,
              reason: 'The bank confirms logs at once',
            },
          ],
          'system:timebank.auto-confirm',
          now,
        );
      } else {
        assert(record.dueAt !== null, 'a pending log has its instant');
        await this.scheduler.at(manager, { work: AUTO_CONFIRM, key: record.dueAt.toISOString(), runAt: record.dueAt });
        notices.push({
          to: [counterpartyId],
          subject: `Please confirm ${hours(record.minutes)} ${gave ? 'given to you' : 'you gave'}`,
          text:
            `A time log of ${hours(record.minutes)} ("${record.description}") waits for your answer. ` +
            `Confirm it, or dispute it if it is wrong. Unanswered, it confirms itself on ${record.dueAt.toISOString()}.`,
        });
      }
      const stored = await this.repository.findExchange(manager, id);
      assert(stored !== null, 'the log was written');
      return stored;
    });
    await this.send(notices);
    return exchange;
  }

  /** A coordinator pays a member from the bank's own account for work done for the community. */
  async logCommunityWork(
    principal: Principal,
    input: { id: string; timeBankId: string; memberId: string; minutes: number; description: string },
  ): Promise<ExchangeRecord> {
    const { personId } = requirePerson(principal);
    const id = requireUuid(input.id, 'id');
    const timeBankId = requireUuid(input.timeBankId, 'timeBankId');
    const memberId = requireUuid(input.memberId, 'memberId');
    return runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const bank = await this.banks.requireBank(manager, timeBankId);
      this.banks.requireCoordinator(principal, timeBankId);
      const replay = (existing: ExchangeRecord): ExchangeRecord => {
        const same =
          existing.kind === 'COMMUNITY' &&
          existing.loggedBy === personId &&
          existing.giverId === memberId &&
          existing.minutes === input.minutes;
        if (!same) throw new DomainError(TIMEBANK_ERRORS.LOG_ID_TAKEN, `The id ${id} names another time log`, { id });
        return existing;
      };
      const existing = await this.repository.findExchange(manager, id);
      if (existing !== null) return replay(existing);
      if (memberId === personId) {
        throw new DomainError(TIMEBANK_ERRORS.OWN_COMMUNITY_WORK, 'Another coordinator logs your community work');
      }
      const account = await this.requireEnrolled(manager, timeBankId, memberId);
      if (!minutesWithinLimit(input.minutes, bank.settings.maxMinutesPerLog)) {
        throw new DomainError(
          TIMEBANK_ERRORS.MINUTES_OUT_OF_RANGE,
          `A log carries 1 to ${bank.settings.maxMinutesPerLog} minutes`,
          { maxMinutesPerLog: bank.settings.maxMinutesPerLog },
        );
      }
      const now = this.clock.now();
      const record: ExchangeRecord = {
        id,
        kind: 'COMMUNITY',
        timebankId: timeBankId,
        giverId: memberId,
        giverBankId: timeBankId,
        giverAccountId: account,
        receiverId: timeBankId,
        receiverBankId: timeBankId,
        receiverAccountId: bank.bankAccountId,
        minutes: input.minutes,
        confirmedMinutes: input.minutes,
        description: input.description.trim(),
        listingId: null,
        startedBy: 'COORDINATOR',
        loggedBy: personId,
        status: 'CONFIRMED',
        dueAt: null,
        createdAt: now,
        confirmedAt: now,
        closedAt: null,
      };
      // The ledger first, then the log's row (see log).
      const legs = await this.legsOf(manager, record);
      const [leg] = legs;
      assert(leg !== undefined, 'community work is one transaction');
      await this.applyLedger(manager, record, legs, 'timebank.community', [
        {
          type: 'TRANSFER',
          id: this.postingIds(record)[0] ?? '',
          unitCode: leg.unitCode,
          kind: COMMUNITY_KIND,
          memo: memoOf(record),
          metadata: [],
          effectiveAt: null,
          hold: null,
          authority: authorityOf(record),
          entries: [
            { accountId: leg.debitAccountId, side: 'DEBIT', amount: BigInt(record.minutes) },
            { accountId: leg.creditAccountId, side: 'CREDIT', amount: BigInt(record.minutes) },
          ],
        },
      ]);
      if (!(await this.repository.insertExchange(manager, record))) {
        const raced = await this.repository.findExchange(manager, id);
        assert(raced !== null, 'a conflicting log exists');
        return replay(raced);
      }
      await this.repository.insertStep(manager, {
        exchangeId: id,
        action: 'LOGGED',
        status: 'CONFIRMED',
        actor: nameOf(principal),
        minutes: record.minutes,
        reason: '',
        at: now,
      });
      await this.audit.record(manager, {
        actor: principal,
        action: 'TIME_BANK_COMMUNITY_WORK',
        organizationId: timeBankId,
        relatedPartyId: memberId,
        subject: { type: 'TIME_LOG', id },
        after: { minutes: record.minutes, description: record.description },
      });
      return record;
    });
  }

  async confirm(principal: Principal, exchangeId: string): Promise<ExchangeRecord> {
    return this.step(principal, exchangeId, { action: 'CONFIRM' });
  }

  async dispute(principal: Principal, exchangeId: string, reason: string): Promise<ExchangeRecord> {
    return this.step(principal, exchangeId, { action: 'DISPUTE', reason });
  }

  async withdraw(principal: Principal, exchangeId: string): Promise<ExchangeRecord> {
    return this.step(principal, exchangeId, { action: 'WITHDRAW' });
  }

  async resolve(
    principal: Principal,
    input: { exchangeId: string; outcome: 'CONFIRM' | 'CANCEL'; minutes: number | null; reason: string },
  ): Promise<ExchangeRecord> {
    return this.step(principal, input.exchangeId, {
      action: input.outcome === 'CONFIRM' ? 'RESOLVE_CONFIRM' : 'RESOLVE_CANCEL',
      minutes: input.minutes,
      reason: input.reason,
    });
  }

  /** A coordinator's correction: the confirmed exchange is reversed by new transactions; nothing is edited. */
  async reverse(principal: Principal, exchangeId: string, reason: string): Promise<ExchangeRecord> {
    return this.step(principal, exchangeId, { action: 'REVERSE', reason });
  }

  private async step(
    principal: Principal,
    exchangeId: string,
    step: { action: ExchangeAction; minutes?: number | null; reason?: string },
  ): Promise<ExchangeRecord> {
    const { personId } = requirePerson(principal);
    const id = requireUuid(exchangeId, 'exchangeId');
    const notices: Notice[] = [];
    const exchange = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
      const before = await this.repository.findExchange(manager, id, true);
      if (before === null) {
        throw new DomainError(TIMEBANK_ERRORS.EXCHANGE_NOT_FOUND, `No time log ${id}`, { id });
      }
      const coordinates = this.coordinates(principal, before);
      const caller = {
        isGiver: before.giverId === personId,
        isReceiver: before.receiverId === personId,
        isCoordinator: coordinates,
        isSystem: false,
      };
      const now = this.clock.now();
      const reason = (step.reason ?? '').trim();
      const decision = decideTransition(before, caller, { action: step.action, now, minutes: step.minutes, reason });
      if (!decision.ok) {
        const refusal = REFUSALS[decision.refusal];
        throw new DomainError(refusal, `${step.action} is refused: ${decision.refusal}`, {
          exchangeId: id,
          status: before.status,
        });
      }
      if ('replay' in decision) return before;
      const legs = await this.legsOf(manager, before);
      const actor = 'timebank.exchanges';
      switch (decision.effect) {
        case 'POST':
          await this.applyLedger(
            manager,
            before,
            legs,
            actor,
            legs.map((_, index) => this.post(before, index, decision.minutes)),
          );
          break;
        case 'VOID':
          await this.applyLedger(
            manager,
            before,
            legs,
            actor,
            legs.map((_, index) => this.void(before, index, reason)),
          );
          break;
        case 'REVERSE':
          await this.applyLedger(
            manager,
            before,
            legs,
            actor,
            this.postingIds(before).map((postingId, index) => ({
              type: 'REVERSAL' as const,
              id: stepId('timebank.reverse', before.id, String(index)),
              transactionId: postingId,
              memo: `Correction of time log ${before.id}: ${reason}`.slice(0, 500),
              metadata: [],
              authority: authorityOf(before),
            })),
          );
          break;
        case 'NONE':
          break;
      }
      const change: StatusChange = {
        id,
        status: decision.next,
        confirmedMinutes: decision.next === 'CONFIRMED' ? decision.minutes : null,
        action: STEP_OF[step.action],
        minutes: decision.effect === 'POST' ? decision.minutes : null,
        reason,
      };
      await this.repository.changeStatuses(manager, [change], nameOf(principal), now);
      if (coordinates && !caller.isGiver && !caller.isReceiver) {
        await this.audit.record(manager, {
          actor: principal,
          action: `TIME_LOG_${STEP_OF[step.action]}`,
          organizationId: before.timebankId,
          relatedPartyId: before.giverId,
          subject: { type: 'TIME_LOG', id },
          before: { status: before.status, minutes: before.minutes },
          after: { status: decision.next, minutes: decision.minutes, reason },
        });
      }
      if (step.action === 'DISPUTE') {
        const coordinators = (await this.organizations.activeMembers(manager, before.timebankId))
          .filter((member) => member.roles.includes('COORDINATOR') || member.roles.includes('ADMIN'))
          .map((member) => member.personId);
        notices.push({
          to: coordinators,
          subject: `A time log of ${hours(before.minutes)} is disputed`,
          text: `Time log ${id} ("${before.description}") was disputed: ${reason}. Resolve it by confirming it (with fewer minutes if need be) or cancelling it.`,
        });
      }
      if (step.action === 'RESOLVE_CONFIRM' || step.action === 'RESOLVE_CANCEL' || step.action === 'REVERSE') {
        notices.push({
          to: [before.giverId, before.receiverId],
          subject: `A coordinator ${step.action === 'REVERSE' ? 'corrected' : 'resolved'} a time log`,
          text: `Time log ${id} ("${before.description}") is now ${decision.next}: ${reason}`,
        });
      }
      const after = await this.repository.findExchange(manager, id);
      assert(after !== null, 'the log exists');
      return after;
    });
    await this.send(notices);
    return exchange;
  }

  /**
   * Confirms every pending log due by `now`, as the system actor, set-based: each database transaction
   * locks up to AUTO_CONFIRM_BATCH due logs (skipping those a member is answering right now), posts their
   * holds in one ledger batch, and moves them all in two statements. Run twice for one occurrence, it finds
   * nothing left to do. When the ledger refuses a leg (a frozen account), the whole round is rolled back and
   * run again without that log: kept, a refusal would stay stored under the post's id (so the log could never
   * be confirmed once the account thaws) and a log between banks would keep one leg posted. The log stays
   * pending, holds intact, for its members or a later round to confirm.
   */
  async autoConfirmDue(now: Date): Promise<number> {
    let confirmed = 0;
    const stuck: string[] = [];
    for (;;) {
      const round = await runInTransaction(this.dataSource, 'READ COMMITTED', async (manager) => {
        const due = (await this.repository.lockDue(manager, now, AUTO_CONFIRM_BATCH + stuck.length)).filter(
          (exchange) => !stuck.includes(exchange.id),
        );
        if (due.length === 0) return { picked: 0, done: 0 };
        const legs = new Map<string, Leg[]>();
        const banks = new Map(
          (
            await this.repository.findBanks(manager, [
              ...new Set(due.flatMap((exchange) => [exchange.giverBankId, exchange.receiverBankId])),
            ])
          ).map((bank) => [bank.organizationId, bank]),
        );
        for (const exchange of due) legs.set(exchange.id, await this.legsOf(manager, exchange, banks));
        const requests = due.flatMap((exchange) =>
          (legs.get(exchange.id) ?? []).map((_, index) => this.post(exchange, index, exchange.minutes)),
        );
        const actor = systemPrincipal(AUTO_CONFIRM, {
          accounts: new Set([...legs.values()].flat().flatMap((leg) => [leg.debitAccountId, leg.creditAccountId])),
        });
        const results = await this.ledger.applyInTransaction(manager, actor, requests);
        const refused = new Map<string, string>();
        let next = 0;
        for (const exchange of due) {
          for (let leg = 0; leg < (legs.get(exchange.id)?.length ?? 0); leg += 1) {
            const result = results[next++];
            if (result === undefined || !result.ok) {
              refused.set(exchange.id, result?.ok === false ? result.refusal.reason : 'no result');
            }
          }
        }
        if (refused.size > 0) throw new AutoConfirmationRefused(refused);
        const changes: StatusChange[] = due.map((exchange) => ({
          id: exchange.id,
          status: 'CONFIRMED',
          confirmedMinutes: exchange.minutes,
          action: 'AUTO_CONFIRMED',
          minutes: exchange.minutes,
          reason: 'Unanswered when the bank’s time ran out',
        }));
        await this.repository.changeStatuses(manager, changes, `system:${AUTO_CONFIRM}`, this.clock.now());
        return { picked: due.length, done: changes.length };
      }).catch((error: unknown) => {
        if (!(error instanceof AutoConfirmationRefused)) throw error;
        for (const [exchangeId, reason] of error.refused) {
          this.logger.warn(`time log ${exchangeId} could not confirm itself (${reason}): it stays pending`);
          stuck.push(exchangeId);
        }
        return null;
      });
      if (round === null) continue;
      confirmed += round.done;
      if (round.picked < AUTO_CONFIRM_BATCH) return confirmed;
    }
  }

  // Reading

  /** A log, for its two sides and the coordinators of the banks it touches. */
  async exchange(principal: Principal, id: string): Promise<ExchangeRecord> {
    requirePerson(principal);
    const exchange = await this.repository.findExchange(this.dataSource.manager, requireUuid(id, 'id'));
    if (exchange === null || !this.maySee(principal, exchange)) {
      throw new DomainError(TIMEBANK_ERRORS.EXCHANGE_NOT_FOUND, `No time log ${id}`, { id });
    }
    return exchange;
  }

  async steps(principal: Principal, exchangeIds: readonly string[]): Promise<ExchangeStepRecord[]> {
    return this.repository.listSteps(this.dataSource.manager, exchangeIds);
  }

  /**
   * A bank's logs, newest first: a coordinator sees all of them (by status, by member); a member sees their
   * own. `awaitingMe` lists what waits for the caller's answer.
   */
  async exchanges(
    principal: Principal,
    filter: {
      timeBankId: string;
      memberId: string | null;
      statuses: readonly ExchangeStatus[] | null;
      awaitingMe: boolean;
      after: Position | null;
      limit: number;
    },
  ): Promise<ExchangeRecord[]> {
    const { personId } = requirePerson(principal);
    const timeBankId = requireUuid(filter.timeBankId, 'timeBankId');
    await this.banks.requireBank(this.dataSource.manager, timeBankId);
    this.banks.requireMember(principal, timeBankId);
    const coordinator = this.banks.isCoordinator(principal, timeBankId);
    const memberId = filter.memberId === null ? null : requireUuid(filter.memberId, 'memberId');
    if (!coordinator && memberId !== null && memberId !== personId) {
      throw new DomainError(TIMEBANK_ERRORS.COORDINATOR_REQUIRED, "Only coordinators list other members' logs", {
        timeBankId,
      });
    }
    return this.repository.listExchanges(this.dataSource.manager, {
      timebankId: timeBankId,
      partyId: filter.awaitingMe ? null : coordinator ? memberId : personId,
      statuses: filter.statuses,
      awaitingPersonId: filter.awaitingMe ? personId : null,
      after: filter.after,
      limit: filter.limit,
    });
  }

  /** Whether the caller is the side who answers this log. */
  awaitsAnswerFrom(
    exchange: Pick<ExchangeRecord, 'status' | 'startedBy' | 'giverId' | 'receiverId'>,
    personId: string,
  ): boolean {
    return (
      exchange.status === 'PENDING' &&
      isConfirmer(exchange, {
        isGiver: exchange.giverId === personId,
        isReceiver: exchange.receiverId === personId,
        isCoordinator: false,
        isSystem: false,
      })
    );
  }

  private maySee(principal: Principal, exchange: ExchangeRecord): boolean {
    if (principal.kind !== 'PERSON') return false;
    return (
      exchange.giverId === principal.personId ||
      exchange.receiverId === principal.personId ||
      this.coordinates(principal, exchange)
    );
  }

  private coordinates(principal: Principal, exchange: ExchangeRecord): boolean {
    return [exchange.timebankId, exchange.giverBankId, exchange.receiverBankId].some((bankId) =>
      this.banks.isCoordinator(principal, bankId),
    );
  }

  // Ledger

  /**
   * The ledger transactions of an exchange. Within one bank: the receiver pays the giver. Between banks
   * (giver in bank G, receiver in bank R): in R's unit the receiver pays G's account at R; in G's unit G's
   * clearing account pays the giver. Each unit balances on its own, and G's two accounts (a claim on R, a
   * debt to its own giver) are equal and opposite: one hour is one hour on both sides.
   */
  private async legsOf(
    manager: EntityManager,
    exchange: ExchangeRecord,
    loaded?: ReadonlyMap<string, TimebankRecord>,
  ): Promise<Leg[]> {
    const banks =
      loaded ??
      new Map(
        (await this.repository.findBanks(manager, [...new Set([exchange.giverBankId, exchange.receiverBankId])])).map(
          (bank) => [bank.organizationId, bank],
        ),
      );
    const giverBank = banks.get(exchange.giverBankId);
    const receiverBank = banks.get(exchange.receiverBankId);
    assert(giverBank !== undefined && receiverBank !== undefined, 'an exchange is between banks that exist');
    if (giverBank.organizationId === receiverBank.organizationId) {
      return [
        {
          unitCode: giverBank.unitCode,
          debitAccountId: exchange.receiverAccountId,
          creditAccountId: exchange.giverAccountId,
        },
      ];
    }
    return [
      {
        unitCode: receiverBank.unitCode,
        debitAccountId: exchange.receiverAccountId,
        creditAccountId: await this.partnerAccount(manager, giverBank, receiverBank),
      },
      {
        unitCode: giverBank.unitCode,
        debitAccountId: giverBank.clearingAccountId,
        creditAccountId: exchange.giverAccountId,
      },
    ];
  }

  /** Bank G's account in bank R's unit: opened the first time G's members give hours to R's. */
  private async partnerAccount(manager: EntityManager, bank: TimebankRecord, partner: TimebankRecord): Promise<string> {
    const existing = await this.repository.findPartnerAccount(manager, bank.organizationId, partner.organizationId);
    if (existing !== null) return existing;
    const opener = systemPrincipal('timebank.federation', {
      organizations: new Set([bank.organizationId, partner.organizationId]),
    });
    const account = await this.accounts.openAccountIn(manager, opener, {
      id: stepId('timebank.partner-account', bank.organizationId, partner.organizationId),
      unitCode: partner.unitCode,
      holderId: bank.organizationId,
      name: 'Hours given to this bank by our members',
      kind: 'CLEARING',
      creditLimit: 0n,
      upperLimit: null,
    });
    await this.repository.insertPartnerAccount(manager, {
      timebankId: bank.organizationId,
      partnerId: partner.organizationId,
      accountId: account.id,
    });
    return account.id;
  }

  private hold(exchange: ExchangeRecord, leg: Leg, index: number): LedgerRequest {
    return {
      type: 'TRANSFER',
      id: stepId('timebank.hold', exchange.id, String(index)),
      unitCode: leg.unitCode,
      kind: EXCHANGE_KIND,
      memo: memoOf(exchange),
      metadata: [],
      effectiveAt: null,
      hold: { timeoutSeconds: null },
      authority: authorityOf(exchange),
      entries: [
        { accountId: leg.debitAccountId, side: 'DEBIT', amount: BigInt(exchange.minutes) },
        { accountId: leg.creditAccountId, side: 'CREDIT', amount: BigInt(exchange.minutes) },
      ],
    };
  }

  private post(exchange: ExchangeRecord, index: number, minutes: number): LedgerRequest {
    return {
      type: 'POST_HOLD',
      id: stepId('timebank.post', exchange.id, String(index)),
      holdId: stepId('timebank.hold', exchange.id, String(index)),
      amount: BigInt(minutes),
      memo: `Confirmed: ${memoOf(exchange)}`.slice(0, 500),
      metadata: [],
      authority: authorityOf(exchange),
    };
  }

  private void(exchange: ExchangeRecord, index: number, reason: string): LedgerRequest {
    return {
      type: 'VOID_HOLD',
      id: stepId('timebank.void', exchange.id, String(index)),
      holdId: stepId('timebank.hold', exchange.id, String(index)),
      memo: `Cancelled: ${reason || memoOf(exchange)}`.slice(0, 500),
      metadata: [],
      authority: authorityOf(exchange),
    };
  }

  /** The transactions that moved the hours of a confirmed exchange (what a correction reverses). */
  private postingIds(exchange: ExchangeRecord): string[] {
    if (exchange.kind === 'COMMUNITY') return [stepId('timebank.community', exchange.id)];
    const legs = exchange.giverBankId === exchange.receiverBankId ? 1 : 2;
    return Array.from({ length: legs }, (_, index) => stepId('timebank.post', exchange.id, String(index)));
  }

  /**
   * Applies an exchange's ledger requests in the step's transaction, as a system actor granted exactly the
   * accounts of the exchange (the service has decided the caller may take the step); a refusal (a credit
   * line reached) aborts the step.
   */
  private async applyLedger(
    manager: EntityManager,
    exchange: ExchangeRecord,
    legs: readonly Leg[],
    actor: string,
    requests: readonly LedgerRequest[],
  ): Promise<void> {
    const principal = systemPrincipal(actor, {
      accounts: new Set(legs.flatMap((leg) => [leg.debitAccountId, leg.creditAccountId])),
    });
    const results = await this.ledger.applyInTransaction(manager, principal, requests);
    for (const result of results) {
      if (!result.ok) throw DomainError.fromRefusal(result.refusal, { exchangeId: exchange.id });
    }
  }

  /**
   * The hours account of a member of the bank: one who joined, and is still a member of the organisation
   * (who has left keeps their account and history, but takes part in no new exchange).
   */
  private async requireEnrolled(manager: EntityManager, timeBankId: string, personId: string): Promise<string> {
    const member = await this.banks.membership(manager, timeBankId, personId);
    const active =
      member !== null &&
      (await this.organizations.activeMembers(manager, timeBankId)).some(
        (membership) => membership.personId === personId,
      );
    if (member === null || !active) {
      throw new DomainError(TIMEBANK_ERRORS.NOT_ENROLLED, `${personId} has not joined time bank ${timeBankId}`, {
        personId,
        timeBankId,
      });
    }
    return member.accountId;
  }

  /** Members of two banks exchange when both allow it and the banks share a federation. */
  private async requireBetweenBanks(bank: TimebankRecord, other: TimebankRecord): Promise<void> {
    const federations = await this.organizations.federationsAbove([bank.organizationId, other.organizationId]);
    const ours = new Set(federations.get(bank.organizationId) ?? []);
    const shared = (federations.get(other.organizationId) ?? []).some((id) => ours.has(id));
    if (!shared || !bank.settings.federationExchanges || !other.settings.federationExchanges) {
      throw new DomainError(
        TIMEBANK_ERRORS.EXCHANGE_BETWEEN_BANKS_CLOSED,
        'These banks do not exchange hours with each other',
        { timeBankId: bank.organizationId, counterpartyBankId: other.organizationId },
      );
    }
  }

  /** Notices go out after the step committed; a failure to send is logged, never undoes the step. */
  private async send(notices: readonly Notice[]): Promise<void> {
    for (const notice of notices) {
      const persons = await this.auth.persons([...new Set(notice.to)]);
      for (const person of persons) {
        try {
          await this.email.send({
            to: person.email,
            subject: notice.subject,
            text: `Hello ${person.name},\n\n${notice.text}`,
          });
        } catch (error) {
          this.logger.warn(
            `notice to ${person.id} not sent: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }
  }
}

function authorityOf(exchange: ExchangeRecord): Authority {
  return { kind: 'TIME_LOG', id: exchange.id };
}

function memoOf(exchange: ExchangeRecord): string {
  return `Time log ${exchange.id}: ${exchange.description}`.slice(0, 500);
}

function hours(minutes: number): string {
  const whole = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${whole} h` : `${whole} h ${rest} min`;
}

/** A round of the auto-confirmation in which the ledger refused some legs (by log): the round rolls back. */
class AutoConfirmationRefused extends Error {
  constructor(readonly refused: ReadonlyMap<string, string>) {
    super(`the ledger refused ${refused.size} time log(s) of the round`);
  }
}
