import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryPrepared, type PreparedStatement } from '../kernel/database/prepared-statement.js';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  AccountChangeKind,
  AccountChangeRecord,
  AccountRecord,
  EntryRecord,
  HistoryEntryRecord,
  TransactionRecord,
  TrialBalanceRecord,
  UnitRecord,
} from './ledger.records.js';
import type { BatchPlan } from './rules/apply-batch.js';
import {
  transactionStatus,
  type AccountPosition,
  type Authority,
  type Operation,
  type ReferencedTransaction,
  type StoredOutcome,
  type UnitKind,
} from './rules/ledger-model.js';

type Row = Record<string, unknown>;

/** Run by every batch: prepared, so that it is planned once per connection. */
const LOCK_LEDGER_BATCH: PreparedStatement = {
  name: 'lock_ledger_batch',
  text: 'SELECT lock_ledger_batch($1::uuid[], $2::text[], $3::uuid[], $4::uuid[]) AS batch',
};

/** Everything a batch decided, in one statement; prepared, as every batch runs it. */
const WRITE_LEDGER_BATCH: PreparedStatement = {
  name: 'write_ledger_batch',
  text: `WITH outcome AS (
      INSERT INTO transaction_outcome (id, content_hash, refusal)
      SELECT o.id, decode(o.hash, 'hex'), o.refusal
      FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS o(id, hash, refusal)
    ), tx AS (
      INSERT INTO ledger_transaction (id, unit_code, operation, kind, memo, metadata, references_id, entry_count,
                                      expires_at, effective_at, recorded_at, authority_kind, authority_id, recorded_by)
      SELECT * FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::uuid[],
                           $11::smallint[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $35::text[],
                           $36::text[], $37::text[])
      RETURNING id, sequence
    ), new_entry AS (
      INSERT INTO entry (transaction_id, index, account_id, unit_code, side, amount, pending, account_version,
                         balance_after, sequence, effective_at, recorded_at)
      SELECT e.transaction_id, e.index, e.account_id, e.unit_code, e.side, e.amount, e.pending, e.account_version,
             e.balance_after, tx.sequence, e.effective_at, e.recorded_at
      FROM unnest($15::uuid[], $16::smallint[], $17::uuid[], $18::text[], $19::text[], $20::bigint[], $21::bool[],
                  $22::bigint[], $23::bigint[], $24::timestamptz[], $25::timestamptz[])
           AS e(transaction_id, index, account_id, unit_code, side, amount, pending, account_version, balance_after,
                effective_at, recorded_at)
      JOIN tx ON tx.id = e.transaction_id
    ), moved AS (
      UPDATE account a
      SET debits_posted = m.debits_posted, credits_posted = m.credits_posted, debits_pending = m.debits_pending,
          credits_pending = m.credits_pending, version = m.version
      FROM unnest($26::uuid[], $27::bigint[], $28::bigint[], $29::bigint[], $30::bigint[], $31::bigint[])
           AS m(id, debits_posted, credits_posted, debits_pending, credits_pending, version)
      WHERE a.id = m.id
    ), opened AS (
      INSERT INTO open_hold (transaction_id, expires_at)
      SELECT * FROM unnest($32::uuid[], $33::timestamptz[])
    ), closed AS (
      DELETE FROM open_hold WHERE transaction_id = ANY($34::uuid[])
    )
    SELECT id, sequence FROM tx`,
};

/** What a batch reads once its accounts are locked. */
export interface LockedBatch {
  readonly now: Date;
  readonly accounts: readonly AccountRecord[];
  readonly units: ReadonlySet<string>;
  readonly outcomes: ReadonlyMap<string, StoredOutcome>;
  /** Referenced transaction id → the transaction that resolved or reversed it. */
  readonly referencedBy: ReadonlyMap<string, string>;
}

const ACCOUNT_COLUMNS = `id, unit_code, holder_id, name, kind, status, credit_limit, upper_limit, debits_posted,
  credits_posted, debits_pending, credits_pending, version, opened_at,
  (SELECT u.issuer_id FROM unit u WHERE u.code = account.unit_code) AS issuer_id`;

const TRANSACTION_SELECT = `
  SELECT t.id, t.sequence, t.unit_code, t.operation, t.kind, t.memo, t.metadata, t.references_id,
         t.expires_at, t.effective_at, t.recorded_at, t.authority_kind, t.authority_id, t.recorded_by,
         r.id AS referenced_by_id, r.operation AS referenced_by_operation,
         (SELECT json_agg(json_build_object('index', e.index, 'accountId', e.account_id, 'side', e.side,
                   'amount', e.amount::text, 'pending', e.pending, 'accountVersion', e.account_version::text,
                   'balanceAfter', e.balance_after::text) ORDER BY e.index)
            FROM entry e WHERE e.transaction_id = t.id) AS entries
  FROM ledger_transaction t
  LEFT JOIN ledger_transaction r ON r.references_id = t.id`;

/** All of the ledger's SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class LedgerRepository {
  async insertUnit(manager: EntityManager, unit: Omit<UnitRecord, 'createdAt'>): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO unit (code, name, kind, scale, issuer_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [unit.code, unit.name, unit.kind, unit.scale, unit.issuerId],
    );
    return rows.length === 1;
  }

  async findUnits(manager: EntityManager, codes: readonly string[]): Promise<UnitRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT code, name, kind, scale, issuer_id, created_at FROM unit WHERE code = ANY($1::text[]) ORDER BY code`,
      [codes],
    );
    return rows.map(toUnit);
  }

  async listUnits(manager: EntityManager): Promise<UnitRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT code, name, kind, scale, issuer_id, created_at FROM unit ORDER BY code`,
    );
    return rows.map(toUnit);
  }

  async insertAccount(manager: EntityManager, account: AccountRecord, reason: string): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO account (id, unit_code, holder_id, name, kind, status, credit_limit, upper_limit, version, opened_at)
       VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7, 1, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        account.id,
        account.unitCode,
        account.holderId,
        account.name,
        account.kind,
        account.creditLimit.toString(),
        account.upperLimit?.toString() ?? null,
        account.openedAt,
      ],
    );
    if (rows.length === 0) return false;
    await this.insertAccountChange(manager, account, 'OPENED', reason, account.openedAt);
    return true;
  }

  async findAccount(manager: EntityManager, id: string, lock = false): Promise<AccountRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toAccount(rows[0]);
  }

  async findAccounts(manager: EntityManager, ids: readonly string[]): Promise<AccountRecord[]> {
    const rows: Row[] = await manager.query(`SELECT ${ACCOUNT_COLUMNS} FROM account WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toAccount);
  }

  /**
   * The accounts of these ids (many: a join with the list, not a probe per id), in id order; locked until the
   * transaction ends (FOR UPDATE) for a workflow that reads, then moves value.
   */
  async findManyAccounts(manager: EntityManager, ids: readonly string[], lock: boolean): Promise<AccountRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM account JOIN unnest($1::uuid[]) AS wanted (id) USING (id)
       ORDER BY id ${lock ? 'FOR UPDATE OF account' : ''}`,
      [ids],
    );
    return rows.map(toAccount);
  }

  /** Every account of one unit and kind held by any of these holders, in id order. */
  async findAccountsOfHolders(
    manager: EntityManager,
    filter: { holderIds: readonly string[]; unitCode: string; kind: string },
  ): Promise<AccountRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM account JOIN unnest($1::uuid[]) AS holder (party) ON account.holder_id = holder.party
       WHERE unit_code = $2 AND kind = $3 ORDER BY account.id`,
      [filter.holderIds, filter.unitCode, filter.kind],
    );
    return rows.map(toAccount);
  }

  /** Posted debits and credits of each account effective in [from, to), one row per account that moved. */
  async sumFlows(
    manager: EntityManager,
    accountIds: readonly string[],
    from: Date,
    to: Date,
  ): Promise<{ accountId: string; debits: bigint; credits: bigint }[]> {
    const rows: Row[] = await manager.query(
      `SELECT account_id,
              COALESCE(SUM(amount) FILTER (WHERE side = 'DEBIT'), 0)::text AS debits,
              COALESCE(SUM(amount) FILTER (WHERE side = 'CREDIT'), 0)::text AS credits
       FROM entry JOIN unnest($1::uuid[]) AS wanted (id) ON entry.account_id = wanted.id
       WHERE effective_at >= $2 AND effective_at < $3 AND NOT pending
       GROUP BY account_id`,
      [accountIds, from, to],
    );
    return rows.map((row) => ({
      accountId: text(row['account_id']),
      debits: bigintFromColumn(row['debits']),
      credits: bigintFromColumn(row['credits']),
    }));
  }

  async listAccounts(
    manager: EntityManager,
    filter: {
      holderId: string | null;
      unitCode: string | null;
      afterId: string | null;
      limit: number;
      scope: { holderIds: readonly string[]; issuerIds: readonly string[] };
    },
  ): Promise<AccountRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM account
       WHERE ($1::uuid IS NULL OR holder_id = $1) AND ($2::text IS NULL OR unit_code = $2)
         AND ($3::uuid IS NULL OR id > $3)
         AND (holder_id = ANY($5::uuid[])
              OR unit_code IN (SELECT code FROM unit WHERE issuer_id = ANY($6::uuid[])))
       ORDER BY id LIMIT $4`,
      [filter.holderId, filter.unitCode, filter.afterId, filter.limit, filter.scope.holderIds, filter.scope.issuerIds],
    );
    return rows.map(toAccount);
  }

  /** Writes a new status or limits, with the change that explains it, as the account's next version. */
  async updateAccountTerms(
    manager: EntityManager,
    account: AccountRecord,
    change: AccountChangeKind,
    reason: string,
  ): Promise<AccountRecord> {
    const rows: Row[] = await manager.query(
      // Wrapped in a SELECT: for a bare UPDATE, TypeORM returns [rows, count] instead of the rows.
      `WITH updated AS (
         UPDATE account SET status = $2, credit_limit = $3, upper_limit = $4, version = $5
         WHERE id = $1 RETURNING ${ACCOUNT_COLUMNS}
       ) SELECT * FROM updated`,
      [
        account.id,
        account.status,
        account.creditLimit.toString(),
        account.upperLimit?.toString() ?? null,
        account.version.toString(),
      ],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`account ${account.id} vanished`);
    const updated = toAccount(row);
    await this.insertAccountChange(manager, updated, change, reason, null);
    return updated;
  }

  private async insertAccountChange(
    manager: EntityManager,
    account: AccountRecord,
    change: AccountChangeKind,
    reason: string,
    at: Date | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO account_change (account_id, version, change, status, credit_limit, upper_limit, reason, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, clock_timestamp()))`,
      [
        account.id,
        account.version.toString(),
        change,
        account.status,
        account.creditLimit.toString(),
        account.upperLimit?.toString() ?? null,
        reason,
        at,
      ],
    );
  }

  async listAccountChanges(
    manager: EntityManager,
    accountId: string,
    beforeVersion: bigint | null,
    limit: number,
  ): Promise<AccountChangeRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT account_id, version, change, status, credit_limit, upper_limit, reason, changed_at
       FROM account_change WHERE account_id = $1 AND ($2::bigint IS NULL OR version < $2)
       ORDER BY version DESC LIMIT $3`,
      [accountId, beforeVersion?.toString() ?? null, limit],
    );
    return rows.map((row) => ({
      accountId: text(row['account_id']),
      version: bigintFromColumn(row['version']),
      change: row['change'] as AccountChangeKind,
      status: row['status'] as AccountPosition['status'],
      creditLimit: bigintFromColumn(row['credit_limit']),
      upperLimit: row['upper_limit'] === null ? null : bigintFromColumn(row['upper_limit']),
      reason: text(row['reason']),
      changedAt: row['changed_at'] as Date,
    }));
  }

  // ── The batch write path ──────────────────────────────────────────────────────────────────────────

  /** The transactions that requests refer to, with their entries (immutable), read before any lock. */
  async loadReferenced(manager: EntityManager, ids: readonly string[]): Promise<ReferencedTransaction[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await manager.query(`${TRANSACTION_SELECT} WHERE t.id = ANY($1::uuid[])`, [ids]);
    return rows.map((row) => {
      const record = toTransaction(row);
      return {
        id: record.id,
        unitCode: record.unitCode,
        operation: record.operation,
        kind: record.kind,
        entries: record.entries.map(({ accountId, side, amount }) => ({ accountId, side, amount })),
        expiresAt: record.expiresAt,
        authority: record.authority,
        referencedBy: record.referencedById,
      };
    });
  }

  /**
   * The batch's read step, one round trip (migrations/1764000000000-LedgerWritePath.ts): locks the accounts
   * in id order, so that concurrent batches never deadlock, and then reads their positions, which of the
   * units exist, the outcomes already decided for the batch's ids, who resolved the referenced transactions
   * by now, and the database's clock (one clock for every process).
   */
  async lockBatch(
    manager: EntityManager,
    keys: {
      accountIds: readonly string[];
      unitCodes: readonly string[];
      transactionIds: readonly string[];
      referencedIds: readonly string[];
    },
  ): Promise<LockedBatch> {
    const rows = await queryPrepared(manager, LOCK_LEDGER_BATCH, [
      keys.accountIds,
      keys.unitCodes,
      keys.transactionIds,
      keys.referencedIds,
    ]);
    const batch = rows[0]?.['batch'] as {
      now: string;
      accounts: Row[];
      units: string[];
      outcomes: { id: string; hash: string; refusal: StoredOutcome['refusal'] }[];
      referencedBy: { id: string; by: string }[];
    };
    return {
      now: new Date(batch.now),
      accounts: batch.accounts.map((account) =>
        toAccount({ ...account, opened_at: new Date(text(account['opened_at'])) }),
      ),
      units: new Set(batch.units),
      outcomes: new Map(
        batch.outcomes.map((outcome) => [outcome.id, { contentHash: outcome.hash, refusal: outcome.refusal }]),
      ),
      referencedBy: new Map(batch.referencedBy.map((pair) => [pair.id, pair.by])),
    };
  }

  /**
   * Writes everything a batch decided in one statement: outcomes, transactions, entries, accounts, holds.
   * Returns the sequence number the database gave each new transaction.
   */
  async writeBatch(manager: EntityManager, plan: BatchPlan): Promise<Map<string, bigint>> {
    const transactions = plan.transactions;
    const entries = transactions.flatMap((transaction) => transaction.entries.map((entry) => ({ transaction, entry })));
    const closed = new Set(plan.holdsClosed);
    const opened = plan.holdsOpened.filter((hold) => !closed.has(hold.transactionId));
    const openedIds = new Set(plan.holdsOpened.map((hold) => hold.transactionId));
    const closedStored = plan.holdsClosed.filter((id) => !openedIds.has(id));
    const written = await queryPrepared(manager, WRITE_LEDGER_BATCH, [
      plan.outcomes.map((outcome) => outcome.id),
      plan.outcomes.map((outcome) => outcome.contentHash),
      plan.outcomes.map((outcome) => (outcome.refusal === null ? null : JSON.stringify(outcome.refusal))),
      transactions.map((t) => t.id),
      transactions.map((t) => t.unitCode),
      transactions.map((t) => t.operation),
      transactions.map((t) => t.kind),
      transactions.map((t) => t.memo),
      transactions.map((t) => JSON.stringify(t.metadata)),
      transactions.map((t) => t.referencesId),
      transactions.map((t) => t.entries.length),
      transactions.map((t) => t.expiresAt),
      transactions.map((t) => t.effectiveAt),
      transactions.map((t) => t.recordedAt),
      entries.map(({ transaction }) => transaction.id),
      entries.map(({ entry }) => entry.index),
      entries.map(({ entry }) => entry.accountId),
      entries.map(({ transaction }) => transaction.unitCode),
      entries.map(({ entry }) => entry.side),
      entries.map(({ entry }) => entry.amount.toString()),
      entries.map(({ entry }) => entry.pending),
      entries.map(({ entry }) => entry.accountVersion.toString()),
      entries.map(({ entry }) => entry.balanceAfter.toString()),
      entries.map(({ transaction }) => transaction.effectiveAt),
      entries.map(({ transaction }) => transaction.recordedAt),
      plan.accounts.map((a) => a.id),
      plan.accounts.map((a) => a.debitsPosted.toString()),
      plan.accounts.map((a) => a.creditsPosted.toString()),
      plan.accounts.map((a) => a.debitsPending.toString()),
      plan.accounts.map((a) => a.creditsPending.toString()),
      plan.accounts.map((a) => a.version.toString()),
      opened.map((hold) => hold.transactionId),
      opened.map((hold) => hold.expiresAt),
      closedStored,
      transactions.map((t) => t.authority?.kind ?? null),
      transactions.map((t) => t.authority?.id ?? null),
      transactions.map((t) => t.recordedBy),
    ]);
    return new Map(written.map((row) => [text(row['id']), bigintFromColumn(row['sequence'])]));
  }

  /** Locks accounts in id order, as every batch does: a group locks all of its accounts before its batches. */
  async lockAccounts(manager: EntityManager, ids: readonly string[]): Promise<void> {
    await manager.query(`SELECT 1 FROM account WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  /** The transactions one authority caused, in the order they were written. */
  async transactionsOf(
    manager: EntityManager,
    authority: Authority,
    afterSequence: bigint | null,
    limit: number,
  ): Promise<TransactionRecord[]> {
    const rows: Row[] = await manager.query(
      `${TRANSACTION_SELECT}
       WHERE t.authority_kind = $1 AND t.authority_id = $2 AND ($3::bigint IS NULL OR t.sequence > $3)
       ORDER BY t.sequence LIMIT $4`,
      [authority.kind, authority.id, afterSequence?.toString() ?? null, limit],
    );
    return rows.map(toTransaction);
  }

  /** Keeps the outcome of one occurrence of the books check (once, however often the occurrence runs). */
  async recordBooksCheck(
    manager: EntityManager,
    occurrenceId: string,
    violations: readonly { invariant: string; rows: number }[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO books_check (occurrence_id, violations) VALUES ($1, $2) ON CONFLICT (occurrence_id) DO NOTHING`,
      [occurrenceId, JSON.stringify(violations)],
    );
  }

  async lastBooksCheck(
    manager: EntityManager,
  ): Promise<{ checkedAt: Date; violations: { invariant: string; rows: number }[] } | null> {
    const rows: Row[] = await manager.query(
      `SELECT checked_at, violations FROM books_check ORDER BY checked_at DESC LIMIT 1`,
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      checkedAt: row['checked_at'] as Date,
      violations: row['violations'] as { invariant: string; rows: number }[],
    };
  }

  async dueHolds(manager: EntityManager, limit: number): Promise<string[]> {
    const rows: Row[] = await manager.query(
      `SELECT transaction_id FROM open_hold WHERE expires_at <= clock_timestamp() ORDER BY expires_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => text(row['transaction_id']));
  }

  // ── Reads ─────────────────────────────────────────────────────────────────────────────────────────

  async findTransactions(manager: EntityManager, ids: readonly string[]): Promise<TransactionRecord[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await manager.query(`${TRANSACTION_SELECT} WHERE t.id = ANY($1::uuid[])`, [ids]);
    return rows.map(toTransaction);
  }

  async accountHistory(
    manager: EntityManager,
    query: { accountId: string; beforeVersion: bigint | null; from: Date | null; to: Date | null; limit: number },
  ): Promise<HistoryEntryRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT e.transaction_id, e.sequence, t.operation, t.kind, t.memo, e.side, e.amount, e.pending,
              e.account_version, e.balance_after, e.effective_at, e.recorded_at
       FROM entry e JOIN ledger_transaction t ON t.id = e.transaction_id
       WHERE e.account_id = $1
         AND ($2::bigint IS NULL OR e.account_version < $2)
         AND ($3::timestamptz IS NULL OR e.recorded_at >= $3)
         AND ($4::timestamptz IS NULL OR e.recorded_at < $4)
       ORDER BY e.account_version DESC
       LIMIT $5`,
      [query.accountId, query.beforeVersion?.toString() ?? null, query.from, query.to, query.limit],
    );
    return rows.map((row) => ({
      transactionId: text(row['transaction_id']),
      sequence: bigintFromColumn(row['sequence']),
      operation: row['operation'] as Operation,
      kind: text(row['kind']),
      memo: text(row['memo']),
      side: row['side'] as 'DEBIT' | 'CREDIT',
      amount: bigintFromColumn(row['amount']),
      pending: row['pending'] === true,
      accountVersion: bigintFromColumn(row['account_version']),
      balanceAfter: bigintFromColumn(row['balance_after']),
      effectiveAt: row['effective_at'] as Date,
      recordedAt: row['recorded_at'] as Date,
    }));
  }

  /** The posted balance once everything recorded up to `at` was applied (a lookup, not a sum). */
  async balanceRecordedBy(manager: EntityManager, accountId: string, at: Date): Promise<bigint> {
    const rows: Row[] = await manager.query(
      `SELECT balance_after FROM entry WHERE account_id = $1 AND recorded_at <= $2
       ORDER BY recorded_at DESC, account_version DESC LIMIT 1`,
      [accountId, at],
    );
    return rows[0] === undefined ? 0n : bigintFromColumn(rows[0]['balance_after']);
  }

  /** The posted balance of everything effective up to `at`, backdated entries included. */
  async balanceEffectiveBy(manager: EntityManager, accountId: string, at: Date): Promise<bigint> {
    const rows: Row[] = await manager.query(
      `SELECT coalesce(sum(CASE WHEN side = 'CREDIT' THEN amount ELSE -amount END), 0)::text AS balance
       FROM entry WHERE account_id = $1 AND effective_at <= $2 AND NOT pending`,
      [accountId, at],
    );
    return bigintFromColumn(rows[0]?.['balance'] ?? '0');
  }

  async trialBalance(manager: EntityManager, unitCodes: readonly string[] | null): Promise<TrialBalanceRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT u.code AS unit_code, count(a.id)::int AS account_count,
              coalesce(sum(a.debits_posted), 0)::text AS debits_posted,
              coalesce(sum(a.credits_posted), 0)::text AS credits_posted,
              coalesce(sum(a.debits_pending), 0)::text AS debits_pending,
              coalesce(sum(a.credits_pending), 0)::text AS credits_pending
       FROM unit u LEFT JOIN account a ON a.unit_code = u.code
       WHERE $1::text[] IS NULL OR u.code = ANY($1::text[])
       GROUP BY u.code ORDER BY u.code`,
      [unitCodes],
    );
    return rows.map((row) => ({
      unitCode: text(row['unit_code']),
      accountCount: Number(row['account_count']),
      debitsPosted: bigintFromColumn(row['debits_posted']),
      creditsPosted: bigintFromColumn(row['credits_posted']),
      debitsPending: bigintFromColumn(row['debits_pending']),
      creditsPending: bigintFromColumn(row['credits_pending']),
    }));
  }
}

/** node-postgres returns text, uuid and enum-like columns as strings; anything else is a bug. */
function text(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`Expected a text column, got ${typeof value}`);
  return value;
}

function nullableText(value: unknown): string | null {
  return value === null ? null : text(value);
}

function toUnit(row: Row): UnitRecord {
  return {
    code: text(row['code']),
    name: text(row['name']),
    kind: row['kind'] as UnitKind,
    scale: Number(row['scale']),
    issuerId: text(row['issuer_id']),
    createdAt: row['created_at'] as Date,
  };
}

function toAccount(row: Row): AccountRecord {
  return {
    id: text(row['id']),
    unitCode: text(row['unit_code']),
    holderId: text(row['holder_id']),
    issuerId: text(row['issuer_id']),
    name: text(row['name']),
    kind: row['kind'] as AccountRecord['kind'],
    status: row['status'] as AccountRecord['status'],
    creditLimit: bigintFromColumn(row['credit_limit']),
    upperLimit: row['upper_limit'] === null ? null : bigintFromColumn(row['upper_limit']),
    debitsPosted: bigintFromColumn(row['debits_posted']),
    creditsPosted: bigintFromColumn(row['credits_posted']),
    debitsPending: bigintFromColumn(row['debits_pending']),
    creditsPending: bigintFromColumn(row['credits_pending']),
    version: bigintFromColumn(row['version']),
    openedAt: row['opened_at'] as Date,
  };
}

interface EntryJson {
  index: number;
  accountId: string;
  side: 'DEBIT' | 'CREDIT';
  amount: string;
  pending: boolean;
  accountVersion: string;
  balanceAfter: string;
}

function toTransaction(row: Row): TransactionRecord {
  const operation = row['operation'] as Operation;
  const resolvedBy = row['referenced_by_operation'] === null ? null : (row['referenced_by_operation'] as Operation);
  return {
    id: text(row['id']),
    sequence: bigintFromColumn(row['sequence']),
    unitCode: text(row['unit_code']),
    operation,
    status: transactionStatus(operation, resolvedBy),
    kind: text(row['kind']),
    memo: text(row['memo']),
    metadata: row['metadata'] as Record<string, string>,
    referencesId: nullableText(row['references_id']),
    referencedById: nullableText(row['referenced_by_id']),
    authority:
      row['authority_kind'] === null ? null : { kind: text(row['authority_kind']), id: text(row['authority_id']) },
    recordedBy: nullableText(row['recorded_by']),
    expiresAt: (row['expires_at'] as Date | null) ?? null,
    effectiveAt: row['effective_at'] as Date,
    recordedAt: row['recorded_at'] as Date,
    entries: ((row['entries'] as EntryJson[] | null) ?? []).map((entry): EntryRecord => ({
      index: entry.index,
      accountId: entry.accountId,
      side: entry.side,
      amount: BigInt(entry.amount),
      pending: entry.pending,
      accountVersion: BigInt(entry.accountVersion),
      balanceAfter: BigInt(entry.balanceAfter),
    })),
  };
}
