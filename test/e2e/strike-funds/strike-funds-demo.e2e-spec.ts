/**
 * Goal: the demo shows the strike funds at work: a strike fund with its contribution, a strike whose last
 * week's stipend batch waits for the committee, and a hardship draw in blind review. Method: the real service
 * started with DEMO_DATA on an empty database; demo people sign in with the demo password and read it over
 * GraphQL; a committee member approves nothing yet sees the queue without names; the books are checked.
 */
import { DEMO_PASSWORD, demoId } from '../../../src/demo/demo-data.js';
import { TestApp } from '../setup/test-app.js';
import { SF } from './strike-funds-fixtures.js';

describe('strike funds in the demo', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ DEMO_DATA: 'true' });
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(async () => {
    await app.assertBooksBalance();
  });

  async function signIn(email: string): Promise<string> {
    const data = await app.ok<{ login: { accessToken: string } }>(
      `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`,
      { input: { email, password: DEMO_PASSWORD } },
      { token: null },
    );
    return data.login.accessToken;
  }

  it('shows the fund, last week’s batch waiting for approval, and a draw in blind review', async () => {
    const dana = await signIn('dana@demo.commonwealth.example');
    const fund = await app.ok<{ strikeFund: { balance: string; available: string } }>(
      SF.strikeFund,
      { id: demoId('strike-fund:warehouse') },
      { token: dana },
    );
    expect(fund.strikeFund.balance).toBe('500000');
    expect(BigInt(fund.strikeFund.available)).toBeLessThan(500000n);
    const batch = await app.ok<{ stipendBatch: { status: string; total: string; lines: unknown[] } }>(
      SF.stipendBatch,
      { id: demoId('stipend-batch:week-2') },
      { token: dana },
    );
    expect(batch.stipendBatch.status).toBe('SUBMITTED');
    expect(batch.stipendBatch.lines).toHaveLength(2);
    const amara = await signIn('amara@demo.commonwealth.example');
    const queue = await app.ok<{ drawReviewQueue: { applicantId: string | null; category: string }[] }>(
      SF.drawReviewQueue,
      { fundId: demoId('strike-fund:warehouse') },
      { token: amara },
    );
    expect(queue.drawReviewQueue).toEqual([expect.objectContaining({ applicantId: null, category: 'RENT' })]);
  });
});
