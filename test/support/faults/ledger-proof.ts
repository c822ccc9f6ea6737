/**
 * The proof at the end of a fault run: from the database, that what the clients were told is exactly what the
 * ledger holds (proveLedger), and the compiled `verify` script's own verdict (runVerify). For the crash test
 * (scripts/crash-test.ts) and the fault e2e tests (test/e2e/faults).
 */
import { execFile } from 'node:child_process';
import { createDataSource } from '../../../src/kernel/database/data-source.js';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations } from '../../../src/kernel/invariants.js';
import type { LedgerSetup } from './ledger-setup.js';
import type { SentTransfer } from './transfer-load.js';

export interface ProofFacts {
  readonly transactions: number;
  readonly entries: number;
  readonly outcomes: number;
  readonly keptRefusals: number;
  readonly accounts: number;
  readonly deadlocks: number;
}

export interface Proof {
  readonly failures: string[];
  readonly facts: ProofFacts;
}

const SHOWN = 5;

function summarize(label: string, ids: readonly string[]): string {
  return `${label}: ${ids.length} (first: ${ids.slice(0, SHOWN).join(', ')})`;
}

/**
 * Proves from the database that the ledger holds exactly what the clients were told:
 * - every transfer acknowledged as applied is one ledger_transaction (with its outcome), with the entries,
 *   amounts and memo that were sent;
 * - every transfer acknowledged as refused has no transaction, and its refusal is kept against its id;
 * - no transaction, and no outcome, exists for an id that was never sent, and none is left unacknowledged;
 * - each account's posted counters equal the sums of the applied transfers the clients counted, nothing is
 *   pending, and no account is past its credit limit or upper limit;
 * - every ledger invariant holds (findInvariantViolations returns nothing);
 * - PostgreSQL detected no deadlock in the database.
 */
export async function proveLedger(
  databaseUrl: string,
  setup: LedgerSetup,
  transfers: readonly SentTransfer[],
): Promise<Proof> {
  const failures: string[] = [];
  const dataSource = createDataSource(databaseUrl, 2);
  await dataSource.initialize();
  try {
    const transactions = await dataSource.query<{ id: string; memo: string; operation: string; entry_count: number }[]>(
      `SELECT id, memo, operation, entry_count FROM ledger_transaction`,
    );
    const duplicates = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM ledger_transaction GROUP BY id HAVING count(*) > 1`,
    );
    const entries = await dataSource.query<
      { transaction_id: string; account_id: string; side: string; amount: string }[]
    >(`SELECT transaction_id, account_id, side, amount FROM entry`);
    const outcomes = await dataSource.query<{ id: string; reason: string | null }[]>(
      `SELECT id, refusal ->> 'reason' AS reason FROM transaction_outcome`,
    );
    const accounts = await dataSource.query<
      {
        id: string;
        credit_limit: string;
        upper_limit: string | null;
        debits_posted: string;
        credits_posted: string;
        debits_pending: string;
        credits_pending: string;
      }[]
    >(
      `SELECT id, credit_limit, upper_limit, debits_posted, credits_posted, debits_pending, credits_pending FROM account`,
    );
    const [deadlockRow] = await dataSource.query<{ deadlocks: string }[]>(
      `SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`,
    );

    const byTransaction = new Map(transactions.map((row) => [row.id, row]));
    const entriesOf = new Map<string, typeof entries>();
    for (const entry of entries) {
      const list = entriesOf.get(entry.transaction_id) ?? [];
      list.push(entry);
      entriesOf.set(entry.transaction_id, list);
    }
    const outcomeOf = new Map(outcomes.map((row) => [row.id, row]));
    const sent = new Map(transfers.map((transfer) => [transfer.id, transfer]));

    if (duplicates.length > 0)
      failures.push(
        summarize(
          'transaction ids present more than once',
          duplicates.map((row) => row.id),
        ),
      );

    const missing: string[] = [];
    const wrongContent: string[] = [];
    const appliedWithoutOutcome: string[] = [];
    const refusedButWritten: string[] = [];
    const refusalNotKept: string[] = [];
    const unacknowledged: string[] = [];
    const unexpected: string[] = [];
    for (const transfer of transfers) {
      const outcome = transfer.outcome;
      if (outcome === null) {
        unacknowledged.push(transfer.id);
        continue;
      }
      if (outcome.status === 'UNEXPECTED') {
        unexpected.push(`${transfer.id} (${outcome.detail})`);
        continue;
      }
      const written = byTransaction.get(transfer.id);
      const kept = outcomeOf.get(transfer.id);
      if (outcome.status === 'APPLIED') {
        if (written === undefined) {
          missing.push(transfer.id);
          continue;
        }
        if (kept === undefined || kept.reason !== null) appliedWithoutOutcome.push(transfer.id);
        const legs = entriesOf.get(transfer.id) ?? [];
        const debit = legs.find((leg) => leg.side === 'DEBIT');
        const credit = legs.find((leg) => leg.side === 'CREDIT');
        if (
          written.operation !== 'TRANSFER' ||
          written.memo !== transfer.memo ||
          legs.length !== 2 ||
          debit?.account_id !== transfer.from ||
          credit?.account_id !== transfer.to ||
          BigInt(debit.amount) !== transfer.amount ||
          BigInt(credit.amount) !== transfer.amount
        ) {
          wrongContent.push(transfer.id);
        }
      } else {
        if (written !== undefined) refusedButWritten.push(transfer.id);
        if (kept?.reason !== outcome.reason) refusalNotKept.push(`${transfer.id} (${kept?.reason ?? 'no outcome'})`);
      }
    }
    if (unacknowledged.length > 0) failures.push(summarize('transfers never acknowledged', unacknowledged));
    if (unexpected.length > 0) failures.push(summarize('transfers answered unexpectedly', unexpected));
    if (missing.length > 0) failures.push(summarize('acknowledged as applied but not in the ledger', missing));
    if (wrongContent.length > 0) failures.push(summarize('written with other content than was sent', wrongContent));
    if (appliedWithoutOutcome.length > 0) {
      failures.push(summarize('applied without an applied outcome', appliedWithoutOutcome));
    }
    if (refusedButWritten.length > 0)
      failures.push(summarize('acknowledged as refused but in the ledger', refusedButWritten));
    if (refusalNotKept.length > 0) failures.push(summarize('refusals not kept against their ids', refusalNotKept));

    const neverSent = transactions.filter((row) => !sent.has(row.id)).map((row) => row.id);
    if (neverSent.length > 0) failures.push(summarize('transactions that were never sent', neverSent));
    const strayOutcomes = outcomes.filter((row) => !sent.has(row.id)).map((row) => row.id);
    if (strayOutcomes.length > 0) failures.push(summarize('outcomes for ids never sent', strayOutcomes));
    const halfWritten = transactions
      .filter((row) => (entriesOf.get(row.id)?.length ?? 0) !== Number(row.entry_count))
      .map((row) => row.id);
    if (halfWritten.length > 0) failures.push(summarize('transactions with missing entries', halfWritten));

    // Each account's counters against the sums of what the clients were told was applied.
    const expected = new Map(setup.accounts.map((account) => [account.id, { debits: 0n, credits: 0n }]));
    for (const transfer of transfers) {
      if (transfer.outcome?.status !== 'APPLIED') continue;
      const from = expected.get(transfer.from);
      const to = expected.get(transfer.to);
      if (from !== undefined) from.debits += transfer.amount;
      if (to !== undefined) to.credits += transfer.amount;
    }
    const wrongCounters: string[] = [];
    const pastLimits: string[] = [];
    for (const account of accounts) {
      const sums = expected.get(account.id);
      if (sums === undefined) {
        wrongCounters.push(`${account.id} (not opened by the set-up)`);
        continue;
      }
      const debits = BigInt(account.debits_posted);
      const credits = BigInt(account.credits_posted);
      if (
        debits !== sums.debits ||
        credits !== sums.credits ||
        account.debits_pending !== '0' ||
        account.credits_pending !== '0'
      ) {
        wrongCounters.push(
          `${account.id} (debits ${debits} vs ${sums.debits} sent, credits ${credits} vs ${sums.credits} sent)`,
        );
      }
      const balance = credits - debits;
      if (balance < -BigInt(account.credit_limit))
        pastLimits.push(`${account.id} (balance ${balance}, credit limit ${account.credit_limit})`);
      if (account.upper_limit !== null && balance > BigInt(account.upper_limit)) {
        pastLimits.push(`${account.id} (balance ${balance}, upper limit ${account.upper_limit})`);
      }
    }
    if (accounts.length !== setup.accounts.length) {
      failures.push(`${accounts.length} accounts in the database, ${setup.accounts.length} opened`);
    }
    if (wrongCounters.length > 0)
      failures.push(summarize('account counters that differ from the acknowledged transfers', wrongCounters));
    if (pastLimits.length > 0) failures.push(summarize('accounts past a limit', pastLimits));

    for (const violation of await findInvariantViolations(dataSource.manager, BOOKS)) {
      failures.push(`invariant broken: ${violation.invariant}: ${JSON.stringify(violation.rows.slice(0, SHOWN))}`);
    }
    const deadlocks = Number(deadlockRow?.deadlocks ?? 0);
    if (deadlocks > 0) failures.push(`PostgreSQL detected ${deadlocks} deadlocks in the database`);

    return {
      failures,
      facts: {
        transactions: transactions.length,
        entries: entries.length,
        outcomes: outcomes.length,
        keptRefusals: outcomes.filter((row) => row.reason !== null).length,
        accounts: accounts.length,
        deadlocks,
      },
    };
  } finally {
    await dataSource.destroy();
  }
}

/** Runs the compiled `verify` script on the database; resolves with its exit code and output. */
export function runVerify(entry: string, databaseUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry],
      { env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}
