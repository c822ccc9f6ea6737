import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import type { PersonPrincipal } from '../src/kernel/principal.js';
import { AccountsService } from '../src/ledger/accounts.service.js';
import { LandTrustsService } from '../src/land-trusts/land-trusts.service.js';
import { mb, type ModulePhaseReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * Land trusts at scale: one month's ground-lease charges for BENCH_LEASES leases (10 000 by default).
 *
 * - Set-up (not measured): a unit and a land trust of the bench's federation, and as many parcels and leases
 *   (from the first of last month, due on the 1st, fee 1 000.00, a quarter to the reserve), signed through
 *   LandTrustsService as a steward would, 8 at a time; last month's charges posted.
 * - Measured: LandTrustsService.postChargesUpTo for this month's due day, as the scheduler's occurrence runs
 *   it: every lease's charge row and its ledger transaction, in chunks of 200 leases per database transaction.
 *   Then the same run again (a second process, a retried job): it must post nothing.
 * - Checked: as many charges of the month as leases, the reserve's balance equal to the reserve share of
 *   every charge posted; a run that finds otherwise is void.
 */
export interface LandTrustsOptions {
  readonly databaseUrl: string;
  readonly federationId: string;
  readonly stewardPersonId: string;
  readonly leases: number;
  readonly log: (message: string) => void;
}

const FEE = 100_000n;
const RESERVE_POINTS = 2500;
const UNIT = 'BENCHCLT';

export async function measureLandTrusts(options: LandTrustsOptions): Promise<ModulePhaseReport> {
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
    const landTrusts = app.get(LandTrustsService);
    const accounts = app.get(AccountsService);
    const dataSource = app.get(DataSource);
    const steward: PersonPrincipal = {
      kind: 'PERSON',
      personId: options.stewardPersonId,
      sessionId: 'bench',
      roles: new Map([[options.federationId, new Set(['MEMBER', 'ADMIN', 'TREASURER'])]]),
    };
    const today = new Date();
    const thisMonth = `${today.getUTCFullYear()}-${String(today.getUTCMonth() + 1).padStart(2, '0')}`;
    const lastMonthDate = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
    const lastMonth = lastMonthDate.toISOString().slice(0, 7);
    await accounts.createUnit(steward, {
      code: UNIT,
      name: 'Bench trust dollars',
      kind: 'CURRENCY',
      scale: 2,
      issuerId: options.federationId,
    });
    const trust = await landTrusts.createLandTrust(steward, {
      id: randomUUID(),
      organizationId: options.federationId,
      name: 'Bench land trust',
      unitCode: UNIT,
      resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500, indexes: null },
    });
    options.log(`land trusts: signing ${options.leases} leases`);
    const setupStarted = performance.now();
    let next = 0;
    const signNext = async (): Promise<void> => {
      while (next < options.leases) {
        const index = next++;
        const parcelId = randomUUID();
        await landTrusts.addParcel(steward, {
          id: parcelId,
          trustId: trust.id,
          name: `Lot ${index}`,
          description: '',
          homeDescription: null,
          purchasePriceMinor: null,
          purchasedOn: null,
        });
        await landTrusts.signLease(steward, {
          id: randomUUID(),
          parcelId,
          leaseholderId: options.stewardPersonId,
          startsOn: `${lastMonth}-01`,
          endsOn: null,
          dueDay: 1,
          feeMinor: FEE,
          reserveSharePoints: RESERVE_POINTS,
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => signNext()));
    await landTrusts.postChargesUpTo(trust.id, `${lastMonth}-28`);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    options.log(`land trusts: set up in ${setupSeconds.toFixed(0)} s; posting ${thisMonth}'s charges`);

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const posted = await landTrusts.postChargesUpTo(trust.id, `${thisMonth}-01`);
    const postSeconds = (performance.now() - started) / 1000;
    const replayStarted = performance.now();
    const postedAgain = await landTrusts.postChargesUpTo(trust.id, `${thisMonth}-01`);
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    const rssAfter = process.memoryUsage().rss;

    const [counts] = await dataSource.query<[{ charges: string; reserve: string }]>(
      `SELECT (SELECT count(*) FROM ground_lease_charge c JOIN ground_lease l ON l.id = c.lease_id
               WHERE l.trust_id = $1 AND c.period = $2) AS charges,
              (SELECT credits_posted - debits_posted FROM account WHERE id = $3) AS reserve`,
      [trust.id, thisMonth, trust.reserveAccountId],
    );
    const charges = Number(counts.charges);
    const expectedReserve = ((FEE * BigInt(RESERVE_POINTS)) / 10_000n) * BigInt(options.leases) * 2n;
    const valid =
      charges === options.leases &&
      posted === options.leases &&
      postedAgain === 0 &&
      BigInt(counts.reserve) === expectedReserve;
    options.log(
      `land trusts: ${posted} charges in ${postSeconds.toFixed(2)} s (${(posted / postSeconds).toFixed(0)} /s); ` +
        `the same run again posted ${postedAgain} in ${replaySeconds.toFixed(2)} s${valid ? '' : ' — WRONG COUNTS'}`,
    );
    const n = (value: number) => value.toLocaleString('en-US');
    return {
      name: 'land-trusts',
      figures: [
        {
          label: `one month's ground-lease charges, ${n(options.leases)} leases (in-process)`,
          value:
            `${n(posted)} charges and their ledger transactions in ${postSeconds.toFixed(2)} s ` +
            `(${n(Math.round(posted / postSeconds))} /s); run again: ${postedAgain} posted in ${replaySeconds.toFixed(2)} s; ` +
            `bench RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB`,
        },
      ],
      data: { leases: options.leases, posted, postSeconds, postedAgain, replaySeconds, setupSeconds, charges, valid },
      valid,
    };
  } finally {
    await app.close();
  }
}
