/**
 * Goal: redistribution's invariants of the books hold in every state a run reaches over GraphQL (executed,
 * with a destination that receives nothing; executed again, replayed; reversed; executed over another period
 * once the reversal gave the surplus back; executed with nothing left to move, so with no transaction), and
 * each finds the damage it exists for: a run's total that is not its lines', a line naming an account its
 * transfers did not credit, a run marked reversed whose transfers stand, a run marked executed whose
 * transfers were reversed. Method: the co-op of the runs tests (fund 500.00 above a floor of 100.00, 60 and
 * 180 minutes given); each damage is done to the module's rows inside one database transaction, past their
 * guard triggers (session_replication_role = replica), checked there, and rolled back, so the books check
 * after the test sees them whole.
 */
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations } from '../../../src/kernel/invariants.js';
import { REDISTRIBUTION_INVARIANTS } from '../../../src/redistribution/redistribution-invariants.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';
import {
  REDISTRIBUTION,
  adopt,
  balance,
  pay,
  people,
  surplusPolicy,
  world,
  type People,
  type World,
} from './redistribution-fixtures.js';

/** The runs of every state, by what happened to them. */
interface Runs {
  readonly reversed: string;
  readonly executed: string;
  readonly empty: string;
}

const [HEADER_AGREES, LINES_MOVED, REVERSED_WHEN_UNDONE] = REDISTRIBUTION_INVARIANTS.map(
  (invariant) => `redistribution: ${invariant.name}`,
);

describe('redistribution invariants of the books', () => {
  let app: TestApp;
  let folks: People;
  let w: World;
  useTestApp(
    { once: async (started) => void (folks = await people(started, 'redis-books')) },
    (fixture) => ({ app } = fixture),
  );

  beforeEach(async () => {
    w = await world(app, folks);
    await pay(app, 'HRS', w.hoursIssuance, w.hourAccounts[0]!, '60');
    await pay(app, 'HRS', w.hoursIssuance, w.hourAccounts[1]!, '180');
  });

  const treasurer = () => folks.treasurer.token;

  /** Previews and executes the run of the period, as the treasurer. */
  async function execute(
    policyId: string,
    period: { periodStart: string; periodEnd: string },
  ): Promise<{ id: string; replayed: boolean }> {
    const seen = await app.ok<{ previewRedistributionRun: { digest: string } }>(
      REDISTRIBUTION.preview,
      { input: { policyId, ...period, linesFirst: 5 } },
      { token: treasurer() },
    );
    const done = await app.ok<{ executeRedistributionRun: { replayed: boolean; run: { id: string } } }>(
      REDISTRIBUTION.execute,
      { input: { policyId, ...period, previewDigest: seen.previewRedistributionRun.digest } },
      { token: treasurer() },
    );
    return { id: done.executeRedistributionRun.run.id, replayed: done.executeRedistributionRun.replayed };
  }

  /** A run reversed, one executed over another period, one that found nothing to move. */
  async function everyState(): Promise<Runs> {
    // Periods ending together, each holding the minutes given; the ledger dates entries by the database's clock.
    const end = Date.now() + 10 * 60 * 1000;
    const hoursBefore = (hours: number) => ({
      periodStart: new Date(end - hours * 60 * 60 * 1000).toISOString(),
      periodEnd: new Date(end).toISOString(),
    });
    const policyId = await adopt(app, w, surplusPolicy(w));
    const first = await execute(policyId, hoursBefore(24));
    expect(await execute(policyId, hoursBefore(24))).toEqual({ id: first.id, replayed: true });
    await app.ok(REDISTRIBUTION.reverse, { input: { runId: first.id, reason: 'Wrong month' } }, { token: treasurer() });
    const executed = await execute(policyId, hoursBefore(23));
    expect(await balance(app, w.coopFund)).toBe('10000');
    const empty = await execute(policyId, hoursBefore(22));
    const [stored] = await app.dataSource.query(
      `SELECT total, transaction_count, line_count FROM redistribution_run WHERE id = $1`,
      [empty.id],
    );
    expect(stored).toMatchObject({ total: '0', transaction_count: 0 });
    expect(stored.line_count).toBeGreaterThan(0);
    return { reversed: first.id, executed: executed.id, empty: empty.id };
  }

  /** The invariants broken once `damage` is done to the module's rows; the damage is then rolled back. */
  async function brokenBy(damage: string, parameters: unknown[]): Promise<string[]> {
    const runner = app.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL session_replication_role = replica`);
      await runner.query(damage, parameters);
      return (await findInvariantViolations(runner.manager, BOOKS)).map((violation) => violation.invariant);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('hold in every state a run reaches', async () => {
    await everyState();
    expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
  });

  it("finds a run's total that is not what its lines received", async () => {
    const runs = await everyState();
    for (const runId of [runs.executed, runs.empty]) {
      expect(await brokenBy(`UPDATE redistribution_run SET total = total + 1 WHERE id = $1`, [runId])).toEqual([
        HEADER_AGREES,
      ]);
    }
    expect(
      await brokenBy(`UPDATE redistribution_run SET transaction_count = transaction_count + 1 WHERE id = $1`, [
        runs.executed,
      ]),
    ).toEqual([HEADER_AGREES]);
  });

  it('finds a line naming an account the run did not credit', async () => {
    const runs = await everyState();
    for (const runId of [runs.executed, runs.reversed]) {
      expect(
        await brokenBy(
          `UPDATE redistribution_run_line SET account_id = $2 WHERE run_id = $1 AND role = 'DESTINATION' AND account_id = $3`,
          [runId, w.issuance, w.strikeFund],
        ),
      ).toEqual([LINES_MOVED]);
    }
  });

  it('finds a run marked reversed whose transfers stand, and one marked executed whose transfers were reversed', async () => {
    const runs = await everyState();
    expect(
      await brokenBy(
        `UPDATE redistribution_run SET status = 'REVERSED', reversed_by = 'person:nobody', reversal_reason = 'damage',
           reversed_at = now() WHERE id = $1`,
        [runs.executed],
      ),
    ).toEqual([REVERSED_WHEN_UNDONE]);
    expect(
      await brokenBy(
        `UPDATE redistribution_run SET status = 'EXECUTED', reversed_by = NULL, reversal_reason = NULL, reversed_at = NULL
         WHERE id = $1`,
        [runs.reversed],
      ),
    ).toEqual([REVERSED_WHEN_UNDONE]);
  });
});
