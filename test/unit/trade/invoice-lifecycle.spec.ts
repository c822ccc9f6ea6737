/**
 * Goal: the invoice state machine admits exactly the documented moves, never settles past the total or
 * takes back what is settled, and its status always follows what is settled; the terms price lines exactly.
 * Method: worked examples of every move and refusal, then fast-check over random action sequences (status
 * fits settled, settled never decreases and never passes the total, closed invoices stay closed) and over
 * random lines (the total is the exact sum of rounded line amounts; quantities round-trip).
 */
import fc from 'fast-check';
import {
  applyInvoiceAction,
  INVOICE_STATUSES,
  isOverdue,
  outstanding,
  type InvoiceAction,
  type InvoiceState,
} from '../../../src/trade/rules/invoice-lifecycle.js';
import {
  formatQuantity,
  isCalendarDate,
  lineAmount,
  parseQuantity,
  priceLines,
} from '../../../src/trade/rules/invoice-terms.js';

const issued = (total = 100n): InvoiceState => ({ status: 'ISSUED', total, settled: 0n });

describe('applyInvoiceAction: worked examples', () => {
  it('accepts, pays in parts, and is paid', () => {
    const accepted = applyInvoiceAction(issued(), { kind: 'ACCEPT' });
    expect(accepted).toEqual({ ok: true, changed: true, state: { status: 'ACCEPTED', total: 100n, settled: 0n } });
    if (!accepted.ok) throw new Error('accepted');
    const part = applyInvoiceAction(accepted.state, { kind: 'PAY', amount: 40n });
    expect(part).toMatchObject({ ok: true, state: { status: 'PARTLY_PAID', settled: 40n } });
    if (!part.ok) throw new Error('part');
    expect(applyInvoiceAction(part.state, { kind: 'SET_OFF', amount: 60n })).toMatchObject({
      ok: true,
      state: { status: 'PAID', settled: 100n },
    });
  });

  it('refuses what does not fit', () => {
    expect(applyInvoiceAction(issued(), { kind: 'PAY', amount: 101n })).toEqual({ ok: false, refusal: 'OVERPAYMENT' });
    expect(applyInvoiceAction(issued(), { kind: 'PAY', amount: 0n })).toEqual({
      ok: false,
      refusal: 'INVALID_PAYMENT',
    });
    expect(applyInvoiceAction(issued(), { kind: 'SET_OFF', amount: 1n })).toEqual({
      ok: false,
      refusal: 'NOT_AN_OBLIGATION',
    });
    const accepted: InvoiceState = { status: 'ACCEPTED', total: 100n, settled: 0n };
    expect(applyInvoiceAction(accepted, { kind: 'REJECT' })).toEqual({ ok: false, refusal: 'ALREADY_ACCEPTED' });
    const part: InvoiceState = { status: 'PARTLY_PAID', total: 100n, settled: 1n };
    expect(applyInvoiceAction(part, { kind: 'CANCEL' })).toEqual({ ok: false, refusal: 'ALREADY_SETTLED' });
    for (const status of ['PAID', 'REJECTED', 'CANCELLED'] as const) {
      expect(applyInvoiceAction({ status, total: 100n, settled: 0n }, { kind: 'PAY', amount: 1n })).toEqual({
        ok: false,
        refusal: 'INVOICE_CLOSED',
      });
    }
  });

  it('replays accept, reject and cancel without change', () => {
    const paid: InvoiceState = { status: 'PAID', total: 5n, settled: 5n };
    expect(applyInvoiceAction(paid, { kind: 'ACCEPT' })).toEqual({ ok: true, changed: false, state: paid });
    const rejected: InvoiceState = { status: 'REJECTED', total: 5n, settled: 0n };
    expect(applyInvoiceAction(rejected, { kind: 'REJECT' })).toEqual({ ok: true, changed: false, state: rejected });
    const cancelled: InvoiceState = { status: 'CANCELLED', total: 5n, settled: 0n };
    expect(applyInvoiceAction(cancelled, { kind: 'CANCEL' })).toEqual({ ok: true, changed: false, state: cancelled });
  });

  it('is overdue only while open and past its due date', () => {
    expect(isOverdue('ACCEPTED', '2026-01-01', '2026-01-02')).toBe(true);
    expect(isOverdue('ACCEPTED', '2026-01-02', '2026-01-02')).toBe(false);
    expect(isOverdue('PAID', '2026-01-01', '2026-01-02')).toBe(false);
  });
});

const actionArbitrary: fc.Arbitrary<InvoiceAction> = fc.oneof(
  fc.constant({ kind: 'ACCEPT' as const }),
  fc.constant({ kind: 'REJECT' as const }),
  fc.constant({ kind: 'CANCEL' as const }),
  fc.bigInt({ min: -5n, max: 120n }).map((amount) => ({ kind: 'PAY' as const, amount })),
  fc.bigInt({ min: -5n, max: 120n }).map((amount) => ({ kind: 'SET_OFF' as const, amount })),
);

describe('applyInvoiceAction: properties', () => {
  it('keeps status and settled consistent along any sequence of actions', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100n }), fc.array(actionArbitrary, { maxLength: 30 }), (total, actions) => {
        let state = issued(total);
        for (const action of actions) {
          const result = applyInvoiceAction(state, action);
          if (!result.ok) continue;
          const next = result.state;
          expect(next.settled).toBeGreaterThanOrEqual(state.settled);
          expect(next.settled).toBeLessThanOrEqual(next.total);
          expect(next.total).toBe(state.total);
          expect(next.status === 'PAID').toBe(next.settled === next.total);
          if (next.status === 'PARTLY_PAID') expect(next.settled).toBeGreaterThan(0n);
          if (['REJECTED', 'CANCELLED', 'PAID'].includes(state.status)) expect(next).toEqual(state);
          if (!result.changed) expect(next).toEqual(state);
          expect(outstanding(next)).toBe(
            ['ISSUED', 'ACCEPTED', 'PARTLY_PAID'].includes(next.status) ? next.total - next.settled : 0n,
          );
          expect(INVOICE_STATUSES).toContain(next.status);
          state = next;
        }
      }),
    );
  });
});

describe('priceLines', () => {
  it('rounds each line half up and sums exactly', () => {
    const result = priceLines([
      { description: 'Bread', quantity: '12', unitPrice: 450n },
      { description: 'Flour', quantity: '2.5', unitPrice: 199n },
      { description: 'Salt', quantity: '0.001', unitPrice: 499n },
    ]);
    expect(result).toMatchObject({ ok: true, total: 5400n + 498n + 0n });
  });

  it('refuses what is not an invoice', () => {
    expect(priceLines([]).ok).toBe(false);
    expect(priceLines([{ description: ' ', quantity: '1', unitPrice: 1n }]).ok).toBe(false);
    expect(priceLines([{ description: 'x', quantity: '0', unitPrice: 1n }]).ok).toBe(false);
    expect(priceLines([{ description: 'x', quantity: '-1', unitPrice: 1n }]).ok).toBe(false);
    expect(priceLines([{ description: 'x', quantity: '1e3', unitPrice: 1n }]).ok).toBe(false);
    expect(priceLines([{ description: 'x', quantity: '1', unitPrice: -1n }]).ok).toBe(false);
    expect(priceLines([{ description: 'x', quantity: '1', unitPrice: 0n }]).ok).toBe(false);
    expect(priceLines([{ description: 'x', quantity: '1000000000', unitPrice: 10n ** 18n }]).ok).toBe(false);
  });

  it('the total is the exact sum of the line amounts, each within half a minor unit of quantity × price', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.bigInt({ min: 0n, max: 10n ** 9n })), {
          minLength: 1,
          maxLength: 20,
        }),
        (lines) => {
          const inputs = lines.map(([thousandths, price]) => ({
            description: 'item',
            quantity: formatQuantity(BigInt(thousandths)),
            unitPrice: price,
          }));
          const result = priceLines(inputs);
          if (!result.ok) {
            expect(lines.every(([, price]) => price === 0n) || result.problem.includes('total')).toBe(true);
            return;
          }
          expect(result.total).toBe(result.lines.reduce((sum, line) => sum + line.amount, 0n));
          for (const line of result.lines) {
            const exactTimes1000 = line.quantityThousandths * line.unitPrice;
            const diff = line.amount * 1000n - exactTimes1000;
            expect(diff).toBeGreaterThan(-500n - 1n);
            expect(diff).toBeLessThanOrEqual(500n);
            expect(lineAmount(line.quantityThousandths, line.unitPrice)).toBe(line.amount);
          }
        },
      ),
    );
  });

  it('reads back every quantity it writes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (thousandths) => {
        expect(parseQuantity(formatQuantity(thousandths))).toBe(thousandths);
      }),
    );
  });
});

describe('isCalendarDate', () => {
  it('knows real dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('0000-01-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});
