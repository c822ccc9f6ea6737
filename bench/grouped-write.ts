import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import { runInTransaction } from '../src/kernel/database/run-in-transaction.js';
import { stepId } from '../src/kernel/ids.js';
import { systemPrincipal } from '../src/kernel/principal.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import type { Authority, LedgerRequest } from '../src/ledger/rules/ledger-model.js';
import { BENCH_UNIT, type BenchLedger } from './ledger-setup.js';
import { pickPair } from './load.js';
import { postgresCpuSeconds, selfCpuSeconds } from './proc.js';
import { cpuFigures, mb, type GroupReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * The grouped write: many transfers of one authority (a redistribution run, a stipend batch, a clearing
 * round) written all or none in one database transaction by LedgerService.applyGroup. It is internal API,
 * reached by workflow steps and never by GraphQL, so the bench boots the application in its own process on
 * the bench's database (the service's child process has stopped by then) and calls it as a step would: a
 * named system actor granted the paying accounts, step-derived ids, READ COMMITTED. What it shows is how
 * long the largest group the bench is set to (BENCH_GROUP_SIZE) holds its locks and one connection, and
 * what it costs in memory: the whole group, its requests and its results, lives in the process until the
 * commit. The transfers go between distinct uniform accounts, picked as the other phases pick them.
 */
const ACTOR = 'bench.grouped-write';
const AUTHORITY_KIND = 'BENCH_GROUPED_WRITE';
const RSS_SAMPLE_MS = 100;

export interface GroupedWriteOptions {
  readonly databaseUrl: string;
  readonly ledger: BenchLedger;
  readonly size: number;
  /** Names the group (the authority's id) and, with each transfer's index, derives the transfer's id. */
  readonly runId: string;
  readonly postmasterPid: number | null;
  readonly log: (message: string) => void;
}

export async function measureGroupedWrite(options: GroupedWriteOptions): Promise<GroupReport> {
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
    const ledgerService = app.get(LedgerService);
    const dataSource = app.get(DataSource);
    const authority: Authority = { kind: AUTHORITY_KIND, id: options.runId };

    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampleRss = (): void => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    };
    const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
    try {
      options.log(`grouped write: building ${options.size} transfers under ${authority.kind} ${authority.id}`);
      const buildStarted = performance.now();
      const payers = new Set<string>();
      const requests = Array.from({ length: options.size }, (_, index): LedgerRequest => {
        const pair = pickPair(options.ledger.accounts);
        const amount = BigInt(randomInt(1, 10_000));
        payers.add(pair.debit);
        return {
          type: 'TRANSFER',
          id: stepId(ACTOR, options.runId, String(index)),
          unitCode: BENCH_UNIT,
          kind: 'TRANSFER',
          memo: '',
          metadata: [],
          effectiveAt: null,
          hold: null,
          entries: [
            { accountId: pair.debit, side: 'DEBIT', amount },
            { accountId: pair.credit, side: 'CREDIT', amount },
          ],
        };
      });
      const principal = systemPrincipal(ACTOR, { accounts: payers });
      const buildSeconds = (performance.now() - buildStarted) / 1000;
      sampleRss();

      options.log(`grouped write: applyGroup of ${options.size} transfers in one database transaction`);
      const cpuBefore = { service: selfCpuSeconds(), postgres: postgresCpu(options.postmasterPid) };
      const applyStarted = performance.now();
      const applied = await runInTransaction(dataSource, 'READ COMMITTED', (manager) =>
        ledgerService.applyGroup(manager, principal, authority, requests),
      );
      const applySeconds = (performance.now() - applyStarted) / 1000;
      const cpuUsed = {
        server: delta(cpuBefore.service, selfCpuSeconds()),
        postgres: delta(cpuBefore.postgres, postgresCpu(options.postmasterPid)),
        load: null,
      };
      sampleRss();

      const [count] = await dataSource.query<[{ transactions: string }]>(
        'SELECT count(*) AS transactions FROM ledger_transaction WHERE authority_kind = $1 AND authority_id = $2',
        [authority.kind, authority.id],
      );
      const percent = (seconds: number | null): number | null =>
        seconds === null ? null : (100 * seconds) / applySeconds;
      const report: GroupReport = {
        size: options.size,
        authority,
        buildSeconds,
        applySeconds,
        tps: applied.length / applySeconds,
        applied: applied.length,
        written: Number(count.transactions),
        rssBeforeMb: mb(rssBefore),
        maxRssMb: mb(rssPeak),
        cpu: cpuFigures(
          {
            seconds: applySeconds,
            cpuSeconds: cpuUsed,
            cpuPercent: { server: percent(cpuUsed.server), postgres: percent(cpuUsed.postgres), load: null },
            maxRssBytes: rssPeak,
          },
          applied.length,
        ),
      };
      options.log(
        `grouped write: ${report.tps.toFixed(0)} tps (requests built in ${buildSeconds.toFixed(2)} s, applied and ` +
          `committed in ${applySeconds.toFixed(1)} s), ${report.written} transactions of the authority read back, ` +
          `bench RSS ${report.rssBeforeMb ?? '–'} MB before, ${report.maxRssMb ?? '–'} MB at most`,
      );
      return report;
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await app.close();
  }
}

function postgresCpu(postmasterPid: number | null): number | null {
  return postmasterPid === null ? null : postgresCpuSeconds(postmasterPid);
}

function delta(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}
