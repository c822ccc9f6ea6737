import type { Invariant } from '../kernel/invariants.js';

/**
 * Where the strike funds' rows and the ledger must agree: money a batch or a draw says is set aside is held
 * on the fund (and released once decided), a paid draw was paid as recorded, and every contribution and
 * escrow deposit is the transfer into the fund it names. Holds are found by the authority the module gives
 * them (STIPEND_BATCH, HARDSHIP_DRAW: the row's id); payments by their approval request.
 */
export const STRIKE_FUNDS_INVARIANTS: readonly Invariant[] = [
  {
    // Holds are placed only by submitting (with the status, in one transaction), then all posted (PAID) or
    // all voided (DECLINED) with the status; nothing else moves a workflow's hold (WORKFLOW_HOLD).
    name: 'a submitted stipend batch has its total set aside in open holds; a paid one posted them, a declined one voided them, any other has none',
    sql: `SELECT b.id, b.status, b.total, count(h.id) AS holds, coalesce(sum(e.amount), 0) AS set_aside,
                 count(r.id) FILTER (WHERE r.operation = 'POST_HOLD') AS posted,
                 count(r.id) FILTER (WHERE r.operation = 'VOID_HOLD') AS voided
          FROM stipend_batch b
          JOIN strike s ON s.id = b.strike_id
          JOIN strike_fund f ON f.id = s.fund_id
          LEFT JOIN ledger_transaction h
            ON h.authority_kind = 'STIPEND_BATCH' AND h.authority_id = b.id::text AND h.operation = 'HOLD'
          LEFT JOIN entry e ON e.transaction_id = h.id AND e.account_id = f.account_id AND e.side = 'DEBIT'
          LEFT JOIN ledger_transaction r ON r.references_id = h.id
          GROUP BY b.id, b.status, b.total
          HAVING CASE b.status
                   WHEN 'SUBMITTED' THEN count(h.id) = 0 OR count(r.id) > 0
                   WHEN 'PAID' THEN count(h.id) = 0
                     OR count(r.id) FILTER (WHERE r.operation = 'POST_HOLD') <> count(h.id)
                   WHEN 'DECLINED' THEN count(h.id) = 0
                     OR count(r.id) FILTER (WHERE r.operation = 'VOID_HOLD') <> count(h.id)
                   ELSE count(h.id) > 0
                 END
              OR (b.status IN ('SUBMITTED', 'PAID', 'DECLINED') AND coalesce(sum(e.amount), 0) <> b.total)`,
  },
  {
    // Applying places the hold with the draw; the request's end (approved, declined, expired, withdrawn)
    // voids it with the status. The hold never expires by itself.
    name: 'a hardship draw in review has its amount set aside in an open hold; a decided draw has it voided',
    sql: `SELECT d.id, d.status, d.amount, h.id AS hold_id, e.amount AS set_aside, r.operation AS resolved_by
          FROM hardship_draw d
          JOIN strike_fund f ON f.id = d.fund_id
          LEFT JOIN ledger_transaction h
            ON h.authority_kind = 'HARDSHIP_DRAW' AND h.authority_id = d.id::text AND h.operation = 'HOLD'
          LEFT JOIN entry e ON e.transaction_id = h.id AND e.account_id = f.account_id AND e.side = 'DEBIT'
          LEFT JOIN ledger_transaction r ON r.references_id = h.id
          WHERE h.id IS NULL OR e.amount IS DISTINCT FROM d.amount
             OR (d.status = 'IN_REVIEW' AND r.id IS NOT NULL)
             OR (d.status <> 'IN_REVIEW' AND r.operation IS DISTINCT FROM 'VOID_HOLD')`,
  },
  {
    // The approving step pays the draw with its request as authority, as the request then says (a change
    // may lower the amount or name another payee): the row records what was paid, to whom.
    name: 'a paid hardship draw was paid from the fund, under its approval request, the amount to the account it records',
    sql: `SELECT d.id, d.paid_amount, d.paid_account_id FROM hardship_draw d
          JOIN strike_fund f ON f.id = d.fund_id
          WHERE d.status = 'PAID'
            AND NOT EXISTS (
              SELECT 1 FROM ledger_transaction t
              JOIN entry debit ON debit.transaction_id = t.id AND debit.side = 'DEBIT'
               AND debit.account_id = f.account_id AND debit.amount = d.paid_amount
              JOIN entry credit ON credit.transaction_id = t.id AND credit.side = 'CREDIT'
               AND credit.account_id = d.paid_account_id AND credit.amount = d.paid_amount
              WHERE t.authority_kind = 'APPROVAL_REQUEST' AND t.authority_id = d.approval_request_id::text
                AND t.operation = 'TRANSFER')`,
  },
  {
    // Both rows are written in the transaction that writes their transfer, and neither is ever changed; a
    // later reversal is a transaction of its own and leaves the transfer as it was.
    name: 'each contribution and escrow deposit is its transfer: its amount from its account into the fund',
    sql: `WITH money_in AS (
            SELECT 'contribution' AS record, c.id, c.transaction_id, c.from_account_id, c.fund_id, c.amount
            FROM fund_contribution c
            UNION ALL
            SELECT 'escrow deposit', d.id, d.transaction_id,
                   CASE d.source WHEN 'OUTSIDE' THEN f.outside_account_id ELSE d.tenant_account_id END,
                   d.fund_id, d.amount
            FROM escrow_deposit d JOIN strike_fund f ON f.id = d.fund_id
          )
          SELECT m.record, m.id, m.transaction_id, m.amount FROM money_in m
          JOIN strike_fund f ON f.id = m.fund_id
          LEFT JOIN ledger_transaction t ON t.id = m.transaction_id
          WHERE t.id IS NULL OR t.operation <> 'TRANSFER' OR t.entry_count <> 2
             OR NOT EXISTS (SELECT 1 FROM entry e WHERE e.transaction_id = t.id AND e.side = 'DEBIT'
                              AND e.account_id = m.from_account_id AND e.amount = m.amount)
             OR NOT EXISTS (SELECT 1 FROM entry e WHERE e.transaction_id = t.id AND e.side = 'CREDIT'
                              AND e.account_id = f.account_id AND e.amount = m.amount)`,
  },
];
