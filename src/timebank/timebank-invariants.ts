import type { Invariant } from '../kernel/invariants.js';

/**
 * Where a time log and the ledger must agree (exchanges.service.ts): a log waiting for an answer holds the
 * receiver's minutes, a hold of a log is open only while the log waits, a confirmed log moved exactly its
 * confirmed minutes on each of its legs, and a cancelled or corrected log left no minutes moved. The ledger
 * writes under the authority `{ kind: 'TIME_LOG', id: <log id> }`; a log within one bank has one leg, a log
 * between two banks has one in each unit.
 */

/** A log's legs: one within a bank (community work too), one in each unit between two banks. */
const legsOfLog = `CASE WHEN x.giver_bank_id = x.receiver_bank_id THEN 1 ELSE 2 END`;

/**
 * What the ledger moved for the log `x`, by its authority: postings are the posted holds of a member's log
 * or the direct transfer of community work, each with the minutes it moved (its debits).
 */
const movesOfLog = `
  SELECT count(*) FILTER (WHERE t.operation IN ('POST_HOLD', 'TRANSFER')) AS postings,
         min(d.amount) FILTER (WHERE t.operation IN ('POST_HOLD', 'TRANSFER')) AS least_posted,
         max(d.amount) FILTER (WHERE t.operation IN ('POST_HOLD', 'TRANSFER')) AS most_posted,
         count(*) FILTER (WHERE t.operation = 'VOID_HOLD') AS voids,
         count(*) FILTER (WHERE t.operation = 'REVERSAL') AS reversals
  FROM ledger_transaction t
  CROSS JOIN LATERAL (
    SELECT sum(e.amount) AS amount FROM entry e WHERE e.transaction_id = t.id AND e.side = 'DEBIT') d
  WHERE t.authority_kind = 'TIME_LOG' AND t.authority_id = x.id::text`;

export const TIMEBANK_INVARIANTS: readonly Invariant[] = [
  {
    name: 'a time log waiting for an answer holds its logged minutes in an open hold on each of its legs',
    sql: `SELECT x.id, x.status, x.minutes FROM timebank_exchange x
          WHERE x.status IN ('PENDING', 'DISPUTED')
            AND (SELECT count(*) FROM ledger_transaction t
                 JOIN open_hold h ON h.transaction_id = t.id
                 JOIN entry e ON e.transaction_id = t.id AND e.side = 'DEBIT'
                 WHERE t.authority_kind = 'TIME_LOG' AND t.authority_id = x.id::text AND t.operation = 'HOLD'
                   AND e.amount = x.minutes) <> ${legsOfLog}`,
  },
  {
    // The CASE keeps the cast to uuid off other authorities' ids, which need not be uuids.
    name: 'an open hold of a time log belongs to a log waiting for an answer',
    sql: `SELECT t.id AS hold_id, t.authority_id AS time_log_id, x.status
          FROM open_hold h JOIN ledger_transaction t ON t.id = h.transaction_id
          LEFT JOIN timebank_exchange x
            ON x.id = CASE WHEN t.authority_kind = 'TIME_LOG' THEN t.authority_id::uuid END
          WHERE t.authority_kind = 'TIME_LOG' AND (x.id IS NULL OR x.status NOT IN ('PENDING', 'DISPUTED'))`,
  },
  {
    name: 'a confirmed time log moved its confirmed minutes on each of its legs, and nothing reversed them',
    sql: `SELECT x.id, x.confirmed_minutes, moved.postings, moved.least_posted, moved.most_posted, moved.reversals
          FROM timebank_exchange x CROSS JOIN LATERAL (${movesOfLog}) moved
          WHERE x.status = 'CONFIRMED'
            AND (moved.postings <> ${legsOfLog} OR moved.least_posted <> x.confirmed_minutes
                 OR moved.most_posted <> x.confirmed_minutes OR moved.reversals <> 0)`,
  },
  {
    name: 'a cancelled time log moved no minutes (its holds voided), and a corrected one reversed each posting',
    sql: `SELECT x.id, x.status, moved.postings, moved.voids, moved.reversals
          FROM timebank_exchange x CROSS JOIN LATERAL (${movesOfLog}) moved
          WHERE (x.status = 'CANCELLED' AND (moved.postings <> 0 OR moved.voids <> ${legsOfLog}))
             OR (x.status = 'REVERSED' AND (moved.postings <> ${legsOfLog} OR moved.reversals <> ${legsOfLog}))`,
  },
];
