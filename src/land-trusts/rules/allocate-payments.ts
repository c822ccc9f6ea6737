/**
 * Rule: payments go to the oldest unpaid charges first; what is left over is the leaseholder's credit,
 * which the next charges take first.
 *
 * - Charges are taken oldest first: by period (then id, which never ties for one lease). What a charge asks
 *   is its amount less what was waived of it. A deferral moves when a charge counts as overdue, not its
 *   place in the queue: the oldest debt is still paid first.
 * - Payments are taken in the order they were received (day received, then when recorded, then id), and
 *   each fills the oldest charge not yet paid in full, then the next.
 * - The same charges and payments give the same allocation whatever order they are listed in, and the
 *   allocation conserves money: Σ allocated = min(Σ payments, Σ asked), credit = Σ payments − Σ allocated,
 *   outstanding = Σ asked − Σ allocated.
 *
 * Why: "oldest first" is what a household expects and what keeps the arrears the bookkeeper sees honest
 * (a payment never leaves an old charge unpaid to settle a new one). It is computed from the rows every
 * time it is asked, so a waiver or a late-recorded payment never leaves a stale allocation behind. SQL
 * twin: the receivable account of each lease, whose balance is Σ payments + Σ waived − Σ charged, which
 * the statement checks against (credit − outstanding).
 */
import { assert } from '../../kernel/assert.js';

export interface AllocatableCharge {
  readonly id: string;
  readonly period: string;
  readonly amountMinor: bigint;
  readonly waivedMinor: bigint;
}

export interface AllocatablePayment {
  readonly id: string;
  readonly receivedOn: string;
  readonly recordedAt: Date;
  readonly amountMinor: bigint;
}

export interface Allocation {
  readonly paymentId: string;
  readonly chargeId: string;
  readonly amountMinor: bigint;
}

export interface ChargeStanding {
  readonly chargeId: string;
  readonly askedMinor: bigint;
  readonly paidMinor: bigint;
  readonly outstandingMinor: bigint;
}

export interface AllocationResult {
  readonly allocations: readonly Allocation[];
  /** In the order charges are paid (oldest first). */
  readonly charges: readonly ChargeStanding[];
  readonly creditMinor: bigint;
  readonly outstandingMinor: bigint;
}

export function compareCharges(a: AllocatableCharge, b: AllocatableCharge): number {
  return a.period < b.period ? -1 : a.period > b.period ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function comparePayments(a: AllocatablePayment, b: AllocatablePayment): number {
  if (a.receivedOn !== b.receivedOn) return a.receivedOn < b.receivedOn ? -1 : 1;
  if (a.recordedAt.getTime() !== b.recordedAt.getTime()) return a.recordedAt.getTime() - b.recordedAt.getTime();
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function allocatePayments(
  charges: readonly AllocatableCharge[],
  payments: readonly AllocatablePayment[],
): AllocationResult {
  const queue = [...charges].sort(compareCharges);
  const paid = new Map<string, bigint>();
  const allocations: Allocation[] = [];
  let next = 0;
  let credit = 0n;
  for (const payment of [...payments].sort(comparePayments)) {
    assert(payment.amountMinor > 0n, 'a payment is more than zero');
    let left = payment.amountMinor;
    while (left > 0n && next < queue.length) {
      const charge = queue[next] as AllocatableCharge;
      const asked = charge.amountMinor - charge.waivedMinor;
      assert(asked >= 0n, 'a charge is never waived beyond its amount');
      const due = asked - (paid.get(charge.id) ?? 0n);
      if (due === 0n) {
        next += 1;
        continue;
      }
      const amountMinor = left < due ? left : due;
      paid.set(charge.id, (paid.get(charge.id) ?? 0n) + amountMinor);
      allocations.push({ paymentId: payment.id, chargeId: charge.id, amountMinor });
      left -= amountMinor;
    }
    credit += left;
  }
  let outstanding = 0n;
  const standings = queue.map((charge) => {
    const askedMinor = charge.amountMinor - charge.waivedMinor;
    const paidMinor = paid.get(charge.id) ?? 0n;
    outstanding += askedMinor - paidMinor;
    return { chargeId: charge.id, askedMinor, paidMinor, outstandingMinor: askedMinor - paidMinor };
  });
  return { allocations, charges: standings, creditMinor: credit, outstandingMinor: outstanding };
}
