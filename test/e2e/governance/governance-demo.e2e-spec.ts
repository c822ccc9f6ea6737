/**
 * Goal: the demo shows governance at work: the federation's confederal congress with every member
 * organisation seated and its delegate appointed, an open motion with an effect and two ballots, and the
 * time bank's ranked motion with a delegated vote. Method: the real service started with DEMO_DATA on an
 * empty database; a demo person signs in with the demo password and reads it all over GraphQL; the books are
 * checked after each test.
 */
import { DEMO_PASSWORD, demoId } from '../../../src/demo/demo-data.js';
import { TestApp } from '../setup/test-app.js';

describe('governance in the demo', () => {
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

  it('shows the congress, its seats and delegates, and the open credit-line motion with its ballots', async () => {
    const token = await signIn('lucia@demo.commonwealth.example');
    const data = await app.ok<{ assembly: any; motion: any }>(
      `query($assembly: ID!, $motion: ID!) {
        assembly(id: $assembly) { name kind seats { weight delegateId } }
        motion(id: $motion) { title status rule effect { kind params } participation
          ballots { choice reason } liveTally { yes quorumMet passed } } }`,
      { assembly: demoId('assembly:congress'), motion: demoId('motion:bikes-credit-line') },
      { token },
    );
    expect(data.assembly).toMatchObject({ name: 'Commonwealth congress', kind: 'CONFEDERAL' });
    expect(data.assembly.seats).toHaveLength(5);
    expect(data.assembly.seats.every((seat: { delegateId: string | null }) => seat.delegateId !== null)).toBe(true);
    expect(data.motion).toMatchObject({
      status: 'OPEN',
      rule: 'CONSENT',
      effect: { kind: 'ledger.set-credit-line', params: { creditLimit: '800000' } },
      participation: 2,
      liveTally: { yes: '2', quorumMet: false, passed: false },
    });
  });

  it("shows the time bank's ranked motion, with Amara's vote carried by Jonas", async () => {
    const token = await signIn('amara@demo.commonwealth.example');
    const data = await app.ok<{ motion: any }>(
      `query($motion: ID!) { motion(id: $motion) { ballotKind options
        liveTally { weights { weight represents } ranking } } }`,
      { motion: demoId('motion:skill-share-evening') },
      { token },
    );
    expect(data.motion).toMatchObject({ ballotKind: 'RANKED', options: ['Monday', 'Wednesday', 'Thursday'] });
    expect(data.motion.liveTally.weights.map((weight: { weight: string }) => weight.weight).sort()).toEqual(['1', '2']);
  });
});
