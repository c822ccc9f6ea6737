/**
 * Goal: a statement agrees with itself and with the invoices: closing = opening + the lines' changes, and
 * closing = what the open invoices at the end are owed less what they owe, for any history and any period;
 * the CSV has a row per line and neutralises spreadsheet formulas. Method: fast-check over random
 * histories of invoices between one organisation and others, folded by the statement rule.
 */
import fc from 'fast-check';
import { foldStatement, statementCsv } from '../../../src/trade/rules/statement.js';
import type { StatementEventRecord } from '../../../src/trade/trade.records.js';

const ME = 'me';

function history(steps: readonly { outgoing: boolean; total: number; settle: number[]; withdraw: boolean }[]) {
  const events: StatementEventRecord[] = [];
  let at = 0;
  let sequence = 0n;
  const push = (
    invoiceId: string,
    outgoing: boolean,
    total: bigint,
    kind: StatementEventRecord['kind'],
    amount: bigint,
  ) => {
    at += 1000;
    sequence += 1n;
    events.push({
      sequence,
      invoiceId,
      kind,
      amount,
      paymentId: null,
      transactionId: null,
      roundId: null,
      actor: 'test',
      reason: '',
      at: new Date(at),
      issuerId: outgoing ? ME : 'other',
      payerId: outgoing ? 'other' : ME,
      reference: `=ref ${invoiceId}`,
      total,
      dueOn: '2030-01-01',
    });
  };
  steps.forEach((step, index) => {
    const total = BigInt(step.total);
    const id = `i${index}`;
    push(id, step.outgoing, total, 'ISSUED', total);
    let left = total;
    for (const part of step.settle) {
      const amount = BigInt(part) > left ? left : BigInt(part);
      if (amount === 0n) continue;
      push(id, step.outgoing, total, part % 2 === 0 ? 'PAYMENT' : 'SET_OFF', amount);
      left -= amount;
    }
    if (step.withdraw && left === total) push(id, step.outgoing, total, 'CANCELLED', total);
  });
  return events;
}

describe('foldStatement', () => {
  it('balances open to close, and closes on the open invoices, for any history and period', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            outgoing: fc.boolean(),
            total: fc.integer({ min: 1, max: 1000 }),
            settle: fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 3 }),
            withdraw: fc.boolean(),
          }),
          { maxLength: 15 },
        ),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 80 }),
        (steps, start, length) => {
          const all = history(steps);
          const period = { from: new Date(start * 1000), to: new Date((start + length) * 1000) };
          const statement = foldStatement(
            ME,
            all.filter((event) => event.at < period.to),
            period,
          );
          const changes = statement.lines.reduce((sum, line) => sum + line.change, 0n);
          expect(statement.closingBalance).toBe(statement.openingBalance + changes);
          const open = statement.openInvoices.reduce(
            (sum, invoice) => sum + (invoice.direction === 'RECEIVABLE' ? invoice.outstanding : -invoice.outstanding),
            0n,
          );
          expect(statement.closingBalance).toBe(open);
          const csv = statementCsv(statement).trim().split('\r\n');
          expect(csv).toHaveLength(statement.lines.length + 3);
          expect(csv.slice(2, -1).every((row) => !row.includes(',=ref'))).toBe(true);
        },
      ),
    );
  });
});
