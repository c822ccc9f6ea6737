import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { ApprovalsService } from '../src/governance/approvals.service.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import { runInTransaction } from '../src/kernel/database/run-in-transaction.js';
import type { PersonPrincipal } from '../src/kernel/principal.js';
import { AccountsService } from '../src/ledger/accounts.service.js';
import { FundsService } from '../src/strike-funds/funds.service.js';
import { StrikesService } from '../src/strike-funds/strikes.service.js';
import type { ModulePhaseReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * Strike funds at scale: a weekly stipend batch for many strikers (the issue's 5 000), computed, submitted
 * (the money set aside by holds), approved 2 of 3 by the fund's committee and paid, through the module's
 * services in the bench's own process.
 *
 * - Seeding (not measured): a strike-fund union with a committee of three and BENCH_STRIKERS persons
 *   (written straight into the identity tables), the fund opened and filled from outside by the services,
 *   a strike with its rules, each striker's account opened through the ledger (one database transaction),
 *   the strikers enrolled and one week of picket shifts (0 to 25 hours each, some with dependants) written
 *   straight into the module's tables.
 * - Measured: computeBatch (read the week's shifts and what was paid, compute every line, write the
 *   preview), submitBatch (holds of 63 stipends each, the approval request naming every payee), and the
 *   two approvals, the second of which posts every hold in one database transaction (applyGroup).
 * - Checked: the strikers' accounts received exactly the batch's total, and the fund lost it.
 */
export interface StrikeFundsOptions {
  readonly federationId: string;
  readonly stewardPersonId: string;
  readonly unitCode: string;
  readonly strikers: number;
  readonly log: (message: string) => void;
}

export async function measureStrikeFundsOn(
  databaseUrl: string,
  options: StrikeFundsOptions,
): Promise<ModulePhaseReport> {
  const app = await createApp(
    loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
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
    return await measureStrikeFunds(app, options);
  } finally {
    await app.close();
  }
}

export async function measureStrikeFunds(
  app: INestApplicationContext,
  options: StrikeFundsOptions,
): Promise<ModulePhaseReport> {
  const dataSource = app.get(DataSource);
  const funds = app.get(FundsService);
  const strikes = app.get(StrikesService);
  const approvals = app.get(ApprovalsService);
  const accounts = app.get(AccountsService);
  const tag = Date.now().toString(36);
  const unionId = randomUUID();
  const committee = [randomUUID(), randomUUID(), randomUUID()];
  const strikers = Array.from({ length: options.strikers }, () => randomUUID());
  const log = options.log;

  log(`strike funds: seeding a union of ${options.strikers} strikers`);
  await dataSource.transaction(async (manager) => {
    await manager.query(`INSERT INTO party (id, kind) VALUES ($1, 'ORGANIZATION')`, [unionId]);
    await manager.query(
      `INSERT INTO organization (id, kind, name, slug) VALUES ($1, 'STRIKE_FUND', 'Bench union', $2)`,
      [unionId, `bench-union-${tag}`],
    );
    const people = [...committee, ...strikers];
    await manager.query(`INSERT INTO party (id, kind) SELECT unnest($1::uuid[]), 'PERSON'`, [people]);
    await manager.query(
      `INSERT INTO person (id, name, email, password_hash)
       SELECT id, 'Bench person', 'p-' || id || '@bench.example', 'not-a-hash' FROM unnest($1::uuid[]) AS id`,
      [people],
    );
    await manager.query(
      `WITH joined AS (
         INSERT INTO membership (id, organization_id, person_id, status)
         SELECT gen_random_uuid(), $1, id, 'ACTIVE' FROM unnest($2::uuid[]) AS id RETURNING id)
       INSERT INTO membership_role (membership_id, role) SELECT id, 'MEMBER' FROM joined`,
      [unionId, people],
    );
  });
  const steward: PersonPrincipal = {
    kind: 'PERSON',
    personId: options.stewardPersonId,
    sessionId: 'bench',
    roles: new Map([
      [options.federationId, new Set(['MEMBER', 'TREASURER', 'ADMIN'])],
      [unionId, new Set(['MEMBER', 'TREASURER', 'ADMIN'])],
    ]),
  };
  const approver = (personId: string): PersonPrincipal => ({
    kind: 'PERSON',
    personId,
    sessionId: 'bench',
    roles: new Map([[unionId, new Set(['MEMBER'])]]),
  });
  const fund = await funds.createFund(steward, {
    id: randomUUID(),
    organizationId: unionId,
    name: 'Bench strike fund',
    purpose: 'STRIKE',
    unitCode: options.unitCode,
    committee,
    required: 2,
    blindReview: false,
    reviewDays: 14,
    drawCapPerYear: 100_000n,
    membersSeeDetail: true,
    outsideLimit: 1_000_000_000_000n,
  });
  await funds.recordContribution(steward, {
    id: randomUUID(),
    fundId: fund.id,
    amount: 100_000_000_000n,
    source: 'OUTSIDE',
    fromAccountId: null,
    contributorName: null,
    visibility: 'ANONYMOUS',
    memo: 'Bench solidarity',
    pledgeId: null,
  });
  const today = new Date();
  const lastMonday = mondayOf(new Date(today.getTime() - 7 * 86_400_000));
  const strike = await strikes.createStrike(steward, {
    id: randomUUID(),
    fundId: fund.id,
    name: 'Bench strike',
    startsOn: lastMonday,
    endsOn: null,
    drawCapPerStriker: 100_000n,
    rules: {
      weeklyRate: 30_000n,
      fullMinutes: 1200,
      minimumMinutes: 600,
      dependantSupplement: 2_500n,
      capPerStriker: null,
      shortfall: 'PRO_RATA',
    },
  });
  const accountIds = strikers.map(() => randomUUID());
  await runInTransaction(dataSource, 'READ COMMITTED', async (manager) => {
    for (const [index, personId] of strikers.entries()) {
      await accounts.openAccountIn(manager, steward, {
        id: accountIds[index] ?? null,
        unitCode: options.unitCode,
        holderId: personId,
        name: 'Strike pay',
        kind: 'MEMBER',
        creditLimit: 0n,
        upperLimit: null,
      });
    }
    await manager.query(
      `INSERT INTO striker (strike_id, person_id, account_id, dependants, enrolled_at)
       SELECT $1, person_id, account_id, (random() * 3)::int, now()
       FROM unnest($2::uuid[], $3::uuid[]) AS s(person_id, account_id)`,
      [strike.id, strikers, accountIds],
    );
    await manager.query(
      `INSERT INTO picket_shift (id, strike_id, person_id, day, minutes, corrects_id, note, recorded_by, recorded_at)
       SELECT gen_random_uuid(), $1, person_id, $2::date + (random() * 4)::int, 1 + (random() * 1439)::int, NULL, '',
         $3, now()
       FROM unnest($4::uuid[]) AS person_id`,
      [strike.id, lastMonday, options.stewardPersonId, strikers],
    );
  });

  log('strike funds: computing, submitting, approving and paying the batch');
  const computeStarted = performance.now();
  const { batch, lines } = await strikes.computeBatch(steward, {
    id: randomUUID(),
    strikeId: strike.id,
    weekStart: lastMonday,
  });
  const computeSeconds = (performance.now() - computeStarted) / 1000;
  const requestId = randomUUID();
  const submitStarted = performance.now();
  await strikes.submitBatch(steward, { batchId: batch.id, requestId });
  const submitSeconds = (performance.now() - submitStarted) / 1000;
  const approveStarted = performance.now();
  await approvals.decide(approver(committee[0] ?? ''), { requestId, version: 1, decision: 'APPROVE', reason: '' });
  const firstApprovalSeconds = (performance.now() - approveStarted) / 1000;
  const payStarted = performance.now();
  const closed = await approvals.decide(approver(committee[1] ?? ''), {
    requestId,
    version: 1,
    decision: 'APPROVE',
    reason: '',
  });
  const paySeconds = (performance.now() - payStarted) / 1000;

  const [received] = await dataSource.query<[{ total: string }]>(
    `SELECT coalesce(sum(credits_posted - debits_posted), 0)::text AS total FROM account WHERE id = ANY($1::uuid[])`,
    [accountIds],
  );
  const paidLines = lines.filter((line) => line.amount > 0n).length;
  const valid = closed.status === 'APPROVED' && BigInt(received.total) === batch.total;
  log(
    `strike funds: ${paidLines} stipends, ${batch.total} paid; compute ${computeSeconds.toFixed(2)} s, submit ` +
      `${submitSeconds.toFixed(2)} s, pay ${paySeconds.toFixed(2)} s (${valid ? 'exact' : 'WRONG'})`,
  );
  const n = (value: number) => value.toLocaleString('en-US');
  return {
    name: 'strike-funds',
    figures: [
      {
        label: `stipend batch: ${n(options.strikers)} strikers, ${n(paidLines)} paid (in-process)`,
        value:
          `computed ${computeSeconds.toFixed(2)} s; submitted (holds set aside) ${submitSeconds.toFixed(2)} s; ` +
          `approved 2 of 3 and paid ${(firstApprovalSeconds + paySeconds).toFixed(2)} s; ` +
          `${valid ? 'strikers received exactly the batch total' : 'PAYMENTS DO NOT MATCH THE BATCH'}`,
      },
    ],
    data: {
      strikers: options.strikers,
      paidLines,
      total: batch.total.toString(),
      computeSeconds,
      submitSeconds,
      firstApprovalSeconds,
      paySeconds,
    },
    valid,
  };
}

function mondayOf(instant: Date): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}
