import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Position } from '../kernel/graphql/cursor.js';
import { bigintFromColumn } from '../kernel/money/minor-units.js';
import type {
  AutomaticPaymentOutcome,
  AutomaticPaymentRecord,
  ClearingConsent,
  ClearingParticipantRecord,
  ClearingRoundRecord,
  ClearingSetOffRecord,
  ClearingSettingRecord,
  InvoiceEventRecord,
  InvoiceFilter,
  InvoiceLine,
  InvoiceRecord,
  InvoiceStatus,
  InvoiceTotalsRecord,
  NewInvoiceEvent,
  StatementEventRecord,
} from './trade.records.js';
import type { Obligation } from './rules/clearing.js';

type Row = Record<string, unknown>;

const INVOICE_COLUMNS = `id, issuer_id, payer_id, unit_code, credit_account_id, reference, notes, to_char(due_on, 'YYYY-MM-DD') AS due_on,
  total, paid, set_off, status, rejection_reason, automatic_payment, issued_by, issued_at, updated_at`;
const EVENT_COLUMNS = 'sequence, invoice_id, kind, amount, payment_id, transaction_id, round_id, actor, reason, at';
const ROUND_COLUMNS = `id, federation_id, unit_code, status, consent_by_membership, consent_deadline, version, obligation_count,
  total_debt, net_internal_debt, cleared, created_by, created_at, executed_by, executed_at`;

/** The statuses an invoice is "open" in; mirrors rules/invoice-lifecycle.ts. */
const OPEN = `('ISSUED', 'ACCEPTED', 'PARTLY_PAID')`;

/** All of trade's SQL. Every method runs on the caller's manager (its database transaction). */
@Injectable()
export class TradeRepository {
  // Invoices

  async insertInvoice(manager: EntityManager, invoice: InvoiceRecord, lines: readonly InvoiceLine[]): Promise<void> {
    await manager.query(
      `INSERT INTO invoice (id, issuer_id, payer_id, unit_code, credit_account_id, reference, notes, due_on, total, paid,
         set_off, status, rejection_reason, automatic_payment, issued_by, issued_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        invoice.id,
        invoice.issuerId,
        invoice.payerId,
        invoice.unitCode,
        invoice.creditAccountId,
        invoice.reference,
        invoice.notes,
        invoice.dueOn,
        invoice.total.toString(),
        invoice.paid.toString(),
        invoice.setOff.toString(),
        invoice.status,
        invoice.rejectionReason,
        invoice.automaticPayment,
        invoice.issuedBy,
        invoice.issuedAt,
        invoice.updatedAt,
      ],
    );
    await manager.query(
      `INSERT INTO invoice_line (invoice_id, position, description, quantity_thousandths, unit_price, amount)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])`,
      [
        invoice.id,
        lines.map((line) => line.position),
        lines.map((line) => line.description),
        lines.map((line) => line.quantityThousandths.toString()),
        lines.map((line) => line.unitPrice.toString()),
        lines.map((line) => line.amount.toString()),
      ],
    );
  }

  async findInvoice(manager: EntityManager, id: string, lock = false): Promise<InvoiceRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoice WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toInvoice(rows[0]);
  }

  async updateInvoice(
    manager: EntityManager,
    id: string,
    change: {
      status: InvoiceStatus;
      paid: bigint;
      setOff: bigint;
      rejectionReason: string | null;
      automaticPayment: AutomaticPaymentOutcome | null;
      updatedAt: Date;
    },
  ): Promise<InvoiceRecord> {
    const rows: Row[] = await manager.query(
      `WITH updated AS (
         UPDATE invoice SET status = $2, paid = $3, set_off = $4, rejection_reason = $5, automatic_payment = $6,
           updated_at = $7
         WHERE id = $1 RETURNING ${INVOICE_COLUMNS}
       ) SELECT * FROM updated`,
      [
        id,
        change.status,
        change.paid.toString(),
        change.setOff.toString(),
        change.rejectionReason,
        change.automaticPayment,
        change.updatedAt,
      ],
    );
    return toInvoice(one(rows));
  }

  /** How many members of a round would see their net position move (always none: the solver keeps them). */
  async membersOutOfBalance(manager: EntityManager, roundId: string): Promise<number> {
    const rows: Row[] = await manager.query(
      `SELECT count(*)::int AS count FROM (
         SELECT member, sum(change) AS moved FROM (
           SELECT debtor_id AS member, amount AS change FROM clearing_setoff WHERE round_id = $1
           UNION ALL SELECT creditor_id, -amount FROM clearing_setoff WHERE round_id = $1
         ) AS changes GROUP BY member HAVING sum(change) <> 0
       ) AS unbalanced`,
      [roundId],
    );
    return Number(rows[0]?.['count'] ?? 0);
  }

  async countSetOffs(manager: EntityManager, roundId: string): Promise<number> {
    const rows: Row[] = await manager.query(`SELECT count(*)::int AS count FROM clearing_setoff WHERE round_id = $1`, [
      roundId,
    ]);
    return Number(rows[0]?.['count'] ?? 0);
  }

  /**
   * Writes a round's set-offs: each invoice that is still an obligation owing at least its set-off settles it
   * (PAID once nothing is left, PARTLY_PAID otherwise: rules/invoice-lifecycle.ts) and gets its SET_OFF event.
   * Two statements, whatever the round's size; returns how many invoices were set off (the caller refuses
   * the round, and rolls back, if that is fewer than its set-offs).
   */
  async applyRoundSetOffs(
    manager: EntityManager,
    round: { roundId: string; actor: string; at: Date; expected: number },
  ): Promise<number> {
    const updated: Row[] = await manager.query(
      `WITH updated AS (
         UPDATE invoice i SET set_off = i.set_off + s.amount, updated_at = $2,
           status = CASE WHEN i.paid + i.set_off + s.amount = i.total THEN 'PAID' ELSE 'PARTLY_PAID' END
         FROM clearing_setoff s
         WHERE s.round_id = $1 AND s.invoice_id = i.id AND i.status IN ('ACCEPTED', 'PARTLY_PAID')
           AND s.amount <= i.total - i.paid - i.set_off
         RETURNING i.id
       ) SELECT count(*)::int AS count FROM updated`,
      [round.roundId, round.at],
    );
    const count = Number(updated[0]?.['count'] ?? 0);
    if (count !== round.expected) return count;
    await manager.query(
      `INSERT INTO invoice_event (invoice_id, kind, amount, round_id, actor, reason, at)
       SELECT invoice_id, 'SET_OFF', amount, round_id, $2, '', $3 FROM clearing_setoff WHERE round_id = $1
       ORDER BY invoice_id`,
      [round.roundId, round.actor, round.at],
    );
    return count;
  }

  async listLines(manager: EntityManager, invoiceId: string): Promise<InvoiceLine[]> {
    const rows: Row[] = await manager.query(
      `SELECT position, description, quantity_thousandths, unit_price, amount FROM invoice_line
       WHERE invoice_id = $1 ORDER BY position`,
      [invoiceId],
    );
    return rows.map((row) => ({
      position: Number(row['position']),
      description: String(row['description']),
      quantityThousandths: bigintFromColumn(row['quantity_thousandths']),
      unitPrice: bigintFromColumn(row['unit_price']),
      amount: bigintFromColumn(row['amount']),
    }));
  }

  async insertEvents(manager: EntityManager, events: readonly NewInvoiceEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += BULK) {
      const slice = events.slice(start, start + BULK);
      await manager.query(
        `INSERT INTO invoice_event (invoice_id, kind, amount, payment_id, transaction_id, round_id, actor, reason, at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[],
           $8::text[], $9::timestamptz[])`,
        [
          slice.map((e) => e.invoiceId),
          slice.map((e) => e.kind),
          slice.map((e) => e.amount.toString()),
          slice.map((e) => e.paymentId),
          slice.map((e) => e.transactionId),
          slice.map((e) => e.roundId),
          slice.map((e) => e.actor),
          slice.map((e) => e.reason),
          slice.map((e) => e.at),
        ],
      );
    }
  }

  async listEvents(manager: EntityManager, invoiceId: string): Promise<InvoiceEventRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM invoice_event WHERE invoice_id = $1 ORDER BY sequence`,
      [invoiceId],
    );
    return rows.map(toEvent);
  }

  async findPayment(manager: EntityManager, paymentId: string): Promise<InvoiceEventRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${EVENT_COLUMNS} FROM invoice_event WHERE payment_id = $1`, [
      paymentId,
    ]);
    return rows[0] === undefined ? null : toEvent(rows[0]);
  }

  /** An organisation's invoices, newest first, after a (issued_at, id) position. */
  async listInvoices(
    manager: EntityManager,
    filter: InvoiceFilter,
    page: { after: Position | null; limit: number },
  ): Promise<InvoiceRecord[]> {
    const { where, parameters } = invoiceWhere(filter);
    const at = parameters.length;
    const rows: Row[] = await manager.query(
      `SELECT ${INVOICE_COLUMNS} FROM invoice WHERE ${where}
         AND ($${at + 1}::timestamptz IS NULL OR (issued_at, id) < ($${at + 1}, $${at + 2}::uuid))
       ORDER BY issued_at DESC, id DESC LIMIT $${at + 3}`,
      [...parameters, page.after?.at ?? null, page.after?.id ?? null, page.limit],
    );
    return rows.map(toInvoice);
  }

  async invoiceTotals(manager: EntityManager, filter: InvoiceFilter): Promise<InvoiceTotalsRecord[]> {
    const { where, parameters } = invoiceWhere(filter);
    const rows: Row[] = await manager.query(
      `SELECT unit_code, count(*)::int AS count, sum(total) AS total, sum(paid + set_off) AS settled,
         sum(CASE WHEN status IN ${OPEN} THEN total - paid - set_off ELSE 0 END) AS outstanding
       FROM invoice WHERE ${where} GROUP BY unit_code ORDER BY unit_code`,
      parameters,
    );
    return rows.map((row) => ({
      unitCode: String(row['unit_code']),
      count: Number(row['count']),
      total: bigintFromColumn(row['total']),
      settled: bigintFromColumn(row['settled']),
      outstanding: bigintFromColumn(row['outstanding']),
    }));
  }

  /** Every event, up to `before`, of the invoices in a unit that an organisation issued or received. */
  async statementEvents(
    manager: EntityManager,
    query: { organizationId: string; unitCode: string; before: Date },
  ): Promise<StatementEventRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT e.sequence, e.invoice_id, e.kind, e.amount, e.payment_id, e.transaction_id, e.round_id, e.actor, e.reason,
         e.at, i.issuer_id, i.payer_id, i.reference, i.total, to_char(i.due_on, 'YYYY-MM-DD') AS due_on
       FROM invoice_event e JOIN invoice i ON i.id = e.invoice_id
       WHERE (i.issuer_id = $1 OR i.payer_id = $1) AND i.unit_code = $2 AND e.at < $3
       ORDER BY e.at, e.sequence`,
      [query.organizationId, query.unitCode, query.before],
    );
    return rows.map((row) => ({
      ...toEvent(row),
      issuerId: String(row['issuer_id']),
      payerId: String(row['payer_id']),
      reference: String(row['reference']),
      total: bigintFromColumn(row['total']),
      dueOn: String(row['due_on']),
    }));
  }

  /** The accepted, unpaid obligations in a unit whose issuer and payer are both among the members. */
  async obligationsAmong(
    manager: EntityManager,
    query: { unitCode: string; memberIds: readonly string[] },
  ): Promise<Obligation[]> {
    const rows: Row[] = await manager.query(
      `SELECT id, payer_id, issuer_id, total - paid - set_off AS outstanding FROM invoice
       WHERE unit_code = $1 AND status IN ('ACCEPTED', 'PARTLY_PAID')
         AND issuer_id = ANY($2::uuid[]) AND payer_id = ANY($2::uuid[])
       ORDER BY id`,
      [query.unitCode, query.memberIds],
    );
    return rows.map((row) => ({
      id: String(row['id']),
      debtorId: String(row['payer_id']),
      creditorId: String(row['issuer_id']),
      amount: bigintFromColumn(row['outstanding']),
    }));
  }

  // Automatic payments

  async findAutomaticPayment(
    manager: EntityManager,
    key: { payerId: string; issuerId: string; unitCode: string },
  ): Promise<AutomaticPaymentRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT payer_id, issuer_id, unit_code, from_account_id, max_amount, set_by, set_at FROM automatic_payment
       WHERE payer_id = $1 AND issuer_id = $2 AND unit_code = $3`,
      [key.payerId, key.issuerId, key.unitCode],
    );
    return rows[0] === undefined ? null : toAutomaticPayment(rows[0]);
  }

  async listAutomaticPayments(manager: EntityManager, payerId: string): Promise<AutomaticPaymentRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT payer_id, issuer_id, unit_code, from_account_id, max_amount, set_by, set_at FROM automatic_payment
       WHERE payer_id = $1 ORDER BY issuer_id, unit_code`,
      [payerId],
    );
    return rows.map(toAutomaticPayment);
  }

  async saveAutomaticPayment(manager: EntityManager, setting: AutomaticPaymentRecord): Promise<void> {
    await manager.query(
      `INSERT INTO automatic_payment (payer_id, issuer_id, unit_code, from_account_id, max_amount, set_by, set_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (payer_id, issuer_id, unit_code) DO UPDATE SET from_account_id = EXCLUDED.from_account_id,
         max_amount = EXCLUDED.max_amount, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
      [
        setting.payerId,
        setting.issuerId,
        setting.unitCode,
        setting.fromAccountId,
        setting.maxAmount.toString(),
        setting.setBy,
        setting.setAt,
      ],
    );
  }

  async removeAutomaticPayment(
    manager: EntityManager,
    key: { payerId: string; issuerId: string; unitCode: string },
  ): Promise<void> {
    await manager.query(`DELETE FROM automatic_payment WHERE payer_id = $1 AND issuer_id = $2 AND unit_code = $3`, [
      key.payerId,
      key.issuerId,
      key.unitCode,
    ]);
  }

  // Clearing

  async findSetting(manager: EntityManager, federationId: string): Promise<ClearingSettingRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT federation_id, consent_by_membership, consent_hours FROM clearing_setting WHERE federation_id = $1`,
      [federationId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          federationId: String(row['federation_id']),
          consentByMembership: Boolean(row['consent_by_membership']),
          consentHours: Number(row['consent_hours']),
        };
  }

  async saveSetting(manager: EntityManager, setting: ClearingSettingRecord, setBy: string, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO clearing_setting (federation_id, consent_by_membership, consent_hours, set_by, set_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (federation_id) DO UPDATE SET consent_by_membership = EXCLUDED.consent_by_membership,
         consent_hours = EXCLUDED.consent_hours, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
      [setting.federationId, setting.consentByMembership, setting.consentHours, setBy, at],
    );
  }

  async insertRound(manager: EntityManager, round: ClearingRoundRecord): Promise<void> {
    await manager.query(
      `INSERT INTO clearing_round (id, federation_id, unit_code, status, consent_by_membership, consent_deadline, version,
         obligation_count, total_debt, net_internal_debt, cleared, created_by, created_at, executed_by, executed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        round.id,
        round.federationId,
        round.unitCode,
        round.status,
        round.consentByMembership,
        round.consentDeadline,
        round.version,
        round.obligationCount,
        round.totalDebt.toString(),
        round.netInternalDebt.toString(),
        round.cleared.toString(),
        round.createdBy,
        round.createdAt,
        round.executedBy,
        round.executedAt,
      ],
    );
  }

  async findRound(manager: EntityManager, id: string, lock = false): Promise<ClearingRoundRecord | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${ROUND_COLUMNS} FROM clearing_round WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] === undefined ? null : toRound(rows[0]);
  }

  async listRounds(
    manager: EntityManager,
    filter: { federationId: string; after: Position | null; limit: number },
  ): Promise<ClearingRoundRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${ROUND_COLUMNS} FROM clearing_round
       WHERE federation_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [filter.federationId, filter.after?.at ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map(toRound);
  }

  async updateRound(manager: EntityManager, round: ClearingRoundRecord): Promise<void> {
    await manager.query(
      `UPDATE clearing_round SET status = $2, version = $3, obligation_count = $4, total_debt = $5,
         net_internal_debt = $6, cleared = $7, executed_by = $8, executed_at = $9
       WHERE id = $1`,
      [
        round.id,
        round.status,
        round.version,
        round.obligationCount,
        round.totalDebt.toString(),
        round.netInternalDebt.toString(),
        round.cleared.toString(),
        round.executedBy,
        round.executedAt,
      ],
    );
  }

  async listParticipants(manager: EntityManager, roundId: string): Promise<ClearingParticipantRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT round_id, organization_id, consent, decided_by, decided_at FROM clearing_participant
       WHERE round_id = $1 ORDER BY organization_id`,
      [roundId],
    );
    return rows.map((row) => ({
      roundId: String(row['round_id']),
      organizationId: String(row['organization_id']),
      consent: String(row['consent']) as ClearingConsent,
      decidedBy: nullableText(row['decided_by']),
      decidedAt: row['decided_at'] === null ? null : (row['decided_at'] as Date),
    }));
  }

  /** Replaces a round's participants (its preview, while it is open). */
  async replaceParticipants(
    manager: EntityManager,
    roundId: string,
    participants: readonly ClearingParticipantRecord[],
  ): Promise<void> {
    await manager.query(`DELETE FROM clearing_participant WHERE round_id = $1`, [roundId]);
    await manager.query(
      `INSERT INTO clearing_participant (round_id, organization_id, consent, decided_by, decided_at)
       SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[])`,
      [
        roundId,
        participants.map((p) => p.organizationId),
        participants.map((p) => p.consent),
        participants.map((p) => p.decidedBy),
        participants.map((p) => p.decidedAt),
      ],
    );
  }

  async listSetOffs(
    manager: EntityManager,
    roundId: string,
    organizationIds: readonly string[] | null,
  ): Promise<ClearingSetOffRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT round_id, invoice_id, debtor_id, creditor_id, amount, remaining FROM clearing_setoff
       WHERE round_id = $1 AND ($2::uuid[] IS NULL OR debtor_id = ANY($2) OR creditor_id = ANY($2))
       ORDER BY invoice_id`,
      [roundId, organizationIds],
    );
    return rows.map(toSetOff);
  }

  /** Replaces an open round's set-offs (its preview). */
  async replaceSetOffs(
    manager: EntityManager,
    roundId: string,
    setOffs: readonly ClearingSetOffRecord[],
  ): Promise<void> {
    await manager.query(`DELETE FROM clearing_setoff WHERE round_id = $1`, [roundId]);
    for (let start = 0; start < setOffs.length; start += BULK) {
      const slice = setOffs.slice(start, start + BULK);
      await manager.query(
        `INSERT INTO clearing_setoff (round_id, invoice_id, debtor_id, creditor_id, amount, remaining)
         SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::bigint[], $6::bigint[])`,
        [
          roundId,
          slice.map((s) => s.invoiceId),
          slice.map((s) => s.debtorId),
          slice.map((s) => s.creditorId),
          slice.map((s) => s.amount.toString()),
          slice.map((s) => s.remaining.toString()),
        ],
      );
    }
  }
}

/** Rows per bulk statement: well under PostgreSQL's limits on a statement's arrays and memory. */
const BULK = 20_000;

function invoiceWhere(filter: InvoiceFilter): { where: string; parameters: unknown[] } {
  const parameters: unknown[] = [filter.organizationId];
  const side =
    filter.direction === 'SENT'
      ? 'issuer_id = $1'
      : filter.direction === 'RECEIVED'
        ? 'payer_id = $1'
        : '(issuer_id = $1 OR payer_id = $1)';
  const conditions = [side];
  const add = (sql: (at: string) => string, value: unknown) => {
    parameters.push(value);
    conditions.push(sql(`$${parameters.length}`));
  };
  if (filter.statuses !== null) add((at) => `status = ANY(${at}::text[])`, filter.statuses);
  if (filter.overdueBefore !== null) add((at) => `status IN ${OPEN} AND due_on < ${at}::date`, filter.overdueBefore);
  if (filter.counterpartyId !== null) {
    add((at) => `(CASE WHEN issuer_id = $1 THEN payer_id ELSE issuer_id END) = ${at}::uuid`, filter.counterpartyId);
  }
  if (filter.unitCode !== null) add((at) => `unit_code = ${at}`, filter.unitCode);
  if (filter.issuedFrom !== null) add((at) => `issued_at >= ${at}`, filter.issuedFrom);
  if (filter.issuedBefore !== null) add((at) => `issued_at < ${at}`, filter.issuedBefore);
  return { where: conditions.join(' AND '), parameters };
}

function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function one(rows: Row[]): Row {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row');
  return row;
}

function toInvoice(row: Row): InvoiceRecord {
  return {
    id: String(row['id']),
    issuerId: String(row['issuer_id']),
    payerId: String(row['payer_id']),
    unitCode: String(row['unit_code']),
    creditAccountId: String(row['credit_account_id']),
    reference: String(row['reference']),
    notes: String(row['notes']),
    dueOn: String(row['due_on']),
    total: bigintFromColumn(row['total']),
    paid: bigintFromColumn(row['paid']),
    setOff: bigintFromColumn(row['set_off']),
    status: String(row['status']) as InvoiceStatus,
    rejectionReason: nullableText(row['rejection_reason']),
    automaticPayment: nullableText(row['automatic_payment']) as AutomaticPaymentOutcome | null,
    issuedBy: String(row['issued_by']),
    issuedAt: row['issued_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

function toEvent(row: Row): InvoiceEventRecord {
  const text = (name: string) => nullableText(row[name]);
  return {
    sequence: bigintFromColumn(row['sequence']),
    invoiceId: String(row['invoice_id']),
    kind: String(row['kind']) as InvoiceEventRecord['kind'],
    amount: bigintFromColumn(row['amount']),
    paymentId: text('payment_id'),
    transactionId: text('transaction_id'),
    roundId: text('round_id'),
    actor: String(row['actor']),
    reason: String(row['reason']),
    at: row['at'] as Date,
  };
}

function toAutomaticPayment(row: Row): AutomaticPaymentRecord {
  return {
    payerId: String(row['payer_id']),
    issuerId: String(row['issuer_id']),
    unitCode: String(row['unit_code']),
    fromAccountId: String(row['from_account_id']),
    maxAmount: bigintFromColumn(row['max_amount']),
    setBy: String(row['set_by']),
    setAt: row['set_at'] as Date,
  };
}

function toSetOff(row: Row): ClearingSetOffRecord {
  return {
    roundId: String(row['round_id']),
    invoiceId: String(row['invoice_id']),
    debtorId: String(row['debtor_id']),
    creditorId: String(row['creditor_id']),
    amount: bigintFromColumn(row['amount']),
    remaining: bigintFromColumn(row['remaining']),
  };
}

function toRound(row: Row): ClearingRoundRecord {
  return {
    id: String(row['id']),
    federationId: String(row['federation_id']),
    unitCode: String(row['unit_code']),
    status: String(row['status']) as ClearingRoundRecord['status'],
    consentByMembership: Boolean(row['consent_by_membership']),
    consentDeadline: row['consent_deadline'] as Date,
    version: Number(row['version']),
    obligationCount: Number(row['obligation_count']),
    totalDebt: bigintFromColumn(row['total_debt']),
    netInternalDebt: bigintFromColumn(row['net_internal_debt']),
    cleared: bigintFromColumn(row['cleared']),
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
    executedBy: nullableText(row['executed_by']),
    executedAt: row['executed_at'] === null ? null : (row['executed_at'] as Date),
  };
}
