/**
 * Goal: ground-lease charges are posted once per lease and period when two server processes post them at
 * the same time and one of them is killed with SIGKILL in the middle: nothing twice, nothing half-written,
 * nothing lost once a process runs again. Method: the compiled server started twice on the test file's
 * database; a land trust with 100 leases from January 2022 (some 4 years of monthly charges each) set up over
 * HTTP; A asked to post what is due and, once it is writing, B too; A killed while its charges are being
 * written, B left to finish; A started again and asked again (and both once more, which must post nothing); then the proof from the
 * database: as many charges as leases × periods, one ledger transaction per charge and none without one,
 * every receivable's balance equal to minus its charges, and every ledger invariant.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/kernel/database/data-source.js';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations } from '../../../src/kernel/invariants.js';
import { ServerProcess, buildServerForRun } from '../../support/faults/compiled-server.js';
import { freePort } from '../../support/free-port.mjs';
import { graphqlAt, postGraphQL } from '../../support/graphql.js';
import { signUpSteward } from '../../support/steward.js';
import { adminUrl, createTestDatabase } from '../setup/test-database.js';
import { LAND } from './land-trust-fixtures.js';

const LEASES = 100;
const FIRST_MONTH = '2022-01';

describe('ground-lease charges across two processes and a SIGKILL', () => {
  let build: string;
  let database: { url: string; drop: () => Promise<void> };
  let servers: ServerProcess[] = [];
  let dataSource: DataSource | undefined;

  beforeAll(async () => {
    build = await buildServerForRun(adminUrl(), process.env['TEST_TEMPLATE_DATABASE'] ?? `run_${process.pid}`);
    database = await createTestDatabase();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await dataSource?.destroy();
    await database?.drop();
  });

  it('posts each period of each lease once', async () => {
    const jwtSecret = randomBytes(32).toString('base64url');
    servers = await Promise.all(
      ['A', 'B'].map(
        async (name) =>
          new ServerProcess({
            entry: path.join(build, 'src', 'main.js'),
            databaseUrl: database.url,
            jwtSecret,
            port: await freePort(),
            name,
          }),
      ),
    );
    const [a, b] = servers as [ServerProcess, ServerProcess];
    await Promise.all(servers.map((server) => server.start()));
    const send = graphqlAt(a.url);
    const steward = await signUpSteward(send, { email: 'steward@kill.example', slug: 'kill-federation' });
    await send(
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`,
      { input: { code: 'KCLT', name: 'Trust dollars', kind: 'CURRENCY', scale: 2, issuerId: steward.organizationId } },
      steward.token,
    );
    const trustId = randomUUID();
    await send(
      LAND.createLandTrust,
      {
        input: {
          id: trustId,
          organizationId: steward.organizationId,
          name: 'Kill CLT',
          unitCode: 'KCLT',
          resaleFormula: { kind: 'APPRECIATION_SHARE', sharePoints: 2500 },
        },
      },
      steward.token,
    );
    let next = 0;
    const signNext = async (): Promise<void> => {
      while (next < LEASES) {
        const index = next++;
        const parcelId = randomUUID();
        await send(
          LAND.addLandParcel,
          { input: { id: parcelId, trustId, name: `Lot ${index}`, description: '' } },
          steward.token,
        );
        await send(
          LAND.signGroundLease,
          {
            input: {
              id: randomUUID(),
              parcelId,
              leaseholderId: steward.personId,
              startsOn: `${FIRST_MONTH}-01`,
              fee: String(100_000 + index),
              reserveSharePoints: 3333,
            },
          },
          steward.token,
        );
      }
    };
    await Promise.all([signNext(), signNext(), signNext(), signNext()]);

    const post = (server: ServerProcess) =>
      postGraphQL(server.url, LAND.postDueLeaseCharges, { input: { trustId } }, steward.token, 120_000);
    dataSource = createDataSource(database.url, 2);
    await dataSource.initialize();
    const onA = post(a);
    // Killed in the middle: A is asked first; once its transaction is writing charges (they commit together,
    // so none shows before), B is asked too.
    const started = Date.now();
    const posting = async (): Promise<boolean> =>
      Number(
        (
          await dataSource!.query(
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
                AND query ILIKE '%ground_lease_charge%'`,
          )
        )[0].n,
      ) > 0;
    while (!(await posting())) {
      if (Date.now() - started > 60_000) throw new Error('no charge was being posted within a minute');
      await sleep(5);
    }
    // A is writing: B is asked too, and A dies a random moment later, its transaction still open.
    const onB = post(b);
    await sleep(Math.floor(Math.random() * 50));
    await a.kill();
    const [replyA, replyB] = await Promise.all([onA, onB]);
    expect(replyA.kind).toBe('no-reply');
    expect(replyB.kind).toBe('reply');
    await a.start();
    const again = await post(a);
    expect(again.kind).toBe('reply');
    const last = await Promise.all([post(a), post(b)]);
    for (const reply of last) {
      expect(reply.kind === 'reply' ? reply.data : null).toEqual({
        postDueLeaseCharges: expect.objectContaining({ posted: 0 }),
      });
    }

    const now = new Date();
    const periods = (now.getUTCFullYear() - 2022) * 12 + now.getUTCMonth() + 1;
    const [facts] = await dataSource.query<
      [
        {
          charges: string;
          leases: string;
          distinct_periods: string;
          transactions: string;
          unmatched: string;
          orphans: string;
          wrong_balances: string;
        },
      ]
    >(
      `SELECT (SELECT count(*) FROM ground_lease_charge) AS charges,
              (SELECT count(DISTINCT lease_id) FROM ground_lease_charge) AS leases,
              (SELECT count(DISTINCT (lease_id, period)) FROM ground_lease_charge) AS distinct_periods,
              (SELECT count(*) FROM ledger_transaction WHERE kind = 'GROUND_LEASE_CHARGE') AS transactions,
              (SELECT count(*) FROM ground_lease_charge c
                 WHERE NOT EXISTS (SELECT 1 FROM ledger_transaction t WHERE t.id = c.transaction_id)) AS unmatched,
              (SELECT count(*) FROM ledger_transaction t WHERE t.kind = 'GROUND_LEASE_CHARGE'
                 AND NOT EXISTS (SELECT 1 FROM ground_lease_charge c WHERE c.transaction_id = t.id)) AS orphans,
              (SELECT count(*) FROM ground_lease l JOIN account a ON a.id = l.account_id
                 WHERE a.credits_posted - a.debits_posted
                       <> -(SELECT coalesce(sum(amount), 0) FROM ground_lease_charge c WHERE c.lease_id = l.id)) AS wrong_balances`,
    );
    expect(facts).toEqual({
      charges: String(LEASES * periods),
      leases: String(LEASES),
      distinct_periods: String(LEASES * periods),
      transactions: String(LEASES * periods),
      unmatched: '0',
      orphans: '0',
      wrong_balances: '0',
    });
    expect(await findInvariantViolations(dataSource.manager, BOOKS)).toEqual([]);
  }, 300_000);
});
