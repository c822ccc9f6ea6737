/**
 * Goal: the time bank's bench phase (bench/timebank.ts) runs and finds its own result right, at a small
 * scale, so that `npm run bench` does not discover a broken phase after its long write phases. Method: the
 * phase itself, on this file's database, with 30 members, 1 000 due exchanges (three auto-confirmation
 * batches) and 3 000 listings; the books are checked after it.
 */
import { measureTimebank } from '../../../bench/timebank.js';
import { TestApp } from '../setup/test-app.js';

describe('the time bank bench phase, small', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it('confirms every due exchange in one pass and searches the offers', async () => {
    const report = await measureTimebank({
      databaseUrl: (app as unknown as { databaseUrl: string }).databaseUrl,
      stewardPersonId: app.steward.personId,
      members: 30,
      dueExchanges: 1000,
      listings: 3000,
      log: () => undefined,
    });
    expect(report.valid).toBe(true);
    expect(report.data).toMatchObject({ confirmed: 1000 });
  });
});
