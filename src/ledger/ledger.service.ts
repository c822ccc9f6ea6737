import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assert } from '../kernel/assert.js';
import type { AppConfig } from '../kernel/config/app-config.js';
import { APP_CONFIG } from '../kernel/config/config.module.js';
import { Coalescer, type CoalescerStats } from '../kernel/database/coalescer.js';
import { runInTransaction } from '../kernel/database/run-in-transaction.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { isUuid, requireUuid } from '../kernel/ids.js';
import { SchedulerService } from '../kernel/scheduling/scheduler.service.js';
import { nameOf, systemPrincipal, type Principal } from '../kernel/principal.js';
import { LEDGER_ACCESS, type BatchView, type LedgerAccess, type RequestAuthorizer } from './ledger-access.port.js';
import { LEDGER_ERRORS } from './ledger.errors.js';
import type { HistoryEntryRecord, TransactionRecord, TrialBalanceRecord } from './ledger.records.js';
import { LedgerRepository } from './ledger.repository.js';
import { applyBatch, type BatchPlan, type PreparedRequest } from './rules/apply-batch.js';
import { checkRequest, type CheckedRequest } from './rules/check-request.js';
import { contentHash, expiryTransactionId } from './rules/content-hash.js';
import { MAX_BATCH_SIZE, MAX_GROUP_SIZE } from './rules/ledger-limits.js';
import {
  referencedId,
  transactionStatus,
  type Authority,
  type LedgerRequest,
  type ReferencedTransaction,
  type Refusal,
} from './rules/ledger-model.js';

export type SubmissionResult =
  | { readonly ok: true; readonly transaction: TransactionRecord; readonly replayed: boolean }
  | { readonly ok: false; readonly refusal: Refusal; readonly replayed: boolean };

export type BalanceBasis = 'RECORDED' | 'EFFECTIVE';

/** A request whose shape was checked, with its caller's authorizer and name. */
interface AuthorizedRequest {
  readonly request: CheckedRequest;
  readonly authorize: RequestAuthorizer;
  readonly recordedBy: string;
}

const EXPIRY_SWEEP_SIZE = 500;

/** The scheduled work of expiring holds: one occurrence per second in which some hold falls due. */
export const EXPIRE_HOLDS = 'ledger.expire-holds';

/** The ledger's own sweeper: it may expire holds that reached their timeout, and do nothing else. */
const HOLD_EXPIRY = systemPrincipal('ledger.hold-expiry', { expiresHolds: true });

/**
 * Moves value. Every write, single or bulk, is decided by one batch: its shapes checked before the database
 * is touched, then one database transaction that locks the touched accounts in id order, asks the caller's
 * rights of each request (LEDGER_ACCESS), decides every item in memory (rules/apply-batch.ts) and writes
 * all rows in one statement.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger(LedgerService.name);

  /** Single requests from concurrent callers travel together (see coalescer.ts). */
  private readonly coalescer: Coalescer<AuthorizedRequest, SubmissionResult>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(LEDGER_ACCESS) private readonly access: LedgerAccess,
    @Inject(SchedulerService) private readonly scheduler: SchedulerService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.coalescer = new Coalescer(
      (items) => runInTransaction(this.dataSource, 'READ COMMITTED', (manager) => this.decide(manager, items)),
      config.coalescing,
    );
  }

  /**
   * Applies an ordered batch for a caller, in one database transaction; one result per request, in order.
   * A request the caller may not make is refused alone (FORBIDDEN, not kept against its id).
   */
  async submit(principal: Principal, requests: readonly LedgerRequest[]): Promise<SubmissionResult[]> {
    assert(requests.length <= MAX_BATCH_SIZE, `a batch has at most ${MAX_BATCH_SIZE} requests`);
    return this.checked(principal, requests, (admitted) =>
      runInTransaction(this.dataSource, 'READ COMMITTED', (manager) => this.decide(manager, admitted)),
    );
  }

  /**
   * A workflow step's ledger requests, applied inside the step's own database transaction (`manager`, READ
   * COMMITTED), so that the module's rows and the ledger transactions commit together or not at all. The
   * same checks, locking order, rules and idempotency as every other write; the step derives its ids from
   * its identity (kernel/ids.ts `stepId`), so that running it again replays instead of paying twice.
   */
  async applyInTransaction(
    manager: EntityManager,
    principal: Principal,
    requests: readonly LedgerRequest[],
  ): Promise<SubmissionResult[]> {
    assert(requests.length <= MAX_BATCH_SIZE, `a step applies at most ${MAX_BATCH_SIZE} requests`);
    return this.checked(principal, requests, (admitted) => this.decide(manager, admitted));
  }

  /**
   * Many transactions of one authority (a redistribution run, a stipend batch, a clearing round), written all
   * or none in the caller's database transaction. Every transaction stays an ordinary one (at most 64
   * entries, its own id, limits and history), so every invariant holds for the group as for any other write;
   * the single database transaction makes the group atomic. All the accounts are locked first, in id order;
   * then the requests go through in batches. If any is refused, nothing is written: GROUP_REFUSED, with the
   * first refusal, and the caller's transaction rolls back. Run again, a written group replays whole.
   */
  async applyGroup(
    manager: EntityManager,
    principal: Principal,
    authority: Authority,
    requests: readonly LedgerRequest[],
  ): Promise<TransactionRecord[]> {
    assert(requests.length <= MAX_GROUP_SIZE, `a group has at most ${MAX_GROUP_SIZE} transactions`);
    const authorized = requests.map((request) => ({ ...request, authority }));
    const referenced = await this.repository.loadReferenced(
      manager,
      unique(authorized.map(referencedId).filter((id): id is string => id !== null && isUuid(id))),
    );
    await this.repository.lockAccounts(
      manager,
      unique([
        ...authorized.flatMap((request) =>
          request.type === 'TRANSFER' ? request.entries.map((e) => e.accountId) : [],
        ),
        ...referenced.flatMap((transaction) => transaction.entries.map((entry) => entry.accountId)),
      ])
        .filter(isUuid)
        .sort(),
    );
    const written: TransactionRecord[] = [];
    for (let start = 0; start < authorized.length; start += MAX_BATCH_SIZE) {
      const results = await this.applyInTransaction(
        manager,
        principal,
        authorized.slice(start, start + MAX_BATCH_SIZE),
      );
      for (const [offset, result] of results.entries()) {
        if (!result.ok) {
          const refused = authorized[start + offset];
          throw new DomainError(
            LEDGER_ERRORS.GROUP_REFUSED,
            `Transaction ${refused?.id} of the group was refused (${result.refusal.reason}): nothing was written`,
            { authority, transactionId: refused?.id ?? null, refusal: result.refusal },
          );
        }
        written.push(result.transaction);
      }
    }
    return written;
  }

  /** Applies one request for a caller, batched with concurrent ones; a refusal becomes the API error. */
  async submitOne(
    principal: Principal,
    request: LedgerRequest,
  ): Promise<{ transaction: TransactionRecord; replayed: boolean }> {
    const check = checkRequest(request);
    if (!check.ok) throw DomainError.fromRefusal(check.refusal);
    const result = await this.coalescer.submit({
      request: check.request,
      authorize: this.access.requestAuthorizer(principal),
      recordedBy: nameOf(principal),
    });
    if (!result.ok) throw DomainError.fromRefusal(result.refusal, result.replayed ? { replayed: true } : {});
    return { transaction: result.transaction, replayed: result.replayed };
  }

  coalescingStats(): CoalescerStats {
    return this.coalescer.stats();
  }

  /** Expires every hold whose timeout has passed; safe to run in several processes at once. */
  async expireDueHolds(): Promise<number> {
    let expired = 0;
    for (;;) {
      const holdIds = await this.repository.dueHolds(this.dataSource.manager, EXPIRY_SWEEP_SIZE);
      if (holdIds.length === 0) return expired;
      const results = await this.submit(
        HOLD_EXPIRY,
        holdIds.map((holdId) => ({
          type: 'EXPIRE_HOLD' as const,
          id: expiryTransactionId(holdId),
          holdId,
          memo: 'Expired: the hold reached its timeout',
          metadata: [],
        })),
      );
      const applied = results.filter((result) => result.ok && !result.replayed).length;
      expired += applied;
      if (applied === 0) {
        this.logger.warn(`${holdIds.length} due holds could not be expired in this sweep`);
        return expired;
      }
      if (holdIds.length < EXPIRY_SWEEP_SIZE) return expired;
    }
  }

  /** Checks each request's shape (before the database), decides the sound ones, and answers every request. */
  private async checked(
    principal: Principal,
    requests: readonly LedgerRequest[],
    decideAdmitted: (admitted: readonly AuthorizedRequest[]) => Promise<SubmissionResult[]>,
  ): Promise<SubmissionResult[]> {
    const authorize = this.access.requestAuthorizer(principal);
    const recordedBy = nameOf(principal);
    const checks = requests.map(checkRequest);
    const admitted = checks.flatMap((check) => (check.ok ? [{ request: check.request, authorize, recordedBy }] : []));
    const decided = admitted.length === 0 ? [] : await decideAdmitted(admitted);
    let next = 0;
    return checks.map((check): SubmissionResult => {
      if (!check.ok) return { ok: false, refusal: check.refusal, replayed: false };
      const result = decided[next++];
      assert(result !== undefined, 'every admitted request has a result');
      return result;
    });
  }

  /**
   * Decides a batch of checked requests inside the caller's database transaction: locks the touched accounts,
   * asks each request's authorizer (a refused one is left out, its neighbours go on), applies the rest in
   * memory and writes everything in one statement. One result per request, in order.
   */
  private async decide(manager: EntityManager, items: readonly AuthorizedRequest[]): Promise<SubmissionResult[]> {
    const requests = items.map((item) => item.request);
    const referencedIds = unique(requests.map(referencedId).filter((id): id is string => id !== null));
    const referenced = await this.repository.loadReferenced(manager, referencedIds);
    const locked = await this.repository.lockBatch(manager, {
      accountIds: unique([
        ...requests.flatMap((request) => (request.type === 'TRANSFER' ? request.entries.map((e) => e.accountId) : [])),
        ...referenced.flatMap((transaction) => transaction.entries.map((entry) => entry.accountId)),
      ]),
      unitCodes: unique(requests.flatMap((request) => (request.type === 'TRANSFER' ? [request.unitCode] : []))),
      transactionIds: unique(requests.map((request) => request.id)),
      referencedIds,
    });
    const accounts = new Map(locked.accounts.map((account) => [account.id, account]));
    const references = new Map(referenced.map((transaction) => [transaction.id, transaction]));
    const view: BatchView = { account: (id) => accounts.get(id), referenced: (id) => references.get(id) };
    const forbidden = items.map((item) => item.authorize(item.request, view));
    const prepared: PreparedRequest[] = items
      .filter((_, index) => forbidden[index] === null)
      .map(({ request, recordedBy }) => ({ request, contentHash: contentHash(request), recordedBy }));
    const plan = applyBatch(
      prepared,
      {
        accounts,
        units: locked.units,
        referenced: new Map(
          referenced.map((transaction): [string, ReferencedTransaction] => [
            transaction.id,
            { ...transaction, referencedBy: locked.referencedBy.get(transaction.id) ?? null },
          ]),
        ),
        outcomes: locked.outcomes,
      },
      locked.now,
    );
    const sequences = plan.outcomes.length > 0 ? await this.repository.writeBatch(manager, plan) : new Map();
    await this.scheduleExpiries(manager, plan);
    const records = writtenRecords(plan, sequences);
    // A replay returns the transaction as stored (only these are read back).
    const replayed = plan.results.flatMap((result) => (result.status === 'REPLAYED' ? [result.transactionId] : []));
    for (const record of await this.repository.findTransactions(manager, unique(replayed))) {
      records.set(record.id, record);
    }
    let next = 0;
    return forbidden.map((refusal): SubmissionResult => {
      if (refusal !== null) return { ok: false, refusal, replayed: false };
      const result = plan.results[next++];
      assert(result !== undefined, 'every admitted request has a result');
      if (result.status === 'REFUSED') return { ok: false, refusal: result.refusal, replayed: result.replayed };
      const id = result.status === 'APPLIED' ? result.transaction.id : result.transactionId;
      const transaction = records.get(id);
      assert(transaction !== undefined, `transaction ${id} was written and must be readable`);
      return { ok: true, transaction, replayed: result.status === 'REPLAYED' };
    });
  }

  /** A transaction, for a caller who may see the history of at least one of its accounts. */
  async transaction(principal: Principal, id: string): Promise<TransactionRecord> {
    const [record] = await this.repository.findTransactions(this.dataSource.manager, [requireUuid(id, 'id')]);
    if (record === undefined) {
      throw new DomainError(LEDGER_ERRORS.TRANSACTION_NOT_FOUND, `Transaction ${id} does not exist`, { id });
    }
    const accounts = await this.repository.findAccounts(
      this.dataSource.manager,
      unique(record.entries.map((entry) => entry.accountId)),
    );
    const levels = await this.access.accessTo(principal, accounts);
    if (!levels.includes('DETAIL')) {
      throw new DomainError(LEDGER_ERRORS.TRANSACTION_NOT_VISIBLE, `You may not see transaction ${record.id}`, {
        id: record.id,
      });
    }
    return record;
  }

  /**
   * Each hold with a timeout is expired by scheduled work at the second it falls due, scheduled in the
   * transaction that placed it: one occurrence per second, however many holds fall due in it.
   */
  private async scheduleExpiries(manager: EntityManager, plan: BatchPlan): Promise<void> {
    const seconds = new Set(
      plan.holdsOpened.flatMap((hold) =>
        hold.expiresAt === null ? [] : [Math.floor(hold.expiresAt.getTime() / 1000)],
      ),
    );
    for (const second of seconds) {
      await this.scheduler.at(manager, {
        work: EXPIRE_HOLDS,
        key: new Date(second * 1000).toISOString(),
        runAt: new Date((second + 1) * 1000),
      });
    }
  }

  /** The transactions of one authority the caller may see (some of their accounts' history), in order. */
  async transactionsOf(
    principal: Principal,
    authority: Authority,
    afterSequence: bigint | null,
    limit: number,
  ): Promise<TransactionRecord[]> {
    const records = await this.repository.transactionsOf(this.dataSource.manager, authority, afterSequence, limit);
    const accounts = await this.repository.findAccounts(
      this.dataSource.manager,
      unique(records.flatMap((record) => record.entries.map((entry) => entry.accountId))),
    );
    const levels = await this.access.accessTo(principal, accounts);
    const detailed = new Set(accounts.filter((_, index) => levels[index] === 'DETAIL').map((account) => account.id));
    return records.filter((record) => record.entries.some((entry) => detailed.has(entry.accountId)));
  }

  async transactions(ids: readonly string[]): Promise<TransactionRecord[]> {
    return this.repository.findTransactions(this.dataSource.manager, ids.filter(isUuid));
  }

  async accountHistory(query: {
    accountId: string;
    beforeVersion: bigint | null;
    from: Date | null;
    to: Date | null;
    limit: number;
  }): Promise<HistoryEntryRecord[]> {
    return this.repository.accountHistory(this.dataSource.manager, query);
  }

  async balanceAsOf(accountId: string, at: Date, basis: BalanceBasis): Promise<bigint> {
    return basis === 'RECORDED'
      ? this.repository.balanceRecordedBy(this.dataSource.manager, accountId, at)
      : this.repository.balanceEffectiveBy(this.dataSource.manager, accountId, at);
  }

  /** Per unit, the totals; only of units the caller may see in aggregate (all of them when none are named). */
  async trialBalance(principal: Principal, unitCodes: readonly string[] | null): Promise<TrialBalanceRecord[]> {
    const units =
      unitCodes === null
        ? await this.repository.listUnits(this.dataSource.manager)
        : await this.repository.findUnits(this.dataSource.manager, unitCodes);
    const readable = units.filter((unit) => this.access.mayReadTrialBalance(principal, unit));
    if (unitCodes !== null && readable.length < units.length) {
      const hidden = units.filter((unit) => !readable.includes(unit)).map((unit) => unit.code);
      throw new DomainError(
        LEDGER_ERRORS.TRIAL_BALANCE_NOT_VISIBLE,
        `You may not see the totals of ${hidden.join(', ')}`,
        {
          unitCodes: hidden,
        },
      );
    }
    if (readable.length === 0) return [];
    return this.repository.trialBalance(
      this.dataSource.manager,
      readable.map((unit) => unit.code),
    );
  }
}

/**
 * The transactions a batch wrote, as a read of them would return them: the plan holds every field but the
 * sequence number, which the database gave; a transaction resolved or reversed later in the same batch
 * shows that.
 */
function writtenRecords(plan: BatchPlan, sequences: ReadonlyMap<string, bigint>): Map<string, TransactionRecord> {
  const resolvers = new Map(
    plan.transactions.flatMap((transaction) =>
      transaction.referencesId === null ? [] : [[transaction.referencesId, transaction] as const],
    ),
  );
  return new Map(
    plan.transactions.map((transaction) => {
      const sequence = sequences.get(transaction.id);
      assert(sequence !== undefined, `transaction ${transaction.id} was written and has a sequence number`);
      const resolver = resolvers.get(transaction.id) ?? null;
      const record: TransactionRecord = {
        id: transaction.id,
        sequence,
        unitCode: transaction.unitCode,
        operation: transaction.operation,
        status: transactionStatus(transaction.operation, resolver?.operation ?? null),
        kind: transaction.kind,
        memo: transaction.memo,
        metadata: transaction.metadata,
        referencesId: transaction.referencesId,
        referencedById: resolver?.id ?? null,
        authority: transaction.authority,
        recordedBy: transaction.recordedBy,
        expiresAt: transaction.expiresAt,
        effectiveAt: transaction.effectiveAt,
        recordedAt: transaction.recordedAt,
        entries: transaction.entries,
      };
      return [transaction.id, record];
    }),
  );
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
