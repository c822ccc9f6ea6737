import type { Invariant } from '../kernel/invariants.js';

/**
 * The ledger's invariants (DESIGN.md), each as one query that returns the rows breaking it. Run after every
 * end-to-end test, by `npm run verify` and by the scheduled books check, with the modules' own.
 */
export const LEDGER_INVARIANTS: readonly Invariant[] = [
  {
    name: 'per unit, debits equal credits (posted and pending)',
    sql: `SELECT unit_code, sum(debits_posted) AS debits_posted, sum(credits_posted) AS credits_posted,
                 sum(debits_pending) AS debits_pending, sum(credits_pending) AS credits_pending
          FROM account GROUP BY unit_code
          HAVING sum(debits_posted) <> sum(credits_posted) OR sum(debits_pending) <> sum(credits_pending)`,
  },
  {
    name: 'every transaction balances, in one unit, with its entries complete',
    sql: `SELECT t.id FROM ledger_transaction t LEFT JOIN entry e ON e.transaction_id = t.id
          GROUP BY t.id, t.entry_count, t.unit_code
          HAVING count(e.*) <> t.entry_count OR bool_or(e.unit_code <> t.unit_code)
              OR sum(CASE WHEN e.side = 'DEBIT' THEN e.amount ELSE 0 END)
                 <> sum(CASE WHEN e.side = 'CREDIT' THEN e.amount ELSE 0 END)`,
  },
  {
    name: "each account's counters equal the fold of its entries",
    sql: `WITH posted AS (
            SELECT account_id,
                   sum(amount) FILTER (WHERE side = 'DEBIT') AS debits, sum(amount) FILTER (WHERE side = 'CREDIT') AS credits
            FROM entry WHERE NOT pending GROUP BY account_id
          ), held AS (
            SELECT e.account_id,
                   sum(e.amount) FILTER (WHERE e.side = 'DEBIT') AS debits,
                   sum(e.amount) FILTER (WHERE e.side = 'CREDIT') AS credits
            FROM entry e JOIN ledger_transaction t ON t.id = e.transaction_id
            WHERE t.operation = 'HOLD'
              AND NOT EXISTS (SELECT 1 FROM ledger_transaction r WHERE r.references_id = t.id)
            GROUP BY e.account_id
          )
          SELECT a.id FROM account a LEFT JOIN posted p ON p.account_id = a.id LEFT JOIN held h ON h.account_id = a.id
          WHERE a.debits_posted <> coalesce(p.debits, 0) OR a.credits_posted <> coalesce(p.credits, 0)
             OR a.debits_pending <> coalesce(h.debits, 0) OR a.credits_pending <> coalesce(h.credits, 0)`,
  },
  {
    name: 'every account is within its limits, holds counted (unless a limit was lowered since its last debit)',
    sql: `SELECT a.id FROM account a
          WHERE (a.credits_posted - a.debits_posted - a.debits_pending < -a.credit_limit
                 AND coalesce((SELECT max(version) FROM account_change c WHERE c.account_id = a.id AND c.change = 'LIMITS_SET'), 0)
                     < coalesce((SELECT max(e.account_version) FROM entry e JOIN ledger_transaction t ON t.id = e.transaction_id
                                 WHERE e.account_id = a.id AND e.side = 'DEBIT' AND t.operation IN ('TRANSFER', 'HOLD', 'REVERSAL')), 0))
             OR (a.upper_limit IS NOT NULL AND a.credits_posted - a.debits_posted + a.credits_pending > a.upper_limit
                 AND coalesce((SELECT max(version) FROM account_change c WHERE c.account_id = a.id AND c.change = 'LIMITS_SET'), 0)
                     < coalesce((SELECT max(e.account_version) FROM entry e JOIN ledger_transaction t ON t.id = e.transaction_id
                                 WHERE e.account_id = a.id AND e.side = 'CREDIT' AND t.operation IN ('TRANSFER', 'HOLD', 'REVERSAL')), 0))`,
  },
  {
    name: 'account versions have no gaps (entries and changes together count 1..version)',
    sql: `WITH versions AS (
            SELECT account_id, account_version AS version FROM entry
            UNION ALL SELECT account_id, version FROM account_change
          )
          SELECT a.id, a.version, count(v.version) AS counted, max(v.version) AS highest
          FROM account a LEFT JOIN versions v ON v.account_id = a.id
          GROUP BY a.id, a.version
          HAVING count(v.version) <> a.version OR count(DISTINCT v.version) <> a.version OR max(v.version) <> a.version`,
  },
  {
    name: 'a hold resolves at most once, and only holds are open',
    sql: `SELECT h.transaction_id FROM open_hold h JOIN ledger_transaction t ON t.id = h.transaction_id
          WHERE t.operation <> 'HOLD' OR EXISTS (SELECT 1 FROM ledger_transaction r WHERE r.references_id = t.id)
          UNION ALL
          SELECT t.id FROM ledger_transaction t
          WHERE t.operation = 'HOLD' AND NOT EXISTS (SELECT 1 FROM ledger_transaction r WHERE r.references_id = t.id)
            AND NOT EXISTS (SELECT 1 FROM open_hold h WHERE h.transaction_id = t.id)`,
  },
  {
    name: 'history is append-only: its guard triggers exist and are enabled',
    sql: `SELECT expected.name FROM (VALUES ('unit_append_only'), ('account_change_append_only'),
            ('transaction_outcome_append_only'), ('ledger_transaction_append_only'), ('entry_append_only'),
            ('account_not_deleted'), ('account_guard'), ('entry_balanced'), ('ledger_transaction_has_entries'))
            AS expected (name)
          WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgname = expected.name AND t.tgenabled <> 'D')`,
  },
  {
    name: 'one id, one outcome: every transaction has its outcome, and no refused id has a transaction',
    sql: `SELECT o.id FROM transaction_outcome o JOIN ledger_transaction t ON t.id = o.id WHERE o.refusal IS NOT NULL
          UNION ALL
          SELECT o.id FROM transaction_outcome o
          WHERE o.refusal IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_transaction t WHERE t.id = o.id)`,
  },
];
