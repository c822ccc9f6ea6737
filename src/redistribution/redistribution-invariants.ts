import type { Invariant } from '../kernel/invariants.js';

/**
 * Where a redistribution run meets the ledger. A run's lines are what members and assemblies read to learn
 * who gave and who received what, and why; its transfers, written under the run's authority
 * (`REDISTRIBUTION_RUN`, the run's id) in the same database transaction, are what moved. These rules keep
 * the two telling the same story, and a run's status telling whether it was undone. Rules start from the
 * runs, never from the authority: the ledger does not reserve authority kinds, so a transaction under
 * `REDISTRIBUTION_RUN` naming no run (the ledger's own tests write some) is not damage.
 */
export const REDISTRIBUTION_INVARIANTS: readonly Invariant[] = [
  {
    name: "a run's total, line count and transaction count are its lines' and ledger transactions', and each leg's sources give what its destinations receive",
    sql: `SELECT r.id, r.total, lines.received, r.line_count, lines.lines, r.transaction_count, moved.transactions,
                 lines.unbalanced_legs
          FROM redistribution_run r
          CROSS JOIN LATERAL (
            SELECT coalesce(sum(leg.received), 0) AS received, coalesce(sum(leg.lines), 0) AS lines,
                   count(*) FILTER (WHERE leg.given <> leg.received) AS unbalanced_legs
            FROM (
              SELECT count(*) AS lines,
                     coalesce(sum(l.amount) FILTER (WHERE l.role = 'SOURCE'), 0) AS given,
                     coalesce(sum(l.amount) FILTER (WHERE l.role = 'DESTINATION'), 0) AS received
              FROM redistribution_run_line l WHERE l.run_id = r.id GROUP BY l.leg
            ) leg
          ) lines
          CROSS JOIN LATERAL (
            SELECT count(*) AS transactions FROM ledger_transaction t
            WHERE t.authority_kind = 'REDISTRIBUTION_RUN' AND t.authority_id = r.id::text
          ) moved
          WHERE r.total <> lines.received OR r.line_count <> lines.lines
             OR r.transaction_count <> moved.transactions OR lines.unbalanced_legs > 0`,
  },
  {
    // Within a leg an account is a source or a destination, never both (a source is excluded as a destination),
    // so per account its SOURCE lines are exactly its debits and its DESTINATION lines its credits.
    name: "each account of a run was debited what its SOURCE lines give and credited what its DESTINATION lines receive, by the run's transactions",
    sql: `WITH line_totals AS (
            SELECT l.run_id, l.account_id,
                   coalesce(sum(l.amount) FILTER (WHERE l.role = 'SOURCE'), 0) AS given,
                   coalesce(sum(l.amount) FILTER (WHERE l.role = 'DESTINATION'), 0) AS received
            FROM redistribution_run_line l GROUP BY l.run_id, l.account_id
          ), ledger_totals AS (
            SELECT r.id AS run_id, e.account_id,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'DEBIT'), 0) AS debited,
                   coalesce(sum(e.amount) FILTER (WHERE e.side = 'CREDIT'), 0) AS credited
            FROM redistribution_run r
            JOIN ledger_transaction t ON t.authority_kind = 'REDISTRIBUTION_RUN' AND t.authority_id = r.id::text
            JOIN entry e ON e.transaction_id = t.id
            GROUP BY r.id, e.account_id
          )
          SELECT coalesce(lt.run_id, mt.run_id) AS run_id, coalesce(lt.account_id, mt.account_id) AS account_id,
                 coalesce(lt.given, 0) AS given, coalesce(mt.debited, 0) AS debited,
                 coalesce(lt.received, 0) AS received, coalesce(mt.credited, 0) AS credited
          FROM line_totals lt FULL JOIN ledger_totals mt ON mt.run_id = lt.run_id AND mt.account_id = lt.account_id
          WHERE coalesce(lt.given, 0) <> coalesce(mt.debited, 0) OR coalesce(lt.received, 0) <> coalesce(mt.credited, 0)`,
  },
  {
    // A reversal is all or none in one database transaction with the run's status; a transfer reversed
    // through the ledger by someone else is not under the run's reversal authority, and then the run's own
    // reversal is refused (a transaction is reversed once), so it stays EXECUTED.
    name: 'a run is REVERSED exactly when each of its transfers is reversed under its reversal authority, which reverses nothing else',
    sql: `SELECT r.id, r.status, moved.transfers, moved.reversed, undone.reversals
          FROM redistribution_run r
          CROSS JOIN LATERAL (
            SELECT count(*) AS transfers, count(v.id) AS reversed
            FROM ledger_transaction t
            LEFT JOIN ledger_transaction v ON v.references_id = t.id
              AND v.authority_kind = 'REDISTRIBUTION_REVERSAL' AND v.authority_id = t.authority_id
            WHERE t.authority_kind = 'REDISTRIBUTION_RUN' AND t.authority_id = r.id::text
          ) moved
          CROSS JOIN LATERAL (
            SELECT count(*) AS reversals FROM ledger_transaction v
            WHERE v.authority_kind = 'REDISTRIBUTION_REVERSAL' AND v.authority_id = r.id::text
          ) undone
          WHERE undone.reversals <> moved.reversed
             OR moved.reversed <> CASE WHEN r.status = 'REVERSED' THEN moved.transfers ELSE 0 END`,
  },
];
