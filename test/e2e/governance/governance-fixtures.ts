import { randomUUID } from 'node:crypto';
import { EMAIL_SENDER, type OutboxEmailSender } from '../../../src/kernel/email-sender.js';
import { CLOCK, type ControlledClock } from '../../../src/kernel/scheduling/clock.js';
import { SchedulerService } from '../../../src/kernel/scheduling/scheduler.service.js';
import { TEST_PASSWORD, type TestApp } from '../setup/test-app.js';

/** The documents governance's tests send. */
export const GOVERNANCE = {
  createOrganization: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
  inviteMember: `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }`,
  acceptInvitation: `mutation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) { auth { accessToken person { id } } membership { id } } }`,
  endMembership: `mutation($input: MembershipIdInput!) { endMembership(input: $input) { id status } }`,
  createAssembly: `mutation($input: CreateAssemblyInput!) {
    createAssembly(input: $input) { id organizationId name kind delegationAllowed outcomesPublic } }`,
  updateAssembly: `mutation($input: UpdateAssemblyInput!) {
    updateAssembly(input: $input) { id name delegationAllowed outcomesPublic } }`,
  setAssemblySeat: `mutation($input: SetAssemblySeatInput!) {
    setAssemblySeat(input: $input) { organizationId weight delegateId } }`,
  removeAssemblySeat: `mutation($input: AssemblySeatInput!) { removeAssemblySeat(input: $input) { organizationId } }`,
  appointDelegate: `mutation($input: AppointDelegateInput!) {
    appointDelegate(input: $input) { organizationId weight delegateId } }`,
  delegateVote: `mutation($input: DelegateVoteInput!) {
    delegateVote(input: $input) { id fromVoterId toVoterId motionId } }`,
  revokeDelegation: `mutation($input: RevokeDelegationInput!) { revokeDelegation(input: $input) { id revokedAt } }`,
  proposeMotion: `mutation($input: ProposeMotionInput!) { proposeMotion(input: $input) { id status delegationApplies } }`,
  withdrawMotion: `mutation($input: MotionIdInput!) { withdrawMotion(input: $input) { id status } }`,
  castBallot: `mutation($input: CastBallotInput!) {
    castBallot(input: $input) { receipt ballot { voterId choice ranking approved reason version } } }`,
  changeSecretBallot: `mutation($input: ChangeSecretBallotInput!) { changeSecretBallot(input: $input) { id } }`,
  requestApproval: `mutation($input: RequestApprovalInput!) {
    requestApproval(input: $input) { id status version payeeIds required } }`,
  decideApproval: `mutation($input: DecideApprovalInput!) {
    decideApproval(input: $input) { id status version result } }`,
  changeApprovalRequest: `mutation($input: ChangeApprovalRequestInput!) {
    changeApprovalRequest(input: $input) { id status version action { kind params } } }`,
  withdrawApprovalRequest: `mutation($input: ApprovalRequestIdInput!) {
    withdrawApprovalRequest(input: $input) { id status } }`,
  assembly: `query($id: ID!) { assembly(id: $id) { id name kind seats { organizationId weight delegateId }
    delegations { fromVoterId toVoterId motionId } } }`,
  assemblies: `query($organizationId: ID!) { assemblies(organizationId: $organizationId) { edges { node { id } } } }`,
  motion: `query($id: ID!) { motion(id: $id) { id status delegationApplies participation
    voters { voterId weight personId hasVoted }
    ballots { voterId choice ranking approved reason version }
    myBallots { voterId cast ballot { choice version } }
    liveTally { passed eligible cast yes no abstain block object }
    outcome { passed effectStatus effectDetail closedAt tally { ${tallyFields()} } } } }`,
  recount: `query($motionId: ID!) { recount(motionId: $motionId) { motionId matches tally { passed json } } }`,
  approvalRequest: `query($id: ID!) { approvalRequest(id: $id) { id status version result approvers
    tally { required eligible approvals refusals recusals }
    decisions { approverId version decision counts } } }`,
  approvalRequests: `query($organizationId: ID!, $status: ApprovalStatus) {
    approvalRequests(organizationId: $organizationId, status: $status) { edges { node { id status } } } }`,
  byAuthority: `query($kind: String!, $id: String!) {
    transactionsByAuthority(kind: $kind, id: $id, first: 200) { edges { node { id kind recordedBy authority { kind id }
      entries { accountId side amount } } } } }`,
  account: `query($id: ID!) { account(id: $id) { id balance creditLimit } }`,
  auditLog: `query($organizationId: ID!) { auditLog(organizationId: $organizationId, first: 200) {
    edges { node { action subjectType subjectId } } } }`,
} as const;

export function tallyFields(): string {
  return `kind passed eligible cast unrepresented quorum quorumMet yes no abstain block object explanation
    weights { voterId weight represents } reasons { voterId reason }
    ranking winners winner pairwise strengths approvals { option count } tieBroken
    budget { method amount spent funded unfunded { proposalId reason } shares { voter proposalId amount } } json`;
}

export interface Member {
  readonly token: string;
  readonly personId: string;
  readonly membershipId: string;
}

/** Invites a new address into an organisation and accepts it as a new person. */
export async function join(
  app: TestApp,
  adminToken: string,
  organizationId: string,
  email: string,
  roles: readonly string[] = ['MEMBER'],
): Promise<Member> {
  await app.ok(GOVERNANCE.inviteMember, { input: { organizationId, email, roles } }, { token: adminToken });
  const message = app.app.get<symbol, OutboxEmailSender>(EMAIL_SENDER).sent.findLast((sent) => sent.to === email);
  const invitationToken = /\(invitation token: ([A-Za-z0-9_-]+)\)/.exec(message?.text ?? '')?.[1];
  if (invitationToken === undefined) throw new Error(`no invitation reached ${email}`);
  const accepted = await app.ok<{
    acceptInvitation: { auth: { accessToken: string; person: { id: string } }; membership: { id: string } };
  }>(
    GOVERNANCE.acceptInvitation,
    { input: { token: invitationToken, name: email.split('@')[0], password: TEST_PASSWORD } },
    { token: null },
  );
  return {
    token: accepted.acceptInvitation.auth.accessToken,
    personId: accepted.acceptInvitation.auth.person.id,
    membershipId: accepted.acceptInvitation.membership.id,
  };
}

/** An organisation the steward creates (and is ADMIN of), with members who joined by invitation. */
export interface Body {
  readonly id: string;
  readonly admin: Member;
  readonly members: readonly Member[];
}

export async function organizationWithMembers(
  app: TestApp,
  slug: string,
  count: number,
  kind = 'COOPERATIVE',
): Promise<Body> {
  const { createOrganization } = await app.ok<{ createOrganization: { id: string } }>(GOVERNANCE.createOrganization, {
    input: { kind, name: `Organisation ${slug}`, slug },
  });
  const admin: Member = { token: app.steward.token, personId: app.steward.personId, membershipId: '' };
  const members: Member[] = [];
  for (let index = 0; index < count; index += 1) {
    members.push(await join(app, app.steward.token, createOrganization.id, `${slug}-${index}@test.example`));
  }
  return { id: createOrganization.id, admin, members };
}

export async function createAssembly(
  app: TestApp,
  organizationId: string,
  options: {
    kind?: 'MEMBERS' | 'CONFEDERAL';
    delegationAllowed?: boolean;
    outcomesPublic?: boolean;
    token?: string;
  } = {},
): Promise<string> {
  const id = randomUUID();
  await app.ok(
    GOVERNANCE.createAssembly,
    {
      input: {
        id,
        organizationId,
        name: 'General assembly',
        kind: options.kind ?? 'MEMBERS',
        delegationAllowed: options.delegationAllowed ?? true,
        outcomesPublic: options.outcomesPublic ?? false,
      },
    },
    { token: options.token ?? app.steward.token },
  );
  return id;
}

export function clockOf(app: TestApp): ControlledClock {
  return app.app.get<symbol, ControlledClock>(CLOCK);
}

/** An instant `minutes` from the app's clock now. */
export function inMinutes(app: TestApp, minutes: number): Date {
  return new Date(clockOf(app).now().getTime() + minutes * 60_000);
}

/** Proposes a motion (a yes/no motion under MAJORITY, closing in an hour, unless the input says otherwise). */
export async function propose(
  app: TestApp,
  token: string,
  assemblyId: string,
  input: Record<string, unknown> = {},
): Promise<string> {
  const id = randomUUID();
  await app.ok(
    GOVERNANCE.proposeMotion,
    {
      input: {
        id,
        assemblyId,
        title: 'A motion',
        body: 'That we do it.',
        closesAt: inMinutes(app, 60).toISOString(),
        ...input,
      },
    },
    { token },
  );
  return id;
}

export async function vote(
  app: TestApp,
  token: string,
  motionId: string,
  ballot: { choice?: string; ranking?: string[][]; approved?: string[] },
  reason = '',
): Promise<{ receipt: string | null }> {
  const data = await app.ok<{ castBallot: { receipt: string | null } }>(
    GOVERNANCE.castBallot,
    { input: { motionId, ballot, reason } },
    { token },
  );
  return data.castBallot;
}

/** Moves the clock to `instant`, and runs whatever scheduled work fell due (opening, closing, expiry). */
export async function runUntil(app: TestApp, instant: Date): Promise<void> {
  clockOf(app).set(instant);
  const scheduler = app.app.get(SchedulerService);
  // At `instant` itself: the controlled clock runs on, and under load a tick a moment later is past it.
  await scheduler.tick(instant);
  await scheduler.settled();
}

/** A motion as the tests read it. */
export interface MotionView {
  id: string;
  status: string;
  delegationApplies: boolean | null;
  participation: number;
  voters: { voterId: string; weight: string; personId: string; hasVoted: boolean }[] | null;
  ballots: { voterId: string; choice: string | null; reason: string; version: number }[] | null;
  myBallots: { voterId: string; cast: boolean; ballot: { choice: string | null; version: number } | null }[];
  liveTally: Record<string, unknown> | null;
  outcome: {
    passed: boolean;
    effectStatus: string;
    effectDetail: Record<string, unknown>;
    closedAt: string;
    tally: Record<string, any>;
  } | null;
}

export async function readMotion(app: TestApp, motionId: string, token = app.steward.token): Promise<MotionView> {
  return (await app.ok<{ motion: MotionView }>(GOVERNANCE.motion, { id: motionId }, { token })).motion;
}

export async function recount(
  app: TestApp,
  motionId: string,
): Promise<{ matches: boolean; tally: { passed: boolean } }> {
  return (await app.ok<{ recount: { matches: boolean; tally: { passed: boolean } } }>(GOVERNANCE.recount, { motionId }))
    .recount;
}
