import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read step of a ledger batch in one round trip: lock the touched accounts in id order, then read their
 * positions, the units named, the outcomes already decided for the batch's ids, who resolved the referenced
 * transactions, and the database's clock. Each statement of a volatile function takes a fresh snapshot, so
 * the reads after the lock see everything committed while the batch waited for it, exactly as separate
 * statements after the lock would.
 */
export class LedgerBatchLock1764000000000 implements MigrationInterface {
  name = 'LedgerBatchLock1764000000000';

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
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION lock_ledger_batch(uuid[], text[], uuid[], uuid[])`);
  }
}
