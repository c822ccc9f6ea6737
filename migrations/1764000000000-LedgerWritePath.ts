import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's write path, made cheaper without weakening a rule.
 *
 * 1. The read step of a batch in one round trip: lock the touched accounts in id order, then read their
 * positions, the units named, the outcomes already decided for the batch's ids, who resolved the referenced
 * transactions, and the database's clock. Each statement of a volatile function takes a fresh snapshot, so
 * the reads after the lock see everything committed while the batch waited for it, exactly as separate
 * statements after the lock would.
 * 2. The check that every transaction's entries are complete, balanced and in its unit (entry_balanced, once
 *    per statement) looks each written transaction up by its key. Joined as before, the planner could scan
 *    ledger_transaction from its first key (a merge join over random UUIDs), a cost that grew with the whole
 *    table for every batch.
 */
export class LedgerWritePath1764000000000 implements MigrationInterface {
  name = 'LedgerWritePath1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION lock_ledger_batch(account_ids uuid[], unit_codes text[], transaction_ids uuid[],
                                        referenced_ids uuid[])
      RETURNS json LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        -- In id order, so that concurrent batches never deadlock.
        PERFORM 1 FROM account WHERE id = ANY(account_ids) ORDER BY id FOR UPDATE;
        RETURN json_build_object(
          'now', clock_timestamp(),
          -- Amounts as text: a JSON number would lose precision past 2^53.
          'accounts', (
            SELECT coalesce(json_agg(json_build_object(
                     'id', a.id, 'unit_code', a.unit_code, 'holder_id', a.holder_id, 'issuer_id', u.issuer_id,
                     'name', a.name, 'kind', a.kind, 'status', a.status, 'credit_limit', a.credit_limit::text,
                     'upper_limit', a.upper_limit::text, 'debits_posted', a.debits_posted::text,
                     'credits_posted', a.credits_posted::text, 'debits_pending', a.debits_pending::text,
                     'credits_pending', a.credits_pending::text, 'version', a.version::text,
                     'opened_at', a.opened_at)), '[]'::json)
            FROM account a JOIN unit u ON u.code = a.unit_code
            WHERE a.id = ANY(account_ids)),
          'units', (SELECT coalesce(json_agg(code), '[]'::json) FROM unit WHERE code = ANY(unit_codes)),
          'outcomes', (
            SELECT coalesce(json_agg(json_build_object('id', o.id, 'hash', encode(o.content_hash, 'hex'),
                     'refusal', o.refusal)), '[]'::json)
            FROM transaction_outcome o WHERE o.id = ANY(transaction_ids)),
          'referencedBy', (
            SELECT coalesce(json_agg(json_build_object('id', r.references_id, 'by', r.id)), '[]'::json)
            FROM ledger_transaction r WHERE r.references_id = ANY(referenced_ids)));
      END $$;

      CREATE OR REPLACE FUNCTION check_inserted_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        broken uuid;
      BEGIN
        SELECT written.transaction_id INTO broken
        FROM (
          SELECT transaction_id, count(*) AS entries, max(index) AS last_index,
                 min(unit_code) AS first_unit, max(unit_code) AS last_unit,
                 sum(CASE WHEN side = 'DEBIT' THEN amount::numeric ELSE 0 END) AS debits,
                 sum(CASE WHEN side = 'CREDIT' THEN amount::numeric ELSE 0 END) AS credits,
                 bool_and(pending) AS all_pending, bool_or(pending) AS any_pending
          FROM inserted_entry GROUP BY transaction_id
        ) written
        -- LIMIT 1 keeps the lookup a probe of the primary key per transaction (it cannot become a join).
        LEFT JOIN LATERAL (
          SELECT t.entry_count, t.unit_code, t.operation IN ('HOLD', 'VOID_HOLD', 'EXPIRE_HOLD') AS pending
          FROM ledger_transaction t WHERE t.id = written.transaction_id LIMIT 1
        ) t ON true
        WHERE t.entry_count IS NULL
           OR written.entries <> t.entry_count
           OR written.last_index <> t.entry_count - 1
           OR written.first_unit <> t.unit_code OR written.last_unit <> t.unit_code
           OR written.debits <> written.credits
           OR written.all_pending <> t.pending OR written.any_pending <> t.pending
        LIMIT 1;
        IF broken IS NOT NULL THEN
          RAISE EXCEPTION 'transaction % has incomplete, unbalanced or mixed entries', broken
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP FUNCTION lock_ledger_batch(uuid[], text[], uuid[], uuid[]);

      CREATE OR REPLACE FUNCTION check_inserted_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        broken uuid;
      BEGIN
        SELECT t.id INTO broken
        FROM inserted_entry e
        JOIN ledger_transaction t ON t.id = e.transaction_id
        GROUP BY t.id, t.entry_count, t.unit_code
        HAVING count(*) <> t.entry_count
            OR max(e.index) <> t.entry_count - 1
            OR bool_or(e.unit_code <> t.unit_code)
            OR sum(CASE WHEN e.side = 'DEBIT' THEN e.amount::numeric ELSE 0 END)
               <> sum(CASE WHEN e.side = 'CREDIT' THEN e.amount::numeric ELSE 0 END)
            OR bool_or(e.pending <> (t.operation IN ('HOLD', 'VOID_HOLD', 'EXPIRE_HOLD')))
        LIMIT 1;
        IF broken IS NOT NULL THEN
          RAISE EXCEPTION 'transaction % has incomplete, unbalanced or mixed entries', broken
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$;
    `);
  }
}
