/**
 * Goal: trade's invariants of the books hold in every state the module reaches (invoices issued, accepted,
 * rejected, cancelled, paid in parts and replayed, accepted by a payment, paid automatically, left over the
 * limit or refused by the credit line, a payment reversed by the ledger, a transfer straight into an
 * issuer's account, a partly paid invoice set off to PAID, a round left OPEN with stale set-offs beside an
 * executed one), and each names exactly the damage it is there for. Method: the real app over GraphQL into
 * those states, the invariants read with the books check's own query; then each rule broken behind the
 * module's back in a database transaction (guard triggers off where they refuse), read there, and rolled
 * back.
 */
import { randomUUID } from 'node:crypto';
import { BOOKS } from '../../../src/domain-modules.js';
import { findInvariantViolations, type InvariantResult } from '../../../src/kernel/invariants.js';
import { POST_TRANSACTION, REVERSE_TRANSACTION, transfer } from '../ledger/ledger-fixtures.js';
import type { TestApp } from '../setup/test-app.js';
import { CWC, useTestApp } from '../setup/use-test-app.js';
import { accept, coop, issue, pay, TRADE, tradeAccount, type Coop } from './trade-fixtures.js';

const PAYMENT_TRANSFERS =
  "trade: every payment event has its transfer: the event's amount, from an account of the payer into the invoice's credit account, under the invoice's authority";
const PAID =
  "trade: an invoice's paid is the sum of its payment events and of the ledger's transfers under its authority, one transfer per event";
const SET_OFF =
  "trade: an invoice's set-off is the sum of its set-off events, each an executed round's set-off of that amount";
const ROUNDS =
  "trade: an executed round clears the sum of its set-offs, each between its invoice's payer and issuer, and keeps every member's net position";

let app: TestApp;
let bakery: Coop;
let cafe: Coop;
let bikes: Coop;
let dairy: Coop;
const account: Record<'bakery' | 'cafe' | 'bikes' | 'dairy', string> = { bakery: '', cafe: '', bikes: '', dairy: '' };

useTestApp(
  {
    units: [CWC],
    once: async (started) => {
      bakery = await coop(started, 'bakery');
      cafe = await coop(started, 'cafe');
      bikes = await coop(started, 'bikes');
      dairy = await coop(started, 'dairy');
    },
  },
  (fixture) => {
    app = fixture.app;
  },
);

beforeEach(async () => {
  account.bakery = await tradeAccount(app, bakery.id);
  account.cafe = await tradeAccount(app, cafe.id);
  account.bikes = await tradeAccount(app, bikes.id, '500');
  account.dairy = await tradeAccount(app, dairy.id);
});

interface Event {
  kind: string;
  amount: string;
  transactionId: string | null;
}

async function eventsOf(invoiceId: string): Promise<Event[]> {
  return (await app.ok<{ invoice: { events: Event[] } }>(TRADE.invoice, { id: invoiceId })).invoice.events;
}

async function obligation(creditor: Coop, debtor: Coop, amount: string): Promise<string> {
  const invoice = await issue(app, creditor, debtor, account[creditor.slug as keyof typeof account], { amount });
  await accept(app, debtor, invoice.id);
  return invoice.id;
}

/** Two invoices bakery → cafe, paid 300 of 1000 by one payment and 100 of 400 by another. */
async function partlyPaid(): Promise<{ first: string; second: string }> {
  const first = await obligation(bakery, cafe, '1000');
  await pay(app, cafe, first, account.cafe, '300');
  const second = await obligation(bakery, cafe, '400');
  await pay(app, cafe, second, account.cafe, '100');
  return { first, second };
}

/**
 * A round executed by membership over the cycle cafe → bakery → bikes → cafe of 100 (cafe's debt partly
 * paid first, so the set-off makes it PAID) and bakery ⇄ dairy (40 and 30: 30 cleared from each, 10 left), with an
 * earlier round over the same debts left OPEN, its set-offs stale.
 */
async function executedRound(): Promise<{ roundId: string; staleRoundId: string; bakeryOwesDairy: string }> {
  await app.ok(TRADE.setClearingSettings, {
    input: { federationId: app.steward.organizationId, consentByMembership: true, consentHours: 72 },
  });
  const cafeOwesBakery = await obligation(bakery, cafe, '150');
  await pay(app, cafe, cafeOwesBakery, account.cafe, '50');
  await obligation(cafe, bikes, '100');
  await obligation(bikes, bakery, '100');
  const bakeryOwesDairy = await obligation(dairy, bakery, '40');
  await obligation(bakery, dairy, '30');
  const round = (id: string) => ({ input: { id, federationId: app.steward.organizationId, unitCode: 'CWC' } });
  const staleRoundId = randomUUID();
  await app.ok(TRADE.previewClearingRound, round(staleRoundId));
  const roundId = randomUUID();
  await app.ok(TRADE.previewClearingRound, round(roundId));
  const executed = await app.ok<{ executeClearingRound: { cleared: string } }>(TRADE.executeClearingRound, {
    input: { roundId },
  });
  expect(executed.executeClearingRound.cleared).toBe('360');
  const settled = await app.ok<{ invoice: { status: string; paid: string; setOff: string } }>(TRADE.invoice, {
    id: cafeOwesBakery,
  });
  expect(settled.invoice).toMatchObject({ status: 'PAID', paid: '50', setOff: '100' });
  return { roundId, staleRoundId, bakeryOwesDairy };
}

it('hold through payments in parts, replays, automatic payment, a reversal, rejection, cancellation and clearing', async () => {
  // Paid in parts, one payment replayed; an issued invoice accepted by paying it in full.
  const invoice = await obligation(bakery, cafe, '1000');
  const paymentId = randomUUID();
  await pay(app, cafe, invoice, account.cafe, '400', paymentId);
  await pay(app, cafe, invoice, account.cafe, '400', paymentId);
  expect(await pay(app, cafe, invoice, account.cafe, '600')).toMatchObject({ status: 'PAID', paid: '1000' });
  const issued = await issue(app, bakery, cafe, account.bakery, { amount: '70' });
  expect(await pay(app, cafe, issued.id, account.cafe, '70')).toMatchObject({ status: 'PAID' });

  // Automatic payment: within the limit, over it, and refused by the credit line (bikes may go to −500).
  await app.ok(
    TRADE.setAutomaticPayment,
    {
      input: {
        payerId: bikes.id,
        issuerId: bakery.id,
        unitCode: 'CWC',
        fromAccountId: account.bikes,
        maxAmount: '300',
      },
    },
    { token: bikes.treasurer.token },
  );
  const automatic = await issue(app, bakery, bikes, account.bakery, { amount: '250' });
  expect(automatic).toMatchObject({ automaticPayment: 'PAID', status: 'PAID' });
  expect((await issue(app, bakery, bikes, account.bakery, { amount: '301' })).automaticPayment).toBe('OVER_LIMIT');
  expect((await issue(app, bakery, bikes, account.bakery, { amount: '300' })).automaticPayment).toBe('REFUSED');

  // A payment the ledger reverses stays counted; a transfer straight into the issuer's account is no payment.
  const mistaken = await obligation(bakery, cafe, '90');
  await pay(app, cafe, mistaken, account.cafe, '90');
  const [payment] = (await eventsOf(mistaken)).filter((event) => event.kind === 'PAYMENT');
  await app.ok(REVERSE_TRANSACTION, {
    input: { id: randomUUID(), transactionId: payment?.transactionId, memo: 'Paid twice' },
  });
  await app.ok(POST_TRANSACTION, { input: transfer(account.cafe, account.bakery, '15') });

  // Rejected, cancelled (one with nothing settled after acceptance), and left open.
  const rejected = await issue(app, bakery, dairy, account.bakery, { amount: '20' });
  await app.ok(
    TRADE.rejectInvoice,
    { input: { invoiceId: rejected.id, reason: 'Never ordered' } },
    { token: dairy.treasurer.token },
  );
  const cancelled = await obligation(bakery, dairy, '25');
  await app.ok(TRADE.cancelInvoice, { input: { invoiceId: cancelled } }, { token: bakery.treasurer.token });
  await issue(app, dairy, bakery, account.dairy, { amount: '33' });

  await executedRound();
  expect(await findInvariantViolations(app.dataSource.manager, BOOKS)).toEqual([]);
});

it('names a payment event pointing at another invoice’s transfer, and one paid into another account', async () => {
  const { first, second } = await partlyPaid();
  const swapped = await violationsAfter([
    [
      `UPDATE invoice_event e SET transaction_id = o.transaction_id
       FROM invoice_event o WHERE e.kind = 'PAYMENT' AND o.kind = 'PAYMENT' AND e.invoice_id <> o.invoice_id
         AND e.invoice_id IN ($1, $2) AND o.invoice_id IN ($1, $2)`,
      [first, second],
    ],
  ]);
  expect(swapped).toEqual([
    {
      invariant: PAYMENT_TRANSFERS,
      rows: expect.arrayContaining([
        expect.objectContaining({ invoice_id: first, amount: '300', authority_id: second, credited: '100' }),
        expect.objectContaining({ invoice_id: second, amount: '100', authority_id: first, credited: '300' }),
      ]),
    },
  ]);

  const elsewhere = await violationsAfter([
    [`UPDATE invoice SET credit_account_id = $1 WHERE id = $2`, [account.bikes, first]],
  ]);
  expect(elsewhere).toEqual([
    {
      invariant: PAYMENT_TRANSFERS,
      rows: [expect.objectContaining({ invoice_id: first, amount: '300', debited: '300', credited: '0' })],
    },
  ]);
});

it('names an invoice whose paid is not its payments’, and a transfer no payment event records', async () => {
  const { first, second } = await partlyPaid();
  const shortened = await violationsAfter([[`UPDATE invoice SET paid = paid - 10 WHERE id = $1`, [first]]]);
  expect(shortened).toEqual([
    {
      invariant: PAID,
      rows: [expect.objectContaining({ invoice_id: first, paid: '290', paid_by_events: '300', moved: '300' })],
    },
  ]);

  const forgotten = await violationsAfter([
    [`DELETE FROM invoice_event WHERE invoice_id = $1 AND kind = 'PAYMENT'`, [second]],
    [`UPDATE invoice SET paid = 0, status = 'ACCEPTED' WHERE id = $1`, [second]],
  ]);
  expect(forgotten).toEqual([
    {
      invariant: PAID,
      rows: [expect.objectContaining({ invoice_id: second, paid: '0', payments: null, transfers: '1', moved: '100' })],
    },
  ]);
});

it('names an invoice whose set-off is not what its executed rounds set off', async () => {
  const { staleRoundId, bakeryOwesDairy } = await executedRound();
  const grown = await violationsAfter([[`UPDATE invoice SET set_off = set_off + 1 WHERE id = $1`, [bakeryOwesDairy]]]);
  expect(grown).toEqual([
    {
      invariant: SET_OFF,
      rows: [expect.objectContaining({ invoice_id: bakeryOwesDairy, set_off: '31', set_off_by_events: '30' })],
    },
  ]);

  const unexecuted = await violationsAfter([
    [
      `INSERT INTO invoice_event (invoice_id, kind, amount, round_id, actor, at)
       SELECT invoice_id, 'SET_OFF', amount, round_id, 'test', now() FROM clearing_setoff
       WHERE round_id = $1 AND invoice_id = $2`,
      [staleRoundId, bakeryOwesDairy],
    ],
  ]);
  expect(unexecuted).toEqual([
    {
      invariant: SET_OFF,
      rows: [expect.objectContaining({ invoice_id: bakeryOwesDairy, unmatched_rounds: [staleRoundId] })],
    },
  ]);
});

it('names a round whose cleared is not its set-offs’, and a set-off turned round', async () => {
  const { roundId, bakeryOwesDairy } = await executedRound();
  const overstated = await violationsAfter([
    [`UPDATE clearing_round SET cleared = cleared - 1 WHERE id = $1`, [roundId]],
  ]);
  expect(overstated).toEqual([
    { invariant: ROUNDS, rows: [expect.objectContaining({ round_id: roundId, cleared: '359', set_off: '360' })] },
  ]);

  const reversed = await violationsAfter([
    [
      `UPDATE clearing_setoff SET debtor_id = creditor_id, creditor_id = debtor_id WHERE round_id = $1 AND invoice_id = $2`,
      [roundId, bakeryOwesDairy],
    ],
  ]);
  expect(reversed).toEqual([
    {
      invariant: ROUNDS,
      rows: expect.arrayContaining([
        expect.objectContaining({ round_id: roundId, invoice_id: bakeryOwesDairy, organization_id: dairy.id }),
        expect.objectContaining({ round_id: roundId, organization_id: bakery.id, net_moved: '-60' }),
        expect.objectContaining({ round_id: roundId, organization_id: dairy.id, net_moved: '60' }),
      ]),
    },
  ]);
  expect(reversed[0]?.rows).toHaveLength(3);
});

/**
 * The books check's violations with `damage` done in a database transaction that is then rolled back, so
 * the books are whole again for the check after the test. Trade's rows are guarded (append-only events,
 * an invoice's terms and settled amounts, an executed round), so the transaction turns its guard triggers
 * off (replica role) for itself.
 */
async function violationsAfter(damage: readonly [string, readonly unknown[]][]): Promise<InvariantResult[]> {
  const runner = app.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query(`SET LOCAL session_replication_role = replica`);
    for (const [sql, parameters] of damage) await runner.query(sql, [...parameters]);
    return await findInvariantViolations(runner.manager, BOOKS);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}
