import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Position } from '../kernel/graphql/cursor.js';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type { Authority } from '../ledger/ledger.records.js';
import type {
  BankMemberRecord,
  BankMonthRecord,
  ExchangeRecord,
  ExchangeStepRecord,
  ListingKind,
  ListingRecord,
  ListingStatus,
  SettingsChangeRecord,
  StepAction,
  TimebankRecord,
} from './timebank.records.js';
import type { ExchangeStatus } from './rules/exchange-state.js';
import type { Movement } from './rules/statements.js';
import type { StatementVisibility, TimebankSettings } from './rules/settings.js';

type Row = Record<string, unknown>;

const BANK_COLUMNS = `organization_id, unit_code, bank_account_id, clearing_account_id, auto_confirm_minutes,
  max_minutes_per_log, default_credit_minutes, bank_credit_minutes, federation_exchanges, statement_visibility,
  categories, version, created_at`;
const LISTING_COLUMNS = `id, timebank_id, author_id, kind, title, description, category, estimated_minutes,
  availability, status, created_at, updated_at`;
const EXCHANGE_COLUMNS = `id, kind, timebank_id, giver_id, giver_bank_id, giver_account_id, receiver_id,
  receiver_bank_id, receiver_account_id, minutes, confirmed_minutes, description, listing_id, started_by, logged_by,
  status, due_at, created_at, confirmed_at, closed_at`;

/** A status change of many exchanges at once (the auto-confirmation's set-based write). */
export interface StatusChange {
  readonly id: string;
  readonly status: ExchangeStatus;
  readonly confirmedMinutes: number | null;
  readonly action: StepAction;
  readonly minutes: number | null;
  readonly reason: string;
}

/** All of the time bank's SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class TimebankRepository {
  // Banks and settings

  async insertBank(manager: EntityManager, bank: TimebankRecord): Promise<boolean> {
    const s = bank.settings;
    const rows: Row[] = await manager.query(
      `INSERT INTO timebank (organization_id, unit_code, bank_account_id, clearing_account_id, auto_confirm_minutes,
         max_minutes_per_log, default_credit_minutes, bank_credit_minutes, federation_exchanges, statement_visibility,
         categories, version, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12)
       ON CONFLICT (organization_id) DO NOTHING RETURNING organization_id`,
      [
        bank.organizationId,
        bank.unitCode,
        bank.bankAccountId,
        bank.clearingAccountId,
        s.autoConfirmMinutes,
        s.maxMinutesPerLog,
        s.defaultCreditMinutes.toString(),
        s.bankCreditMinutes.toString(),
        s.federationExchanges,
        s.statementVisibility,
        s.categories,
        bank.createdAt,
      ],
    );
    return rows.length === 1;
  }

  async findBank(manager: EntityManager, organizationId: string, lock = false): Promise<TimebankRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${BANK_COLUMNS} FROM timebank WHERE organization_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [organizationId],
    );
    return rows[0] === undefined ? null : toBank(rows[0]);
  }

  async findBanks(manager: EntityManager, ids: readonly string[]): Promise<TimebankRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${BANK_COLUMNS} FROM timebank WHERE organization_id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toBank);
  }

  async updateSettings(
    manager: EntityManager,
    organizationId: string,
    settings: TimebankSettings,
  ): Promise<TimebankRecord> {
    await manager.query(
      `UPDATE timebank SET auto_confirm_minutes = $2, max_minutes_per_log = $3, default_credit_minutes = $4,
         bank_credit_minutes = $5, federation_exchanges = $6, statement_visibility = $7, categories = $8,
         version = version + 1
       WHERE organization_id = $1`,
      [
        organizationId,
        settings.autoConfirmMinutes,
        settings.maxMinutesPerLog,
        settings.defaultCreditMinutes.toString(),
        settings.bankCreditMinutes.toString(),
        settings.federationExchanges,
        settings.statementVisibility,
        settings.categories,
      ],
    );
    const updated = await this.findBank(manager, organizationId);
    if (updated === null) throw new Error(`time bank ${organizationId} vanished`);
    return updated;
  }

  async insertSettingsChange(manager: EntityManager, change: SettingsChangeRecord): Promise<void> {
    await manager.query(
      `INSERT INTO timebank_settings_change (timebank_id, version, changed_by, authority_kind, authority_id, reason,
         before, after, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        change.timebankId,
        change.version,
        change.changedBy,
        change.authority?.kind ?? null,
        change.authority?.id ?? null,
        change.reason,
        change.before === null ? null : JSON.stringify(change.before),
        JSON.stringify(change.after),
        change.changedAt,
      ],
    );
  }

  async listSettingsChanges(manager: EntityManager, timebankId: string): Promise<SettingsChangeRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT timebank_id, version, changed_by, authority_kind, authority_id, reason, before, after, changed_at
       FROM timebank_settings_change WHERE timebank_id = $1 ORDER BY version DESC LIMIT 200`,
      [timebankId],
    );
    return rows.map((row) => ({
      timebankId: String(row['timebank_id']),
      version: Number(row['version']),
      changedBy: String(row['changed_by']),
      authority:
        row['authority_kind'] === null
          ? null
          : ({ kind: row['authority_kind'] as string, id: row['authority_id'] as string } satisfies Authority),
      reason: String(row['reason']),
      before: (row['before'] as Record<string, unknown> | null) ?? null,
      after: row['after'] as Record<string, unknown>,
      changedAt: row['changed_at'] as Date,
    }));
  }

  // Members and partner accounts

  async insertMember(manager: EntityManager, member: BankMemberRecord): Promise<void> {
    await manager.query(
      `INSERT INTO timebank_member (timebank_id, person_id, account_id, joined_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (timebank_id, person_id) DO NOTHING`,
      [member.timebankId, member.personId, member.accountId, member.joinedAt],
    );
  }

  async findMember(manager: EntityManager, timebankId: string, personId: string): Promise<BankMemberRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT timebank_id, person_id, account_id, joined_at FROM timebank_member
       WHERE timebank_id = $1 AND person_id = $2`,
      [timebankId, personId],
    );
    return rows[0] === undefined ? null : toMember(rows[0]);
  }

  async listMembers(manager: EntityManager, timebankId: string): Promise<BankMemberRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT timebank_id, person_id, account_id, joined_at FROM timebank_member WHERE timebank_id = $1
       ORDER BY joined_at, person_id LIMIT 5000`,
      [timebankId],
    );
    return rows.map(toMember);
  }

  async findPartnerAccount(manager: EntityManager, timebankId: string, partnerId: string): Promise<string | null> {
    const rows: Row[] = await manager.query(
      `SELECT account_id FROM timebank_partner_account WHERE timebank_id = $1 AND partner_id = $2`,
      [timebankId, partnerId],
    );
    return rows[0] === undefined ? null : String(rows[0]['account_id']);
  }

  async insertPartnerAccount(
    manager: EntityManager,
    row: { timebankId: string; partnerId: string; accountId: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO timebank_partner_account (timebank_id, partner_id, account_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [row.timebankId, row.partnerId, row.accountId],
    );
  }

  // Listings

  async insertListing(manager: EntityManager, listing: ListingRecord): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO timebank_listing (id, timebank_id, author_id, kind, title, description, category,
         estimated_minutes, availability, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        listing.id,
        listing.timebankId,
        listing.authorId,
        listing.kind,
        listing.title,
        listing.description,
        listing.category,
        listing.estimatedMinutes,
        listing.availability,
        listing.status,
        listing.createdAt,
      ],
    );
    return rows.length === 1;
  }

  async findListing(manager: EntityManager, id: string, lock = false): Promise<ListingRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${LISTING_COLUMNS} FROM timebank_listing WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toListing(rows[0]);
  }

  async updateListing(
    manager: EntityManager,
    listing: Pick<
      ListingRecord,
      'id' | 'title' | 'description' | 'category' | 'estimatedMinutes' | 'availability' | 'status' | 'updatedAt'
    >,
  ): Promise<ListingRecord> {
    await manager.query(
      `UPDATE timebank_listing SET title = $2, description = $3, category = $4, estimated_minutes = $5,
         availability = $6, status = $7, updated_at = $8
       WHERE id = $1`,
      [
        listing.id,
        listing.title,
        listing.description,
        listing.category,
        listing.estimatedMinutes,
        listing.availability,
        listing.status,
        listing.updatedAt,
      ],
    );
    const updated = await this.findListing(manager, listing.id);
    if (updated === null) throw new Error(`listing ${listing.id} vanished`);
    return updated;
  }

  /**
   * Active listings of a bank, newest first, after a position; matched by words (every word, as a prefix)
   * and by category. The GIN index on `search` finds the words; the partial index orders the newest.
   */
  async searchListings(
    manager: EntityManager,
    filter: {
      timebankId: string;
      words: readonly string[];
      category: string | null;
      kind: ListingKind | null;
      authorId: string | null;
      after: Position | null;
      limit: number;
    },
  ): Promise<ListingRecord[]> {
    const query = filter.words.length === 0 ? null : filter.words.map((word) => `${word}:*`).join(' & ');
    const rows: Row[] = await manager.query(
      `SELECT ${LISTING_COLUMNS} FROM timebank_listing
       WHERE timebank_id = $1 AND status = 'ACTIVE'
         AND ($2::text IS NULL OR search @@ to_tsquery('simple', $2))
         AND ($3::text IS NULL OR category = $3)
         AND ($4::text IS NULL OR kind = $4)
         AND ($5::uuid IS NULL OR author_id = $5)
         AND ($6::timestamptz IS NULL OR (created_at, id) < ($6, $7::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $8`,
      [
        filter.timebankId,
        query,
        filter.category,
        filter.kind,
        filter.authorId,
        filter.after?.at ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    );
    return rows.map(toListing);
  }

  // Exchanges

  async insertExchange(manager: EntityManager, exchange: ExchangeRecord): Promise<boolean> {
    const rows: Row[] = await manager.query(
      `INSERT INTO timebank_exchange (${EXCHANGE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        exchange.id,
        exchange.kind,
        exchange.timebankId,
        exchange.giverId,
        exchange.giverBankId,
        exchange.giverAccountId,
        exchange.receiverId,
        exchange.receiverBankId,
        exchange.receiverAccountId,
        exchange.minutes,
        exchange.confirmedMinutes,
        exchange.description,
        exchange.listingId,
        exchange.startedBy,
        exchange.loggedBy,
        exchange.status,
        exchange.dueAt,
        exchange.createdAt,
        exchange.confirmedAt,
        exchange.closedAt,
      ],
    );
    return rows.length === 1;
  }

  async findExchange(manager: EntityManager, id: string, lock = false): Promise<ExchangeRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${EXCHANGE_COLUMNS} FROM timebank_exchange WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toExchange(rows[0]);
  }

  /**
   * Pending exchanges due by `now`, oldest due first, locked; rows another transaction holds (a member
   * confirming at this moment) are skipped: that transaction decides them.
   */
  async lockDue(manager: EntityManager, now: Date, limit: number): Promise<ExchangeRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${EXCHANGE_COLUMNS} FROM timebank_exchange
       WHERE status = 'PENDING' AND due_at <= $1
       ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toExchange);
  }

  /** Moves many exchanges at once and writes a step for each, in two statements. */
  async changeStatuses(
    manager: EntityManager,
    changes: readonly StatusChange[],
    actor: string,
    at: Date,
  ): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `UPDATE timebank_exchange AS e SET
         status = c.status,
         confirmed_minutes = coalesce(e.confirmed_minutes, c.confirmed_minutes),
         confirmed_at = CASE WHEN c.status = 'CONFIRMED' THEN $4::timestamptz ELSE e.confirmed_at END,
         closed_at = CASE WHEN c.status IN ('CANCELLED', 'REVERSED') THEN $4::timestamptz ELSE e.closed_at END
       FROM unnest($1::uuid[], $2::text[], $3::integer[]) AS c (id, status, confirmed_minutes)
       WHERE e.id = c.id`,
      [changes.map((c) => c.id), changes.map((c) => c.status), changes.map((c) => c.confirmedMinutes), at],
    );
    await manager.query(
      `INSERT INTO timebank_exchange_step (exchange_id, step, action, status, actor, minutes, reason, at)
       SELECT c.id, coalesce((SELECT max(s.step) FROM timebank_exchange_step s WHERE s.exchange_id = c.id), 0) + 1,
              c.action, c.status, $6, c.minutes, c.reason, $7
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::integer[], $5::text[]) AS c (id, action, status, minutes, reason)`,
      [
        changes.map((c) => c.id),
        changes.map((c) => c.action),
        changes.map((c) => c.status),
        changes.map((c) => c.minutes),
        changes.map((c) => c.reason),
        actor,
        at,
      ],
    );
  }

  async insertStep(manager: EntityManager, step: Omit<ExchangeStepRecord, 'step'>): Promise<void> {
    await manager.query(
      `INSERT INTO timebank_exchange_step (exchange_id, step, action, status, actor, minutes, reason, at)
       VALUES ($1, coalesce((SELECT max(step) FROM timebank_exchange_step WHERE exchange_id = $1), 0) + 1,
               $2, $3, $4, $5, $6, $7)`,
      [step.exchangeId, step.action, step.status, step.actor, step.minutes, step.reason, step.at],
    );
  }

  async listSteps(manager: EntityManager, exchangeIds: readonly string[]): Promise<ExchangeStepRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT exchange_id, step, action, status, actor, minutes, reason, at FROM timebank_exchange_step
       WHERE exchange_id = ANY($1::uuid[]) ORDER BY exchange_id, step`,
      [exchangeIds],
    );
    return rows.map((row) => ({
      exchangeId: String(row['exchange_id']),
      step: Number(row['step']),
      action: row['action'] as StepAction,
      status: row['status'] as ExchangeStatus,
      actor: String(row['actor']),
      minutes: row['minutes'] === null ? null : Number(row['minutes']),
      reason: String(row['reason']),
      at: row['at'] as Date,
    }));
  }

  /**
   * Exchanges of a bank (logged in it or reaching it from another), newest first, filtered by a party, by
   * statuses, and by who must answer.
   */
  async listExchanges(
    manager: EntityManager,
    filter: {
      timebankId: string;
      partyId: string | null;
      statuses: readonly ExchangeStatus[] | null;
      awaitingPersonId: string | null;
      after: Position | null;
      limit: number;
    },
  ): Promise<ExchangeRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${EXCHANGE_COLUMNS} FROM timebank_exchange
       WHERE (timebank_id = $1 OR giver_bank_id = $1 OR receiver_bank_id = $1)
         AND ($2::uuid IS NULL OR giver_id = $2 OR receiver_id = $2)
         AND ($3::text[] IS NULL OR status = ANY($3))
         AND ($4::uuid IS NULL OR (status = 'PENDING' AND (
               (started_by = 'GIVER' AND receiver_id = $4) OR (started_by = 'RECEIVER' AND giver_id = $4))))
         AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $7`,
      [
        filter.timebankId,
        filter.partyId,
        filter.statuses,
        filter.awaitingPersonId,
        filter.after?.at ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    );
    return rows.map(toExchange);
  }

  /** Minutes held on a member's account by logs still awaiting an answer or a coordinator. */
  async pendingMinutes(manager: EntityManager, accountId: string): Promise<bigint> {
    const rows: Row[] = await manager.query(
      `SELECT coalesce(sum(minutes), 0) AS minutes FROM timebank_exchange
       WHERE receiver_account_id = $1 AND status IN ('PENDING', 'DISPUTED')`,
      [accountId],
    );
    return bigintFromColumn(rows[0]?.['minutes'] ?? 0);
  }

  /** A member's movements in a bank: confirmations, and the corrections that reversed some of them. */
  async movements(manager: EntityManager, accountId: string): Promise<Movement[]> {
    const rows: Row[] = await manager.query(
      `SELECT confirmed_at AS at, CASE WHEN giver_account_id = $1 THEN 'GIVEN' ELSE 'RECEIVED' END AS side,
              confirmed_minutes AS minutes, false AS correction
       FROM timebank_exchange
       WHERE (giver_account_id = $1 OR receiver_account_id = $1) AND confirmed_at IS NOT NULL
       UNION ALL
       SELECT closed_at, CASE WHEN giver_account_id = $1 THEN 'GIVEN' ELSE 'RECEIVED' END,
              confirmed_minutes, true
       FROM timebank_exchange
       WHERE (giver_account_id = $1 OR receiver_account_id = $1) AND status = 'REVERSED'`,
      [accountId],
    );
    return rows.map((row) => ({
      at: row['at'] as Date,
      side: row['side'] as 'GIVEN' | 'RECEIVED',
      minutes: bigintFromColumn(row['minutes']),
      correction: row['correction'] === true,
    }));
  }

  /** A bank's totals per month: confirmed exchanges, distinct people in them, minutes moved, corrections. */
  async bankMonths(manager: EntityManager, timebankId: string): Promise<BankMonthRecord[]> {
    const rows: Row[] = await manager.query(
      `WITH confirmed AS (
         SELECT id, to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, giver_id, receiver_id,
                confirmed_minutes
         FROM timebank_exchange
         WHERE (timebank_id = $1 OR giver_bank_id = $1 OR receiver_bank_id = $1) AND confirmed_at IS NOT NULL
       ), corrected AS (
         SELECT to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS corrections
         FROM timebank_exchange
         WHERE (timebank_id = $1 OR giver_bank_id = $1 OR receiver_bank_id = $1) AND status = 'REVERSED'
         GROUP BY 1
       ), totals AS (
         SELECT month, count(*) AS exchanges, sum(confirmed_minutes) AS minutes,
                (SELECT count(DISTINCT p) FROM confirmed c2, LATERAL (VALUES (c2.giver_id), (c2.receiver_id)) AS v (p)
                 WHERE c2.month = c.month AND p <> $1) AS active_members
         FROM confirmed c GROUP BY month
       )
       SELECT coalesce(t.month, k.month) AS month, coalesce(t.exchanges, 0) AS exchanges,
              coalesce(t.active_members, 0) AS active_members, coalesce(t.minutes, 0) AS minutes,
              coalesce(k.corrections, 0) AS corrections
       FROM totals t FULL JOIN corrected k ON k.month = t.month
       ORDER BY 1`,
      [timebankId],
    );
    return rows.map((row) => ({
      month: String(row['month']),
      exchanges: Number(row['exchanges']),
      activeMembers: Number(row['active_members']),
      minutes: bigintFromColumn(row['minutes']),
      corrections: Number(row['corrections']),
    }));
  }
}

function toBank(row: Row): TimebankRecord {
  return {
    organizationId: String(row['organization_id']),
    unitCode: String(row['unit_code']),
    bankAccountId: String(row['bank_account_id']),
    clearingAccountId: String(row['clearing_account_id']),
    settings: {
      autoConfirmMinutes: Number(row['auto_confirm_minutes']),
      maxMinutesPerLog: Number(row['max_minutes_per_log']),
      defaultCreditMinutes: bigintFromColumn(row['default_credit_minutes']),
      bankCreditMinutes: bigintFromColumn(row['bank_credit_minutes']),
      federationExchanges: row['federation_exchanges'] === true,
      statementVisibility: row['statement_visibility'] as StatementVisibility,
      categories: row['categories'] as string[],
    },
    version: Number(row['version']),
    createdAt: row['created_at'] as Date,
  };
}

function toMember(row: Row): BankMemberRecord {
  return {
    timebankId: String(row['timebank_id']),
    personId: String(row['person_id']),
    accountId: String(row['account_id']),
    joinedAt: row['joined_at'] as Date,
  };
}

function toListing(row: Row): ListingRecord {
  return {
    id: String(row['id']),
    timebankId: String(row['timebank_id']),
    authorId: String(row['author_id']),
    kind: row['kind'] as ListingKind,
    title: String(row['title']),
    description: String(row['description']),
    category: String(row['category']),
    estimatedMinutes: row['estimated_minutes'] === null ? null : Number(row['estimated_minutes']),
    availability: String(row['availability']),
    status: row['status'] as ListingStatus,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

function toExchange(row: Row): ExchangeRecord {
  return {
    id: String(row['id']),
    kind: row['kind'] as ExchangeRecord['kind'],
    timebankId: String(row['timebank_id']),
    giverId: String(row['giver_id']),
    giverBankId: String(row['giver_bank_id']),
    giverAccountId: String(row['giver_account_id']),
    receiverId: String(row['receiver_id']),
    receiverBankId: String(row['receiver_bank_id']),
    receiverAccountId: String(row['receiver_account_id']),
    minutes: Number(row['minutes']),
    confirmedMinutes: row['confirmed_minutes'] === null ? null : Number(row['confirmed_minutes']),
    description: String(row['description']),
    listingId: (row['listing_id'] as string | null) ?? null,
    startedBy: row['started_by'] as ExchangeRecord['startedBy'],
    loggedBy: String(row['logged_by']),
    status: row['status'] as ExchangeStatus,
    dueAt: (row['due_at'] as Date | null) ?? null,
    createdAt: row['created_at'] as Date,
    confirmedAt: (row['confirmed_at'] as Date | null) ?? null,
    closedAt: (row['closed_at'] as Date | null) ?? null,
  };
}
