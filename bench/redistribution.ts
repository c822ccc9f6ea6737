import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import { runInTransaction } from '../src/kernel/database/run-in-transaction.js';
import { stepId } from '../src/kernel/ids.js';
import { systemPrincipal, type PersonPrincipal } from '../src/kernel/principal.js';
import type { LedgerRequest } from '../src/ledger/ledger.records.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { RedistributionService } from '../src/redistribution/redistribution.service.js';
import { parsePolicyDocument, policyJson } from '../src/redistribution/rules/policy-document.js';
import { mb, type ModulePhaseReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * Redistribution at scale: one run over BENCH_REDIST_ACCOUNTS accounts, previewed and executed.
 *
 * Two organisations of the bench's own: the members of A (half the accounts) pay a demurrage of 2% per
 * period on what they hold (each was paid 100.00 to 1 000.00 first); the members of B (the other half)
 * share it equally, by largest remainder. Persons, memberships, accounts (with their OPENED change), an
 * assembly, a passed motion and the policy are written straight into the tables (the API's per-item
 * paths are not what is measured); the members' balances are paid through the ledger (applyGroup), so
 * the books hold. Then, in the bench's own process on the bench's database: RedistributionService.preview
 * (set-based reads, the plan, every line) and RedistributionService.execute (the same under lock, the
 * lines stored, some thousands of transactions in one applyGroup), each timed, with the process's peak
 * RSS sampled during each; the target is ≤ 10 s each. Valid when the run moved what the preview said.
 */
export interface RedistributionOptions {
  readonly databaseUrl: string;
  readonly accounts: number;
  readonly log: (message: string) => void;
}

const UNIT = 'RDST';

export async function measureRedistribution(options: RedistributionOptions): Promise<ModulePhaseReport> {
  const app = await createApp(
    loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      DEMO_DATA: 'false',
      SCHEDULER_TICK_MS: '0',
      BOOKS_CHECK_CRON: 'off',
      GRAPHQL_IDE: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: BENCH_JWT_SECRET,
    }),
  );
  try {
    await app.init();
    const dataSource = app.get(DataSource);
    const stamp = randomUUID().slice(0, 8);
    const payers = Math.ceil(options.accounts / 2);
    const payees = options.accounts - payers;
    options.log(`redistribution: seeding ${payers} paying and ${payees} receiving member accounts`);
    const seeded = await seed(dataSource, stamp, payers, payees);
    const ledger = app.get(LedgerService);
    await runInTransaction(dataSource, 'READ COMMITTED', async (manager) => {
      const requests: LedgerRequest[] = [];
      for (let start = 0; start < seeded.payerAccounts.length; start += 63) {
        const chunk = seeded.payerAccounts.slice(start, start + 63);
        const amounts = chunk.map((_, index) => 10_000n + BigInt(((start + index) * 7919) % 90_000));
        requests.push({
          type: 'TRANSFER',
          id: stepId('bench.redistribution-seed', stamp, String(start)),
          unitCode: UNIT,
          kind: 'BENCH_SEED',
          memo: '',
          metadata: [],
          effectiveAt: null,
          hold: null,
          entries: [
            { accountId: seeded.issuance, side: 'DEBIT', amount: amounts.reduce((a, b) => a + b, 0n) },
            ...chunk.map((accountId, index) => ({ accountId, side: 'CREDIT' as const, amount: amounts[index]! })),
          ],
        });
      }
      await ledger.applyGroup(
        manager,
        systemPrincipal('bench.seed', { accounts: new Set([seeded.issuance]) }),
        { kind: 'BENCH_SEED', id: stamp },
        requests,
      );
    });
    const service = app.get(RedistributionService);
    const treasurer: PersonPrincipal = {
      kind: 'PERSON',
      personId: seeded.treasurerId,
      sessionId: 'bench',
      roles: new Map([[seeded.payingOrganization, new Set(['MEMBER', 'TREASURER'])]]),
    };
    const now = Date.now();
    const period = { start: new Date(now - 30 * 24 * 3600_000), end: new Date(now - 1000) };

    options.log('redistribution: previewing the run');
    const previewed = await sampled(() => service.preview(treasurer, { policyId: seeded.policyId, period }));
    options.log(
      `redistribution: previewed in ${previewed.seconds.toFixed(2)} s (${previewed.value.plan.lines.length} lines, ` +
        `${previewed.value.plan.transfers.length} transactions)`,
    );
    options.log('redistribution: executing the run');
    const executed = await sampled(() =>
      service.execute(treasurer, { policyId: seeded.policyId, period, previewDigest: previewed.value.digest }),
    );
    options.log(`redistribution: executed in ${executed.seconds.toFixed(2)} s`);
    const valid =
      !executed.value.replayed &&
      executed.value.run.total === previewed.value.plan.total &&
      executed.value.run.transactionCount === previewed.value.plan.transfers.length &&
      previewed.value.plan.total > 0n;
    const n = (value: number) => value.toLocaleString('en-US');
    const data = {
      accounts: options.accounts,
      lines: previewed.value.plan.lines.length,
      transactions: previewed.value.plan.transfers.length,
      total: previewed.value.plan.total.toString(),
      previewSeconds: previewed.seconds,
      previewPeakRssMb: previewed.peakRssMb,
      executeSeconds: executed.seconds,
      executePeakRssMb: executed.peakRssMb,
      targetSeconds: 10,
    };
    return {
      name: 'redistribution',
      figures: [
        {
          label: `run preview: ${n(options.accounts)} accounts (demurrage from ${n(payers)}, equal shares to ${n(payees)})`,
          value: `${previewed.seconds.toFixed(2)} s; bench RSS at most ${previewed.peakRssMb} MB (target ≤ 10 s)`,
        },
        {
          label: `run execution: ${n(data.lines)} lines, ${n(data.transactions)} transactions in one group`,
          value: `${executed.seconds.toFixed(2)} s; bench RSS at most ${executed.peakRssMb} MB (target ≤ 10 s)`,
        },
      ],
      data,
      valid,
    };
  } finally {
    await app.close();
  }
}

/** Times `work`, sampling the process's resident memory every 25 ms. */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const started = performance.now();
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds: (performance.now() - started) / 1000, peakRssMb: mb(peak) ?? 0 };
  } finally {
    clearInterval(timer);
  }
}

interface Seeded {
  readonly payingOrganization: string;
  readonly treasurerId: string;
  readonly issuance: string;
  readonly payerAccounts: readonly string[];
  readonly policyId: string;
}

/** Organisations, persons, memberships, accounts, a passed motion and the policy, straight into the tables. */
async function seed(dataSource: DataSource, stamp: string, payers: number, payees: number): Promise<Seeded> {
  return dataSource.transaction(async (manager) => {
    const [paying, receiving, treasurerId] = [randomUUID(), randomUUID(), randomUUID()];
    await manager.query(
      `INSERT INTO party (id, kind) VALUES ($1, 'ORGANIZATION'), ($2, 'ORGANIZATION'), ($3, 'PERSON')`,
      [paying, receiving, treasurerId],
    );
    await manager.query(
      `INSERT INTO organization (id, kind, name, slug) VALUES
         ($1, 'COOPERATIVE', 'Bench payers', $3), ($2, 'COOPERATIVE', 'Bench payees', $4)`,
      [paying, receiving, `bench-payers-${stamp}`, `bench-payees-${stamp}`],
    );
    await manager.query(`INSERT INTO person (id, name, email, password_hash) VALUES ($1, 'Treasurer', $2, 'x')`, [
      treasurerId,
      `treasurer-${stamp}@bench.test`,
    ]);
    // Persons and their memberships: the first `payers` in the paying co-op, the rest in the receiving one.
    await manager.query(
      `CREATE TEMP TABLE bench_member ON COMMIT DROP AS
         SELECT gen_random_uuid() AS person_id, n, CASE WHEN n <= $1::int THEN $2::uuid ELSE $3::uuid END AS organization_id
         FROM generate_series(1, $1::int + $4::int) AS n`,
      [payers, paying, receiving, payees],
    );
    await manager.query(`INSERT INTO party (id, kind) SELECT person_id, 'PERSON' FROM bench_member`);
    await manager.query(
      `INSERT INTO person (id, name, email, password_hash)
       SELECT person_id, 'Member ' || n, 'member-' || n || '-' || $1 || '@bench.test', 'x' FROM bench_member`,
      [stamp],
    );
    await manager.query(
      `INSERT INTO membership (id, organization_id, person_id, status)
       SELECT gen_random_uuid(), organization_id, person_id, 'ACTIVE' FROM bench_member
       UNION ALL SELECT gen_random_uuid(), $1, $2, 'ACTIVE'`,
      [paying, treasurerId],
    );
    await manager.query(
      `INSERT INTO unit (code, name, kind, scale, issuer_id) VALUES ($1, 'Bench redistribution', 'CURRENCY', 2, $2)`,
      [UNIT, paying],
    );
    const issuance = randomUUID();
    await manager.query(`INSERT INTO bench_member (person_id, n, organization_id) VALUES ($1, 0, NULL)`, [paying]);
    await manager.query(
      `WITH opened AS (
         INSERT INTO account (id, unit_code, holder_id, name, kind, status, credit_limit, upper_limit, version, opened_at)
         SELECT CASE WHEN n = 0 THEN $2::uuid ELSE gen_random_uuid() END, $1, person_id,
                CASE WHEN n = 0 THEN 'Issuance' ELSE 'Member account' END,
                CASE WHEN n = 0 THEN 'ISSUANCE' ELSE 'MEMBER' END, 'ACTIVE',
                CASE WHEN n = 0 THEN 1000000000000000 ELSE 0 END, NULL, 1, clock_timestamp()
         FROM bench_member RETURNING id, credit_limit)
       INSERT INTO account_change (account_id, version, change, status, credit_limit, upper_limit, reason, changed_at)
       SELECT id, 1, 'OPENED', 'ACTIVE', credit_limit, NULL, 'bench', clock_timestamp() FROM opened`,
      [UNIT, issuance],
    );
    const payerRows: { id: string }[] = await manager.query(
      `SELECT a.id FROM account a JOIN bench_member m ON m.person_id = a.holder_id
       WHERE a.unit_code = $1 AND m.organization_id = $2 ORDER BY a.id`,
      [UNIT, paying],
    );
    const [assemblyId, motionId, policyId] = [randomUUID(), randomUUID(), randomUUID()];
    await manager.query(
      `INSERT INTO assembly (id, organization_id, name, kind, delegation_allowed, outcomes_public)
       VALUES ($1, $2, 'Bench assembly', 'MEMBERS', false, false)`,
      [assemblyId, paying],
    );
    await manager.query(
      `INSERT INTO motion (id, assembly_id, title, body, ballot_kind, rule, options, secret, results_hidden,
         changeable, early_close, delegation_applies, opens_at, closes_at, status, proposed_by)
       VALUES ($1, $2, 'Demurrage for the payees', '', 'YES_NO', 'MAJORITY', '[]', false, false, true, false, false,
         now() - interval '1 day', now() + interval '1 day', 'OPEN', $3)`,
      [motionId, assemblyId, treasurerId],
    );
    const parsed = parsePolicyDocument({
      name: 'Bench demurrage',
      unitCode: UNIT,
      apportionment: 'LARGEST_REMAINDER',
      legs: [
        {
          name: 'demurrage to the payees',
          split: 'EQUAL',
          sources: [{ accountSet: { organizationId: paying, kind: 'MEMBER' }, measure: 'DEMURRAGE', rate: '2/100' }],
          destinations: [{ accountSet: { organizationId: receiving, kind: 'MEMBER' } }],
        },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.problem);
    await manager.query(
      `INSERT INTO redistribution_policy (id, organization_id, unit_code, name, current_version, status)
       VALUES ($1, $2, $3, 'Bench demurrage', 1, 'ACTIVE')`,
      [policyId, paying, UNIT],
    );
    await manager.query(
      `INSERT INTO redistribution_policy_version (policy_id, version, document, motion_id) VALUES ($1, 1, $2, $3)`,
      [policyId, JSON.stringify(policyJson(parsed.policy)), motionId],
    );
    return {
      payingOrganization: paying,
      treasurerId,
      issuance,
      payerAccounts: payerRows.map((row) => row.id),
      policyId,
    };
  });
}
