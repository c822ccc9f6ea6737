import type { Invariant } from '../kernel/invariants.js';

/**
 * Where trade's rows meet the ledger. An invoice's `paid` is what its payer owes no more, so it must be
 * exactly what the ledger moved into the issuer's account under the invoice's authority: each payment's
 * event, transfer and invoice update are written in one database transaction, so a payment the ledger does
 * not carry (or a transfer no invoice counts) is damage. A set-off moves no value in the ledger by design;
 * that is sound only while it is an executed round's set-off that keeps every member's net position, so
 * those rules are here too. A payment the ledger later reverses stays counted (the reversal names no
 * authority, so the original transfer still stands under the invoice's): no rule folds balances.
 */
export const TRADE_INVARIANTS: readonly Invariant[] = [
  {
    name: "every payment event has its transfer: the event's amount, from an account of the payer into the invoice's credit account, under the invoice's authority",
    sql: `SELECT ev.sequence, ev.invoice_id, ev.transaction_id, ev.amount, t.operation, t.authority_kind, t.authority_id,
                 moved.debited, moved.credited
          FROM invoice_event ev
          JOIN invoice i ON i.id = ev.invoice_id
          LEFT JOIN ledger_transaction t ON t.id = ev.transaction_id
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(e.amount) FILTER (WHERE e.side = 'DEBIT' AND a.holder_id = i.payer_id), 0) AS debited,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'CREDIT' AND e.account_id = i.credit_account_id), 0)
                     AS credited
            FROM entry e JOIN account a ON a.id = e.account_id
            WHERE e.transaction_id = ev.transaction_id
          ) moved
          WHERE ev.kind = 'PAYMENT'
            AND (t.id IS NULL OR t.operation <> 'TRANSFER' OR t.unit_code <> i.unit_code
                 OR t.authority_kind IS DISTINCT FROM 'INVOICE' OR t.authority_id IS DISTINCT FROM i.id::text
                 OR moved.debited <> ev.amount OR moved.credited <> ev.amount)`,
  },
  {
    name: "an invoice's paid is the sum of its payment events and of the ledger's transfers under its authority, one transfer per event",
    sql: `WITH payments AS (
            SELECT invoice_id, sum(amount) AS paid, count(*) AS payments, count(DISTINCT transaction_id) AS transactions
            FROM invoice_event WHERE kind = 'PAYMENT' GROUP BY invoice_id
          ), moved AS (
            SELECT t.authority_id, count(DISTINCT t.id) AS transfers, sum(e.amount) AS moved
            FROM ledger_transaction t JOIN entry e ON e.transaction_id = t.id AND e.side = 'CREDIT'
            WHERE t.authority_kind = 'INVOICE' GROUP BY t.authority_id
          )
          SELECT coalesce(i.id::text, m.authority_id) AS invoice_id, i.paid, p.paid AS paid_by_events, p.payments,
                 p.transactions, m.transfers, m.moved
          FROM invoice i
          LEFT JOIN payments p ON p.invoice_id = i.id
          FULL JOIN moved m ON m.authority_id = i.id::text
          WHERE i.id IS NULL OR i.paid <> coalesce(p.paid, 0) OR coalesce(p.paid, 0) <> coalesce(m.moved, 0)
             OR coalesce(p.payments, 0) <> coalesce(m.transfers, 0) OR p.payments <> p.transactions`,
  },
  {
    name: "an invoice's set-off is the sum of its set-off events, each an executed round's set-off of that amount",
    sql: `WITH matched AS (
            SELECT coalesce(ev.invoice_id, s.invoice_id) AS invoice_id, coalesce(ev.round_id, s.round_id) AS round_id,
                   ev.amount AS by_event, s.amount AS by_round
            FROM (SELECT invoice_id, round_id, amount FROM invoice_event WHERE kind = 'SET_OFF') ev
            FULL JOIN (
              SELECT s.invoice_id, s.round_id, s.amount FROM clearing_setoff s
              JOIN clearing_round r ON r.id = s.round_id WHERE r.status = 'EXECUTED'
            ) s ON s.invoice_id = ev.invoice_id AND s.round_id = ev.round_id
          )
          SELECT i.id AS invoice_id, i.set_off, coalesce(sum(m.by_event), 0) AS set_off_by_events,
                 array_agg(m.round_id) FILTER (WHERE m.by_event IS DISTINCT FROM m.by_round) AS unmatched_rounds
          FROM invoice i LEFT JOIN matched m ON m.invoice_id = i.id
          WHERE i.set_off > 0 OR m.invoice_id IS NOT NULL
          GROUP BY i.id, i.set_off
          HAVING i.set_off <> coalesce(sum(m.by_event), 0) OR bool_or(m.by_event IS DISTINCT FROM m.by_round)`,
  },
  {
    name: "an executed round clears the sum of its set-offs, each between its invoice's payer and issuer, and keeps every member's net position",
    sql: `WITH executed AS (
            SELECT s.round_id, s.invoice_id, s.debtor_id, s.creditor_id, s.amount, i.payer_id, i.issuer_id
            FROM clearing_round r
            JOIN clearing_setoff s ON s.round_id = r.id
            JOIN invoice i ON i.id = s.invoice_id
            WHERE r.status = 'EXECUTED'
          )
          SELECT r.id AS round_id, NULL::uuid AS invoice_id, NULL::uuid AS organization_id, r.cleared,
                 coalesce(sum(s.amount), 0) AS set_off, NULL::numeric AS net_moved
          FROM clearing_round r LEFT JOIN clearing_setoff s ON s.round_id = r.id
          WHERE r.status = 'EXECUTED'
          GROUP BY r.id, r.cleared HAVING r.cleared <> coalesce(sum(s.amount), 0)
          UNION ALL
          SELECT round_id, invoice_id, debtor_id, NULL, amount, NULL FROM executed
          WHERE debtor_id <> payer_id OR creditor_id <> issuer_id
          UNION ALL
          SELECT round_id, NULL, member, NULL, NULL, sum(change) FROM (
            SELECT round_id, debtor_id AS member, amount AS change FROM executed
            UNION ALL SELECT round_id, creditor_id, -amount FROM executed
          ) AS changes
          GROUP BY round_id, member HAVING sum(change) <> 0`,
  },
];
