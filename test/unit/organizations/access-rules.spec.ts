/**
 * Goal: the access rules allow exactly what their header names (debit: the holder, a TREASURER or ADMIN of
 * the holding organisation, or its API token with LEDGER_WRITE; units and status: TREASURER or ADMIN of the
 * issuer; credit lines: TREASURER only; reversal: payees or the issuer's stewards; void: payers or all
 * payees; EXPIRE_HOLD: nobody) and refuse everything else, leaving unknown accounts and transactions to the
 * ledger. Method: worked examples per rule and role, each with its negative space (the roles just short of
 * allowing), plus fast-check properties over random principals and batches: deny by default (no roles, no
 * matching holder, random UUIDs), monotonicity (adding roles or scopes never removes a permission, nor
 * lowers the access level NONE < BALANCE < DETAIL), the implications between the rules, and that a batch's
 * refusal is the first refusal of its requests taken one by one.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { ApiTokenPrincipal, PersonPrincipal, Principal } from '../../../src/kernel/principal.js';
import type { AccessLevel, BatchView } from '../../../src/ledger/ledger-access.port.js';
import type {
  Authority,
  EntryDraft,
  ExpireHoldRequest,
  LedgerRequest,
  PostHoldRequest,
  ReversalRequest,
  Side,
  TransferRequest,
  VoidHoldRequest,
} from '../../../src/ledger/rules/ledger-model.js';
import {
  accessLevel,
  API_SCOPES,
  BALANCE_VISIBILITIES,
  decideOpenAccount,
  findBatchRefusal,
  mayChangeStatus,
  mayCreateUnit,
  mayDebit,
  maySetCreditLines,
  mayStewardUnit,
  ROLES,
  type ApiScope,
  type HolderVisibility,
  type Role,
} from '../../../src/organizations/rules/access-rules.js';

// ---------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------

const uuid = (): string => randomUUID();

function person(roles: Readonly<Record<string, readonly string[]>> = {}, personId = uuid()): PersonPrincipal {
  return {
    kind: 'PERSON',
    personId,
    sessionId: uuid(),
    roles: new Map(Object.entries(roles).map(([org, held]) => [org, new Set(held)])),
  };
}

function token(organizationId: string, scopes: readonly string[]): ApiTokenPrincipal {
  return { kind: 'API_TOKEN', tokenId: uuid(), organizationId, scopes: new Set(scopes) };
}

/** The same person with more roles (the union, per organisation). */
function withMoreRoles(principal: PersonPrincipal, extra: ReadonlyMap<string, ReadonlySet<string>>): PersonPrincipal {
  const roles = new Map<string, ReadonlySet<string>>(principal.roles);
  for (const [org, held] of extra) roles.set(org, new Set([...(roles.get(org) ?? []), ...held]));
  return { ...principal, roles };
}

interface Acc {
  readonly holderId: string;
  readonly issuerId: string;
}
type Entries = readonly { accountId: string; side: Side }[];

/** `placedBy`: the stored transactions a workflow wrote, by the authority it named. */
function view(
  accounts: Readonly<Record<string, Acc>>,
  referenced: Readonly<Record<string, Entries>> = {},
  placedBy: Readonly<Record<string, Authority>> = {},
): BatchView {
  return {
    account: (id) => accounts[id],
    referenced: (id) => {
      const entries = referenced[id];
      return entries === undefined ? undefined : { entries, authority: placedBy[id] ?? null };
    },
  };
}

const base = (): { id: string; memo: string; metadata: [] } => ({
  id: uuid(),
  memo: '',
  metadata: [],
});

function transfer(entries: readonly EntryDraft[], hold = false): TransferRequest {
  return {
    ...base(),
    type: 'TRANSFER',
    unitCode: 'CWC',
    kind: 'PAYMENT',
    entries,
    effectiveAt: null,
    hold: hold ? { timeoutSeconds: 60 } : null,
  };
}
const pay = (from: string, to: string): TransferRequest =>
  transfer([
    { accountId: from, side: 'DEBIT', amount: 5n },
    { accountId: to, side: 'CREDIT', amount: 5n },
  ]);
const postHold = (holdId: string): PostHoldRequest => ({ ...base(), type: 'POST_HOLD', holdId, amount: null });
const voidHold = (holdId: string): VoidHoldRequest => ({ ...base(), type: 'VOID_HOLD', holdId });
const expireHold = (holdId: string): ExpireHoldRequest => ({ ...base(), type: 'EXPIRE_HOLD', holdId });
const reversal = (transactionId: string): ReversalRequest => ({ ...base(), type: 'REVERSAL', transactionId });

const debit = (accountId: string) => ({ accountId, side: 'DEBIT' as const });
const credit = (accountId: string) => ({ accountId, side: 'CREDIT' as const });

const LEVEL: Record<AccessLevel, number> = { NONE: 0, BALANCE: 1, DETAIL: 2 };
const TARGETS = ['FROZEN', 'UNFROZEN', 'CLOSED'] as const;

// The cast of the worked examples: a bank that issues the unit, a cooperative and two people.
const BANK = uuid();
const COOP = uuid();
const FED = uuid();
const ALICE = uuid();
const BOB = uuid();
const CAROL = uuid();

const alice = person({}, ALICE);
const bob = person({}, BOB);
const carol = person({}, CAROL);

// ---------------------------------------------------------------------------------------------------------
// Single-permission rules
// ---------------------------------------------------------------------------------------------------------

describe('mayDebit', () => {
  it('the holder (a person) may debit their own account; nobody else by that fact alone', () => {
    expect(mayDebit(alice, ALICE)).toBe(true);
    expect(mayDebit(bob, ALICE)).toBe(false);
  });

  it.each<[Role, boolean]>([
    ['TREASURER', true],
    ['ADMIN', true],
    ['COORDINATOR', false],
    ['MEMBER', false],
  ])('a %s of the holding organisation: %s', (role, allowed) => {
    expect(mayDebit(person({ [COOP]: [role] }), COOP)).toBe(allowed);
  });

  it('roles count only in the holding organisation, and only by their exact name', () => {
    expect(mayDebit(person({ [BANK]: ['TREASURER', 'ADMIN'] }), COOP)).toBe(false);
    expect(mayDebit(person({ [COOP]: ['treasurer', 'OWNER', ''] }), COOP)).toBe(false);
    expect(mayDebit(person({ [COOP]: [] }), COOP)).toBe(false);
    expect(mayDebit(person({ [COOP]: ['MEMBER', 'ADMIN'] }), COOP)).toBe(true);
  });

  it('an API token debits its own organisation with LEDGER_WRITE only', () => {
    expect(mayDebit(token(COOP, ['LEDGER_WRITE']), COOP)).toBe(true);
    expect(mayDebit(token(COOP, ['LEDGER_READ', 'LEDGER_WRITE']), COOP)).toBe(true);
    expect(mayDebit(token(COOP, ['LEDGER_READ']), COOP)).toBe(false);
    expect(mayDebit(token(COOP, []), COOP)).toBe(false);
    expect(mayDebit(token(COOP, ['ledger_write', 'TREASURER', 'ADMIN']), COOP)).toBe(false);
    expect(mayDebit(token(BANK, ['LEDGER_WRITE']), COOP)).toBe(false);
  });

  it('an API token is not its organisation acting as a person: its id is not a holder id', () => {
    const t = token(COOP, ['LEDGER_WRITE']);
    expect(mayDebit(t, t.tokenId)).toBe(false);
  });
});

describe('mayCreateUnit, maySetCreditLines, mayStewardUnit', () => {
  const cases: [Role, boolean, boolean, boolean][] = [
    // role,        create, credit, steward
    ['TREASURER', true, true, true],
    ['ADMIN', true, false, true],
    ['COORDINATOR', false, false, true],
    ['MEMBER', false, false, false],
  ];
  it.each(cases)('a %s of the issuer: create %s, credit lines %s, steward %s', (role, create, lines, steward) => {
    const p = person({ [BANK]: [role] });
    expect(mayCreateUnit(p, BANK)).toBe(create);
    expect(maySetCreditLines(p, BANK)).toBe(lines);
    expect(mayStewardUnit(p, BANK)).toBe(steward);
  });

  it('roles elsewhere do not count, nor does being the issuer’s id as a person', () => {
    const p = person({ [COOP]: [...ROLES] }, BANK);
    expect(mayCreateUnit(p, BANK)).toBe(false);
    expect(maySetCreditLines(p, BANK)).toBe(false);
    expect(mayStewardUnit(p, BANK)).toBe(false);
  });

  it('API tokens carry scopes, not roles: never', () => {
    for (const t of [token(BANK, [...API_SCOPES]), token(BANK, [...ROLES])]) {
      expect(mayCreateUnit(t, BANK)).toBe(false);
      expect(maySetCreditLines(t, BANK)).toBe(false);
      expect(mayStewardUnit(t, BANK)).toBe(false);
    }
  });
});

describe('decideOpenAccount', () => {
  const open = (holderId: string, creditLimit = 0n) => ({ holderId, issuerId: BANK, creditLimit });

  it('for yourself without a credit line: ALLOWED', () => {
    expect(decideOpenAccount(alice, open(ALICE))).toBe('ALLOWED');
  });

  it('for an organisation whose money you handle (TREASURER or ADMIN), without a credit line: ALLOWED', () => {
    expect(decideOpenAccount(person({ [COOP]: ['TREASURER'] }), open(COOP))).toBe('ALLOWED');
    expect(decideOpenAccount(person({ [COOP]: ['ADMIN'] }), open(COOP))).toBe('ALLOWED');
  });

  it('for someone else, or as a MEMBER or COORDINATOR of the holder: NOT_HOLDER', () => {
    expect(decideOpenAccount(alice, open(BOB))).toBe('NOT_HOLDER');
    expect(decideOpenAccount(person({ [COOP]: ['MEMBER', 'COORDINATOR'] }), open(COOP))).toBe('NOT_HOLDER');
  });

  it('any credit line needs the issuer’s TREASURER, even for yourself: NEEDS_CREDIT_LINE_ROLE', () => {
    expect(decideOpenAccount(alice, open(ALICE, 1n))).toBe('NEEDS_CREDIT_LINE_ROLE');
    expect(decideOpenAccount(person({ [COOP]: ['TREASURER'] }), open(COOP, 100n))).toBe('NEEDS_CREDIT_LINE_ROLE');
    expect(decideOpenAccount(person({ [BANK]: ['ADMIN'] }), open(ALICE, 100n))).toBe('NEEDS_CREDIT_LINE_ROLE');
  });

  it('the issuer’s TREASURER opens any account in its units, credit line or not: ALLOWED_IF_HOLDER_EXISTS', () => {
    const treasurer = person({ [BANK]: ['TREASURER'] });
    expect(decideOpenAccount(treasurer, open(ALICE, 500n))).toBe('ALLOWED_IF_HOLDER_EXISTS');
    expect(decideOpenAccount(treasurer, open(uuid(), 0n))).toBe('ALLOWED_IF_HOLDER_EXISTS');
    expect(decideOpenAccount(treasurer, open(BANK, 0n))).toBe('ALLOWED_IF_HOLDER_EXISTS');
  });

  it('an ADMIN of the issuer opens only where they could anyway (no credit lines)', () => {
    const admin = person({ [BANK]: ['ADMIN'] });
    expect(decideOpenAccount(admin, open(BANK))).toBe('ALLOWED');
    expect(decideOpenAccount(admin, open(ALICE))).toBe('NOT_HOLDER');
  });

  it('API tokens never open accounts, not even for their own organisation with LEDGER_WRITE', () => {
    expect(decideOpenAccount(token(COOP, ['LEDGER_WRITE', 'LEDGER_READ']), open(COOP))).toBe('NOT_HOLDER');
    expect(decideOpenAccount(token(BANK, ['LEDGER_WRITE']), open(BANK, 10n))).toBe('NOT_HOLDER');
  });
});

describe('mayChangeStatus', () => {
  const acc = { holderId: ALICE, issuerId: BANK };

  it.each(['TREASURER', 'ADMIN'] as const)('a %s of the issuer may freeze, unfreeze and close', (role) => {
    const p = person({ [BANK]: [role] });
    for (const target of TARGETS) expect(mayChangeStatus(p, acc, target)).toBe(true);
  });

  it.each(['COORDINATOR', 'MEMBER'] as const)('a %s of the issuer may do none of it', (role) => {
    const p = person({ [BANK]: [role] });
    for (const target of TARGETS) expect(mayChangeStatus(p, acc, target)).toBe(false);
  });

  it('whoever may debit the account may close it, but not freeze or unfreeze it', () => {
    expect(mayChangeStatus(alice, acc, 'CLOSED')).toBe(true);
    expect(mayChangeStatus(alice, acc, 'FROZEN')).toBe(false);
    expect(mayChangeStatus(alice, acc, 'UNFROZEN')).toBe(false);
    const coopAcc = { holderId: COOP, issuerId: BANK };
    const coopTreasurer = person({ [COOP]: ['TREASURER'] });
    expect(mayChangeStatus(coopTreasurer, coopAcc, 'CLOSED')).toBe(true);
    expect(mayChangeStatus(coopTreasurer, coopAcc, 'FROZEN')).toBe(false);
  });

  it('others may not close it', () => {
    expect(mayChangeStatus(bob, acc, 'CLOSED')).toBe(false);
    expect(mayChangeStatus(person({ [COOP]: ['MEMBER'] }), { holderId: COOP, issuerId: BANK }, 'CLOSED')).toBe(false);
  });

  it('API tokens change no status (current behaviour; the header’s “whoever may debit it” would admit one)', () => {
    const coopAcc = { holderId: COOP, issuerId: BANK };
    for (const target of TARGETS) {
      expect(mayChangeStatus(token(COOP, ['LEDGER_WRITE']), coopAcc, target)).toBe(false);
      expect(mayChangeStatus(token(BANK, ['LEDGER_WRITE', 'LEDGER_READ']), coopAcc, target)).toBe(false);
    }
  });
});

describe('accessLevel', () => {
  const acc = { holderId: COOP, issuerId: BANK };
  const vis = (visibility: HolderVisibility['visibility'], federationIds: string[] = []): HolderVisibility => ({
    visibility,
    federationIds,
  });

  it('DETAIL for the holder, any member of the holding organisation, and a steward of the issuer', () => {
    expect(accessLevel(alice, { holderId: ALICE, issuerId: BANK }, undefined)).toBe('DETAIL');
    for (const role of ROLES) expect(accessLevel(person({ [COOP]: [role] }), acc, undefined)).toBe('DETAIL');
    for (const role of ['TREASURER', 'ADMIN', 'COORDINATOR'] as const) {
      expect(accessLevel(person({ [BANK]: [role] }), acc, vis('MEMBERS'))).toBe('DETAIL');
    }
  });

  it('a plain MEMBER of the issuer is not a steward: the holder’s visibility decides', () => {
    const p = person({ [BANK]: ['MEMBER'] });
    expect(accessLevel(p, acc, vis('MEMBERS'))).toBe('NONE');
    expect(accessLevel(p, acc, vis('PUBLIC'))).toBe('BALANCE');
  });

  it('outsiders: NONE for MEMBERS or unknown holders, BALANCE for PUBLIC', () => {
    expect(accessLevel(bob, acc, undefined)).toBe('NONE');
    expect(accessLevel(bob, acc, vis('MEMBERS', [FED]))).toBe('NONE');
    expect(accessLevel(bob, acc, vis('PUBLIC'))).toBe('BALANCE');
  });

  it('FEDERATION: BALANCE for members of any federation above the holder, NONE for the rest', () => {
    const other = uuid();
    expect(accessLevel(person({ [FED]: ['MEMBER'] }), acc, vis('FEDERATION', [other, FED]))).toBe('BALANCE');
    expect(accessLevel(person({ [other]: ['MEMBER'] }), acc, vis('FEDERATION', [FED]))).toBe('NONE');
    expect(accessLevel(person({ [FED]: ['MEMBER'] }), acc, vis('FEDERATION', []))).toBe('NONE');
    expect(accessLevel(person({ [FED]: [] }), acc, vis('FEDERATION', [FED]))).toBe('NONE');
    expect(accessLevel(bob, acc, vis('FEDERATION', [FED]))).toBe('NONE');
  });

  it('an API token: DETAIL on its own organisation with either scope; otherwise only what PUBLIC shows', () => {
    expect(accessLevel(token(COOP, ['LEDGER_READ']), acc, undefined)).toBe('DETAIL');
    expect(accessLevel(token(COOP, ['LEDGER_WRITE']), acc, undefined)).toBe('DETAIL');
    expect(accessLevel(token(COOP, []), acc, vis('MEMBERS'))).toBe('NONE');
    expect(accessLevel(token(COOP, ['OTHER']), acc, vis('PUBLIC'))).toBe('BALANCE');
    expect(accessLevel(token(BANK, ['LEDGER_READ', 'LEDGER_WRITE']), acc, undefined)).toBe('NONE');
    expect(accessLevel(token(BANK, ['LEDGER_READ']), acc, vis('PUBLIC'))).toBe('BALANCE');
  });

  it('an API token is no federation member: a FEDERATION holder shows it nothing, even the federation’s own', () => {
    expect(accessLevel(token(FED, ['LEDGER_READ']), acc, vis('FEDERATION', [FED]))).toBe('NONE');
  });
});

// ---------------------------------------------------------------------------------------------------------
// findBatchRefusal
// ---------------------------------------------------------------------------------------------------------

describe('findBatchRefusal', () => {
  const A = uuid(); // Alice's account
  const B = uuid(); // Bob's account
  const C = uuid(); // Carol's account
  const K = uuid(); // the cooperative's account
  const X = uuid(); // an account the view does not know
  const HOLD = uuid(); // Alice → Bob
  const SPLIT_HOLD = uuid(); // Alice → Bob + Carol
  const PAID = uuid(); // a posted payment Alice → Bob
  const GHOST = uuid(); // a transaction the view does not know
  const ORPHAN = uuid(); // a transaction whose accounts the view does not know
  const accounts = {
    [A]: { holderId: ALICE, issuerId: BANK },
    [B]: { holderId: BOB, issuerId: BANK },
    [C]: { holderId: CAROL, issuerId: BANK },
    [K]: { holderId: COOP, issuerId: BANK },
  };
  const v = view(accounts, {
    [HOLD]: [debit(A), credit(B)],
    [SPLIT_HOLD]: [debit(A), credit(B), credit(C)],
    [PAID]: [debit(A), credit(B)],
    [ORPHAN]: [debit(X), credit(uuid())],
  });
  const refused = (request: LedgerRequest, accountId: string) => ({
    requestId: request.id,
    accountId,
    reason: 'NOT_ACCOUNT_HOLDER',
  });

  it('an empty batch is never refused', () => {
    expect(findBatchRefusal(carol, [], v)).toBeNull();
    expect(findBatchRefusal(token(COOP, []), [], v)).toBeNull();
  });

  describe('TRANSFER: every debited account must be debitable; credited ones are not checked', () => {
    it('the payer pays; the payee cannot pull', () => {
      const request = pay(A, B);
      expect(findBatchRefusal(alice, [request], v)).toBeNull();
      expect(findBatchRefusal(bob, [request], v)).toEqual(refused(request, A));
      expect(findBatchRefusal(carol, [request], v)).toEqual(refused(request, A));
    });

    it('holds are transfers: the same debit check', () => {
      const hold = transfer(
        [
          { accountId: A, side: 'DEBIT', amount: 3n },
          { accountId: B, side: 'CREDIT', amount: 3n },
        ],
        true,
      );
      expect(findBatchRefusal(alice, [hold], v)).toBeNull();
      expect(findBatchRefusal(bob, [hold], v)).toEqual(refused(hold, A));
    });

    it('names the first debited account the caller may not debit', () => {
      const request = transfer([
        { accountId: A, side: 'DEBIT', amount: 1n },
        { accountId: B, side: 'DEBIT', amount: 1n },
        { accountId: C, side: 'DEBIT', amount: 1n },
        { accountId: K, side: 'CREDIT', amount: 3n },
      ]);
      expect(findBatchRefusal(alice, [request], v)).toEqual(refused(request, B));
      expect(findBatchRefusal(bob, [request], v)).toEqual(refused(request, A));
    });

    it('an organisation’s account: TREASURER, ADMIN or its LEDGER_WRITE token; not MEMBER, COORDINATOR, LEDGER_READ', () => {
      const request = pay(K, A);
      for (const p of [
        person({ [COOP]: ['TREASURER'] }),
        person({ [COOP]: ['ADMIN'] }),
        token(COOP, ['LEDGER_WRITE']),
      ]) {
        expect(findBatchRefusal(p, [request], v)).toBeNull();
      }
      for (const p of [
        person({ [COOP]: ['MEMBER', 'COORDINATOR'] }),
        person({ [BANK]: [...ROLES] }),
        token(COOP, ['LEDGER_READ']),
        token(BANK, ['LEDGER_WRITE']),
      ]) {
        expect(findBatchRefusal(p, [request], v)).toEqual(refused(request, K));
      }
    });

    it('the issuer’s stewards may not move members’ money by transfer', () => {
      const request = pay(A, B);
      expect(findBatchRefusal(person({ [BANK]: ['TREASURER', 'ADMIN', 'COORDINATOR'] }), [request], v)).toEqual(
        refused(request, A),
      );
    });

    it('an account the view does not know is left to the ledger', () => {
      expect(findBatchRefusal(carol, [pay(X, A)], v)).toBeNull();
      const mixed = transfer([
        { accountId: X, side: 'DEBIT', amount: 1n },
        { accountId: A, side: 'DEBIT', amount: 1n },
        { accountId: B, side: 'CREDIT', amount: 2n },
      ]);
      expect(findBatchRefusal(carol, [mixed], v)).toEqual(refused(mixed, A));
    });
  });

  describe('POST_HOLD: the payers must be debitable', () => {
    it('the payer posts; the payee and outsiders may not', () => {
      const request = postHold(HOLD);
      expect(findBatchRefusal(alice, [request], v)).toBeNull();
      expect(findBatchRefusal(bob, [request], v)).toEqual(refused(request, A));
      expect(findBatchRefusal(carol, [request], v)).toEqual(refused(request, A));
      expect(findBatchRefusal(person({ [BANK]: ['TREASURER'] }), [request], v)).toEqual(refused(request, A));
    });

    it('an unknown hold, or one on unknown accounts, is left to the ledger', () => {
      expect(findBatchRefusal(carol, [postHold(GHOST)], v)).toBeNull();
      expect(findBatchRefusal(carol, [postHold(ORPHAN)], v)).toBeNull();
    });
  });

  describe('VOID_HOLD: the payers, or whoever may debit all the payees (declining)', () => {
    it('the payer withdraws; the only payee declines; an outsider is refused, naming the payer', () => {
      const request = voidHold(HOLD);
      expect(findBatchRefusal(alice, [request], v)).toBeNull();
      expect(findBatchRefusal(bob, [request], v)).toBeNull();
      expect(findBatchRefusal(carol, [request], v)).toEqual(refused(request, A));
    });

    it('one payee of several cannot decline for the others', () => {
      const request = voidHold(SPLIT_HOLD);
      expect(findBatchRefusal(bob, [request], v)).toEqual(refused(request, A));
      expect(findBatchRefusal(carol, [request], v)).toEqual(refused(request, A));
      expect(findBatchRefusal(alice, [request], v)).toBeNull();
    });

    it('the issuer’s stewards may not void (that power is only for reversals)', () => {
      const request = voidHold(HOLD);
      expect(findBatchRefusal(person({ [BANK]: ['TREASURER', 'ADMIN', 'COORDINATOR'] }), [request], v)).toEqual(
        refused(request, A),
      );
    });

    it('an unknown hold is left to the ledger', () => {
      expect(findBatchRefusal(carol, [voidHold(GHOST)], v)).toBeNull();
    });
  });

  describe('a hold a workflow placed: posted or voided by its own steps only (WORKFLOW_HOLD)', () => {
    const LOGGED = uuid(); // Alice's minutes held by a time log, for Bob
    const PAID_BY_STEP = uuid(); // a posted payment a workflow step made, Alice → Bob
    const timeLog: Authority = { kind: 'TIME_LOG', id: uuid() };
    const vw = view(
      accounts,
      { [LOGGED]: [debit(A), credit(B)], [PAID_BY_STEP]: [debit(A), credit(B)] },
      { [LOGGED]: timeLog, [PAID_BY_STEP]: timeLog },
    );
    const workflowHold = (request: LedgerRequest) => ({
      requestId: request.id,
      accountId: '',
      reason: 'WORKFLOW_HOLD',
    });

    it('neither its payer nor its payee, nor the issuer’s stewards, post or void it directly', () => {
      const everything = person({ [BANK]: [...ROLES], [COOP]: [...ROLES] }, ALICE);
      for (const p of [alice, bob, everything]) {
        for (const request of [postHold(LOGGED), voidHold(LOGGED)]) {
          expect(findBatchRefusal(p, [request], vw)).toEqual(workflowHold(request));
        }
      }
    });

    it('a step of a workflow (a request naming an authority) posts and voids it under the usual rules', () => {
      const step = { kind: 'TIME_LOG', id: timeLog.id };
      expect(findBatchRefusal(alice, [{ ...postHold(LOGGED), authority: step }], vw)).toBeNull();
      expect(findBatchRefusal(bob, [{ ...voidHold(LOGGED), authority: step }], vw)).toBeNull();
      const request = { ...postHold(LOGGED), authority: step };
      expect(findBatchRefusal(carol, [request], vw)).toEqual(refused(request, A));
    });

    it('a posted transaction a workflow made is reversed under the reversal rules (correcting stays possible)', () => {
      expect(findBatchRefusal(bob, [reversal(PAID_BY_STEP)], vw)).toBeNull();
      const request = reversal(PAID_BY_STEP);
      expect(findBatchRefusal(alice, [request], vw)).toEqual(refused(request, B));
    });
  });

  describe('REVERSAL: whoever may debit the payees (whom it debits), or a steward of the issuer', () => {
    it('the payee refunds; the payer cannot take the money back; an outsider neither', () => {
      const request = reversal(PAID);
      expect(findBatchRefusal(bob, [request], v)).toBeNull();
      expect(findBatchRefusal(alice, [request], v)).toEqual(refused(request, B));
      expect(findBatchRefusal(carol, [request], v)).toEqual(refused(request, B));
    });

    it.each<[Role, boolean]>([
      ['TREASURER', true],
      ['ADMIN', true],
      ['COORDINATOR', true],
      ['MEMBER', false],
    ])('a %s of the issuer corrects mistakes: %s', (role, allowed) => {
      const request = reversal(PAID);
      expect(findBatchRefusal(person({ [BANK]: [role] }), [request], v)).toEqual(allowed ? null : refused(request, B));
    });

    it('a steward of another issuer is no steward here', () => {
      const request = reversal(PAID);
      expect(findBatchRefusal(person({ [COOP]: ['TREASURER', 'ADMIN', 'COORDINATOR'] }), [request], v)).toEqual(
        refused(request, B),
      );
    });

    it('an API token of the payee’s organisation with LEDGER_WRITE refunds; with LEDGER_READ it may not', () => {
      const paidCoop = uuid();
      const v2 = view(accounts, { [paidCoop]: [debit(A), credit(K)] });
      expect(findBatchRefusal(token(COOP, ['LEDGER_WRITE']), [reversal(paidCoop)], v2)).toBeNull();
      const request = reversal(paidCoop);
      expect(findBatchRefusal(token(COOP, ['LEDGER_READ']), [request], v2)).toEqual(refused(request, K));
    });

    it('an unknown transaction, or one on unknown accounts, is left to the ledger', () => {
      expect(findBatchRefusal(carol, [reversal(GHOST)], v)).toBeNull();
      expect(findBatchRefusal(carol, [reversal(ORPHAN)], v)).toBeNull();
    });
  });

  describe('EXPIRE_HOLD: only the ledger itself expires holds', () => {
    it('refused for everyone, whatever their roles, known hold or not', () => {
      const everything = person({ [BANK]: [...ROLES], [COOP]: [...ROLES] }, ALICE);
      for (const p of [alice, everything, token(COOP, [...API_SCOPES])]) {
        for (const holdId of [HOLD, GHOST]) {
          const request = expireHold(holdId);
          expect(findBatchRefusal(p, [request], v)).toEqual({
            requestId: request.id,
            accountId: '',
            reason: 'SYSTEM_OPERATION',
          });
        }
      }
    });
  });

  it('a batch is refused at its first refused request, whatever follows', () => {
    const ok = pay(A, B);
    const bad1 = pay(B, A);
    const bad2 = expireHold(HOLD);
    expect(findBatchRefusal(alice, [ok, bad1, bad2], v)).toEqual(refused(bad1, B));
    expect(findBatchRefusal(alice, [ok, bad2, bad1], v)).toMatchObject({ requestId: bad2.id });
    expect(findBatchRefusal(alice, [ok, postHold(HOLD), voidHold(HOLD), reversal(GHOST)], v)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

const roleSet = fc.subarray([...ROLES]);
const scopeSet = fc.subarray<string>([...API_SCOPES, 'OTHER']);
const visibility: fc.Arbitrary<HolderVisibility | undefined> = fc.option(
  fc.record({
    visibility: fc.constantFrom(...BALANCE_VISIBILITIES),
    federationIds: fc.array(fc.uuid(), { maxLength: 3 }),
  }),
  { nil: undefined },
);

describe('deny by default (property)', () => {
  it('a person with no roles where it matters, who is not the holder, may do nothing', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.uuid(),
        fc.uuid(),
        fc.array(fc.tuple(fc.uuid(), roleSet), { maxLength: 4 }),
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.constantFrom(...TARGETS),
        (personId, holderId, issuerId, elsewhere, creditLimit, target) => {
          const unrelated = elsewhere.filter(([org]) => org !== holderId && org !== issuerId);
          fc.pre(personId !== holderId);
          const p = person(Object.fromEntries(unrelated), personId);
          expect(mayDebit(p, holderId)).toBe(false);
          expect(mayCreateUnit(p, issuerId)).toBe(false);
          expect(maySetCreditLines(p, issuerId)).toBe(false);
          expect(mayStewardUnit(p, issuerId)).toBe(false);
          expect(decideOpenAccount(p, { holderId, issuerId, creditLimit })).toBe(
            creditLimit > 0n ? 'NEEDS_CREDIT_LINE_ROLE' : 'NOT_HOLDER',
          );
          expect(mayChangeStatus(p, { holderId, issuerId }, target)).toBe(false);
          for (const shown of [undefined, { visibility: 'MEMBERS' as const, federationIds: [] }]) {
            expect(accessLevel(p, { holderId, issuerId }, shown)).toBe('NONE');
          }
          // A batch debiting the holder's account is refused on it.
          const accountId = randomUUID();
          const request = pay(accountId, randomUUID());
          expect(findBatchRefusal(p, [request], view({ [accountId]: { holderId, issuerId } }))).toEqual({
            requestId: request.id,
            accountId,
            reason: 'NOT_ACCOUNT_HOLDER',
          });
        },
      ),
    );
  });

  it('an API token of another organisation, with any scopes, may do nothing and sees only what PUBLIC shows', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.uuid(),
        fc.uuid(),
        scopeSet,
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.constantFrom(...TARGETS),
        visibility,
        (organizationId, holderId, issuerId, scopes, creditLimit, target, shown) => {
          fc.pre(organizationId !== holderId);
          const t = token(organizationId, scopes);
          expect(mayDebit(t, holderId)).toBe(false);
          expect(mayCreateUnit(t, issuerId)).toBe(false);
          expect(maySetCreditLines(t, issuerId)).toBe(false);
          expect(mayStewardUnit(t, issuerId)).toBe(false);
          expect(decideOpenAccount(t, { holderId, issuerId, creditLimit })).toBe('NOT_HOLDER');
          expect(mayChangeStatus(t, { holderId, issuerId }, target)).toBe(false);
          expect(accessLevel(t, { holderId, issuerId }, shown)).toBe(
            shown?.visibility === 'PUBLIC' ? 'BALANCE' : 'NONE',
          );
        },
      ),
    );
  });
});

/**
 * A small world for the batch properties: 4 organisations and 2 people hold 6 accounts in units of the
 * organisations; 4 stored transactions; batches refer to them by index (some indices miss, to exercise
 * unknown accounts and transactions).
 */
const ORGS = [uuid(), uuid(), uuid(), uuid()];
const PEOPLE = [uuid(), uuid()];
const PARTIES = [...ORGS, ...PEOPLE];
const ACCOUNTS = Array.from({ length: 6 }, () => uuid());
const TRANSACTIONS = Array.from({ length: 4 }, () => uuid());
const pick = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;

const accountIndex = fc.integer({ min: 0, max: ACCOUNTS.length }); // ACCOUNTS.length: unknown account
const world = fc.record({
  holders: fc.array(fc.nat(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  issuers: fc.array(fc.nat(), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  stored: fc.array(
    fc.record({
      debits: fc.uniqueArray(accountIndex, { minLength: 1, maxLength: 3 }),
      credits: fc.uniqueArray(accountIndex, { minLength: 1, maxLength: 3 }),
      byWorkflow: fc.boolean(),
    }),
    { minLength: TRANSACTIONS.length, maxLength: TRANSACTIONS.length },
  ),
});
type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

const accountIdAt = (index: number): string => (index < ACCOUNTS.length ? (ACCOUNTS[index] as string) : uuid());
const transactionIdAt = (index: number): string =>
  index < TRANSACTIONS.length ? (TRANSACTIONS[index] as string) : uuid();

function viewOf(w: World): BatchView {
  const accounts: Record<string, Acc> = {};
  ACCOUNTS.forEach((id, i) => {
    accounts[id] = { holderId: pick(PARTIES, w.holders[i] ?? 0), issuerId: pick(ORGS, w.issuers[i] ?? 0) };
  });
  const referenced: Record<string, Entries> = {};
  const placedBy: Record<string, Authority> = {};
  TRANSACTIONS.forEach((id, i) => {
    const stored = w.stored[i];
    if (stored === undefined) return;
    referenced[id] = [
      ...stored.debits.map((a) => debit(accountIdAt(a))),
      ...stored.credits.map((a) => credit(accountIdAt(a))),
    ];
    if (stored.byWorkflow) placedBy[id] = { kind: 'TIME_LOG', id };
  });
  return view(accounts, referenced, placedBy);
}

const transactionIndex = fc.integer({ min: 0, max: TRANSACTIONS.length }); // TRANSACTIONS.length: unknown
const requestArb: fc.Arbitrary<() => LedgerRequest> = fc.oneof(
  fc
    .record({
      debits: fc.uniqueArray(accountIndex, { minLength: 1, maxLength: 3 }),
      credits: fc.uniqueArray(accountIndex, { minLength: 1, maxLength: 3 }),
      hold: fc.boolean(),
    })
    .map(
      ({ debits, credits, hold }) =>
        () =>
          transfer(
            [
              ...debits.map((a) => ({ accountId: accountIdAt(a), side: 'DEBIT' as const, amount: 1n })),
              ...credits.map((a) => ({ accountId: accountIdAt(a), side: 'CREDIT' as const, amount: 1n })),
            ],
            hold,
          ),
    ),
  transactionIndex.map((t) => () => postHold(transactionIdAt(t))),
  transactionIndex.map((t) => () => voidHold(transactionIdAt(t))),
  transactionIndex.map((t) => () => reversal(transactionIdAt(t))),
  fc.constant(() => expireHold(uuid())),
);
const batchArb = fc.array(requestArb, { maxLength: 6 }).map((makers) => makers.map((make) => make()));

const rolesArb: fc.Arbitrary<ReadonlyMap<string, ReadonlySet<string>>> = fc
  .array(fc.tuple(fc.nat(), roleSet), { maxLength: 5 })
  .map((pairs) => new Map(pairs.map(([i, held]) => [pick(ORGS, i), new Set<string>(held)])));
const personArb = fc
  .record({ who: fc.nat({ max: PEOPLE.length }), roles: rolesArb })
  .map(({ who, roles }): PersonPrincipal => ({ ...person({}, PEOPLE[who] ?? uuid()), roles }));
const tokenArb = fc
  .record({ org: fc.nat(), scopes: scopeSet })
  .map(({ org, scopes }) => token(pick(ORGS, org), scopes));
const principalArb: fc.Arbitrary<Principal> = fc.oneof(personArb, tokenArb);

describe('monotonicity (property): more roles never remove a permission', () => {
  it('mayDebit, the unit rules, status changes, batches and the access level only grow with roles', () => {
    fc.assert(
      fc.property(personArb, rolesArb, world, batchArb, visibility, (p, extra, w, batch, shown) => {
        const more = withMoreRoles(p, extra);
        const v = viewOf(w);
        for (const party of [...PARTIES, uuid()]) {
          if (mayDebit(p, party)) expect(mayDebit(more, party)).toBe(true);
          if (mayCreateUnit(p, party)) expect(mayCreateUnit(more, party)).toBe(true);
          if (maySetCreditLines(p, party)) expect(maySetCreditLines(more, party)).toBe(true);
          if (mayStewardUnit(p, party)) expect(mayStewardUnit(more, party)).toBe(true);
          for (const issuerId of ORGS) {
            const acc = { holderId: party, issuerId };
            for (const target of TARGETS) {
              if (mayChangeStatus(p, acc, target)) expect(mayChangeStatus(more, acc, target)).toBe(true);
            }
            expect(LEVEL[accessLevel(more, acc, shown)]).toBeGreaterThanOrEqual(LEVEL[accessLevel(p, acc, shown)]);
          }
        }
        if (findBatchRefusal(p, batch, v) === null) expect(findBatchRefusal(more, batch, v)).toBeNull();
      }),
    );
  });

  it('more scopes never remove a token’s permission nor lower its access level', () => {
    fc.assert(
      fc.property(tokenArb, scopeSet, world, batchArb, visibility, (t, extra, w, batch, shown) => {
        const more = token(t.organizationId, [...t.scopes, ...extra]);
        const v = viewOf(w);
        for (const party of [...PARTIES, uuid()]) {
          if (mayDebit(t, party)) expect(mayDebit(more, party)).toBe(true);
          const acc = { holderId: party, issuerId: pick(ORGS, 0) };
          expect(LEVEL[accessLevel(more, acc, shown)]).toBeGreaterThanOrEqual(LEVEL[accessLevel(t, acc, shown)]);
        }
        if (findBatchRefusal(t, batch, v) === null) expect(findBatchRefusal(more, batch, v)).toBeNull();
      }),
    );
  });

  it('a wider visibility never lowers the access level (MEMBERS ≤ FEDERATION ≤ PUBLIC, unknown ≤ all)', () => {
    fc.assert(
      fc.property(principalArb, fc.nat(), fc.nat(), fc.array(fc.nat(), { maxLength: 3 }), (p, h, i, feds) => {
        const acc = { holderId: pick(PARTIES, h), issuerId: pick(ORGS, i) };
        const federationIds = feds.map((f) => pick(ORGS, f));
        const levels = [
          accessLevel(p, acc, undefined),
          accessLevel(p, acc, { visibility: 'MEMBERS', federationIds }),
          accessLevel(p, acc, { visibility: 'FEDERATION', federationIds }),
          accessLevel(p, acc, { visibility: 'PUBLIC', federationIds }),
        ].map((level) => LEVEL[level]);
        expect(levels).toEqual([...levels].sort((a, b) => a - b));
      }),
    );
  });
});

describe('how the rules relate (property)', () => {
  it('credit lines ⇒ create units ⇒ steward; debit ⇒ DETAIL; debit ⇒ may close', () => {
    fc.assert(
      fc.property(principalArb, fc.nat(), fc.nat(), visibility, (p, h, i, shown) => {
        const holderId = pick(PARTIES, h);
        const issuerId = pick(ORGS, i);
        if (maySetCreditLines(p, issuerId)) expect(mayCreateUnit(p, issuerId)).toBe(true);
        if (mayCreateUnit(p, issuerId)) expect(mayStewardUnit(p, issuerId)).toBe(true);
        if (mayStewardUnit(p, issuerId)) expect(accessLevel(p, { holderId, issuerId }, shown)).toBe('DETAIL');
        if (mayDebit(p, holderId)) {
          expect(accessLevel(p, { holderId, issuerId }, shown)).toBe('DETAIL');
          if (p.kind === 'PERSON') expect(mayChangeStatus(p, { holderId, issuerId }, 'CLOSED')).toBe(true);
        }
      }),
    );
  });

  it('a batch’s refusal is the first refusal of its requests taken one by one', () => {
    fc.assert(
      fc.property(principalArb, world, batchArb, (p, w, batch) => {
        const v = viewOf(w);
        const first = batch.map((request) => findBatchRefusal(p, [request], v)).find((r) => r !== null) ?? null;
        expect(findBatchRefusal(p, batch, v)).toEqual(first);
      }),
    );
  });

  it('a TREASURER of every organisation holding an account meets no refusal but SYSTEM_OPERATION and WORKFLOW_HOLD', () => {
    fc.assert(
      fc.property(world, batchArb, (w, batch) => {
        const orgsOnly = { ...w, holders: w.holders.map((h) => h % ORGS.length) };
        const v = viewOf(orgsOnly);
        const treasurer = person(Object.fromEntries(ORGS.map((org) => [org, ['TREASURER']])));
        const refusal = findBatchRefusal(treasurer, batch, v);
        const expected = batch
          .map((request) => {
            if (request.type === 'EXPIRE_HOLD')
              return { requestId: request.id, accountId: '', reason: 'SYSTEM_OPERATION' };
            const workflowHold =
              (request.type === 'POST_HOLD' || request.type === 'VOID_HOLD') &&
              (v.referenced(request.holdId)?.authority ?? null) !== null;
            return workflowHold ? { requestId: request.id, accountId: '', reason: 'WORKFLOW_HOLD' } : null;
          })
          .find((found) => found !== null);
        expect(refusal).toEqual(expected ?? null);
      }),
    );
  });

  it('a refusal always names a request of the batch and, unless SYSTEM_OPERATION, an account the view knows', () => {
    fc.assert(
      fc.property(principalArb, world, batchArb, (p, w, batch) => {
        const v = viewOf(w);
        const refusal = findBatchRefusal(p, batch, v);
        if (refusal === null) return;
        expect(batch.map((r) => r.id)).toContain(refusal.requestId);
        if (refusal.reason === 'NOT_ACCOUNT_HOLDER') {
          const acc = v.account(refusal.accountId);
          expect(acc).toBeDefined();
          expect(mayDebit(p, acc?.holderId ?? '')).toBe(false);
        }
      }),
    );
  });
});

describe('vocabularies', () => {
  it('ROLES, API_SCOPES and BALANCE_VISIBILITIES are exactly the documented ones', () => {
    const scopes: readonly ApiScope[] = ['LEDGER_READ', 'LEDGER_WRITE'];
    expect([...API_SCOPES]).toEqual(scopes);
    expect([...ROLES]).toEqual(['MEMBER', 'TREASURER', 'COORDINATOR', 'ADMIN']);
    expect([...BALANCE_VISIBILITIES]).toEqual(['MEMBERS', 'FEDERATION', 'PUBLIC']);
  });
});
