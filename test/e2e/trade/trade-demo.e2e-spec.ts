/**
 * Goal: the demo shows co-op trade at work: invoices between the bakery, the bike co-op and the time bank
 * (one paid automatically, one paid in part, accepted obligations, an overdue request), statements, and a
 * clearing round previewed by the federation's steward with the bakery's consent. Method: the real service
 * started with DEMO_DATA on an empty database; demo people sign in with the demo password and read it over
 * GraphQL; the books are checked after each test.
 */
import { DEMO_PASSWORD, demoId } from '../../../src/demo/demo-data.js';
import { TestApp } from '../setup/test-app.js';
import { TRADE } from './trade-fixtures.js';

describe('trade in the demo', () => {
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

  it("shows the bakery's invoices, their totals and its statement", async () => {
    const token = await signIn('lucia@demo.commonwealth.example');
    const coffee = await app.ok(TRADE.invoice, { id: demoId('invoice:coffee') }, { token });
    expect(coffee.invoice).toMatchObject({ status: 'PAID', automaticPayment: 'PAID', total: '2400' });
    const bread = await app.ok(TRADE.invoice, { id: demoId('invoice:bread-month') }, { token });
    expect(bread.invoice).toMatchObject({ status: 'PARTLY_PAID', paid: '5000', total: '15210' });
    const openDay = await app.ok(TRADE.invoice, { id: demoId('invoice:open-day') }, { token });
    expect(openDay.invoice).toMatchObject({ status: 'ISSUED', overdue: true });
    const bakery = bread.invoice.issuerId as string;
    const listed = await app.ok(TRADE.invoices, { organizationId: bakery }, { token });
    expect(listed.invoices.edges).toHaveLength(5);
    const now = Date.now();
    const statement = await app.ok(
      TRADE.statement,
      {
        organizationId: bakery,
        unitCode: 'CWC',
        from: new Date(now - 86_400_000).toISOString(),
        to: new Date(now + 86_400_000).toISOString(),
      },
      { token },
    );
    const open = statement.tradeStatement.openInvoices.reduce(
      (sum: bigint, invoice: { direction: string; outstanding: string }) =>
        sum + (invoice.direction === 'RECEIVABLE' ? BigInt(invoice.outstanding) : -BigInt(invoice.outstanding)),
      0n,
    );
    expect(BigInt(statement.tradeStatement.closingBalance)).toBe(open);
  });

  it("shows the steward's clearing round: the circle of debts set off, the bakery's consent given", async () => {
    const token = await signIn('rosa@demo.commonwealth.example');
    const { clearingRound } = await app.ok(TRADE.clearingRound, { id: demoId('clearing-round:first') }, { token });
    expect(clearingRound).toMatchObject({ status: 'OPEN', obligationCount: 4 });
    expect(BigInt(clearingRound.cleared)).toBeGreaterThan(0n);
    // Debts left: the time bank's 3 000 net debt reaches the bike co-op only through the bakery (1 790 of it).
    expect(clearingRound).toMatchObject({ totalDebtBefore: '43210', netInternalDebt: '3000', totalDebtAfter: '4790' });
    expect(clearingRound.participants.map((p: { consent: string }) => p.consent).sort()).toEqual([
      'GIVEN',
      'PENDING',
      'PENDING',
    ]);
  });
});
