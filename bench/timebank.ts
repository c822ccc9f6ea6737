import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { runInTransaction } from '../src/kernel/database/run-in-transaction.js';
import { loadConfig } from '../src/kernel/config/app-config.js';
import { stepId } from '../src/kernel/ids.js';
import { systemPrincipal, type PersonPrincipal } from '../src/kernel/principal.js';
import type { LedgerRequest } from '../src/ledger/ledger.records.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { OrganizationsService } from '../src/organizations/organizations.service.js';
import { ExchangesService } from '../src/timebank/exchanges.service.js';
import { TimebankService } from '../src/timebank/timebank.service.js';
import type { ModulePhaseReport } from './report.js';
import { BENCH_JWT_SECRET } from './server.js';

/**
 * The time bank at scale: one scheduler pass confirming many due exchanges, and the offers search.
 *
 * - Auto-confirmation: a time bank of BENCH_TIMEBANK_MEMBERS members (persons written straight into the
 *   identity tables; their hours accounts opened through the bank) with BENCH_TIMEBANK_DUE pending logs
 *   between random pairs, each with its ledger hold (written through the ledger, 1 000 per batch), all due.
 *   Then what the scheduler's handler runs for one occurrence (ExchangesService.autoConfirmDue): set-based,
 *   AUTO_CONFIRM_BATCH logs per database transaction (one ledger batch of posts, two statements for the
 *   logs). Checked: every log confirmed, no hold left pending.
 * - Search: BENCH_TIMEBANK_LISTINGS active offers and requests (titles and descriptions from a small
 *   vocabulary, random categories and ages) written with one statement; then the first page (50) of the
 *   newest, of a word, of a word prefix, of a category and of a word within a category, each 20 times.
 */
export interface TimebankOptions {
  readonly databaseUrl: string;
  readonly stewardPersonId: string;
  readonly members: number;
  readonly dueExchanges: number;
  readonly listings: number;
  readonly log: (message: string) => void;
}

const WORDS = [
  'bicycle',
  'repair',
  'garden',
  'cooking',
  'lesson',
  'lift',
  'hospital',
  'child',
  'care',
  'reading',
  'tax',
  'forms',
  'painting',
  'sewing',
  'music',
  'guitar',
  'computer',
  'help',
  'shopping',
  'walking',
  'dog',
  'plumbing',
  'carpentry',
  'language',
  'spanish',
  'company',
  'visit',
  'letters',
  'moving',
  'house',
];
const CATEGORIES = ['Care', 'Home and garden', 'Learning', 'Repairs', 'Transport', 'Other'];

export async function measureTimebank(options: TimebankOptions): Promise<ModulePhaseReport> {
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
    const organizations = app.get(OrganizationsService);
    const banks = app.get(TimebankService);
    const exchanges = app.get(ExchangesService);
    const ledger = app.get(LedgerService);
    const n = (value: number) => value.toLocaleString('en-US');

    const founder = (roles: Map<string, ReadonlySet<string>>): PersonPrincipal => ({
      kind: 'PERSON',
      personId: options.stewardPersonId,
      sessionId: randomUUID(),
      roles,
    });
    const suffix = randomUUID().slice(0, 8);
    const organization = await organizations.createOrganization(founder(new Map()), {
      kind: 'TIME_BANK',
      name: `Bench time bank ${suffix}`,
      slug: `bench-bank-${suffix}`,
      description: '',
      balanceVisibility: 'MEMBERS',
    });
    const steward = founder(new Map([[organization.id, new Set(['MEMBER', 'ADMIN'])]]));
    const unitCode = `TB${suffix.toUpperCase().replace(/[^A-Z0-9]/g, 'X')}`;
    const bank = await banks.setUp(steward, {
      organizationId: organization.id,
      unitCode,
      unitName: 'Bench hours',
      settings: { defaultCreditMinutes: 1_000_000n, maxMinutesPerLog: 600 },
    });

    options.log(`timebank: seeding ${n(options.members)} members`);
    const personIds = Array.from({ length: options.members }, () => randomUUID());
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO party (id, kind) SELECT unnest($1::uuid[]), 'PERSON'`, [personIds]);
      await manager.query(
        `INSERT INTO person (id, name, email, password_hash)
         SELECT id, 'Bench member', 'bench-' || id || '@bench.example', 'x' FROM unnest($1::uuid[]) AS id`,
        [personIds],
      );
      await manager.query(
        `INSERT INTO membership (id, organization_id, person_id, status)
         SELECT gen_random_uuid(), $2, id, 'ACTIVE' FROM unnest($1::uuid[]) AS id`,
        [personIds, organization.id],
      );
    });
    const accounts: string[] = [];
    for (const personId of personIds) {
      accounts.push((await banks.join(steward, { timeBankId: organization.id, personId })).accountId);
    }

    options.log(`timebank: seeding ${n(options.dueExchanges)} due exchanges with their holds`);
    const seedStarted = performance.now();
    const chunk = 1000;
    for (let start = 0; start < options.dueExchanges; start += chunk) {
      const size = Math.min(chunk, options.dueExchanges - start);
      const rows = Array.from({ length: size }, () => {
        const giver = Math.floor(Math.random() * options.members);
        const receiver = (giver + 1 + Math.floor(Math.random() * (options.members - 1))) % options.members;
        return { id: randomUUID(), giver, receiver, minutes: 15 + Math.floor(Math.random() * 120) };
      });
      await runInTransaction(dataSource, 'READ COMMITTED', async (manager) => {
        await manager.query(
          `INSERT INTO timebank_exchange (id, kind, timebank_id, giver_id, giver_bank_id, giver_account_id, receiver_id,
             receiver_bank_id, receiver_account_id, minutes, description, started_by, logged_by, status, due_at)
           SELECT r.id, 'MEMBER', $1, r.giver, $1, r.giver_account, r.receiver, $1, r.receiver_account, r.minutes,
                  'Bench exchange', 'GIVER', $7, 'PENDING', now() - interval '1 second'
           FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $8::integer[])
             AS r (id, giver, giver_account, receiver, receiver_account, minutes)`,
          [
            organization.id,
            rows.map((row) => row.id),
            rows.map((row) => personIds[row.giver]),
            rows.map((row) => accounts[row.giver]),
            rows.map((row) => personIds[row.receiver]),
            rows.map((row) => accounts[row.receiver]),
            options.stewardPersonId,
            rows.map((row) => row.minutes),
          ],
        );
        const holds: LedgerRequest[] = rows.map((row) => ({
          type: 'TRANSFER',
          id: stepId('timebank.hold', row.id, '0'),
          unitCode,
          kind: 'TIME_EXCHANGE',
          memo: `Time log ${row.id}: Bench exchange`,
          metadata: [],
          effectiveAt: null,
          hold: { timeoutSeconds: null },
          authority: { kind: 'TIME_LOG', id: row.id },
          entries: [
            { accountId: accounts[row.receiver] ?? '', side: 'DEBIT', amount: BigInt(row.minutes) },
            { accountId: accounts[row.giver] ?? '', side: 'CREDIT', amount: BigInt(row.minutes) },
          ],
        }));
        const results = await ledger.applyInTransaction(
          manager,
          systemPrincipal('timebank.bench', { accounts: new Set(accounts) }),
          holds,
        );
        if (results.some((result) => !result.ok)) throw new Error('a bench hold was refused');
      });
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    options.log('timebank: one auto-confirmation pass');
    const confirmStarted = performance.now();
    const confirmed = await exchanges.autoConfirmDue(new Date());
    const confirmSeconds = (performance.now() - confirmStarted) / 1000;
    const [check] = await dataSource.query<[{ confirmed: string; pending: string; held: string }]>(
      `SELECT (SELECT count(*) FROM timebank_exchange WHERE timebank_id = $1 AND status = 'CONFIRMED') AS confirmed,
              (SELECT count(*) FROM timebank_exchange WHERE timebank_id = $1 AND status = 'PENDING') AS pending,
              (SELECT coalesce(sum(debits_pending), 0) FROM account WHERE unit_code = $2) AS held`,
      [organization.id, unitCode],
    );
    const allConfirmed =
      confirmed === options.dueExchanges &&
      Number(check.confirmed) === options.dueExchanges &&
      Number(check.pending) === 0 &&
      check.held === '0';

    options.log(`timebank: seeding ${n(options.listings)} offers and requests`);
    await dataSource.query(
      `INSERT INTO timebank_listing (id, timebank_id, author_id, kind, title, description, category, estimated_minutes,
         availability, status, created_at, updated_at)
       SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + (i % cardinality($2::uuid[]))],
              CASE WHEN i % 3 = 0 THEN 'REQUEST' ELSE 'OFFER' END,
              initcap(w[1 + (i * 7) % cardinality(w)]) || ' ' || w[1 + (i * 13) % cardinality(w)],
              w[1 + (i * 17) % cardinality(w)] || ' and ' || w[1 + (i * 19) % cardinality(w)] || ' on weekends',
              c[1 + (i * 11) % cardinality(c)], 30 + i % 120, '', 'ACTIVE',
              now() - (i || ' seconds')::interval, now()
       FROM generate_series(1, $3) AS i, (SELECT $4::text[] AS w, $5::text[] AS c) AS v`,
      [organization.id, personIds, options.listings, WORDS, CATEGORIES],
    );
    await dataSource.query('ANALYZE timebank_listing');
    const searches: [string, { search: string | null; category: string | null }][] = [
      ['newest', { search: null, category: null }],
      ['a word', { search: 'guitar', category: null }],
      ['a prefix', { search: 'carp', category: null }],
      ['two words', { search: 'bicycle repair', category: null }],
      ['a category', { search: null, category: 'Learning' }],
      ['a word in a category', { search: 'lesson', category: 'Learning' }],
    ];
    const timings: Record<string, number> = {};
    for (const [label, filter] of searches) {
      const runs: number[] = [];
      for (let run = 0; run < 20; run += 1) {
        const started = performance.now();
        await banks.listings(steward, {
          timeBankId: organization.id,
          ...filter,
          kind: null,
          authorId: null,
          after: null,
          limit: 51,
        });
        runs.push(performance.now() - started);
      }
      runs.sort((a, b) => a - b);
      timings[label] = runs[Math.floor(runs.length / 2)] ?? 0;
    }
    return {
      name: 'timebank',
      figures: [
        {
          label: `auto-confirmation: ${n(options.dueExchanges)} due exchanges among ${n(options.members)} members, one pass`,
          value:
            `${n(confirmed)} confirmed in ${confirmSeconds.toFixed(2)} s ` +
            `(${Math.round(confirmed / Math.max(confirmSeconds, 0.001))} / s); seeded in ${seedSeconds.toFixed(1)} s; ` +
            (allConfirmed ? 'all confirmed, no hold pending' : 'NOT ALL CONFIRMED'),
        },
        {
          label: `offers search over ${n(options.listings)} listings, first page of 50 (median of 20)`,
          value: Object.entries(timings)
            .map(([label, ms]) => `${label} ${ms.toFixed(1)} ms`)
            .join('; '),
        },
      ],
      data: { confirmed, confirmSeconds, seedSeconds, searchMs: timings, bankUnit: bank.unitCode },
      valid: allConfirmed,
    };
  } finally {
    await app.close();
  }
}
