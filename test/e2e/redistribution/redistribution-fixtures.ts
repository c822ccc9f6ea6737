import { randomUUID } from 'node:crypto';
import { createUnit, openAccount } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import {
  createAssembly,
  inMinutes,
  join,
  organizationWithMembers,
  propose,
  readMotion,
  runUntil,
  vote,
  type Body,
  type Member,
} from '../governance/governance-fixtures.js';

/** The documents redistribution's tests send. */
export const REDISTRIBUTION = {
  policy: `query($id: ID!) { redistributionPolicy(id: $id) { id organizationId unitCode name currentVersion status
    retiredByMotionId versions { version motionId document }
    runs { edges { node { id version total status } } } } }`,
  policies: `query($organizationId: ID!) { redistributionPolicies(organizationId: $organizationId) {
    edges { node { id name status } } } }`,
  preview: `query($input: PreviewRedistributionRunInput!) { previewRedistributionRun(input: $input) {
    policyId version periodStart periodEnd total digest lineCount transactionCount
    legs { leg name measured moved explanation transactionCount }
    lines { edges { cursor node { leg role accountId basis exactShare amount explanation } } pageInfo { hasNextPage endCursor } }
    existingRun { id } } }`,
  execute: `mutation($input: ExecuteRedistributionRunInput!) { executeRedistributionRun(input: $input) {
    replayed run { id policyId version total transactionCount lineCount status executedBy digest
      legs { leg measured moved transactionCount } } } }`,
  reverse: `mutation($input: ReverseRedistributionRunInput!) { reverseRedistributionRun(input: $input) {
    id status reversedBy reversalReason } }`,
  run: `query($id: ID!) { redistributionRun(id: $id) { id status total executedBy
    lines(first: 200) { edges { node { leg role accountId basis exactShare amount explanation } } } } }`,
  byAuthority: `query($kind: String!, $id: String!) {
    transactionsByAuthority(kind: $kind, id: $id, first: 200) { edges { node { id kind recordedBy
      authority { kind id } entries { accountId side amount } } } } }`,
  balance: `query($id: ID!) { account(id: $id) { balance } }`,
  post: `mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`,
} as const;

/** A co-op with three members and a treasurer, its fund, a strike fund, member accounts in EUR and hours. */
export interface World {
  readonly coop: Body;
  readonly treasurer: Member;
  readonly assemblyId: string;
  readonly issuance: string;
  readonly hoursIssuance: string;
  readonly coopFund: string;
  readonly strikeFund: string;
  /** Each member's EUR account, by member index. */
  readonly memberAccounts: readonly string[];
  /** Each member's hours account, by member index. */
  readonly hourAccounts: readonly string[];
}

export interface People {
  readonly coop: Body;
  readonly treasurer: Member;
}

/** Once per file: the people (organisations and memberships survive the books being cleared). */
export async function people(app: TestApp, slug: string): Promise<People> {
  const coop = await organizationWithMembers(app, slug, 3);
  const treasurer = await join(app, app.steward.token, coop.id, `${slug}-treasurer@test.example`, ['TREASURER']);
  return { coop, treasurer };
}

/** Before each test: units, accounts and value, and an assembly. */
export async function world(app: TestApp, { coop, treasurer }: People, fund = '50000'): Promise<World> {
  await createUnit(app, 'EUR', 'CURRENCY', 2);
  await createUnit(app, 'HRS', 'HOURS', 0);
  const issuance = await openAccount(app, { unitCode: 'EUR', kind: 'ISSUANCE', creditLimit: '100000000' });
  const hoursIssuance = await openAccount(app, { unitCode: 'HRS', kind: 'ISSUANCE', creditLimit: '100000000' });
  const coopFund = await openAccount(app, { unitCode: 'EUR', holderId: coop.id, kind: 'FUND' });
  const strikeFund = await openAccount(app, { unitCode: 'EUR', kind: 'FUND' });
  const memberAccounts: string[] = [];
  const hourAccounts: string[] = [];
  for (const member of coop.members) {
    memberAccounts.push(await openAccount(app, { unitCode: 'EUR', holderId: member.personId }));
    hourAccounts.push(await openAccount(app, { unitCode: 'HRS', holderId: member.personId }));
  }
  await pay(app, 'EUR', issuance, coopFund, fund);
  const assemblyId = await createAssembly(app, coop.id);
  return { coop, treasurer, assemblyId, issuance, hoursIssuance, coopFund, strikeFund, memberAccounts, hourAccounts };
}

export async function pay(app: TestApp, unitCode: string, from: string, to: string, amount: string): Promise<void> {
  await app.ok(REDISTRIBUTION.post, {
    input: {
      id: randomUUID(),
      unitCode,
      entries: [
        { accountId: from, side: 'DEBIT', amount },
        { accountId: to, side: 'CREDIT', amount },
      ],
    },
  });
}

export async function balance(app: TestApp, id: string): Promise<string> {
  return (await app.ok<{ account: { balance: string } }>(REDISTRIBUTION.balance, { id })).account.balance;
}

/** "30% of the co-op's surplus above 100.00 to the strike fund; the rest shared by hours given." */
export function surplusPolicy(w: World, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Surplus sharing',
    unitCode: 'EUR',
    apportionment: 'LARGEST_REMAINDER',
    legs: [
      {
        name: 'strike fund',
        split: 'EQUAL',
        sources: [{ accountId: w.coopFund, measure: 'BALANCE_ABOVE_FLOOR', floor: '10000', share: '3/10' }],
        destinations: [{ accountId: w.strikeFund }],
      },
      {
        name: 'by hours given',
        split: 'PROPORTIONAL',
        weightBy: 'HOURS_GIVEN',
        hoursUnitCode: 'HRS',
        sources: [{ accountId: w.coopFund, measure: 'BALANCE_ABOVE_FLOOR', floor: '10000', share: '7/10' }],
        destinations: [{ accountSet: { organizationId: w.coop.id, kind: 'MEMBER' } }],
      },
    ],
    ...extra,
  };
}

/** Proposes a motion with the effect, every member votes yes, the clock reaches its close; its outcome. */
export async function decide(
  app: TestApp,
  w: World,
  effect: { kind: string; params: Record<string, unknown> },
  minutesOpen = 60,
): Promise<{
  motionId: string;
  outcome: { passed: boolean; effectStatus: string; effectDetail: Record<string, unknown> };
}> {
  const closesAt = inMinutes(app, minutesOpen);
  const motionId = await propose(app, w.coop.members[0]!.token, w.assemblyId, {
    closesAt: closesAt.toISOString(),
    effect,
  });
  for (const member of w.coop.members) await vote(app, member.token, motionId, { choice: 'YES' });
  await runUntil(app, closesAt);
  const motion = await readMotion(app, motionId);
  return { motionId, outcome: motion.outcome! };
}

/** Adopts a policy by a passed motion and returns its id. */
export async function adopt(
  app: TestApp,
  w: World,
  policy: Record<string, unknown>,
  policyId?: string,
  minutesOpen = 60,
): Promise<string> {
  const { outcome } = await decide(
    app,
    w,
    { kind: 'redistribution.adopt-policy', params: policyId === undefined ? { policy } : { policyId, policy } },
    minutesOpen,
  );
  if (outcome.effectStatus !== 'APPLIED') throw new Error(`the policy was not adopted: ${JSON.stringify(outcome)}`);
  return String(outcome.effectDetail['policyId']);
}
