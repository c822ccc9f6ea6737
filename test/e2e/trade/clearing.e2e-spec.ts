/**
 * Goal: multilateral clearing over GraphQL: a round is previewed (notices and totals), its participants
 * consent or decline (a decline recomputes the round without the decliner's obligations), it is executed
 * once (set-offs against each invoice, with the round as authority; a replay changes nothing), its set-offs
 * show in each member's statement on both sides, and it never moves ledger balances. Consent by membership,
 * a lapse at the deadline, a stale round, and every refusal (nothing changed). Method: four co-ops of the
 * steward's federation and one outside it; a cycle bakery → bikes → cafe → bakery of 100 and a two-way
 * debt bakery ⇄ dairy (40 and 30) whose optimum is known: 330 cleared, 10 left, the net internal debt.
 */
import { randomUUID } from 'node:crypto';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import type { TestApp } from '../setup/test-app.js';
import { clockOf } from '../governance/governance-fixtures.js';
import { accept, coop, issue, pay, refusal, TRADE, tradeAccount, type Coop } from './trade-fixtures.js';

let app: TestApp;
let bakery: Coop;
let cafe: Coop;
let bikes: Coop;
let dairy: Coop;
let outsider: Coop;
const account: Record<string, string> = {};

useTestApp(
  {
    units: [CWC, ['CWX', 'CREDIT', 2]],
    once: async (started) => {
      bakery = await coop(started, 'bakery');
      cafe = await coop(started, 'cafe');
      bikes = await coop(started, 'bikes');
      dairy = await coop(started, 'dairy');
      outsider = await coop(started, 'outsider', { federated: false });
    },
  },
  (fixture) => {
    app = fixture.app;
  },
);

interface Round {
  id: string;
  status: string;
  version: number;
  obligationCount: number;
  totalDebtBefore: string;
  totalDebtAfter: string;
  netInternalDebt: string;
  cleared: string;
  consentByMembership: boolean;
  participants: { organizationId: string; consent: string; cleared: string }[];
  notices: { invoiceId: string; debtorId: string; creditorId: string; amount: string; remaining: string }[];
}

/** The invoices of the known network, by name. */
let invoices: Record<
  'cafeOwesBakery' | 'bikesOwesCafe' | 'bakeryOwesBikes' | 'bakeryOwesDairy' | 'dairyOwesBakery',
  string
>;

async function obligation(creditor: Coop, debtor: Coop, amount: string): Promise<string> {
  const invoice = await issue(app, creditor, debtor, account[creditor.slug] ?? '', { amount });
  await accept(app, debtor, invoice.id);
  return invoice.id;
}

beforeEach(async () => {
  for (const member of [bakery, cafe, bikes, dairy, outsider])
    account[member.slug] = await tradeAccount(app, member.id);
  invoices = {
    cafeOwesBakery: await obligation(bakery, cafe, '100'),
    bikesOwesCafe: await obligation(cafe, bikes, '100'),
    bakeryOwesBikes: await obligation(bikes, bakery, '100'),
    bakeryOwesDairy: await obligation(dairy, bakery, '40'),
    dairyOwesBakery: await obligation(bakery, dairy, '30'),
  };
  // Not obligations of the round: one not accepted, one with an organisation outside the federation.
  await issue(app, cafe, dairy, account['cafe'] ?? '', { amount: '999' });
  await obligation(outsider, bakery, '77');
});

async function preview(id: string = randomUUID(), unitCode = 'CWC'): Promise<Round> {
  return (
    await app.ok<{ previewClearingRound: Round }>(TRADE.previewClearingRound, {
      input: { id, federationId: app.steward.organizationId, unitCode },
    })
  ).previewClearingRound;
}

async function consent(roundId: string, member: Coop, given: boolean): Promise<Round> {
  return (
    await app.ok<{ decideClearingConsent: Round }>(
      TRADE.decideClearingConsent,
      { input: { roundId, organizationId: member.id, consent: given } },
      { token: member.treasurer.token },
    )
  ).decideClearingConsent;
}

async function execute(roundId: string): Promise<Round> {
  return (await app.ok<{ executeClearingRound: Round }>(TRADE.executeClearingRound, { input: { roundId } }))
    .executeClearingRound;
}

const consents = (round: Round) => Object.fromEntries(round.participants.map((p) => [p.organizationId, p.consent]));

describe('a round: previewed, consented, declined by one member and recomputed, executed, replayed', () => {
  it('clears the optimum, once, and shows it on both sides of every statement', async () => {
    const round = await preview();
    expect(round).toMatchObject({
      status: 'OPEN',
      version: 1,
      obligationCount: 5,
      totalDebtBefore: '370',
      totalDebtAfter: '10',
      netInternalDebt: '10',
      cleared: '360',
    });
    expect(round.notices.find((n) => n.invoiceId === invoices.bakeryOwesDairy)).toMatchObject({
      amount: '30',
      remaining: '10',
    });
    expect(Object.values(consents(round))).toEqual(['PENDING', 'PENDING', 'PENDING', 'PENDING']);
    expect(round.participants.find((p) => p.organizationId === bakery.id)?.cleared).toBe('130');

    // A participant's member sees the totals and its own notices only; an outsider sees nothing.
    const seen = await app.ok<{ clearingRound: Round }>(
      TRADE.clearingRound,
      { id: round.id },
      { token: bikes.member.token },
    );
    expect(seen.clearingRound.notices.map((n) => n.invoiceId).sort()).toEqual(
      [invoices.bikesOwesCafe, invoices.bakeryOwesBikes].sort(),
    );
    expect(await refusal(app, TRADE.clearingRound, { id: round.id }, outsider.treasurer.token)).toEqual({
      code: 'FORBIDDEN',
      reason: 'ROUND_NOT_VISIBLE',
    });

    let before = await app.snapshot();
    expect(await refusal(app, TRADE.executeClearingRound, { input: { roundId: round.id } }, app.steward.token)).toEqual(
      {
        code: 'CONFLICT',
        reason: 'CONSENT_PENDING',
      },
    );
    expect(await app.snapshot()).toEqual(before);

    await consent(round.id, bakery, true);
    await consent(round.id, cafe, true);
    await consent(round.id, bikes, true);
    // Consenting again changes nothing.
    before = await app.snapshot();
    await consent(round.id, bikes, true);
    expect(await app.snapshot()).toEqual(before);

    const recomputed = await consent(round.id, dairy, false);
    expect(recomputed).toMatchObject({
      version: 2,
      obligationCount: 3,
      totalDebtBefore: '300',
      cleared: '300',
      totalDebtAfter: '0',
    });
    // The others' new notices are within what they saw, so their consents stand.
    expect(consents(recomputed)).toEqual({
      [bakery.id]: 'GIVEN',
      [cafe.id]: 'GIVEN',
      [bikes.id]: 'GIVEN',
      [dairy.id]: 'DECLINED',
    });

    const balancesBefore = await Promise.all(Object.values(account).map((id) => app.ok(TRADE.account, { id })));
    const executed = await execute(round.id);
    expect(executed).toMatchObject({ status: 'EXECUTED', cleared: '300' });
    for (const id of [invoices.cafeOwesBakery, invoices.bikesOwesCafe, invoices.bakeryOwesBikes]) {
      const { invoice } = await app.ok(TRADE.invoice, { id });
      expect(invoice).toMatchObject({ status: 'PAID', setOff: '100', paid: '0', outstanding: '0' });
      expect(invoice.events.at(-1)).toMatchObject({ kind: 'SET_OFF', amount: '100', roundId: round.id });
    }
    expect((await app.ok(TRADE.invoice, { id: invoices.bakeryOwesDairy })).invoice.status).toBe('ACCEPTED');
    // A set-off moves no value: every balance is as it was.
    expect(await Promise.all(Object.values(account).map((id) => app.ok(TRADE.account, { id })))).toEqual(
      balancesBefore,
    );

    // Executed again (and concurrently): nothing happens twice.
    before = await app.snapshot();
    const replays = await Promise.all([execute(round.id), execute(round.id)]);
    expect(replays.map((r) => r.status)).toEqual(['EXECUTED', 'EXECUTED']);
    expect(await app.snapshot()).toEqual(before);
    expect(
      await refusal(
        app,
        TRADE.decideClearingConsent,
        { input: { roundId: round.id, organizationId: bakery.id, consent: false } },
        bakery.treasurer.token,
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'ROUND_EXECUTED' });

    const now = clockOf(app).now();
    const { tradeStatement } = await app.ok(
      TRADE.statement,
      {
        organizationId: bakery.id,
        unitCode: 'CWC',
        from: new Date(now.getTime() - 3_600_000).toISOString(),
        to: new Date(now.getTime() + 1000).toISOString(),
      },
      { token: bakery.member.token },
    );
    expect(tradeStatement).toMatchObject({ setOffReceivable: '100', setOffPayable: '100' });
    const setOffLines = tradeStatement.lines.filter((line: { kind: string }) => line.kind === 'SET_OFF');
    expect(
      setOffLines.map((line: { direction: string; change: string; roundId: string }) => [
        line.direction,
        line.change,
        line.roundId,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['RECEIVABLE', '-100', round.id],
        ['PAYABLE', '100', round.id],
      ]),
    );
    // Balance: owed 30 (dairy) − owes 40 (dairy) − 77 (outsider) = −87, and the open invoices say the same.
    expect(tradeStatement.closingBalance).toBe('-87');

    const { auditLog } = await app.ok(
      `query($organizationId: ID!) { auditLog(organizationId: $organizationId, first: 200) {
        edges { node { action subjectId } } } }`,
      { organizationId: app.steward.organizationId },
    );
    const logged = auditLog.edges
      .map((edge: { node: { action: string; subjectId: string } }) => edge.node)
      .filter((node: { subjectId: string }) => node.subjectId === round.id)
      .map((node: { action: string }) => node.action);
    expect(logged).toEqual(expect.arrayContaining(['CLEARING_ROUND_PREVIEWED', 'CLEARING_ROUND_EXECUTED']));
    const listed = await app.ok(TRADE.clearingRounds, { federationId: app.steward.organizationId });
    expect(listed.clearingRounds.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([round.id]);
  });

  it('a decline that breaks the cycle leaves the rest to clear; members left with no set-off drop out', async () => {
    const round = await preview();
    await consent(round.id, bakery, true);
    await consent(round.id, dairy, true);
    const recomputed = await consent(round.id, cafe, false);
    // Without cafe the cycle is broken: only bakery ⇄ dairy clears (30 each way), within what both saw.
    expect(recomputed.cleared).toBe('60');
    expect(consents(recomputed)).toEqual({ [bakery.id]: 'GIVEN', [dairy.id]: 'GIVEN', [cafe.id]: 'DECLINED' });
    // bikes has no set-off left: it drops out, and the round runs.
    expect((await execute(round.id)).status).toBe('EXECUTED');
    expect((await app.ok(TRADE.invoice, { id: invoices.dairyOwesBakery })).invoice.status).toBe('PAID');
  });
});

describe('consent by membership, the deadline, a stale round', () => {
  it('runs at once where membership is consent', async () => {
    const settings = await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: true, consentHours: 24 },
    });
    expect(settings.setClearingSettings).toMatchObject({ consentByMembership: true, consentHours: 24 });
    const round = await preview();
    expect(round.consentByMembership).toBe(true);
    expect(new Set(Object.values(consents(round)))).toEqual(new Set(['BY_MEMBERSHIP']));
    expect((await execute(round.id)).cleared).toBe('360');
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: false, consentHours: 72 },
    });
  });

  it('leaves out those who did not answer by the deadline, and recomputes', async () => {
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: false, consentHours: 1 },
    });
    const round = await preview();
    await consent(round.id, bakery, true);
    await consent(round.id, cafe, true);
    await consent(round.id, dairy, true);
    clockOf(app).advance(2 * 3_600_000);
    const before = await app.snapshot();
    expect(
      await refusal(
        app,
        TRADE.decideClearingConsent,
        { input: { roundId: round.id, organizationId: bikes.id, consent: true } },
        bikes.treasurer.token,
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'CONSENT_DEADLINE_PASSED' });
    expect(await app.snapshot()).toEqual(before);
    const executed = await execute(round.id);
    expect(executed).toMatchObject({ status: 'EXECUTED', cleared: '60' });
    expect(consents(executed)[bikes.id]).toBe('LAPSED');
    expect((await app.ok(TRADE.invoice, { id: invoices.cafeOwesBakery })).invoice.status).toBe('ACCEPTED');
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: false, consentHours: 72 },
    });
  });

  it('refuses to execute a round whose obligations changed since its preview', async () => {
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: true, consentHours: 72 },
    });
    const round = await preview();
    await pay(app, cafe, invoices.cafeOwesBakery, account['cafe'] ?? '', '10');
    const before = await app.snapshot();
    expect(await refusal(app, TRADE.executeClearingRound, { input: { roundId: round.id } }, app.steward.token)).toEqual(
      {
        code: 'CONFLICT',
        reason: 'ROUND_STALE',
      },
    );
    expect(await app.snapshot()).toEqual(before);
    // A new round sees the payment.
    expect((await preview()).cleared).toBe('330');
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: false, consentHours: 72 },
    });
  });
});

describe('a payment racing the execution', () => {
  it('either the round or the payment goes first; never both on the same debt', async () => {
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: true, consentHours: 72 },
    });
    const round = await preview();
    const [executed, paid] = await Promise.all([
      app.graphql(TRADE.executeClearingRound, { input: { roundId: round.id } }),
      app.graphql(
        TRADE.payInvoice,
        {
          input: {
            invoiceId: invoices.cafeOwesBakery,
            paymentId: randomUUID(),
            fromAccountId: account['cafe'],
            amount: '10',
          },
        },
        { token: cafe.treasurer.token },
      ),
    ]);
    const reasons = [executed, paid].map((response) => response.errors?.[0]?.extensions.details.reason ?? 'OK');
    expect([
      ['OK', 'INVOICE_CLOSED'],
      ['ROUND_STALE', 'OK'],
    ]).toContainEqual(reasons);
    const { invoice } = await app.ok(TRADE.invoice, { id: invoices.cafeOwesBakery });
    expect(BigInt(invoice.paid) + BigInt(invoice.setOff)).toBeLessThanOrEqual(BigInt(invoice.total));
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: false, consentHours: 72 },
    });
  });
});

describe('the database keeps what a round wrote', () => {
  it('refuses to change an executed round, its set-offs, or to take back what is settled', async () => {
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: true, consentHours: 72 },
    });
    const round = await preview();
    await execute(round.id);
    const attempts: [string, unknown[]][] = [
      ['DELETE FROM clearing_setoff WHERE round_id = $1', [round.id]],
      ['UPDATE clearing_setoff SET amount = amount + 1 WHERE round_id = $1', [round.id]],
      ["UPDATE clearing_round SET status = 'OPEN' WHERE id = $1", [round.id]],
      ['UPDATE invoice SET set_off = 0 WHERE id = $1', [invoices.cafeOwesBakery]],
      ["UPDATE invoice SET status = 'ACCEPTED' WHERE id = $1", [invoices.cafeOwesBakery]],
      ['UPDATE invoice SET total = total + 1 WHERE id = $1', [invoices.cafeOwesBakery]],
      ['DELETE FROM invoice_event WHERE round_id = $1', [round.id]],
    ];
    for (const [sql, parameters] of attempts) {
      const before = await app.snapshot();
      await expect(app.dataSource.query(sql, parameters)).rejects.toThrow();
      expect(await app.snapshot()).toEqual(before);
    }
    await app.ok(TRADE.setClearingSettings, {
      input: { federationId: app.steward.organizationId, consentByMembership: false, consentHours: 72 },
    });
  });
});

describe('refusals', () => {
  it('changes nothing when refused', async () => {
    const round = await preview();
    const federationId = app.steward.organizationId;
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        TRADE.previewClearingRound,
        { input: { id: randomUUID(), federationId, unitCode: 'CWC' } },
        bakery.treasurer.token,
        'MAY_NOT_CLEAR',
      ],
      [
        TRADE.previewClearingRound,
        { input: { id: randomUUID(), federationId: bakery.id, unitCode: 'CWC' } },
        app.steward.token,
        'NOT_A_FEDERATION',
      ],
      [
        TRADE.previewClearingRound,
        { input: { id: randomUUID(), federationId, unitCode: 'NOPE' } },
        app.steward.token,
        'UNIT_NOT_FOUND',
      ],
      [
        TRADE.previewClearingRound,
        { input: { id: round.id, federationId, unitCode: 'CWX' } },
        app.steward.token,
        'TRADE_ID_TAKEN',
      ],
      [
        TRADE.decideClearingConsent,
        { input: { roundId: round.id, organizationId: bakery.id, consent: true } },
        bakery.member.token,
        'MAY_NOT_CONSENT',
      ],
      [
        TRADE.decideClearingConsent,
        { input: { roundId: round.id, organizationId: outsider.id, consent: true } },
        outsider.treasurer.token,
        'NOT_A_PARTICIPANT',
      ],
      [
        TRADE.decideClearingConsent,
        { input: { roundId: randomUUID(), organizationId: bakery.id, consent: true } },
        bakery.treasurer.token,
        'CLEARING_ROUND_NOT_FOUND',
      ],
      [TRADE.executeClearingRound, { input: { roundId: round.id } }, bakery.treasurer.token, 'MAY_NOT_CLEAR'],
      [
        TRADE.setClearingSettings,
        { input: { federationId, consentByMembership: true, consentHours: 5 } },
        cafe.treasurer.token,
        'MAY_NOT_CLEAR',
      ],
    ];
    for (const [query, variables, token, reason] of cases) {
      const before = await app.snapshot();
      expect((await refusal(app, query, variables, token)).reason).toBe(reason);
      expect(await app.snapshot()).toEqual(before);
    }
    // Previewing the same id again replays the round.
    expect((await preview(round.id)).id).toBe(round.id);
  });

  it('an empty unit gives an empty round', async () => {
    const round = await preview(randomUUID(), 'CWX');
    expect(round).toMatchObject({ obligationCount: 0, cleared: '0', participants: [], notices: [] });
    expect((await execute(round.id)).status).toBe('EXECUTED');
  });
});
