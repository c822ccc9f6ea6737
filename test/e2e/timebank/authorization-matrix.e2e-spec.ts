/**
 * Goal: who may do what in a time bank, as one table. A time bank T has an ADMIN, a COORDINATOR and three
 * members (a giver, a receiver, and one who is neither); there are an outsider, T's API token and an
 * unauthenticated caller. Every time bank operation is tried by each of them: allowed, or refused —
 * FORBIDDEN for the signed-in (NOT_FOUND for a time log the caller may not see), UNAUTHENTICATED for the
 * anonymous — and a refused attempt changes nothing (app.snapshot(): every table). The rows the issue names:
 * a member cannot confirm (or dispute) for someone else, cannot log on behalf of another (a log always has
 * its caller as one side: there is no field to name another giver), and cannot see another member's
 * statement unless the bank shares statements.
 * Method: the real service over HTTP on its own PostgreSQL database. Each attempt acts on a fresh target (a
 * new log, listing or organisation) so that the rows are independent of each other and of their order.
 */
import { randomUUID } from 'node:crypto';
import { TestApp, type GraphQLResponse } from '../setup/test-app.js';
import { join } from '../governance/governance-fixtures.js';
import { TIMEBANK } from './timebank-fixtures.js';

const ACTORS = {
  bankAdmin: 'ADMIN of the time bank',
  coordinator: 'COORDINATOR of the time bank',
  giver: 'the member who gave the hours',
  receiver: 'the member who received them',
  member: 'another member of the bank',
  outsider: 'a person with no membership',
  bankToken: "the bank's API token",
  anonymous: 'an unauthenticated caller',
} as const;
type Actor = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Actor[];
const MEMBERS: Actor[] = ['bankAdmin', 'coordinator', 'giver', 'receiver', 'member'];
const COORDINATORS: Actor[] = ['bankAdmin', 'coordinator'];

type Attempt = (token: string | null) => Promise<GraphQLResponse<Record<string, any>>>;

interface Operation {
  readonly title: string;
  readonly allow: readonly Actor[];
  /** The code a refused signed-in caller gets (FORBIDDEN unless said). */
  readonly refusedAs?: string;
  /** Callers refused for another reason than their right (a validation that applies to them alone). */
  readonly refusedOtherwise?: Partial<Record<Actor, string>>;
  readonly prepare: () => Promise<Attempt>;
}

describe('time bank authorization matrix', () => {
  let app: TestApp;
  let tokens: Record<Actor, string | null>;
  let people: Record<'bankAdmin' | 'coordinator' | 'giver' | 'receiver' | 'member', string>;
  let bankId: string;

  const as = (token: string | null, query: string, variables: Record<string, unknown>) =>
    app.ok<Record<string, any>>(query, variables, { token });

  async function freshLog(minutes = 10): Promise<string> {
    const data = await as(tokens.giver, TIMEBANK.logTime, {
      input: { id: randomUUID(), timeBankId: bankId, side: 'GAVE', counterpartyId: people.receiver, minutes },
    });
    return data['logTime'].id as string;
  }

  async function freshListing(): Promise<string> {
    const data = await as(tokens.giver, TIMEBANK.publish, {
      input: { id: randomUUID(), timeBankId: bankId, kind: 'OFFER', title: 'Sewing', category: 'Care' },
    });
    return data['publishListing'].id as string;
  }

  const OPERATIONS: Operation[] = [
    {
      title: 'set up a time bank for an organisation',
      allow: ['bankAdmin'],
      prepare: async () => {
        const organization = await as(tokens.bankAdmin, TIMEBANK.createOrganization, {
          input: { kind: 'TIME_BANK', name: 'Another bank', slug: `bank-${randomUUID().slice(0, 8)}` },
        });
        const code = `B${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        return (token) =>
          app.graphql(
            TIMEBANK.setUp,
            { input: { organizationId: organization['createOrganization'].id, unitCode: code, unitName: 'Hours' } },
            { token },
          );
      },
    },
    {
      title: "change the bank's settings",
      allow: COORDINATORS,
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(
            TIMEBANK.changeSettings,
            {
              input: {
                timeBankId: bankId,
                settings: { autoConfirmMinutes: 1000 + Math.floor(Math.random() * 100000) },
                reason: 'matrix',
              },
            },
            { token },
          ),
        ),
    },
    {
      title: 'join the bank',
      allow: MEMBERS,
      prepare: () =>
        Promise.resolve((token) => app.graphql(TIMEBANK.join, { input: { timeBankId: bankId } }, { token })),
    },
    {
      title: 'join the giver to the bank',
      allow: ['giver', ...COORDINATORS],
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(TIMEBANK.join, { input: { timeBankId: bankId, personId: people.giver } }, { token }),
        ),
    },
    {
      title: 'publish an offer',
      allow: MEMBERS,
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(
            TIMEBANK.publish,
            { input: { id: randomUUID(), timeBankId: bankId, kind: 'OFFER', title: 'Ironing', category: 'Care' } },
            { token },
          ),
        ),
    },
    {
      title: "edit the giver's offer",
      allow: ['giver', ...COORDINATORS],
      refusedAs: 'FORBIDDEN',
      refusedOtherwise: { outsider: 'NOT_FOUND' },
      prepare: async () => {
        const listingId = await freshListing();
        return (token) => app.graphql(TIMEBANK.updateListing, { input: { listingId, title: 'Mending' } }, { token });
      },
    },
    {
      title: "withdraw the giver's offer",
      allow: ['giver', ...COORDINATORS],
      refusedOtherwise: { outsider: 'NOT_FOUND' },
      prepare: async () => {
        const listingId = await freshListing();
        return (token) => app.graphql(TIMEBANK.withdrawListing, { input: { listingId } }, { token });
      },
    },
    {
      title: 'search the offers and requests',
      allow: MEMBERS,
      prepare: () =>
        Promise.resolve((token) => app.graphql(TIMEBANK.listings, { timeBankId: bankId, search: 'sewing' }, { token })),
    },
    {
      title: 'log hours they gave to the receiver',
      allow: ['bankAdmin', 'coordinator', 'giver', 'member'],
      refusedOtherwise: { receiver: 'VALIDATION_FAILED' },
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(
            TIMEBANK.logTime,
            {
              input: {
                id: randomUUID(),
                timeBankId: bankId,
                side: 'GAVE',
                counterpartyId: people.receiver,
                minutes: 5,
              },
            },
            { token },
          ),
        ),
    },
    {
      title: 'confirm the receiver’s log',
      allow: ['receiver'],
      prepare: async () => {
        const timeLogId = await freshLog();
        return (token) => app.graphql(TIMEBANK.confirm, { input: { timeLogId } }, { token });
      },
    },
    {
      title: 'dispute the receiver’s log',
      allow: ['receiver'],
      prepare: async () => {
        const timeLogId = await freshLog();
        return (token) => app.graphql(TIMEBANK.dispute, { input: { timeLogId, reason: 'Too long' } }, { token });
      },
    },
    {
      title: 'withdraw the giver’s log',
      allow: ['giver'],
      prepare: async () => {
        const timeLogId = await freshLog();
        return (token) => app.graphql(TIMEBANK.withdraw, { input: { timeLogId } }, { token });
      },
    },
    {
      title: 'resolve a dispute',
      allow: COORDINATORS,
      prepare: async () => {
        const timeLogId = await freshLog();
        await as(tokens.receiver, TIMEBANK.dispute, { input: { timeLogId, reason: 'Was shorter' } });
        return (token) =>
          app.graphql(
            TIMEBANK.resolve,
            { input: { timeLogId, outcome: 'CONFIRM', minutes: 5, reason: 'Agreed' } },
            { token },
          );
      },
    },
    {
      title: 'correct a confirmed log',
      allow: COORDINATORS,
      prepare: async () => {
        const timeLogId = await freshLog();
        await as(tokens.receiver, TIMEBANK.confirm, { input: { timeLogId } });
        return (token) => app.graphql(TIMEBANK.correct, { input: { timeLogId, reason: 'Twice' } }, { token });
      },
    },
    {
      title: 'pay the giver for community work',
      allow: COORDINATORS,
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(
            TIMEBANK.logCommunityWork,
            { input: { id: randomUUID(), timeBankId: bankId, memberId: people.giver, minutes: 5 } },
            { token },
          ),
        ),
    },
    {
      title: 'read a log between the giver and the receiver',
      allow: ['giver', 'receiver', ...COORDINATORS],
      refusedAs: 'NOT_FOUND',
      prepare: async () => {
        const id = await freshLog();
        return (token) => app.graphql(TIMEBANK.timeLog, { id }, { token });
      },
    },
    {
      title: 'list their logs in the bank',
      allow: MEMBERS,
      prepare: () => Promise.resolve((token) => app.graphql(TIMEBANK.timeLogs, { timeBankId: bankId }, { token })),
    },
    {
      title: "list the giver's logs",
      allow: ['giver', ...COORDINATORS],
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(TIMEBANK.timeLogs, { timeBankId: bankId, memberId: people.giver }, { token }),
        ),
    },
    {
      title: "see the giver's statement",
      allow: ['giver', ...COORDINATORS],
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(TIMEBANK.memberStatement, { timeBankId: bankId, personId: people.giver }, { token }),
        ),
    },
    {
      title: "see the bank's statement",
      allow: COORDINATORS,
      prepare: () => Promise.resolve((token) => app.graphql(TIMEBANK.bankStatement, { timeBankId: bankId }, { token })),
    },
    {
      title: 'read the bank and its settings',
      allow: EVERYONE.filter((actor) => actor !== 'anonymous'),
      prepare: () =>
        Promise.resolve((token) =>
          app.graphql(
            `query($id: ID!) { timeBank(id: $id) { id settings { maxMinutesPerLog } } }`,
            { id: bankId },
            {
              token,
            },
          ),
        ),
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
    const adminToken = await app.register('tb-admin@bank.test');
    const organization = await as(adminToken, TIMEBANK.createOrganization, {
      input: { kind: 'TIME_BANK', name: 'Matrix time bank', slug: 'matrix-bank' },
    });
    bankId = organization['createOrganization'].id as string;
    const coordinator = await join(app, adminToken, bankId, 'tb-coordinator@bank.test', ['COORDINATOR']);
    const giver = await join(app, adminToken, bankId, 'tb-giver@bank.test');
    const receiver = await join(app, adminToken, bankId, 'tb-receiver@bank.test');
    const member = await join(app, adminToken, bankId, 'tb-member@bank.test');
    const bankToken = (
      await as(adminToken, `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`, {
        input: { organizationId: bankId, name: 'Till', scopes: ['LEDGER_READ', 'LEDGER_WRITE'] },
      })
    )['createApiToken'].token as string;
    tokens = {
      bankAdmin: adminToken,
      coordinator: coordinator.token,
      giver: giver.token,
      receiver: receiver.token,
      member: member.token,
      outsider: await app.register('tb-outsider@elsewhere.test'),
      bankToken,
      anonymous: null,
    };
    const me = async (token: string | null) =>
      (await as(token, `{ me { person { id } } }`, {}))['me'].person.id as string;
    people = {
      bankAdmin: await me(adminToken),
      coordinator: coordinator.personId,
      giver: giver.personId,
      receiver: receiver.personId,
      member: member.personId,
    };
    await as(adminToken, TIMEBANK.setUp, {
      input: {
        organizationId: bankId,
        unitCode: 'MATRIX',
        unitName: 'Matrix hours',
        settings: { defaultCreditMinutes: '100000', bankCreditMinutes: '100000' },
      },
    });
    for (const actor of MEMBERS) await as(tokens[actor], TIMEBANK.join, { input: { timeBankId: bankId } });
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
    const expected =
      actor === 'anonymous'
        ? 'UNAUTHENTICATED'
        : (operation.refusedOtherwise?.[actor] ??
          (actor === 'bankToken' ? 'FORBIDDEN' : (operation.refusedAs ?? 'FORBIDDEN')));
    expect(response.errors?.map((error) => error.extensions.code)).toEqual([expected]);
    expect(Object.values(response.data ?? {}).every((value) => value === null)).toBe(true);
    expect(await app.snapshot()).toEqual(before);
  });
});
