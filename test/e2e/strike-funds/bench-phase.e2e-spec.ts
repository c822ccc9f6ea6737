/**
 * Goal: the bench's strike-funds phase (bench/strike-funds.ts) works and finds its own result right, at a
 * small scale, so that `npm run bench` is not the first to run it. Method: the phase on the test app (its
 * own PostgreSQL), with 150 strikers in the unit the steward's federation issues; the books checked after.
 */
import { measureStrikeFunds } from '../../../bench/strike-funds.js';
import type { TestApp } from '../setup/test-app.js';
import { useTestApp } from '../setup/use-test-app.js';

describe('the bench phase of the strike funds', () => {
  let app: TestApp;

  useTestApp({ units: [['BENCH', 'CREDIT', 2]] }, (fixture) => {
    ({ app } = fixture);
  });

  it('computes, approves and pays a batch for 150 strikers, exactly', async () => {
    const report = await measureStrikeFunds(app.app, {
      federationId: app.steward.organizationId,
      stewardPersonId: app.steward.personId,
      unitCode: 'BENCH',
      strikers: 150,
      log: () => undefined,
    });
    expect(report).toMatchObject({ name: 'strike-funds', valid: true });
    expect(Number(report.data['paidLines'])).toBeGreaterThan(0);
  });
});
