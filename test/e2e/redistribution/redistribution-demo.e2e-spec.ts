/**
 * Goal: the demo shows redistribution at work: the land trust's motion adopting a monthly surplus policy has
 * passed, the policy is in force with its cadence, and last month's run has been executed and explains each
 * amount. Method: the real service started with DEMO_DATA on an empty database; Kwame (the trust's treasurer)
 * signs in with the demo password and reads it over GraphQL; the books are checked after the test.
 */
import { DEMO_PASSWORD, demoId } from '../../../src/demo/demo-data.js';
import { TestApp } from '../setup/test-app.js';

describe('redistribution in the demo', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ DEMO_DATA: 'true' });
  });
  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it('shows the adopted policy and last month’s run, line by line', async () => {
    const login = await app.ok<{ login: { accessToken: string } }>(
      `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`,
      { input: { email: 'kwame@demo.commonwealth.example', password: DEMO_PASSWORD } },
      { token: null },
    );
    const token = login.login.accessToken;
    const motion = await app.ok<{ motion: { status: string; outcome: { passed: boolean; effectStatus: string } } }>(
      `query($id: ID!) { motion(id: $id) { status outcome { passed effectStatus } } }`,
      { id: demoId('motion:lease-surplus-policy') },
      { token },
    );
    expect(motion.motion).toMatchObject({ status: 'CLOSED', outcome: { passed: true, effectStatus: 'APPLIED' } });
    const [organization] = (
      await app.ok<{ me: { memberships: { organizationId: string }[] } }>(
        `{ me { memberships { organizationId } } }`,
        {},
        { token },
      )
    ).me.memberships;
    const policies = await app.ok<{ redistributionPolicies: { edges: { node: any }[] } }>(
      `query($organizationId: ID!) { redistributionPolicies(organizationId: $organizationId, first: 5) { edges { node {
        name status versions { document }
        runs(first: 5) { edges { node { total status lines(first: 10) { edges { node { role amount explanation } } } } } } } } } }`,
      { organizationId: organization!.organizationId },
      { token },
    );
    const policy = policies.redistributionPolicies.edges[0]!.node;
    expect(policy).toMatchObject({ name: 'Ground-lease surplus', status: 'ACTIVE' });
    expect(policy.versions[0].document.cadence).toBe('MONTHLY');
    const run = policy.runs.edges[0].node;
    // 405.00 of lease income, 205.00 above the floor: half (102.50) to the reserve, a tenth (20.50) to the strike fund.
    expect(run).toMatchObject({ total: '12300', status: 'EXECUTED' });
    expect(run.lines.edges.map((edge: any) => edge.node.amount).sort()).toEqual(['10250', '10250', '2050', '2050']);
  });
});
