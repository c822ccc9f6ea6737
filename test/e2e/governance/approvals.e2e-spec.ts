/**
 * Goal: N-of-M approval requests. A request is approved when N of its approvers approve, and its action then
 * runs once, with the request as the authority of what it writes; it is declined when enough refuse that N
 * can no longer be reached; it expires at its instant by the scheduler; a change to the action voids every
 * approval collected so far; the author and the payees never decide on it; an approver who recuses is not
 * counted in M; a decision on an old version is refused; the approval that would complete N but whose action
 * cannot run is refused and recorded nowhere. Method: the real service over HTTP on its own PostgreSQL
 * database; a co-op whose steward is ADMIN, three TREASURERs and two members, a fund in CWC; a controlled
 * clock moved past expiry and the scheduler ticked; read back over GraphQL and the tables.
 */
import { randomUUID } from 'node:crypto';
import { openAccount } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import { GOVERNANCE, inMinutes, join, runUntil, type Member } from './governance-fixtures.js';

interface RequestView {
  id: string;
  status: string;
  version: number;
  result: Record<string, unknown> | null;
  approvers: string[];
  tally: { required: number; eligible: number; approvals: number; refusals: number; recusals: number };
  decisions: { approverId: string; version: number; decision: string; counts: boolean }[];
}

describe('approval requests', () => {
  let app: TestApp;
  let coopId: string;
  let treasurers: Member[];
  let members: Member[];
  let fund: string;
  let payee: string;
  let payeeAccount: string;
  let source: string;

  useTestApp({ units: [CWC], accounts: { source: { creditLimit: '1000000' } } }, (fixture) => {
    ({ app } = fixture);
    if (fixture.accounts.source !== undefined) source = fixture.accounts.source;
  });

  beforeAll(async () => {
    const { createOrganization } = await app.ok<{ createOrganization: { id: string } }>(GOVERNANCE.createOrganization, {
      input: { kind: 'STRIKE_FUND', name: 'Strike fund', slug: 'approvals-fund' },
    });
    coopId = createOrganization.id;
    treasurers = [];
    for (let index = 0; index < 3; index += 1) {
      treasurers.push(await join(app, app.steward.token, coopId, `treasurer-${index}@test.example`, ['TREASURER']));
    }
    members = [
      await join(app, app.steward.token, coopId, 'striker-0@test.example'),
      await join(app, app.steward.token, coopId, 'striker-1@test.example'),
    ];
  });

  beforeEach(async () => {
    fund = await openAccount(app, { holderId: coopId, kind: 'FUND' });
    payee = members[0]!.personId;
    payeeAccount = await openAccount(app, { holderId: payee });
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: source, side: 'DEBIT', amount: '100000' },
          { accountId: fund, side: 'CREDIT', amount: '100000' },
        ],
      },
    });
  });

  const disburse = (amount: string, to = payeeAccount) => ({
    fromAccountId: fund,
    payments: [{ accountId: to, amount }],
    memo: 'Strike pay',
  });

  async function request(
    author: Member,
    options: { required?: number; amount?: string; committee?: string[]; expiresInMinutes?: number } = {},
  ): Promise<string> {
    const id = randomUUID();
    await app.ok(
      GOVERNANCE.requestApproval,
      {
        input: {
          id,
          organizationId: coopId,
          title: 'Strike pay for the picket line',
          action: { kind: 'ledger.disburse', params: disburse(options.amount ?? '25000') },
          ...(options.committee === undefined ? { approverRole: 'TREASURER' } : { committee: options.committee }),
          required: options.required ?? 2,
          expiresAt: inMinutes(app, options.expiresInMinutes ?? 60 * 24).toISOString(),
        },
      },
      { token: author.token },
    );
    return id;
  }

  const decide = (who: Member, requestId: string, decision: string, version = 1) =>
    app.graphql(
      GOVERNANCE.decideApproval,
      { input: { requestId, version, decision, reason: '' } },
      { token: who.token },
    );

  const read = async (id: string): Promise<RequestView> =>
    (await app.ok<{ approvalRequest: RequestView }>(GOVERNANCE.approvalRequest, { id })).approvalRequest;

  const balance = async (id: string) =>
    (await app.ok<{ account: { balance: string } }>(GOVERNANCE.account, { id })).account.balance;

  const author = () => treasurers[0]!;

  it('runs the action once when N approve, with the request as its authority', async () => {
    const id = await request(author());
    expect((await read(id)).approvers.sort()).toEqual([treasurers[1]!.personId, treasurers[2]!.personId].sort());
    expect((await decide(treasurers[1]!, id, 'APPROVE')).errors).toBeUndefined();
    expect(await balance(payeeAccount)).toBe('0');
    const approved = await decide(treasurers[2]!, id, 'APPROVE');
    expect(approved.data?.['decideApproval']).toMatchObject({ status: 'APPROVED' });
    expect(await balance(payeeAccount)).toBe('25000');
    const written = await app.ok(GOVERNANCE.byAuthority, { kind: 'APPROVAL_REQUEST', id });
    expect(written['transactionsByAuthority'].edges).toHaveLength(1);
    expect(written['transactionsByAuthority'].edges[0].node).toMatchObject({
      recordedBy: 'system:governance.decisions',
      authority: { kind: 'APPROVAL_REQUEST', id },
    });
    const view = await read(id);
    expect(view.result).toMatchObject({ amount: '25000' });
    const late = await decide(treasurers[1]!, id, 'APPROVE');
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'REQUEST_CLOSED' } });
    expect(await balance(payeeAccount)).toBe('25000');
  });

  it('is declined when enough refuse that N can no longer be reached', async () => {
    const id = await request(author());
    await decide(treasurers[1]!, id, 'REFUSE');
    const declined = await read(id);
    expect(declined.status).toBe('DECLINED');
    expect(await balance(payeeAccount)).toBe('0');
  });

  it('an approver who recuses is not counted in M', async () => {
    const id = await request(author(), { required: 1 });
    await decide(treasurers[1]!, id, 'RECUSE');
    const standing = await read(id);
    expect(standing.status).toBe('OPEN');
    expect(standing.tally).toMatchObject({ required: 1, eligible: 1, recusals: 1 });
    await decide(treasurers[2]!, id, 'REFUSE');
    expect((await read(id)).status).toBe('DECLINED');
  });

  it('never lets the author or a payee decide, nor anyone outside the approvers', async () => {
    await app.ok(`mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id } }`, {
      input: { membershipId: members[0]!.membershipId, roles: ['MEMBER', 'TREASURER'] },
    });
    try {
      const id = await request(author(), { required: 1 });
      const before = await app.snapshot();
      const byAuthor = await decide(author(), id, 'APPROVE');
      expect(byAuthor.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'MAY_NOT_APPROVE' },
      });
      const byPayee = await decide(members[0]!, id, 'APPROVE');
      expect(byPayee.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'MAY_NOT_APPROVE' },
      });
      const byMember = await decide(members[1]!, id, 'APPROVE');
      expect(byMember.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'NOT_AN_APPROVER' },
      });
      expect(await app.snapshot()).toEqual(before);
    } finally {
      await app.ok(`mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id } }`, {
        input: { membershipId: members[0]!.membershipId, roles: ['MEMBER'] },
      });
    }
  });

  it('a change to the action voids the approvals collected so far; a decision on the old version is refused', async () => {
    const id = await request(author());
    await decide(treasurers[1]!, id, 'APPROVE');
    const other = await openAccount(app, { holderId: members[1]!.personId });
    const changed = await app.ok<{ changeApprovalRequest: { version: number } }>(
      GOVERNANCE.changeApprovalRequest,
      { input: { requestId: id, params: disburse('25000', other) } },
      { token: author().token },
    );
    expect(changed.changeApprovalRequest.version).toBe(2);
    const stale = await decide(treasurers[2]!, id, 'APPROVE', 1);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', details: { reason: 'VERSION_CHANGED' } });
    await decide(treasurers[2]!, id, 'APPROVE', 2);
    const view = await read(id);
    expect(view.status).toBe('OPEN');
    expect(view.tally.approvals).toBe(1);
    expect(view.decisions.map((decision) => [decision.version, decision.counts])).toEqual([
      [1, false],
      [2, true],
    ]);
    await decide(treasurers[1]!, id, 'APPROVE', 2);
    expect((await read(id)).status).toBe('APPROVED');
    expect(await balance(other)).toBe('25000');
    expect(await balance(payeeAccount)).toBe('0');
  });

  it('the same action again changes nothing: no new version, approvals kept', async () => {
    const id = await request(author());
    await decide(treasurers[1]!, id, 'APPROVE');
    const same = await app.ok<{ changeApprovalRequest: { version: number } }>(
      GOVERNANCE.changeApprovalRequest,
      { input: { requestId: id, params: disburse('25000') } },
      { token: author().token },
    );
    expect(same.changeApprovalRequest.version).toBe(1);
    expect((await read(id)).tally.approvals).toBe(1);
  });

  it('expires at its instant, by the scheduler, and runs nothing', async () => {
    const id = await request(author(), { expiresInMinutes: 30 });
    await decide(treasurers[1]!, id, 'APPROVE');
    await runUntil(app, inMinutes(app, 31));
    expect((await read(id)).status).toBe('EXPIRED');
    const late = await decide(treasurers[2]!, id, 'APPROVE');
    expect(late.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'REQUEST_CLOSED' } });
    expect(await balance(payeeAccount)).toBe('0');
  });

  it('refuses the completing approval when the action cannot run, recording nothing; it can complete later', async () => {
    const id = await request(author(), { amount: '150000' });
    await decide(treasurers[1]!, id, 'APPROVE');
    const before = await app.snapshot();
    const short = await decide(treasurers[2]!, id, 'APPROVE');
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    const after = await app.snapshot();
    // The ledger keeps the refused transaction's outcome against its id; nothing else changed.
    expect({ ...after, transaction_outcome: null }).toEqual({ ...before, transaction_outcome: null });
    expect((await read(id)).status).toBe('OPEN');
    await app.ok(`mutation($input: PostTransactionInput!) { postTransaction(input: $input) { transaction { id } } }`, {
      input: {
        id: randomUUID(),
        unitCode: 'CWC',
        entries: [
          { accountId: source, side: 'DEBIT', amount: '50000' },
          { accountId: fund, side: 'CREDIT', amount: '50000' },
        ],
      },
    });
    expect((await decide(treasurers[2]!, id, 'APPROVE')).errors).toBeUndefined();
    expect(await balance(payeeAccount)).toBe('150000');
  });

  it('a named committee approves; its members must belong to the organisation', async () => {
    const id = await request(author(), { required: 1, committee: [members[1]!.personId, treasurers[1]!.personId] });
    await decide(members[1]!, id, 'APPROVE');
    expect((await read(id)).status).toBe('APPROVED');
    const outsider = await app.register(`outsider-${randomUUID()}@test.example`);
    const { me } = await app.ok<{ me: { person: { id: string } } }>(
      `{ me { person { id } } }`,
      {},
      { token: outsider },
    );
    const refused = await app.graphql(
      GOVERNANCE.requestApproval,
      {
        input: {
          id: randomUUID(),
          organizationId: coopId,
          title: 'Outside committee',
          action: { kind: 'ledger.disburse', params: disburse('100') },
          committee: [me.person.id],
          required: 1,
          expiresAt: inMinutes(app, 60).toISOString(),
        },
      },
      { token: author().token },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_APPROVAL_REQUEST' } });
  });

  it('refuses a request that could never pass: N above the approvers who may approve', async () => {
    const response = await app.graphql(
      GOVERNANCE.requestApproval,
      {
        input: {
          id: randomUUID(),
          organizationId: coopId,
          title: 'Too many',
          action: { kind: 'ledger.disburse', params: disburse('100') },
          approverRole: 'TREASURER',
          required: 3,
          expiresAt: inMinutes(app, 60).toISOString(),
        },
      },
      { token: author().token },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'INVALID_APPROVAL_REQUEST' } });
  });

  it('is withdrawn by its author, and then runs nothing', async () => {
    const id = await request(author());
    await decide(treasurers[1]!, id, 'APPROVE');
    await app.ok(GOVERNANCE.withdrawApprovalRequest, { input: { requestId: id } }, { token: author().token });
    expect((await read(id)).status).toBe('WITHDRAWN');
    const late = await decide(treasurers[2]!, id, 'APPROVE');
    expect(late.errors?.[0]?.extensions).toMatchObject({ details: { reason: 'REQUEST_CLOSED' } });
  });

  it('two approvers completing N at once run the action once', async () => {
    const id = await request(author(), { required: 1 });
    const results = await Promise.all([decide(treasurers[1]!, id, 'APPROVE'), decide(treasurers[2]!, id, 'APPROVE')]);
    expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
    expect(await balance(payeeAccount)).toBe('25000');
    const written = await app.ok(GOVERNANCE.byAuthority, { kind: 'APPROVAL_REQUEST', id });
    expect(written['transactionsByAuthority'].edges).toHaveLength(1);
  });

  it('writes the request, each decision and its end to the audit log', async () => {
    const id = await request(author(), { required: 1 });
    await decide(treasurers[1]!, id, 'APPROVE');
    const log = await app.ok<{ auditLog: { edges: { node: { action: string; subjectId: string } }[] } }>(
      GOVERNANCE.auditLog,
      { organizationId: coopId },
    );
    expect(
      log.auditLog.edges
        .filter((edge) => edge.node.subjectId === id)
        .map((edge) => edge.node.action)
        .sort(),
    ).toEqual(['APPROVAL_GIVEN', 'APPROVAL_REQUESTED', 'APPROVAL_REQUEST_APPROVED']);
  });
});
