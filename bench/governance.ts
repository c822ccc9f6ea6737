import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import type { MotionRecord } from '../src/governance/governance.records.js';
import { MotionsService } from '../src/governance/motions.service.js';
import { tallyMotion, type StoredBallot } from '../src/governance/rules/motion-tally.js';
import { equalShares, greedyBudget, type BudgetBallot } from '../src/governance/rules/participatory-budget.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import type { PersonPrincipal } from '../src/kernel/principal.js';
import { mb, type ModulePhaseReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * Governance at scale: closing a motion of many ballots, and the participatory budget's Method of Equal
 * Shares over many voters and proposals.
 *
 * - The close: a confederal assembly of the bench's federation with BENCH_TALLY_BALLOTS seats (random
 *   weights 1 to 5), one fifth of them delegating to another seat, and a ballot from four fifths of them,
 *   written straight into governance's tables (persons are not needed: a seat's voter is an organisation id,
 *   and the bench's steward is every seat's delegate). Then MotionsService.close, as the scheduler calls it:
 *   read the voters, ballots and delegations, tally, keep the delegations counted, write the outcome, in one
 *   database transaction; then a recount from the stored rows. The application runs in the bench's own
 *   process on the bench's database (the service has stopped by then).
 * - The tally rules alone, in memory, on the same number of ballots: yes/no, ranked (Schulze, 5 options)
 *   and approval (10 options).
 * - The budget: BENCH_BUDGET_VOTERS voters approving on average a tenth of BENCH_BUDGET_PROPOSALS proposals
 *   (costs from 1 000 to 50 000 minor units, a budget of a fifth of their total), by Equal Shares (with its
 *   completion) and by greedy, in exact arithmetic.
 */
export interface GovernanceOptions {
  readonly databaseUrl: string;
  readonly federationId: string;
  readonly stewardPersonId: string;
  readonly ballots: number;
  readonly budgetVoters: number;
  readonly budgetProposals: number;
  readonly log: (message: string) => void;
}

const CHOICES = ['YES', 'NO', 'ABSTAIN'] as const;

export async function measureGovernance(options: GovernanceOptions): Promise<ModulePhaseReport> {
  const close = await measureClose(options);
  const rules = measureTallyRules(options.ballots);
  const budget = measureBudget(options.budgetVoters, options.budgetProposals, options.log);
  const n = (value: number) => value.toLocaleString('en-US');
  return {
    name: 'governance',
    figures: [
      {
        label: `motion close: ${n(options.ballots)} seats, ${n(close.ballots)} ballots, ${n(close.delegations)} delegations (in-process)`,
        value:
          `closed in ${close.closeSeconds.toFixed(2)} s (read, tally, outcome, commit); recount ` +
          `${close.recountSeconds.toFixed(2)} s, ${close.recountMatches ? 'matches' : 'DOES NOT MATCH'}`,
      },
      {
        label: `tally rules in memory, ${n(options.ballots)} ballots`,
        value:
          `yes/no ${rules.yesNoMs.toFixed(0)} ms; ranked (Schulze, 5 options) ${rules.rankedMs.toFixed(0)} ms; ` +
          `approval (10 options) ${rules.approvalMs.toFixed(0)} ms`,
      },
      {
        label: `budget: ${n(options.budgetVoters)} voters × ${n(options.budgetProposals)} proposals`,
        value:
          `Equal Shares ${budget.equalSharesSeconds.toFixed(2)} s (${budget.equalSharesFunded} funded, ` +
          `${budget.equalSharesSpentPercent.toFixed(1)} % of the budget spent); greedy ` +
          `${(budget.greedySeconds * 1000).toFixed(0)} ms (${budget.greedyFunded} funded); bench RSS at most ` +
          `${budget.maxRssMb ?? '–'} MB`,
      },
    ],
    data: { close, rules, budget },
    valid: close.recountMatches,
  };
}

async function measureClose(options: GovernanceOptions) {
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
    const motions = app.get(MotionsService);
    const assemblyId = randomUUID();
    const motionId = randomUUID();
    options.log(`governance: seeding a motion of ${options.ballots} seats`);
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO assembly (id, organization_id, name, kind, delegation_allowed, outcomes_public)
         VALUES ($1, $2, 'Bench congress', 'CONFEDERAL', true, false)`,
        [assemblyId, options.federationId],
      );
      await manager.query(
        `INSERT INTO motion (id, assembly_id, title, body, ballot_kind, rule, options, secret, results_hidden,
           changeable, early_close, delegation_applies, opens_at, closes_at, status, proposed_by)
         VALUES ($1, $2, 'Bench motion', '', 'YES_NO', 'MAJORITY', '[]', false, false, true, false, true,
           now() - interval '1 day', now() + interval '1 day', 'OPEN', $3)`,
        [motionId, assemblyId, options.stewardPersonId],
      );
      await manager.query(
        `INSERT INTO motion_voter (motion_id, voter_id, weight, person_id)
         SELECT $1, gen_random_uuid(), 1 + floor(random() * 5)::int, $2 FROM generate_series(1, $3)`,
        [motionId, options.stewardPersonId, options.ballots],
      );
      // One fifth delegate to a seat picked at random among the others, never in a circle: to a later seat.
      await manager.query(
        `WITH seats AS (SELECT voter_id, row_number() OVER (ORDER BY voter_id) AS n FROM motion_voter WHERE motion_id = $1),
              delegating AS MATERIALIZED (
                SELECT voter_id, n + 1 + floor(random() * 3)::int AS target FROM seats WHERE n % 5 = 0)
         INSERT INTO delegation (id, assembly_id, from_voter, to_voter, motion_id)
         SELECT gen_random_uuid(), $2, d.voter_id, s.voter_id, NULL FROM delegating d JOIN seats s ON s.n = d.target`,
        [motionId, assemblyId],
      );
      await manager.query(
        `INSERT INTO ballot (motion_id, voter_id, choice, reason, version, cast_at)
         SELECT $1, voter_id, jsonb_build_object('kind', 'YES_NO', 'choice', (ARRAY['YES','NO','ABSTAIN'])[1 + floor(random() * 3)::int]),
                '', 1, now()
         FROM motion_voter WHERE motion_id = $1 AND random() < 0.8`,
        [motionId],
      );
    });
    const [counts] = await dataSource.query<[{ ballots: string; delegations: string }]>(
      `SELECT (SELECT count(*) FROM ballot WHERE motion_id = $1) AS ballots,
              (SELECT count(*) FROM delegation WHERE assembly_id = $2) AS delegations`,
      [motionId, assemblyId],
    );
    options.log(`governance: closing the motion (${counts.ballots} ballots, ${counts.delegations} delegations)`);
    const closeStarted = performance.now();
    await motions.close(motionId, 'ON_TIME');
    const closeSeconds = (performance.now() - closeStarted) / 1000;
    const steward: PersonPrincipal = {
      kind: 'PERSON',
      personId: options.stewardPersonId,
      sessionId: 'bench',
      roles: new Map([[options.federationId, new Set(['MEMBER', 'ADMIN'])]]),
    };
    const recountStarted = performance.now();
    const recount = await motions.recount(steward, motionId);
    const recountSeconds = (performance.now() - recountStarted) / 1000;
    options.log(
      `governance: closed in ${closeSeconds.toFixed(2)} s, recounted in ${recountSeconds.toFixed(2)} s ` +
        `(${recount.matches ? 'matches' : 'DOES NOT MATCH'})`,
    );
    return {
      seats: options.ballots,
      ballots: Number(counts.ballots),
      delegations: Number(counts.delegations),
      closeSeconds,
      recountSeconds,
      recountMatches: recount.matches,
      passed: recount.passed,
    };
  } finally {
    await app.close();
  }
}

function measureTallyRules(count: number) {
  const voters = new Map(Array.from({ length: count }, (_, index) => [`v${index}`, 1n + BigInt(index % 5)]));
  const ids = [...voters.keys()];
  const motion = (ballotKind: MotionRecord['ballotKind'], options: string[]) => ({
    id: 'bench',
    ballotKind,
    rule: { kind: 'MAJORITY' as const },
    quorum: { numerator: 1n, denominator: 2n },
    options,
    budget: null,
    secret: false,
  });
  const timed = (ballots: StoredBallot[], kind: MotionRecord['ballotKind'], options: string[]): number => {
    const started = performance.now();
    tallyMotion({ motion: motion(kind, options), voters, ballots, delegations: [], delegationAllowed: false });
    return performance.now() - started;
  };
  const ranked = ['a', 'b', 'c', 'd', 'e'];
  const approval = Array.from({ length: 10 }, (_, index) => `o${index}`);
  return {
    yesNoMs: timed(
      ids.map((voterId, index) => ({
        voterId,
        weight: null,
        choice: { kind: 'YES_NO', choice: CHOICES[index % 3] ?? 'YES' },
        reason: '',
      })),
      'YES_NO',
      [],
    ),
    rankedMs: timed(
      ids.map((voterId, index) => ({
        voterId,
        weight: null,
        choice: { kind: 'RANKED', ranking: rotate(ranked, index).map((option) => [option]) },
        reason: '',
      })),
      'RANKED',
      ranked,
    ),
    approvalMs: timed(
      ids.map((voterId, index) => ({
        voterId,
        weight: null,
        choice: { kind: 'APPROVAL', approved: approval.filter((_, option) => (index + option) % 3 === 0) },
        reason: '',
      })),
      'APPROVAL',
      approval,
    ),
  };
}

function measureBudget(voterCount: number, proposalCount: number, log: (message: string) => void) {
  // A fixed pseudo-random sequence: the same instance every run.
  let state = 0x2545f491;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const proposals = Array.from({ length: proposalCount }, (_, index) => ({
    id: `p${String(index).padStart(3, '0')}`,
    cost: BigInt(1000 + Math.floor(next() * 49_000)),
  }));
  const total = proposals.reduce((sum, proposal) => sum + proposal.cost, 0n);
  const budget = total / 5n;
  const ballots: BudgetBallot[] = Array.from({ length: voterCount }, (_, index) => ({
    voter: `v${index}`,
    // Popularity falls off with the proposal's index, so that the instance is not uniform.
    approved: proposals
      .filter((_, p) => next() < 0.2 * (1 - p / (proposalCount * 1.25)))
      .map((proposal) => proposal.id),
  }));
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 100);
  try {
    log(`governance: Equal Shares over ${voterCount} voters and ${proposalCount} proposals`);
    const mesStarted = performance.now();
    const mes = equalShares(budget, proposals, ballots);
    const equalSharesSeconds = (performance.now() - mesStarted) / 1000;
    const greedyStarted = performance.now();
    const greedy = greedyBudget(budget, proposals, ballots);
    const greedySeconds = (performance.now() - greedyStarted) / 1000;
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
    log(`governance: Equal Shares in ${equalSharesSeconds.toFixed(2)} s, greedy in ${greedySeconds.toFixed(3)} s`);
    return {
      voters: voterCount,
      proposals: proposalCount,
      budget: budget.toString(),
      equalSharesSeconds,
      equalSharesFunded: mes.funded.length,
      equalSharesSpentPercent: Number((mes.spent * 10_000n) / budget) / 100,
      greedySeconds,
      greedyFunded: greedy.funded.length,
      maxRssMb: mb(maxRss),
    };
  } finally {
    clearInterval(sampler);
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
