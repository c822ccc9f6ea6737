/**
 * Goal: the demo shows the time bank at work: Riverside's offers and requests, and exchanges confirmed,
 * waiting for an answer, disputed, and paid by the bank for community work. Method: the real service started
 * with DEMO_DATA on an empty database; demo people sign in with the demo password and read it over GraphQL.
 */
import { DEMO_PASSWORD, demoId } from '../../../src/demo/demo-data.js';
import { TestApp } from '../setup/test-app.js';
import { TIMEBANK } from './timebank-fixtures.js';

describe('the time bank in the demo', () => {
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

  it('shows the catalogue, and logs in each state to the coordinator', async () => {
    const token = await signIn('jonas@demo.commonwealth.example');
    const { me } = await app.ok<{ me: { memberships: { organizationId: string }[] } }>(
      `{ me { memberships { organizationId } } }`,
      {},
      { token },
    );
    const bankId = me.memberships[0]?.organizationId ?? '';
    const listings = await app.ok<{ listings: { edges: unknown[] } }>(
      TIMEBANK.listings,
      { timeBankId: bankId },
      { token },
    );
    expect(listings.listings.edges).toHaveLength(4);
    const logs = await app.ok<{ timeLogs: { edges: { node: { status: string } }[] } }>(
      TIMEBANK.timeLogs,
      { timeBankId: bankId, memberId: null },
      { token },
    );
    expect(logs.timeLogs.edges.map((edge) => edge.node.status).sort()).toEqual([
      'CONFIRMED',
      'CONFIRMED',
      'DISPUTED',
      'PENDING',
    ]);
    const wei = await signIn('wei@demo.commonwealth.example');
    const statement = await app.ok<{ memberStatement: { balance: string } }>(
      TIMEBANK.memberStatement,
      { timeBankId: bankId },
      { token: wei },
    );
    expect(statement.memberStatement.balance).toBe('-60');
    const disputed = await app.ok<{ timeLog: { status: string } }>(
      TIMEBANK.timeLog,
      { id: demoId('time-log:jonas-teaches-amara') },
      { token },
    );
    expect(disputed.timeLog.status).toBe('DISPUTED');
  });
});
