import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import { stepId } from '../src/kernel/ids.js';
import type { PersonPrincipal } from '../src/kernel/principal.js';
import { ClearingService } from '../src/trade/clearing.service.js';
import { clearObligations, type Obligation } from '../src/trade/rules/clearing.js';
import type { ModulePhaseReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * Trade at scale: a multilateral clearing round over BENCH_TRADE_MEMBERS member co-ops and
 * BENCH_TRADE_OBLIGATIONS accepted, unpaid obligations (the issue: 3 000 members, 150 000 obligations, in
 * seconds), on a generated trade network whose optimum is known by construction.
 *
 * - The network: a "core" of obligations from the first tenth of the members (pure debtors) to the second
 *   tenth (pure creditors), a twentieth of all obligations; every other obligation belongs to a cycle of 3 to
 *   6 distinct members with one amount all round. Cycles change no net position, so the net positions are the
 *   core's, and since the core only runs from debtors to creditors its total is the net internal debt: the
 *   lower bound on what any set-off can leave. Clearing every cycle and keeping the core reaches it, so the
 *   optimum leaves exactly the core's total. The round is valid only if the solver leaves exactly that.
 * - The solver alone, in memory (src/trade/rules/clearing.ts).
 * - The round through ClearingService, as the federation's steward calls it over the API: members and
 *   obligations are written straight into the tables (organisations, federation memberships, accepted
 *   invoices with their lines; every invoice is paid into one of the bench's accounts, which clearing never
 *   touches), consent is by membership, then `preview` (read the obligations, solve, store the notices) and
 *   `execute` (lock the invoices, write every set-off and its event, commit), each timed with its commit.
 *   Read back: the set-offs written add up to what the round cleared.
 */
export interface TradeOptions {
  readonly databaseUrl: string;
  readonly federationId: string;
  readonly stewardPersonId: string;
  readonly unitCode: string;
  /** Any account of the unit: the invoices' credit account (clearing moves no value, so it is never touched). */
  readonly creditAccountId: string;
  readonly members: number;
  readonly obligations: number;
  readonly log: (message: string) => void;
}

export interface TradeNetwork {
  readonly members: readonly string[];
  readonly obligations: readonly Obligation[];
  /** The least debt any set-off can leave: the core's total. */
  readonly optimum: bigint;
}

/** A deterministic pseudo-random sequence (a linear congruential generator), for reproducible networks. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The bench's trade network (see the file's header). */
export function tradeNetwork(memberCount: number, obligationCount: number, seed = 14): TradeNetwork {
  const next = random(seed);
  const pick = (count: number) => Math.floor(next() * count);
  const amount = () => BigInt(1 + pick(100_000));
  const members = Array.from({ length: memberCount }, (_, index) => stepId('bench.trade-member', String(index)));
  const tenth = Math.max(1, Math.floor(memberCount / 10));
  const obligations: Obligation[] = [];
  const add = (debtorId: string, creditorId: string, value: bigint) =>
    obligations.push({
      id: stepId('bench.trade-obligation', String(obligations.length)),
      debtorId,
      creditorId,
      amount: value,
    });
  let optimum = 0n;
  const coreCount = Math.max(1, Math.floor(obligationCount / 20));
  for (let index = 0; index < coreCount; index += 1) {
    const value = amount();
    add(members[pick(tenth)] ?? '', members[tenth + pick(tenth)] ?? '', value);
    optimum += value;
  }
  while (obligations.length < obligationCount) {
    const length = Math.min(3 + pick(4), obligationCount - obligations.length);
    if (length < 3) {
      // Too few left for a cycle: the rest goes to the core.
      const value = amount();
      add(members[pick(tenth)] ?? '', members[tenth + pick(tenth)] ?? '', value);
      optimum += value;
      continue;
    }
    const cycle = new Set<string>();
    while (cycle.size < length) cycle.add(members[pick(memberCount)] ?? '');
    const ring = [...cycle];
    const value = amount();
    ring.forEach((debtor, index) => add(debtor, ring[(index + 1) % ring.length] ?? '', value));
  }
  return { members, obligations, optimum };
}

export async function measureTrade(options: TradeOptions): Promise<ModulePhaseReport> {
  const network = tradeNetwork(options.members, options.obligations);
  const n = (value: number | bigint) => value.toLocaleString('en-US');

  options.log(`trade: solving ${n(network.obligations.length)} obligations among ${n(network.members.length)} members`);
  const solveStarted = performance.now();
  const solved = clearObligations(network.obligations);
  const solveSeconds = (performance.now() - solveStarted) / 1000;
  const solverOptimal = solved.after.totalDebt === network.optimum;

  const round = await measureRound(options, network);
  const valid = solverOptimal && round.optimal && round.writtenMatches;
  return {
    name: 'trade',
    figures: [
      {
        label: `clearing solver in memory: ${n(network.members.length)} members, ${n(network.obligations.length)} obligations`,
        value:
          `${solveSeconds.toFixed(2)} s; cleared ${n(solved.cleared)} of ${n(solved.before.totalDebt)} ` +
          `(${percent(solved.cleared, solved.before.totalDebt)}), left ${n(solved.after.totalDebt)} = the net internal ` +
          `debt: ${solverOptimal ? 'optimal' : 'NOT OPTIMAL'}`,
      },
      {
        label: 'clearing round through ClearingService (in-process, consent by membership)',
        value:
          `preview ${round.previewSeconds.toFixed(2)} s, execute ${round.executeSeconds.toFixed(2)} s ` +
          `(${n(round.setOffs)} set-offs written); ${round.optimal ? 'optimal' : 'NOT OPTIMAL'}, ` +
          `${round.writtenMatches ? 'set-offs add up' : 'SET-OFFS DO NOT ADD UP'}`,
      },
    ],
    data: {
      members: network.members.length,
      obligations: network.obligations.length,
      totalDebt: solved.before.totalDebt.toString(),
      netInternalDebt: solved.before.netInternalDebt.toString(),
      cleared: solved.cleared.toString(),
      solveSeconds,
      solverOptimal,
      ...round,
    },
    valid,
  };
}

function percent(part: bigint, whole: bigint): string {
  return whole === 0n ? '–' : `${(Number((part * 10_000n) / whole) / 100).toFixed(2)} %`;
}

async function measureRound(options: TradeOptions, network: TradeNetwork) {
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
    const clearing = app.get(ClearingService);
    options.log(`trade: seeding ${network.members.length} member co-ops and ${network.obligations.length} obligations`);
    await dataSource.transaction(async (manager) => {
      const ids = [...network.members];
      await manager.query(`INSERT INTO party (id, kind) SELECT unnest($1::uuid[]), 'ORGANIZATION'`, [ids]);
      await manager.query(
        `INSERT INTO organization (id, kind, name, slug)
         SELECT id, 'COOPERATIVE', 'Bench co-op ' || n, 'bench-coop-' || n
         FROM unnest($1::uuid[]) WITH ORDINALITY AS member (id, n)`,
        [ids],
      );
      await manager.query(
        `INSERT INTO federation_membership (id, federation_id, member_id, status, decided_at)
         SELECT gen_random_uuid(), $2, id, 'ACTIVE', now() FROM unnest($1::uuid[]) AS id`,
        [ids, options.federationId],
      );
      for (let start = 0; start < network.obligations.length; start += 20_000) {
        const slice = network.obligations.slice(start, start + 20_000);
        const columns = [
          slice.map((o) => o.id),
          slice.map((o) => o.creditorId),
          slice.map((o) => o.debtorId),
          slice.map((o) => o.amount.toString()),
        ];
        await manager.query(
          `INSERT INTO invoice (id, issuer_id, payer_id, unit_code, credit_account_id, reference, notes, due_on, total,
             status, issued_by, issued_at, updated_at)
           SELECT id, issuer, payer, $5, $6, 'bench', '', current_date + 30, total, 'ACCEPTED', 'system:bench.trade',
             now(), now()
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[]) AS o (id, issuer, payer, total)`,
          [...columns, options.unitCode, options.creditAccountId],
        );
        await manager.query(
          `INSERT INTO invoice_line (invoice_id, position, description, quantity_thousandths, unit_price, amount)
           SELECT id, 1, 'Goods', 1000, total, total FROM unnest($1::uuid[], $2::bigint[]) AS o (id, total)`,
          [columns[0], columns[3]],
        );
      }
    });

    const steward: PersonPrincipal = {
      kind: 'PERSON',
      personId: options.stewardPersonId,
      sessionId: 'bench',
      roles: new Map([[options.federationId, new Set(['ADMIN', 'TREASURER', 'MEMBER'])]]),
    };
    await clearing.setSettings(steward, {
      federationId: options.federationId,
      consentByMembership: true,
      consentHours: 72,
    });
    const roundId = stepId('bench.trade-round', String(Date.now()));
    options.log('trade: previewing the round');
    const previewStarted = performance.now();
    const preview = await clearing.preview(steward, {
      id: roundId,
      federationId: options.federationId,
      unitCode: options.unitCode,
    });
    const previewSeconds = (performance.now() - previewStarted) / 1000;
    options.log('trade: executing the round');
    const executeStarted = performance.now();
    const executed = await clearing.execute(steward, roundId);
    const executeSeconds = (performance.now() - executeStarted) / 1000;
    const [written] = await dataSource.query<[{ total: string; count: string }]>(
      `SELECT coalesce(sum(amount), 0) AS total, count(*) AS count FROM invoice_event WHERE round_id = $1`,
      [roundId],
    );
    const left = executed.round.totalDebt - executed.round.cleared;
    return {
      previewSeconds,
      executeSeconds,
      setOffs: Number(written.count),
      roundCleared: executed.round.cleared.toString(),
      optimal: preview.round.obligationCount === network.obligations.length && left === network.optimum,
      writtenMatches: BigInt(written.total) === executed.round.cleared && executed.round.status === 'EXECUTED',
    };
  } finally {
    await app.close();
  }
}
