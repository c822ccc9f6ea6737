/**
 * Goal: who may do what in governance, as one table. A co-op C belongs to the federation F (the steward's);
 * people hold every role in C, two in F, and one holds none; C has an API token; a member of C is its seat's
 * delegate in F's confederal assembly. Every governance operation (each mutation, and each query of an
 * assembly, a motion, a recount or an approval request) is tried by every one of them and by an
 * unauthenticated caller, and each attempt is either allowed or refused — FORBIDDEN for the signed-in
 * (UNAUTHENTICATED for the anonymous), a list leaving out what the caller may not see — as
 * src/governance/rules/governance-access.ts says. A refused attempt changes nothing (app.snapshot(): every
 * table). Beyond the table: which fields a reader who sees only outcomes is shown (no open ballots, no voters,
 * no delegations, no voter named in a tally), that nobody is shown a secret motion's ballots, that the voters
 * of a motion are those fixed when it opened, and that a caller who may not act learns nothing of the target's
 * state from the refusal.
 * Method: the real service over HTTP on its own PostgreSQL database, its clock controlled. Each case prepares
 * what it acts on afresh where acting would change it (a new assembly, a new motion, a new request), so that
 * the cases are independent of each other and of their order; shared assemblies, motions and a request serve
 * the reads. Whatever is not named as allowed in a row is expected to be refused.
 */
import { randomUUID } from 'node:crypto';
import { createUnit, openAccount } from '../ledger/ledger-fixtures.js';
import { TestApp, type GraphQLResponse } from '../setup/test-app.js';
import {
  GOVERNANCE,
  createAssembly,
  inMinutes,
  join,
  propose,
  runUntil,
  vote,
  type Member,
} from './governance-fixtures.js';

const ACTORS = {
  coopAdmin: 'ADMIN of the co-op',
  coopTreasurer: 'TREASURER of the co-op',
  coopCoordinator: 'COORDINATOR of the co-op',
  coopMember: 'MEMBER of the co-op',
  coopDelegate: "the co-op's delegate (a MEMBER) in the federation's confederal assembly",
  fedAdmin: 'ADMIN (and TREASURER) of the federation',
  fedMember: 'MEMBER of the federation',
  outsider: 'a person with no membership',
  coopToken: "the co-op's API token",
  anonymous: 'an unauthenticated caller',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
/** C's people, whatever their role: members of C and voters in its members' assemblies. */
const COOP_PEOPLE: Actor[] = ['coopAdmin', 'coopTreasurer', 'coopCoordinator', 'coopMember', 'coopDelegate'];
/** F's people: they see C's assemblies only where those share their outcomes. */
const FEDERATION_PEOPLE: Actor[] = ['fedAdmin', 'fedMember'];

/** The FORBIDDEN reasons a refusal in this table may carry (governance's, organisations', the kernel's). */
const FORBIDDEN_REASONS = [
  'ROLE_REQUIRED',
  'MAY_NOT_PROPOSE',
  'MAY_NOT_WITHDRAW',
  'NOT_A_VOTER',
  'ASSEMBLY_NOT_VISIBLE',
  'MAY_NOT_APPROVE',
  'NOT_AN_APPROVER',
  'MAY_NOT_CHANGE_REQUEST',
  'PERSON_REQUIRED',
];

const DOCUMENTS = {
  createOrganization: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
  requestFederationMembership: `mutation($input: RequestFederationMembershipInput!) {
    requestFederationMembership(input: $input) { id } }`,
  admitFederationMember: `mutation($input: FederationMembershipIdInput!) {
    admitFederationMember(input: $input) { id status } }`,
  createApiToken: `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`,
  me: `{ me { person { id } memberships { organizationId roles } } }`,
  assembly: `query($id: ID!) { assembly(id: $id) { id organizationId outcomesPublic seats { organizationId delegateId }
    delegations { fromVoterId toVoterId } motions { edges { node { id } } } } }`,
  assemblies: `query($organizationId: ID!) {
    assemblies(organizationId: $organizationId, first: 200) { edges { node { id } } } }`,
  motion: `query($id: ID!) { motion(id: $id) { id status participation ballots { voterId choice }
    voters { voterId hasVoted } myBallots { voterId cast } liveTally { passed cast } outcome { passed } } }`,
  castBallotShowingMotion: `mutation($input: CastBallotInput!) {
    castBallot(input: $input) { ballot { voterId choice } motion { id ballots { voterId choice reason } } } }`,
  tallyVoters: `query($id: ID!) { motion(id: $id) { status
    liveTally { weights { voterId } reasons { voterId reason } json }
    outcome { tally { weights { voterId } reasons { voterId reason } json } } } }`,
} as const;

/** Sends the attempt as the actor whose token it is given (null: no Authorization header). */
type Attempt = (token: string | null) => Promise<GraphQLResponse<Record<string, any>>>;

interface Operation {
  /** Reads after "may" / "may not" in the test name. */
  readonly title: string;
  /** Whoever is not here is refused: FORBIDDEN, or UNAUTHENTICATED when anonymous. */
  readonly allow: readonly Actor[];
  /** Makes what this one attempt acts on (fresh where acting changes it) and returns the attempt. */
  readonly prepare: () => Attempt | Promise<Attempt>;
  /** For an allowed attempt: checks beyond "no errors". */
  readonly check?: (data: Record<string, any>, actor: Actor) => void;
  /**
   * A list that leaves out what the caller may not see, instead of refusing: the ids it lists, and the one
   * that must be listed for an allowed caller and left out for a refused one.
   */
  readonly listing?: { readonly ids: (data: Record<string, any>) => string[]; readonly target: () => string };
}

interface World {
  readonly tokens: Record<Actor, string | null>;
  readonly people: Record<Exclude<Actor, 'coopToken' | 'anonymous'>, string>;
  readonly federationId: string;
  readonly coopId: string;
  readonly coopAdminToken: string;
  /** A second TREASURER of C (not in the table): the approver left when the other is the author. */
  readonly treasurer2: Member;
  /** A MEMBER of C (not in the table) whom others delegate to. */
  readonly proxy: Member;
  /** Another member co-op of F, seated beside C; its ADMIN is its delegate. */
  readonly otherCoopId: string;
  readonly otherDelegate: Member;
  /** C's members' assembly, sharing nothing; and one that shares its outcomes with F. */
  readonly membersAssembly: string;
  readonly publicAssembly: string;
  /** F's confederal assembly: C and the other co-op seated, each with its delegate. */
  readonly confederal: string;
  readonly openMotion: string;
  /** Open, in the public assembly, with a ballot cast (by coopMember) and a delegation in force. */
  readonly publicMotion: string;
  readonly confederalMotion: string;
  readonly closedMotion: string;
  readonly closedPublicMotion: string;
  /** C's fund in CWC, with a credit line; what its requests disburse. */
  readonly fund: string;
  /** An account of the other co-op: the payee of most requests (no person of the table is paid). */
  readonly payeeAccount: string;
  /** coopTreasurer's own account: the payee of a request its holder may not decide on. */
  readonly treasurerAccount: string;
  /** An open request of C, by coopAdmin, that nobody decides on: for the reads. */
  readonly sharedRequest: string;
}

describe('governance authorization matrix', () => {
  let app: TestApp;
  let world: World;
  let serial = 0;
  const next = (): number => (serial += 1);

  async function as<T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown>) {
    return app.ok<T>(query, variables, { token });
  }

  const week = (): string => inMinutes(app, 7 * 24 * 60).toISOString();

  async function createOrganizationAs(token: string, slug: string): Promise<string> {
    const created = await as<{ createOrganization: { id: string } }>(token, DOCUMENTS.createOrganization, {
      input: { kind: 'COOPERATIVE', name: `Organisation ${slug}`, slug },
    });
    return created.createOrganization.id;
  }

  /** The organisation's ADMIN asks to join F; the steward (F's ADMIN) admits it. */
  async function admitToFederation(adminToken: string, organizationId: string): Promise<void> {
    const requested = await as<{ requestFederationMembership: { id: string } }>(
      adminToken,
      DOCUMENTS.requestFederationMembership,
      { input: { organizationId, federationId: app.steward.organizationId } },
    );
    await as(app.steward.token, DOCUMENTS.admitFederationMember, {
      input: { federationMembershipId: requested.requestFederationMembership.id },
    });
  }

  async function personIdOf(token: string): Promise<string> {
    return (await as<{ me: { person: { id: string } } }>(token, DOCUMENTS.me, {})).me.person.id;
  }

  /** A new members' assembly of C, made by its ADMIN. */
  function freshMembersAssembly(options: { delegationAllowed?: boolean } = {}): Promise<string> {
    return createAssembly(app, world.coopId, { token: world.coopAdminToken, ...options });
  }

  /** A new confederal assembly of F, with C (and the other co-op) seated and their delegates, as asked. */
  async function freshConfederal(options: { seats: 'none' | 'coop' | 'both'; delegates: boolean }): Promise<string> {
    const assemblyId = await createAssembly(app, world.federationId, { kind: 'CONFEDERAL' });
    const seated =
      options.seats === 'none' ? [] : options.seats === 'coop' ? [world.coopId] : [world.coopId, world.otherCoopId];
    for (const organizationId of seated) {
      await as(app.steward.token, GOVERNANCE.setAssemblySeat, { input: { assemblyId, organizationId, weight: 1 } });
    }
    if (options.delegates) {
      if (seated.includes(world.coopId)) {
        await as(world.coopAdminToken, GOVERNANCE.appointDelegate, {
          input: { assemblyId, organizationId: world.coopId, delegateId: world.people.coopDelegate },
        });
      }
      if (seated.includes(world.otherCoopId)) {
        await as(world.otherDelegate.token, GOVERNANCE.appointDelegate, {
          input: { assemblyId, organizationId: world.otherCoopId, delegateId: world.otherDelegate.personId },
        });
      }
    }
    return assemblyId;
  }

  /** The input of an approval request of C disbursing 1 from its fund. */
  function requestInput(
    options: { payeeAccount?: string; committee?: string[]; required?: number } = {},
  ): Record<string, unknown> {
    return {
      id: randomUUID(),
      organizationId: world.coopId,
      title: `Pay the printers (${next()})`,
      action: {
        kind: 'ledger.disburse',
        params: {
          fromAccountId: world.fund,
          payments: [{ accountId: options.payeeAccount ?? world.payeeAccount, amount: '1' }],
          memo: 'Leaflets',
        },
      },
      ...(options.committee === undefined ? { approverRole: 'TREASURER' } : { committee: options.committee }),
      required: options.required ?? 1,
      expiresAt: inMinutes(app, 24 * 60).toISOString(),
    };
  }

  async function requestApproval(
    authorToken: string,
    options: { payeeAccount?: string; committee?: string[] } = {},
  ): Promise<string> {
    const input = requestInput(options);
    await as(authorToken, GOVERNANCE.requestApproval, { input });
    return String(input['id']);
  }

  /** No data: null, or (for a nullable field such as revokeDelegation) the field null. */
  const nothingAnswered = (response: GraphQLResponse<Record<string, any>>): boolean =>
    Object.values(response.data ?? {}).every((value) => value === null);

  const nodeIds = (connection: { edges: { node: { id: string } }[] }): string[] =>
    connection.edges.map((edge) => edge.node.id);

  const OPERATIONS: Operation[] = [
    // Assemblies: an ADMIN of the organisation they belong to (F for a confederal one).
    {
      title: "create a members' assembly of the co-op",
      allow: ['coopAdmin'],
      prepare: () => (token) =>
        app.graphql(
          GOVERNANCE.createAssembly,
          { input: { id: randomUUID(), organizationId: world.coopId, name: `Assembly ${next()}`, kind: 'MEMBERS' } },
          { token },
        ),
      check: (data) => expect(data['createAssembly']).toMatchObject({ organizationId: world.coopId, kind: 'MEMBERS' }),
    },
    {
      title: 'create a confederal assembly of the federation',
      allow: ['fedAdmin'],
      prepare: () => (token) =>
        app.graphql(
          GOVERNANCE.createAssembly,
          {
            input: {
              id: randomUUID(),
              organizationId: world.federationId,
              name: `Congress ${next()}`,
              kind: 'CONFEDERAL',
            },
          },
          { token },
        ),
      check: (data) => expect(data['createAssembly']).toMatchObject({ kind: 'CONFEDERAL' }),
    },
    {
      title: "change the settings of a members' assembly of the co-op",
      allow: ['coopAdmin'],
      prepare: async () => {
        const assemblyId = await freshMembersAssembly();
        return (token) =>
          app.graphql(
            GOVERNANCE.updateAssembly,
            { input: { assemblyId, name: `Renamed ${next()}`, outcomesPublic: true, delegationAllowed: false } },
            { token },
          );
      },
      check: (data) => expect(data['updateAssembly']).toMatchObject({ outcomesPublic: true, delegationAllowed: false }),
    },
    {
      title: 'change the settings of a confederal assembly of the federation',
      allow: ['fedAdmin'],
      prepare: async () => {
        const assemblyId = await freshConfederal({ seats: 'none', delegates: false });
        return (token) =>
          app.graphql(GOVERNANCE.updateAssembly, { input: { assemblyId, name: `Congress ${next()}` } }, { token });
      },
    },
    {
      title: 'seat the co-op in a confederal assembly of the federation',
      allow: ['fedAdmin'],
      prepare: async () => {
        const assemblyId = await freshConfederal({ seats: 'none', delegates: false });
        return (token) =>
          app.graphql(
            GOVERNANCE.setAssemblySeat,
            { input: { assemblyId, organizationId: world.coopId, weight: 3 } },
            { token },
          );
      },
      check: (data) => expect(String(data['setAssemblySeat'].weight)).toBe('3'),
    },
    {
      title: "remove the co-op's seat from a confederal assembly",
      allow: ['fedAdmin'],
      prepare: async () => {
        const assemblyId = await freshConfederal({ seats: 'coop', delegates: false });
        return (token) =>
          app.graphql(
            GOVERNANCE.removeAssemblySeat,
            { input: { assemblyId, organizationId: world.coopId } },
            { token },
          );
      },
    },
    {
      // The seated organisation's ADMIN appoints its delegate; the federation's ADMIN does not.
      title: "appoint the co-op's delegate in a confederal assembly",
      allow: ['coopAdmin'],
      prepare: async () => {
        const assemblyId = await freshConfederal({ seats: 'coop', delegates: false });
        return (token) =>
          app.graphql(
            GOVERNANCE.appointDelegate,
            { input: { assemblyId, organizationId: world.coopId, delegateId: world.people.coopMember } },
            { token },
          );
      },
      check: (data) => expect(data['appointDelegate'].delegateId).toBe(world.people.coopMember),
    },
    // Delegation: a voter of the assembly now, for themselves (a seat, by its delegate).
    {
      title: "delegate their vote in a members' assembly of the co-op",
      allow: COOP_PEOPLE,
      prepare: async () => {
        const assemblyId = await freshMembersAssembly();
        return (token) =>
          app.graphql(GOVERNANCE.delegateVote, { input: { assemblyId, toVoterId: world.proxy.personId } }, { token });
      },
      check: (data) => expect(data['delegateVote'].toVoterId).toBe(world.proxy.personId),
    },
    {
      title: "delegate the co-op's seat to the other seat in a confederal assembly",
      allow: ['coopDelegate'],
      prepare: async () => {
        const assemblyId = await freshConfederal({ seats: 'both', delegates: true });
        return (token) =>
          app.graphql(GOVERNANCE.delegateVote, { input: { assemblyId, toVoterId: world.otherCoopId } }, { token });
      },
      check: (data) =>
        expect(data['delegateVote']).toMatchObject({ fromVoterId: world.coopId, toVoterId: world.otherCoopId }),
    },
    {
      // Only the voter ends their delegation: naming another voter as fromVoterId is refused.
      title: "revoke the co-op MEMBER's delegation in a members' assembly",
      allow: ['coopMember'],
      prepare: async () => {
        const assemblyId = await freshMembersAssembly();
        await as(world.tokens.coopMember ?? '', GOVERNANCE.delegateVote, {
          input: { assemblyId, toVoterId: world.proxy.personId },
        });
        return (token) =>
          app.graphql(
            GOVERNANCE.revokeDelegation,
            { input: { assemblyId, fromVoterId: world.people.coopMember } },
            { token },
          );
      },
      check: (data) => expect(data['revokeDelegation']).not.toBeNull(),
    },
    {
      title: "revoke the co-op seat's delegation in a confederal assembly",
      allow: ['coopDelegate'],
      prepare: async () => {
        const assemblyId = await freshConfederal({ seats: 'both', delegates: true });
        await as(world.tokens.coopDelegate ?? '', GOVERNANCE.delegateVote, {
          input: { assemblyId, toVoterId: world.otherCoopId },
        });
        return (token) => app.graphql(GOVERNANCE.revokeDelegation, { input: { assemblyId } }, { token });
      },
      check: (data) => expect(data['revokeDelegation']).not.toBeNull(),
    },
    // Motions: any member proposes in a members' assembly; seats' delegates and F's ADMIN in a confederal one.
    {
      title: "propose a motion in the co-op's members' assembly",
      allow: COOP_PEOPLE,
      prepare: () => (token) =>
        app.graphql(
          GOVERNANCE.proposeMotion,
          {
            input: { id: randomUUID(), assemblyId: world.membersAssembly, title: `Motion ${next()}`, closesAt: week() },
          },
          { token },
        ),
      check: (data) => expect(data['proposeMotion'].status).toBe('OPEN'),
    },
    {
      title: "propose a motion in the federation's confederal assembly",
      allow: ['coopDelegate', 'fedAdmin'],
      prepare: () => (token) =>
        app.graphql(
          GOVERNANCE.proposeMotion,
          { input: { id: randomUUID(), assemblyId: world.confederal, title: `Motion ${next()}`, closesAt: week() } },
          { token },
        ),
      check: (data) => expect(data['proposeMotion'].status).toBe('OPEN'),
    },
    {
      title: "withdraw the co-op MEMBER's motion in the co-op's members' assembly",
      allow: ['coopMember', 'coopAdmin'],
      prepare: async () => {
        const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, { closesAt: week() });
        return (token) => app.graphql(GOVERNANCE.withdrawMotion, { input: { motionId } }, { token });
      },
      check: (data) => expect(data['withdrawMotion'].status).toBe('WITHDRAWN'),
    },
    {
      // The federation's people see this assembly's outcomes, and still may not withdraw its motions.
      title: "withdraw the co-op MEMBER's motion in the co-op's assembly that shares its outcomes",
      allow: ['coopMember', 'coopAdmin'],
      prepare: async () => {
        const motionId = await propose(app, world.tokens.coopMember ?? '', world.publicAssembly, { closesAt: week() });
        return (token) => app.graphql(GOVERNANCE.withdrawMotion, { input: { motionId } }, { token });
      },
      check: (data) => expect(data['withdrawMotion'].status).toBe('WITHDRAWN'),
    },
    {
      title: "withdraw the delegate's motion in the federation's confederal assembly",
      allow: ['coopDelegate', 'fedAdmin'],
      prepare: async () => {
        const motionId = await propose(app, world.tokens.coopDelegate ?? '', world.confederal, { closesAt: week() });
        return (token) => app.graphql(GOVERNANCE.withdrawMotion, { input: { motionId } }, { token });
      },
      check: (data) => expect(data['withdrawMotion'].status).toBe('WITHDRAWN'),
    },
    // Ballots: the voters fixed when the motion opened.
    {
      title: "cast a ballot on a motion of the co-op's members' assembly",
      allow: COOP_PEOPLE,
      prepare: async () => {
        const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, { closesAt: week() });
        return (token) =>
          app.graphql(GOVERNANCE.castBallot, { input: { motionId, ballot: { choice: 'YES' } } }, { token });
      },
      check: (data) => expect(data['castBallot'].ballot).toMatchObject({ choice: 'YES', version: 1 }),
    },
    {
      title: "cast a ballot on a motion of the federation's confederal assembly",
      allow: ['coopDelegate'],
      prepare: async () => {
        const motionId = await propose(app, world.tokens.coopDelegate ?? '', world.confederal, { closesAt: week() });
        return (token) =>
          app.graphql(GOVERNANCE.castBallot, { input: { motionId, ballot: { choice: 'NO' } } }, { token });
      },
      check: (data) => expect(data['castBallot'].ballot).toMatchObject({ voterId: world.coopId, choice: 'NO' }),
    },
    {
      // Only a voter who has cast a ballot changes one, with the receipt: here the MEMBER's own.
      title: "change the co-op MEMBER's secret ballot with its receipt",
      allow: ['coopMember'],
      prepare: async () => {
        const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, {
          closesAt: week(),
          secret: true,
        });
        const { receipt } = await vote(app, world.tokens.coopMember ?? '', motionId, { choice: 'YES' });
        return (token) =>
          app.graphql(
            GOVERNANCE.changeSecretBallot,
            { input: { motionId, receipt, ballot: { choice: 'NO' } } },
            { token },
          );
      },
    },
    // Approval requests: made by a TREASURER or ADMIN; decided by approvers other than the author and payees.
    {
      title: 'request approval of a disbursement from the co-op’s fund',
      allow: ['coopAdmin', 'coopTreasurer'],
      prepare: () => (token) => app.graphql(GOVERNANCE.requestApproval, { input: requestInput() }, { token }),
      check: (data) => expect(data['requestApproval']).toMatchObject({ status: 'OPEN', version: 1 }),
    },
    {
      title: "approve the ADMIN's request whose approvers are the co-op's TREASURERs",
      allow: ['coopTreasurer'],
      prepare: async () => {
        const requestId = await requestApproval(world.coopAdminToken);
        return (token) =>
          app.graphql(
            GOVERNANCE.decideApproval,
            { input: { requestId, version: 1, decision: 'APPROVE', reason: '' } },
            { token },
          );
      },
      check: (data) => expect(data['decideApproval'].status).toBe('APPROVED'),
    },
    {
      // The TREASURER is a payee, so only the other TREASURER (not in the table) decides on it.
      title: "approve the ADMIN's request that pays the TREASURER",
      allow: [],
      prepare: async () => {
        const requestId = await requestApproval(world.coopAdminToken, { payeeAccount: world.treasurerAccount });
        return (token) =>
          app.graphql(
            GOVERNANCE.decideApproval,
            { input: { requestId, version: 1, decision: 'APPROVE', reason: '' } },
            { token },
          );
      },
    },
    {
      title: "refuse the TREASURER's request whose approvers are a committee of the COORDINATOR and the MEMBER",
      allow: ['coopCoordinator', 'coopMember'],
      prepare: async () => {
        const requestId = await requestApproval(world.tokens.coopTreasurer ?? '', {
          committee: [world.people.coopCoordinator, world.people.coopMember],
        });
        return (token) =>
          app.graphql(
            GOVERNANCE.decideApproval,
            { input: { requestId, version: 1, decision: 'REFUSE', reason: 'Too dear' } },
            { token },
          );
      },
      check: (data) => expect(data['decideApproval'].status).toBe('OPEN'),
    },
    {
      title: "change the TREASURER's request",
      allow: ['coopTreasurer'],
      prepare: async () => {
        const requestId = await requestApproval(world.tokens.coopTreasurer ?? '');
        return (token) =>
          app.graphql(
            GOVERNANCE.changeApprovalRequest,
            {
              input: {
                requestId,
                params: {
                  fromAccountId: world.fund,
                  payments: [{ accountId: world.payeeAccount, amount: '2' }],
                  memo: 'Leaflets',
                },
              },
            },
            { token },
          );
      },
      check: (data) => expect(data['changeApprovalRequest'].version).toBe(2),
    },
    {
      title: "withdraw the TREASURER's request",
      allow: ['coopTreasurer', 'coopAdmin'],
      prepare: async () => {
        const requestId = await requestApproval(world.tokens.coopTreasurer ?? '');
        return (token) => app.graphql(GOVERNANCE.withdrawApprovalRequest, { input: { requestId } }, { token });
      },
      check: (data) => expect(data['withdrawApprovalRequest'].status).toBe('WITHDRAWN'),
    },
    // Reads: C's people see C's assemblies; F's people only those sharing their outcomes; others nothing.
    {
      title: "see the co-op's members' assembly",
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(DOCUMENTS.assembly, { id: world.membersAssembly }, { token }),
      check: (data) => expect(nodeIds(data['assembly'].motions)).toContain(world.openMotion),
    },
    {
      title: "see the co-op's assembly that shares its outcomes",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      prepare: () => (token) => app.graphql(DOCUMENTS.assembly, { id: world.publicAssembly }, { token }),
      check: (data, actor) => {
        expect(nodeIds(data['assembly'].motions)).toContain(world.publicMotion);
        // The delegations in force are shown to members only.
        expect(data['assembly'].delegations.length > 0).toBe(COOP_PEOPLE.includes(actor));
      },
    },
    {
      title: "see the federation's confederal assembly",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      prepare: () => (token) => app.graphql(DOCUMENTS.assembly, { id: world.confederal }, { token }),
      check: (data) => expect(nodeIds(data['assembly'].motions)).toContain(world.confederalMotion),
    },
    {
      title: "find the co-op's members' assembly among the co-op's assemblies",
      allow: COOP_PEOPLE,
      listing: { ids: (data) => nodeIds(data['assemblies']), target: () => world.membersAssembly },
      prepare: () => (token) => app.graphql(DOCUMENTS.assemblies, { organizationId: world.coopId }, { token }),
    },
    {
      title: "find the co-op's assembly that shares its outcomes among the co-op's assemblies",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      listing: { ids: (data) => nodeIds(data['assemblies']), target: () => world.publicAssembly },
      prepare: () => (token) => app.graphql(DOCUMENTS.assemblies, { organizationId: world.coopId }, { token }),
    },
    {
      title: "find the confederal assembly among the federation's assemblies",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      listing: { ids: (data) => nodeIds(data['assemblies']), target: () => world.confederal },
      prepare: () => (token) => app.graphql(DOCUMENTS.assemblies, { organizationId: world.federationId }, { token }),
    },
    {
      title: "see a motion of the co-op's members' assembly",
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(DOCUMENTS.motion, { id: world.openMotion }, { token }),
    },
    {
      // F's people see its outcome and tally, never its open ballots or its voters.
      title: "see a motion of the co-op's assembly that shares its outcomes",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      prepare: () => (token) => app.graphql(DOCUMENTS.motion, { id: world.publicMotion }, { token }),
      check: (data, actor) => {
        const motion = data['motion'];
        expect(motion.liveTally).toMatchObject({ cast: '1' });
        if (FEDERATION_PEOPLE.includes(actor)) {
          expect({ ballots: motion.ballots, voters: motion.voters }).toEqual({ ballots: null, voters: null });
        } else {
          expect(motion.ballots).toEqual([{ voterId: world.people.coopMember, choice: 'YES' }]);
          expect(motion.voters).not.toBeNull();
        }
      },
    },
    {
      title: "see a motion of the federation's confederal assembly",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      prepare: () => (token) => app.graphql(DOCUMENTS.motion, { id: world.confederalMotion }, { token }),
      check: (data) => expect(data['motion'].ballots).toEqual([{ voterId: world.coopId, choice: 'YES' }]),
    },
    {
      title: "recount a closed motion of the co-op's members' assembly",
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(GOVERNANCE.recount, { motionId: world.closedMotion }, { token }),
      check: (data) => expect(data['recount'].matches).toBe(true),
    },
    {
      title: "recount a closed motion of the co-op's assembly that shares its outcomes",
      allow: [...COOP_PEOPLE, ...FEDERATION_PEOPLE],
      prepare: () => (token) => app.graphql(GOVERNANCE.recount, { motionId: world.closedPublicMotion }, { token }),
      check: (data) => expect(data['recount'].matches).toBe(true),
    },
    {
      title: 'see an approval request of the co-op',
      allow: COOP_PEOPLE,
      prepare: () => (token) => app.graphql(GOVERNANCE.approvalRequest, { id: world.sharedRequest }, { token }),
      check: (data) =>
        expect(data['approvalRequest'].approvers).toEqual(
          [world.people.coopTreasurer, world.treasurer2.personId].sort(),
        ),
    },
    {
      title: "list the co-op's approval requests",
      allow: COOP_PEOPLE,
      prepare: () => (token) =>
        app.graphql(GOVERNANCE.approvalRequests, { organizationId: world.coopId, status: 'OPEN' }, { token }),
      check: (data) => expect(nodeIds(data['approvalRequests'])).toContain(world.sharedRequest),
    },
  ];

  const ROWS = OPERATIONS.flatMap((operation) =>
    EVERYONE.map((actor) => {
      const allowed = operation.allow.includes(actor);
      const name = `${ACTORS[actor]} ${allowed ? 'may' : 'may not'} ${operation.title}`;
      return [name, { actor, operation, allowed }] as const;
    }),
  );

  beforeAll(async () => {
    app = await TestApp.start();
    const steward = app.steward;
    const federationId = steward.organizationId;
    await createUnit(app, 'CWC');
    const fedMember = await join(app, steward.token, federationId, 'fed-member@federation.test');

    const coopAdminToken = await app.register('coop-admin@coop.test');
    const coopId = await createOrganizationAs(coopAdminToken, 'bakers-coop');
    await admitToFederation(coopAdminToken, coopId);
    const coopTreasurer = await join(app, coopAdminToken, coopId, 'coop-treasurer@coop.test', ['TREASURER']);
    const treasurer2 = await join(app, coopAdminToken, coopId, 'coop-treasurer-2@coop.test', ['TREASURER']);
    const coopCoordinator = await join(app, coopAdminToken, coopId, 'coop-coordinator@coop.test', ['COORDINATOR']);
    const coopMember = await join(app, coopAdminToken, coopId, 'coop-member@coop.test');
    const coopDelegate = await join(app, coopAdminToken, coopId, 'coop-delegate@coop.test');
    const proxy = await join(app, coopAdminToken, coopId, 'coop-proxy@coop.test');
    const coopToken = (
      await as<{ createApiToken: { token: string } }>(coopAdminToken, DOCUMENTS.createApiToken, {
        input: { organizationId: coopId, name: 'Till', scopes: ['LEDGER_READ', 'LEDGER_WRITE'] },
      })
    ).createApiToken.token;
    const outsider = await app.register('outsider@elsewhere.test');

    const otherAdminToken = await app.register('print-admin@print.test');
    const otherCoopId = await createOrganizationAs(otherAdminToken, 'print-shop');
    await admitToFederation(otherAdminToken, otherCoopId);
    const otherDelegate: Member = {
      token: otherAdminToken,
      personId: await personIdOf(otherAdminToken),
      membershipId: '',
    };

    const partial = {
      tokens: {
        coopAdmin: coopAdminToken,
        coopTreasurer: coopTreasurer.token,
        coopCoordinator: coopCoordinator.token,
        coopMember: coopMember.token,
        coopDelegate: coopDelegate.token,
        fedAdmin: steward.token,
        fedMember: fedMember.token,
        outsider,
        coopToken,
        anonymous: null,
      },
      people: {
        coopAdmin: await personIdOf(coopAdminToken),
        coopTreasurer: coopTreasurer.personId,
        coopCoordinator: coopCoordinator.personId,
        coopMember: coopMember.personId,
        coopDelegate: coopDelegate.personId,
        fedAdmin: steward.personId,
        fedMember: fedMember.personId,
        outsider: await personIdOf(outsider),
      },
      federationId,
      coopId,
      coopAdminToken,
      treasurer2,
      proxy,
      otherCoopId,
      otherDelegate,
    };
    // The helpers read the world; the assemblies, motions and accounts below are made with them.
    world = partial as unknown as World;

    const membersAssembly = await freshMembersAssembly();
    const publicAssembly = await createAssembly(app, coopId, { token: coopAdminToken, outcomesPublic: true });
    const confederal = await freshConfederal({ seats: 'both', delegates: true });

    const openMotion = await propose(app, coopMember.token, membersAssembly, { closesAt: week() });
    const publicMotion = await propose(app, coopMember.token, publicAssembly, { closesAt: week() });
    await vote(app, coopMember.token, publicMotion, { choice: 'YES' });
    await as(coopTreasurer.token, GOVERNANCE.delegateVote, {
      input: { assemblyId: publicAssembly, toVoterId: proxy.personId },
    });
    const confederalMotion = await propose(app, coopDelegate.token, confederal, { closesAt: week() });
    await vote(app, coopDelegate.token, confederalMotion, { choice: 'YES' });
    const closing = inMinutes(app, 10);
    const closedMotion = await propose(app, coopMember.token, membersAssembly, { closesAt: closing.toISOString() });
    await vote(app, coopMember.token, closedMotion, { choice: 'YES' });
    const closedPublicMotion = await propose(app, coopMember.token, publicAssembly, {
      closesAt: closing.toISOString(),
    });
    await vote(app, coopMember.token, closedPublicMotion, { choice: 'NO' });
    await runUntil(app, closing);

    const fund = await openAccount(app, { holderId: coopId, creditLimit: '1000000' });
    const payeeAccount = await openAccount(app, { holderId: otherCoopId });
    const treasurerAccount = await openAccount(app, { holderId: coopTreasurer.personId });
    world = {
      ...partial,
      membersAssembly,
      publicAssembly,
      confederal,
      openMotion,
      publicMotion,
      confederalMotion,
      closedMotion,
      closedPublicMotion,
      fund,
      payeeAccount,
      treasurerAccount,
      sharedRequest: '',
    };
    world = { ...world, sharedRequest: await requestApproval(coopAdminToken) };
  });

  afterAll(async () => {
    await app.assertBooksBalance();
    await app.close();
  });

  it('sets the roles, the federation and the seats up as the table assumes', async () => {
    const roles = async (actor: Actor) =>
      (
        await as<{ me: { memberships: { organizationId: string; roles: string[] }[] } }>(
          world.tokens[actor] ?? '',
          DOCUMENTS.me,
          {},
        )
      ).me.memberships;
    expect(await roles('coopAdmin')).toEqual([{ organizationId: world.coopId, roles: ['ADMIN', 'MEMBER'] }]);
    expect(await roles('coopTreasurer')).toEqual([{ organizationId: world.coopId, roles: ['MEMBER', 'TREASURER'] }]);
    expect(await roles('coopDelegate')).toEqual([{ organizationId: world.coopId, roles: ['MEMBER'] }]);
    expect(await roles('fedMember')).toEqual([{ organizationId: world.federationId, roles: ['MEMBER'] }]);
    expect(await roles('outsider')).toEqual([]);
    const confederal = await as(app.steward.token, DOCUMENTS.assembly, { id: world.confederal });
    expect(confederal['assembly'].seats).toEqual(
      expect.arrayContaining([
        { organizationId: world.coopId, delegateId: world.people.coopDelegate },
        { organizationId: world.otherCoopId, delegateId: world.otherDelegate.personId },
      ]),
    );
    expect(ROWS.length).toBe(OPERATIONS.length * EVERYONE.length);
  });

  it.each(ROWS)('%s', async (_name, { actor, operation, allowed }) => {
    const attempt = await operation.prepare();
    const before = await app.snapshot();
    const response = await attempt(world.tokens[actor]);
    const data = response.data ?? {};
    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data).not.toBeNull();
      if (operation.listing !== undefined) expect(operation.listing.ids(data)).toContain(operation.listing.target());
      operation.check?.(data, actor);
      return;
    }
    if (actor === 'anonymous') {
      expect(response.errors?.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
      expect(nothingAnswered(response)).toBe(true);
    } else if (operation.listing !== undefined) {
      expect(response.errors).toBeUndefined();
      expect(operation.listing.ids(data)).not.toContain(operation.listing.target());
    } else {
      expect(response.errors).toHaveLength(1);
      const extensions = response.errors?.[0]?.extensions;
      expect({
        code: extensions?.code,
        reasonKnown: FORBIDDEN_REASONS.includes(String(extensions?.details.reason)),
      }).toEqual({ code: 'FORBIDDEN', reasonKnown: true });
      expect(nothingAnswered(response)).toBe(true);
    }
    expect(await app.snapshot()).toEqual(before);
  });

  describe('fields a reader is shown', () => {
    const read = async (motionId: string, actor: Actor) =>
      (await as<{ motion: Record<string, any> }>(world.tokens[actor] ?? '', DOCUMENTS.motion, { id: motionId })).motion;

    it("shows open ballots, voters and delegations to the co-op's people, and to the federation's only outcomes", async () => {
      const asMember = await read(world.closedPublicMotion, 'coopCoordinator');
      expect(asMember.ballots).toEqual([{ voterId: world.people.coopMember, choice: 'NO' }]);
      expect(asMember.voters).toEqual(expect.arrayContaining([{ voterId: world.people.coopMember, hasVoted: true }]));
      for (const actor of FEDERATION_PEOPLE) {
        const outcomesOnly = await read(world.closedPublicMotion, actor);
        expect({
          ballots: outcomesOnly.ballots,
          voters: outcomesOnly.voters,
          myBallots: outcomesOnly.myBallots,
        }).toEqual({
          ballots: null,
          voters: null,
          myBallots: [],
        });
        expect(outcomesOnly.outcome).toEqual({ passed: false });
        const assembly = await as(world.tokens[actor] ?? '', DOCUMENTS.assembly, { id: world.publicAssembly });
        expect(assembly['assembly'].delegations).toEqual([]);
      }
      const assembly = await as(world.tokens.coopMember ?? '', DOCUMENTS.assembly, { id: world.publicAssembly });
      expect(assembly['assembly'].delegations).toEqual([
        { fromVoterId: world.people.coopTreasurer, toVoterId: world.proxy.personId },
      ]);
    });

    it('never shows the ballots of a secret motion, to anyone, while it is open or after it closed', async () => {
      const closesAt = inMinutes(app, 30);
      const motionId = await propose(app, world.tokens.coopMember ?? '', world.publicAssembly, {
        secret: true,
        closesAt: closesAt.toISOString(),
      });
      await vote(app, world.tokens.coopMember ?? '', motionId, { choice: 'YES' });
      await vote(app, world.tokens.coopAdmin ?? '', motionId, { choice: 'NO' });
      const readers: Actor[] = ['coopAdmin', 'coopMember', 'coopTreasurer', 'fedAdmin', 'fedMember'];
      for (const actor of readers) expect([actor, (await read(motionId, actor)).ballots]).toEqual([actor, null]);
      expect((await read(motionId, 'coopMember')).myBallots).toEqual([
        { voterId: world.people.coopMember, cast: true },
      ]);
      await runUntil(app, closesAt);
      for (const actor of readers) {
        const closed = await read(motionId, actor);
        expect([actor, closed.status, closed.ballots]).toEqual([actor, 'CLOSED', null]);
      }
    });

    // Who voted how is for the assembly's members (governance-access.ts): a reader who sees only outcomes
    // gets every count and no voter, in the tally's fields and in its `json`.
    it('tells a reader who sees only outcomes not who voted, nor how, through the tally', async () => {
      const closesAt = inMinutes(app, 30);
      const motionId = await propose(app, world.tokens.coopMember ?? '', world.publicAssembly, {
        rule: 'CONSENT',
        closesAt: closesAt.toISOString(),
      });
      await vote(app, world.tokens.coopMember ?? '', motionId, { choice: 'OBJECT' }, 'The ovens are not safe');
      await vote(app, world.tokens.coopCoordinator ?? '', motionId, { choice: 'YES' });
      const voterIds = [world.people.coopMember, world.people.coopCoordinator];
      const open = await app.graphql(DOCUMENTS.tallyVoters, { id: motionId }, { token: world.tokens.fedMember });
      expect(open.errors).toBeUndefined();
      await runUntil(app, closesAt);
      const closed = await app.graphql(DOCUMENTS.tallyVoters, { id: motionId }, { token: world.tokens.fedMember });
      expect(closed.errors).toBeUndefined();
      for (const answer of [JSON.stringify(open.data), JSON.stringify(closed.data)]) {
        expect(voterIds.filter((voterId) => answer.includes(voterId))).toEqual([]);
      }
    });
  });

  describe('the voters of a motion are those fixed when it opened', () => {
    it('a person who joins the co-op after a motion opened may not vote on it, and votes on the next one', async () => {
      const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, { closesAt: week() });
      const newcomer = await join(app, world.coopAdminToken, world.coopId, `newcomer-${next()}@coop.test`);
      const before = await app.snapshot();
      const refused = await app.graphql(
        GOVERNANCE.castBallot,
        { input: { motionId, ballot: { choice: 'YES' } } },
        { token: newcomer.token },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'NOT_A_VOTER' } });
      expect(await app.snapshot()).toEqual(before);
      const nextMotion = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, { closesAt: week() });
      await vote(app, newcomer.token, nextMotion, { choice: 'YES' });
    });

    it('a person who joins before a scheduled motion opens votes on it', async () => {
      const opensAt = inMinutes(app, 5);
      const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, {
        opensAt: opensAt.toISOString(),
        closesAt: week(),
      });
      const earlyBird = await join(app, world.coopAdminToken, world.coopId, `early-${next()}@coop.test`);
      const tooEarly = await app.graphql(
        GOVERNANCE.castBallot,
        { input: { motionId, ballot: { choice: 'YES' } } },
        { token: earlyBird.token },
      );
      expect(tooEarly.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'MOTION_NOT_OPEN' },
      });
      await runUntil(app, opensAt);
      await vote(app, earlyBird.token, motionId, { choice: 'YES' });
    });

    it('a member who left the co-op after a motion opened still votes on it, and no longer sees the assembly', async () => {
      const leaver = await join(app, world.coopAdminToken, world.coopId, `leaver-${next()}@coop.test`);
      const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, { closesAt: week() });
      await as(world.coopAdminToken, GOVERNANCE.endMembership, { input: { membershipId: leaver.membershipId } });
      await vote(app, leaver.token, motionId, { choice: 'NO' });
      const read = await app.graphql(DOCUMENTS.motion, { id: motionId }, { token: leaver.token });
      expect(read.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'ASSEMBLY_NOT_VISIBLE' },
      });
    });

    // The answer to a ballot shows the motion as its caller may see it now: a voter who left sees outcomes only.
    it("a member who left the co-op and still votes is not shown the others' ballots in the answer", async () => {
      const leaver = await join(app, world.coopAdminToken, world.coopId, `leaver-${next()}@coop.test`);
      const motionId = await propose(app, world.tokens.coopMember ?? '', world.membersAssembly, { closesAt: week() });
      await vote(app, world.tokens.coopMember ?? '', motionId, { choice: 'YES' }, 'Bread for all');
      await as(world.coopAdminToken, GOVERNANCE.endMembership, { input: { membershipId: leaver.membershipId } });
      const cast = await app.graphql(
        DOCUMENTS.castBallotShowingMotion,
        { input: { motionId, ballot: { choice: 'NO' } } },
        { token: leaver.token },
      );
      expect(cast.errors).toBeUndefined();
      expect(JSON.stringify(cast.data)).not.toContain(world.people.coopMember);
    });

    it('a seat votes by the delegate it had when the motion opened, not by one appointed since', async () => {
      const assemblyId = await freshConfederal({ seats: 'both', delegates: true });
      const motionId = await propose(app, world.tokens.coopDelegate ?? '', assemblyId, { closesAt: week() });
      await as(world.coopAdminToken, GOVERNANCE.appointDelegate, {
        input: { assemblyId, organizationId: world.coopId, delegateId: world.people.coopMember },
      });
      const before = await app.snapshot();
      const refused = await app.graphql(
        GOVERNANCE.castBallot,
        { input: { motionId, ballot: { choice: 'YES' } } },
        { token: world.tokens.coopMember },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'NOT_A_VOTER' } });
      expect(await app.snapshot()).toEqual(before);
      const cast = await app.ok(
        GOVERNANCE.castBallot,
        { input: { motionId, ballot: { choice: 'YES' } } },
        { token: world.tokens.coopDelegate },
      );
      expect(cast['castBallot'].ballot).toMatchObject({ voterId: world.coopId, choice: 'YES' });
    });
  });

  // The caller's right to act is checked before the state of the target, so a caller who may not act is told
  // FORBIDDEN, never what the state is (a motion's closing instant, a request's version, an assembly's settings).
  describe('a caller who may not act learns nothing of the state of what they act on', () => {
    async function expectForbiddenAndNothingChanged(send: () => Promise<GraphQLResponse>): Promise<void> {
      const before = await app.snapshot();
      const response = await send();
      expect(response.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
      expect(await app.snapshot()).toEqual(before);
    }

    it('an outsider casting a ballot on a closed motion is refused FORBIDDEN, not told when it closed', async () => {
      await expectForbiddenAndNothingChanged(() =>
        app.graphql(
          GOVERNANCE.castBallot,
          { input: { motionId: world.closedMotion, ballot: { choice: 'YES' } } },
          { token: world.tokens.outsider },
        ),
      );
    });

    it('an outsider deciding on a request with a stale version is refused FORBIDDEN, not told its version', async () => {
      await expectForbiddenAndNothingChanged(() =>
        app.graphql(
          GOVERNANCE.decideApproval,
          { input: { requestId: world.sharedRequest, version: 99, decision: 'APPROVE', reason: '' } },
          { token: world.tokens.outsider },
        ),
      );
    });

    it('an outsider delegating in an assembly without delegation is refused FORBIDDEN, not told its settings', async () => {
      const assemblyId = await freshMembersAssembly({ delegationAllowed: false });
      await expectForbiddenAndNothingChanged(() =>
        app.graphql(
          GOVERNANCE.delegateVote,
          { input: { assemblyId, toVoterId: world.people.coopMember } },
          { token: world.tokens.outsider },
        ),
      );
    });
  });
});
