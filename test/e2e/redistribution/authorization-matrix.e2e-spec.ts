/**
 * Goal: who may do what with redistribution, as one table. A co-op C belongs to the federation F (the
 * steward's); people hold each role in C, two in F, one holds none; C has an API token. Every operation
 * (each query of a policy, the policies, a preview and a run; executing and reversing a run) is tried by
 * each of them and by an unauthenticated caller: allowed as RedistributionService says — C's members see
 * its policies, previews and runs; its TREASURER or ADMIN executes and reverses — and otherwise refused,
 * FORBIDDEN (UNAUTHENTICATED when anonymous), with nothing changed (app.snapshot(): every table). Adopting
 * and retiring a policy is a motion's effect: who may propose and vote is governance's matrix.
 * Method: the real service over HTTP on its own PostgreSQL. One policy, adopted by a passed motion, pays
 * 0.01 from C's fund per period; each attempt to execute acts on a period of its own (fresh, so an allowed
 * attempt never replays another's), each attempt to reverse on a run of its own.
 */
import { randomUUID } from 'node:crypto';
import { createUnit, openAccount } from '../ledger/ledger-fixtures.js';
import { TestApp, type GraphQLResponse } from '../setup/test-app.js';
import {
  createAssembly,
  inMinutes,
  join,
  propose,
  readMotion,
  runUntil,
  vote,
} from '../governance/governance-fixtures.js';
import { REDISTRIBUTION } from './redistribution-fixtures.js';

const ACTORS = {
  coopAdmin: 'ADMIN of the co-op',
  coopTreasurer: 'TREASURER of the co-op',
  coopCoordinator: 'COORDINATOR of the co-op',
  coopMember: 'MEMBER of the co-op',
  fedAdmin: 'ADMIN of the federation',
  fedMember: 'MEMBER of the federation',
  outsider: 'a person with no membership',
  coopToken: "the co-op's API token",
  anonymous: 'an unauthenticated caller',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
const COOP_PEOPLE: Actor[] = ['coopAdmin', 'coopTreasurer', 'coopCoordinator', 'coopMember'];
const RUNNERS: Actor[] = ['coopAdmin', 'coopTreasurer'];
const FORBIDDEN_REASONS = ['POLICY_NOT_VISIBLE', 'MAY_NOT_RUN', 'PERSON_REQUIRED'];

type Attempt = (token: string | null) => Promise<GraphQLResponse<Record<string, any>>>;

interface Operation {
  readonly title: string;
  readonly allow: readonly Actor[];
  readonly prepare: () => Attempt | Promise<Attempt>;
}

describe('redistribution authorization matrix', () => {
  let app: TestApp;
  let tokens: Record<Actor, string | null>;
  let coopId: string;
  let policyId: string;
  let adminToken: string;
  const base = Date.now() - 30 * 24 * 60 * 60 * 1000;
  let serial = 0;
  /** A period of its own: one second, a month ago, numbered. */
  const freshPeriod = () => {
    serial += 1;
    return {
      periodStart: new Date(base + serial * 1000).toISOString(),
      periodEnd: new Date(base + serial * 1000 + 1000).toISOString(),
    };
  };

  async function previewDigest(period: { periodStart: string; periodEnd: string }): Promise<string> {
    const seen = await app.ok<{ previewRedistributionRun: { digest: string } }>(
      REDISTRIBUTION.preview,
      { input: { policyId, ...period, linesFirst: 5 } },
      { token: adminToken },
    );
    return seen.previewRedistributionRun.digest;
  }

  async function executedRun(): Promise<string> {
    const period = freshPeriod();
    const done = await app.ok<{ executeRedistributionRun: { run: { id: string } } }>(
      REDISTRIBUTION.execute,
      { input: { policyId, ...period, previewDigest: await previewDigest(period) } },
      { token: adminToken },
    );
    return done.executeRedistributionRun.run.id;
  }

  let sharedRun: string;

  const OPERATIONS: Operation[] = [
    {
      title: 'see a policy of the co-op',
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(REDISTRIBUTION.policy, { id: policyId }, { token }),
    },
    {
      title: "list the co-op's policies",
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(REDISTRIBUTION.policies, { organizationId: coopId }, { token }),
    },
    {
      title: 'preview a run',
      allow: COOP_PEOPLE,
      prepare: () => (token) =>
        app.graphql(REDISTRIBUTION.preview, { input: { policyId, ...freshPeriod(), linesFirst: 5 } }, { token }),
    },
    {
      title: 'see a run and its lines',
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(REDISTRIBUTION.run, { id: sharedRun }, { token }),
    },
    {
      title: 'execute a run',
      allow: RUNNERS,
      prepare: async () => {
        const period = freshPeriod();
        const digest = await previewDigest(period);
        return (token) =>
          app.graphql(REDISTRIBUTION.execute, { input: { policyId, ...period, previewDigest: digest } }, { token });
      },
    },
    {
      title: 'reverse a run',
      allow: RUNNERS,
      prepare: async () => {
        const runId = await executedRun();
        return (token) => app.graphql(REDISTRIBUTION.reverse, { input: { runId, reason: 'A test' } }, { token });
      },
    },
  ];

  const ROWS = OPERATIONS.flatMap((operation) =>
    EVERYONE.map((actor) => {
      const allowed = operation.allow.includes(actor);
      return [
        `${ACTORS[actor]} ${allowed ? 'may' : 'may not'} ${operation.title}`,
        { actor, operation, allowed },
      ] as const;
    }),
  );

  beforeAll(async () => {
    app = await TestApp.start();
    const steward = app.steward;
    await createUnit(app, 'CWC');
    const fedMember = await join(app, steward.token, steward.organizationId, 'fed-member@federation.test');
    adminToken = await app.register('coop-admin@coop.test');
    coopId = (
      await app.ok<{ createOrganization: { id: string } }>(
        `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
        { input: { kind: 'COOPERATIVE', name: 'Bakers', slug: 'bakers-coop' } },
        { token: adminToken },
      )
    ).createOrganization.id;
    const treasurer = await join(app, adminToken, coopId, 'coop-treasurer@coop.test', ['TREASURER']);
    const coordinator = await join(app, adminToken, coopId, 'coop-coordinator@coop.test', ['COORDINATOR']);
    const member = await join(app, adminToken, coopId, 'coop-member@coop.test');
    const coopToken = (
      await app.ok<{ createApiToken: { token: string } }>(
        `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
        { input: { organizationId: coopId, name: 'Till', scopes: ['LEDGER_READ', 'LEDGER_WRITE'] } },
        { token: adminToken },
      )
    ).createApiToken.token;
    tokens = {
      coopAdmin: adminToken,
      coopTreasurer: treasurer.token,
      coopCoordinator: coordinator.token,
      coopMember: member.token,
      fedAdmin: steward.token,
      fedMember: fedMember.token,
      outsider: await app.register('outsider@elsewhere.test'),
      coopToken,
      anonymous: null,
    };

    const issuance = await openAccount(app, { kind: 'ISSUANCE', creditLimit: '100000000' });
    const fund = await openAccount(app, { holderId: coopId, kind: 'FUND' });
    const payee = await openAccount(app, {});
    await app.ok(REDISTRIBUTION.post, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: issuance, side: 'DEBIT', amount: '1000000' },
          { accountId: fund, side: 'CREDIT', amount: '1000000' },
        ],
      },
    });
    const assemblyId = await createAssembly(app, coopId, { token: adminToken });
    const closesAt = inMinutes(app, 60);
    const motionId = await propose(app, member.token, assemblyId, {
      closesAt: closesAt.toISOString(),
      effect: {
        kind: 'redistribution.adopt-policy',
        params: {
          policy: {
            name: 'A cent a period',
            unitCode: 'CWC',
            legs: [
              {
                split: 'EQUAL',
                sources: [{ accountId: fund, measure: 'FIXED', amount: '1' }],
                destinations: [{ accountId: payee }],
              },
            ],
          },
        },
      },
    });
    for (const token of [adminToken, treasurer.token, coordinator.token, member.token]) {
      await vote(app, token, motionId, { choice: 'YES' });
    }
    await runUntil(app, closesAt);
    const outcome = (await readMotion(app, motionId, adminToken)).outcome!;
    expect(outcome.effectStatus).toBe('APPLIED');
    policyId = String(outcome.effectDetail['policyId']);
    sharedRun = await executedRun();
  });

  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it.each(ROWS)('%s', async (_name, { actor, operation, allowed }) => {
    const attempt = await operation.prepare();
    const before = await app.snapshot();
    const response = await attempt(tokens[actor]);
    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data).not.toBeNull();
      return;
    }
    if (actor === 'anonymous') {
      expect(response.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
    } else {
      expect(response.errors).toHaveLength(1);
      const extensions = response.errors?.[0]?.extensions;
      expect({
        code: extensions?.code,
        reasonKnown: FORBIDDEN_REASONS.includes(String(extensions?.details.reason)),
      }).toEqual({ code: 'FORBIDDEN', reasonKnown: true });
    }
    expect(await app.snapshot()).toEqual(before);
  });
});
