/**
 * Goal: PostgreSQL enforces the ledger's core rules on its own, as the second line behind the TypeScript
 * rules: history is append-only, transactions are balanced and complete, entries never cross units, account
 * rows only move forward and within their limits, and a hold or transaction is resolved at most once.
 * Method: rows made through the API (units, accounts, transfers, holds, reversals), then direct SQL through
 * app.dataSource that tries to break each rule; every attempt must fail and leave the ledger as it was.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import { POST_TRANSACTION, REVERSE_TRANSACTION, createUnit, openAccount, transfer } from './ledger-fixtures.js';

describe('database guards', () => {
  let app: TestApp;
  let alice: string;
  let bob: string;
  let posted: string;

  useTestApp(
    {
      units: [CWC],
      accounts: { alice: { creditLimit: '1000' }, bob: {} },
    },
    (fixture) =>
      ({
        app,
        accounts: { alice, bob },
      } = fixture),
  );
  beforeEach(async () => {
    const input = transfer(alice, bob, '250');
    await app.ok(POST_TRANSACTION, { input });
    posted = input.id;
  });

  /** Runs SQL that must fail with the given message, and checks the ledger is unchanged afterwards. */
  async function expectRefused(work: () => Promise<unknown>, message: RegExp): Promise<void> {
    const before = await app.snapshot();
    await expect(work()).rejects.toThrow(message);
    expect(await app.snapshot()).toEqual(before);
  }

  /** A transaction's outcome and header, written by hand as the repository would. */
  async function insertHeader(
    manager: EntityManager,
    id: string,
    options: { entryCount?: number; operation?: string; referencesId?: string } = {},
  ) {
    await manager.query(
      `INSERT INTO transaction_outcome (id, content_hash) VALUES ($1, decode(repeat('ab', 32), 'hex'))`,
      [id],
    );
    await manager.query(
      `INSERT INTO ledger_transaction (id, unit_code, operation, kind, memo, metadata, references_id, entry_count,
                                       effective_at, recorded_at)
       VALUES ($1, 'CWC', $2, 'TRANSFER', '', '{}', $3, $4, now(), now())`,
      [id, options.operation ?? 'TRANSFER', options.referencesId ?? null, options.entryCount ?? 2],
    );
  }

  const ENTRY_INSERT = `INSERT INTO entry (transaction_id, index, account_id, unit_code, side, amount, pending, account_version,
                                           balance_after, sequence, effective_at, recorded_at)`;

  /**
   * Writes a transaction's header and then its entries by hand (value rows for ENTRY_INSERT in which $1 is
   * the transaction's id and $2, $3, … the accounts), which PostgreSQL must refuse with `message`.
   */
  async function expectEntriesRefused(
    header: { entryCount?: number; operation?: string },
    entryRows: readonly string[],
    accounts: readonly string[],
    message: RegExp,
  ): Promise<void> {
    const id = randomUUID();
    await expectRefused(
      () =>
        app.dataSource.transaction(async (manager) => {
          await insertHeader(manager, id, header);
          await manager.query(`${ENTRY_INSERT} VALUES ${entryRows.join(', ')}`, [id, ...accounts]);
        }),
      message,
    );
  }

  describe('append-only history', () => {
    it.each([
      ['UPDATE entry', () => `UPDATE entry SET amount = amount + 1 WHERE transaction_id = '${posted}'`],
      ['DELETE FROM entry', () => `DELETE FROM entry WHERE transaction_id = '${posted}'`],
      ['UPDATE ledger_transaction', () => `UPDATE ledger_transaction SET memo = 'rewritten' WHERE id = '${posted}'`],
      ['DELETE FROM ledger_transaction', () => `DELETE FROM ledger_transaction WHERE id = '${posted}'`],
      ['DELETE FROM transaction_outcome', () => `DELETE FROM transaction_outcome WHERE id = '${posted}'`],
      ['UPDATE transaction_outcome', () => `UPDATE transaction_outcome SET refusal = '{}' WHERE id = '${posted}'`],
      ['DELETE FROM account', () => `DELETE FROM account WHERE id = '${bob}'`],
      ['DELETE FROM account_change', () => `DELETE FROM account_change WHERE account_id = '${bob}'`],
      ['UPDATE account_change', () => `UPDATE account_change SET reason = 'x' WHERE account_id = '${bob}'`],
      ['DELETE FROM unit', () => `DELETE FROM unit WHERE code = 'CWC'`],
    ])('refuses %s', async (_name, sql) => {
      await expectRefused(() => app.dataSource.query(sql()), /append-only/);
    });
  });

  describe('balanced and complete transactions', () => {
    it('refuses an unbalanced transaction inserted by hand (100 debit, 90 credit)', async () => {
      await expectEntriesRefused(
        {},
        [
          `($1, 0, $2, 'CWC', 'DEBIT', 100, false, 100, -100, 9000, now(), now())`,
          `($1, 1, $3, 'CWC', 'CREDIT', 90, false, 100, 90, 9000, now(), now())`,
        ],
        [alice, bob],
        /unbalanced/,
      );
    });

    it('refuses entries that do not match the entry count, even when balanced', async () => {
      await expectEntriesRefused(
        { entryCount: 3 },
        [
          `($1, 0, $2, 'CWC', 'DEBIT', 100, false, 100, -100, 9000, now(), now())`,
          `($1, 1, $3, 'CWC', 'CREDIT', 100, false, 100, 100, 9000, now(), now())`,
        ],
        [alice, bob],
        /incomplete, unbalanced or mixed entries/,
      );
    });

    it('refuses a gap in the entry indexes, even with the right count and balanced', async () => {
      await expectEntriesRefused(
        {},
        [
          `($1, 0, $2, 'CWC', 'DEBIT', 100, false, 100, -100, 9000, now(), now())`,
          `($1, 2, $3, 'CWC', 'CREDIT', 100, false, 100, 100, 9000, now(), now())`,
        ],
        [alice, bob],
        /incomplete, unbalanced or mixed entries/,
      );
    });

    it('refuses pending entries on a transfer, and a hold with one entry not pending', async () => {
      for (const [operation, pending] of [
        ['TRANSFER', ['true', 'true']],
        ['HOLD', ['true', 'false']],
      ] as const) {
        await expectEntriesRefused(
          { operation },
          [
            `($1, 0, $2, 'CWC', 'DEBIT', 100, ${pending[0]}, 100, 0, 9000, now(), now())`,
            `($1, 1, $3, 'CWC', 'CREDIT', 100, ${pending[1]}, 100, 0, 9000, now(), now())`,
          ],
          [alice, bob],
          /incomplete, unbalanced or mixed entries/,
        );
      }
    });

    it('refuses entries in a unit other than their transaction, even on accounts of that unit', async () => {
      await createUnit(app, 'HOUR', 'HOURS', 0);
      const [giver, taker] = [
        await openAccount(app, { unitCode: 'HOUR' }),
        await openAccount(app, { unitCode: 'HOUR' }),
      ];
      await expectEntriesRefused(
        {},
        [
          `($1, 0, $2, 'HOUR', 'DEBIT', 5, false, 100, -5, 9000, now(), now())`,
          `($1, 1, $3, 'HOUR', 'CREDIT', 5, false, 100, 5, 9000, now(), now())`,
        ],
        [giver, taker],
        /incomplete, unbalanced or mixed entries/,
      );
    });

    it('checks every transaction of a many-transaction statement: one broken among good ones fails it all', async () => {
      const ids = Array.from({ length: 30 }, () => randomUUID());
      await expectRefused(
        () =>
          app.dataSource.transaction(async (manager) => {
            for (const id of ids) await insertHeader(manager, id);
            const rows = ids.flatMap((id, n) => [
              `('${id}', 0, '${alice}', 'CWC', 'DEBIT', ${n === 17 ? 101 : 100}, false, ${1000 + n}, 0, 9000, now(), now())`,
              `('${id}', 1, '${bob}', 'CWC', 'CREDIT', 100, false, ${1000 + n}, 0, 9000, now(), now())`,
            ]);
            await manager.query(`${ENTRY_INSERT} VALUES ${rows.join(', ')}`);
          }),
        new RegExp(`transaction ${ids[17]} has incomplete`),
      );
    });

    it('refuses to commit a transaction with no entries', async () => {
      const id = randomUUID();
      let headerWritten = false;
      await expectRefused(
        () =>
          app.dataSource.transaction(async (manager) => {
            await insertHeader(manager, id);
            headerWritten = true;
          }),
        /has no entries/,
      );
      // The header itself was accepted; only the commit (the deferred check) refused it.
      expect(headerWritten).toBe(true);
    });

    it('refuses an entry whose account is in another unit (entry_account_unit_fk)', async () => {
      await createUnit(app, 'HOUR', 'HOURS', 0);
      const hours = await openAccount(app, { unitCode: 'HOUR' });
      await expectEntriesRefused(
        {},
        [
          `($1, 0, $2, 'CWC', 'DEBIT', 5, false, 100, -5, 9000, now(), now())`,
          `($1, 1, $3, 'CWC', 'CREDIT', 5, false, 100, 5, 9000, now(), now())`,
        ],
        [alice, hours],
        /entry_account_unit_fk/,
      );
    });
  });

  describe('account rows', () => {
    it('refuses an UPDATE that takes debits past the credit limit', async () => {
      await expectRefused(
        () =>
          app.dataSource.query(
            `UPDATE account SET debits_posted = debits_posted + 751, version = version + 1 WHERE id = $1`,
            [alice],
          ),
        /past its credit limit/,
      );
      // Up to the limit exactly is allowed by the guard (in a transaction rolled back, to keep the books whole).
      await expect(
        app.dataSource.transaction(async (manager) => {
          await manager.query(
            `UPDATE account SET debits_posted = debits_posted + 750, version = version + 1 WHERE id = $1`,
            [alice],
          );
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
    });

    it('refuses an UPDATE that decreases or keeps the version', async () => {
      await expectRefused(
        () => app.dataSource.query(`UPDATE account SET version = version - 1 WHERE id = $1`, [alice]),
        /version must advance/,
      );
      await expectRefused(
        () => app.dataSource.query(`UPDATE account SET name = 'renamed' WHERE id = $1`, [alice]),
        /version must advance/,
      );
    });

    it('refuses an UPDATE that shrinks posted counters or changes identity', async () => {
      await expectRefused(
        () => app.dataSource.query(`UPDATE account SET credits_posted = 0, version = version + 1 WHERE id = $1`, [bob]),
        /never decrease/,
      );
      // Another party that exists (the steward, a person), so that only the guard can refuse the change.
      const [party] = await app.dataSource.query<{ id: string }[]>(`SELECT id FROM party WHERE id = $1`, [
        app.steward.personId,
      ]);
      expect(party?.id).toBe(app.steward.personId);
      await expectRefused(
        () =>
          app.dataSource.query(`UPDATE account SET holder_id = $2, version = version + 1 WHERE id = $1`, [
            bob,
            app.steward.personId,
          ]),
        /identity is immutable/,
      );
    });
  });

  describe('one resolution per reference', () => {
    it('refuses a second transaction with the same references_id (ledger_transaction_referenced_once)', async () => {
      const reversalId = randomUUID();
      await app.ok(REVERSE_TRANSACTION, { input: { id: reversalId, transactionId: posted } });
      const rows: { references_id: string }[] = await app.dataSource.query(
        `SELECT references_id FROM ledger_transaction WHERE id = $1`,
        [reversalId],
      );
      expect(rows).toEqual([{ references_id: posted }]);

      await expectRefused(
        () =>
          app.dataSource.transaction(async (manager) => {
            await insertHeader(manager, randomUUID(), { operation: 'REVERSAL', referencesId: posted });
          }),
        /ledger_transaction_referenced_once/,
      );
    });
  });
});
