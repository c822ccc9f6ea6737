/**
 * Goal: the demo shows a land trust at work: Hillside CLT's homes and leases, months of charges posted and
 * paid, a hardship waiver, and the Ortiz household in arrears, aged. Method: the real service started with
 * DEMO_DATA on an empty database; the steward and the household sign in with the demo password and read it
 * over GraphQL; the books are checked after each test.
 */
import { DEMO_PASSWORD, demoId } from '../../../src/demo/demo-data.js';
import { TestApp } from '../setup/test-app.js';
import { LAND } from './land-trust-fixtures.js';

describe('land trusts in the demo', () => {
  let app: TestApp;
  // Not useTestApp: it clears everything but identity before each test, and the demo is what is read here.
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

  it("shows the steward the trust's arrears: the Ortiz household behind, aged", async () => {
    const token = await signIn('kwame@demo.commonwealth.example');
    const { arrearsReport } = await app.ok<{
      arrearsReport: {
        totals: { leasesInArrears: number; overdue: string };
        leases: { lease: { id: string }; daysLate: number }[];
      };
    }>(LAND.arrearsReport, { trustId: demoId('land-trust:hillside') }, { token });
    expect(arrearsReport.totals.leasesInArrears).toBe(1);
    expect(arrearsReport.leases[0]?.lease.id).toBe(demoId('ground-lease:elm-1'));
    expect(arrearsReport.totals.overdue).toBe('100000');
    expect(arrearsReport.leases[0]?.daysLate).toBeGreaterThanOrEqual(59);
    const parcels = await app.ok<{ landParcels: { edges: unknown[] } }>(
      LAND.landParcels,
      { trustId: demoId('land-trust:hillside') },
      { token },
    );
    expect(parcels.landParcels.edges).toHaveLength(3);
  });

  it('shows a household its own statement: six months charged, what was paid and what is owed', async () => {
    const token = await signIn('ortiz@demo.commonwealth.example');
    const { leaseStatement } = await app.ok<{
      leaseStatement: {
        charged: string;
        paid: string;
        outstanding: string;
        charges: unknown[];
        accountBalance: string;
      };
    }>(LAND.leaseStatement, { leaseId: demoId('ground-lease:elm-1') }, { token });
    expect(leaseStatement).toMatchObject({
      charged: '150000',
      paid: '50000',
      outstanding: '100000',
      accountBalance: '-100000',
    });
    expect(leaseStatement.charges).toHaveLength(6);
    const lucia = await signIn('lucia@demo.commonwealth.example');
    const statement = await app.ok<{ leaseStatement: { waived: string; outstanding: string } }>(
      LAND.leaseStatement,
      { leaseId: demoId('ground-lease:mill-12') },
      { token: lucia },
    );
    expect(statement.leaseStatement).toMatchObject({ waived: '30000', outstanding: '0' });
  });
});
