import type { Invariant } from '../kernel/invariants.js';

/**
 * Where a land trust's rows meet the ledger. A lease's statement is folded from its charge, payment and
 * waiver rows, while its receivable account moves by their ledger transactions: these rules keep the two
 * telling the same story, so a household is never shown a debt (or a credit) the books do not carry. Each
 * row and its transaction are written in one database transaction, so a row without its transaction, or
 * with other figures, is damage. Reversals and direct transfers to a receivable are the ledger's own
 * business (any caller may credit any account), so no rule folds a receivable's balance from the rows.
 */
export const LAND_TRUSTS_INVARIANTS: readonly Invariant[] = [
  {
    name: "a trust's accounts and its leases' receivables are held by the trust's organisation, in its unit",
    sql: `WITH trust_account AS (
            SELECT id AS trust_id, 'income' AS role, income_account_id AS account_id FROM land_trust
            UNION ALL SELECT id, 'reserve', reserve_account_id FROM land_trust
            UNION ALL SELECT id, 'receipts', receipts_account_id FROM land_trust
            UNION ALL SELECT trust_id, 'lease ' || id, account_id FROM ground_lease
          )
          SELECT ta.trust_id, ta.role, ta.account_id, a.holder_id, a.unit_code
          FROM trust_account ta JOIN land_trust lt ON lt.id = ta.trust_id
          LEFT JOIN account a ON a.id = ta.account_id
          WHERE a.id IS NULL OR a.holder_id <> lt.organization_id OR a.unit_code <> lt.unit_code`,
  },
  {
    name: "every posted charge has its transaction: the lease's receivable debited, income and reserve credited by its split",
    sql: `SELECT c.id, c.transaction_id, c.amount, c.income_amount, c.reserve_amount,
                 moved.debited, moved.income_credited, moved.reserve_credited
          FROM ground_lease_charge c
          JOIN ground_lease l ON l.id = c.lease_id
          JOIN land_trust lt ON lt.id = l.trust_id
          LEFT JOIN ledger_transaction t ON t.id = c.transaction_id
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(e.amount) FILTER (WHERE e.side = 'DEBIT' AND e.account_id = l.account_id), 0) AS debited,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'CREDIT' AND e.account_id = lt.income_account_id), 0)
                     AS income_credited,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'CREDIT' AND e.account_id = lt.reserve_account_id), 0)
                     AS reserve_credited
            FROM entry e WHERE e.transaction_id = c.transaction_id
          ) moved
          WHERE c.transaction_id IS NOT NULL
            AND (t.id IS NULL OR t.operation <> 'TRANSFER' OR t.authority_kind IS DISTINCT FROM 'GROUND_LEASE_CHARGE'
                 OR t.authority_id IS DISTINCT FROM c.id::text
                 OR moved.debited <> c.amount OR moved.income_credited <> c.income_amount
                 OR moved.reserve_credited <> c.reserve_amount)`,
  },
  {
    name: "every payment has its transaction: the payer debited and the lease's receivable credited by its amount",
    sql: `SELECT p.id, p.transaction_id, p.amount, moved.debited, moved.credited
          FROM ground_lease_payment p
          JOIN ground_lease l ON l.id = p.lease_id
          JOIN land_trust lt ON lt.id = l.trust_id
          LEFT JOIN ledger_transaction t ON t.id = p.transaction_id
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(e.amount) FILTER (
                     WHERE e.side = 'DEBIT' AND e.account_id = coalesce(p.from_account_id, lt.receipts_account_id)), 0)
                     AS debited,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'CREDIT' AND e.account_id = l.account_id), 0) AS credited
            FROM entry e WHERE e.transaction_id = p.transaction_id
          ) moved
          WHERE t.id IS NULL OR t.operation <> 'TRANSFER' OR t.authority_kind IS DISTINCT FROM 'GROUND_LEASE_PAYMENT'
             OR t.authority_id IS DISTINCT FROM p.id::text
             OR moved.debited <> p.amount OR moved.credited <> p.amount`,
  },
  {
    // A waiver decided by a motion is written under the motion's authority, any other under its own.
    name: "every waiver has its transaction: income and reserve debited and the lease's receivable credited by its amount",
    sql: `SELECT r.id, r.charge_id, r.transaction_id, r.amount, moved.debited, moved.credited
          FROM ground_lease_relief r
          JOIN ground_lease_charge c ON c.id = r.charge_id
          JOIN ground_lease l ON l.id = c.lease_id
          JOIN land_trust lt ON lt.id = l.trust_id
          LEFT JOIN ledger_transaction t ON t.id = r.transaction_id
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(e.amount) FILTER (
                     WHERE e.side = 'DEBIT' AND e.account_id IN (lt.income_account_id, lt.reserve_account_id)), 0)
                     AS debited,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'CREDIT' AND e.account_id = l.account_id), 0) AS credited
            FROM entry e WHERE e.transaction_id = r.transaction_id
          ) moved
          WHERE r.kind = 'WAIVE'
            AND (t.id IS NULL OR t.operation <> 'TRANSFER'
                 OR (t.authority_kind, t.authority_id) IS DISTINCT FROM
                    (CASE WHEN r.motion_id IS NULL THEN 'GROUND_LEASE_RELIEF' ELSE 'MOTION' END,
                     coalesce(r.motion_id, r.id)::text)
                 OR moved.debited <> r.amount OR moved.credited <> r.amount)`,
  },
];
