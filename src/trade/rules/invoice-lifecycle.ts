/**
 * The life of an invoice (a payment request from one organisation to another), as a pure state machine.
 *
 *   ISSUED ──accept──▶ ACCEPTED ──settle (part)──▶ PARTLY_PAID ──settle (rest)──▶ PAID
 *     │  └──settle (pays, and so accepts)──────────────┘ (or PAID at once)
 *     ├──reject (the payer, with a reason)──▶ REJECTED
 *     └──cancel (the issuer, nothing settled yet; also from ACCEPTED)──▶ CANCELLED
 *
 * Settling is a payment (value moved in the ledger) or a set-off (a clearing round released the payer from
 * part of the debt). A payment may settle an ISSUED invoice (paying accepts it); a set-off only settles an
 * obligation, that is an ACCEPTED or PARTLY_PAID invoice. Nothing is settled past the total; nothing settled
 * is ever taken back. Overdue is not a state: an open invoice is overdue once its due date has passed
 * (`isOverdue`), so no job has to mark it.
 *
 * Replays: accepting an accepted invoice, rejecting a rejected one or cancelling a cancelled one changes
 * nothing and is not an error (the answer is the invoice as it stands), so that a retried request is safe.
 *
 * The SQL twin: migrations/1764600000000-Trade.ts (`invoice_status_fits_settled`, `invoice_settled_within_total`
 * and the trigger `guard_invoice`, which refuses any other change of status and any decrease of what is settled).
 */

export const INVOICE_STATUSES = ['ISSUED', 'ACCEPTED', 'PARTLY_PAID', 'PAID', 'REJECTED', 'CANCELLED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The statuses of an invoice still to be paid (in full or in part). */
export const OPEN_STATUSES: readonly InvoiceStatus[] = ['ISSUED', 'ACCEPTED', 'PARTLY_PAID'];
/** The statuses of an obligation: accepted by the payer and not yet settled in full. */
export const OBLIGATION_STATUSES: readonly InvoiceStatus[] = ['ACCEPTED', 'PARTLY_PAID'];

export interface InvoiceState {
  readonly status: InvoiceStatus;
  readonly total: bigint;
  /** Paid and set off so far. */
  readonly settled: bigint;
}

export type InvoiceAction =
  | { readonly kind: 'ACCEPT' }
  | { readonly kind: 'REJECT' }
  | { readonly kind: 'CANCEL' }
  | { readonly kind: 'PAY'; readonly amount: bigint }
  | { readonly kind: 'SET_OFF'; readonly amount: bigint };

/** Why an action does not apply; each is a declared reason in trade.errors.ts. */
export type InvoiceRefusal =
  'INVOICE_CLOSED' | 'ALREADY_ACCEPTED' | 'ALREADY_SETTLED' | 'NOT_AN_OBLIGATION' | 'INVALID_PAYMENT' | 'OVERPAYMENT';

export type Transition =
  | { readonly ok: true; readonly state: InvoiceState; readonly changed: boolean }
  | { readonly ok: false; readonly refusal: InvoiceRefusal };

const refuse = (refusal: InvoiceRefusal): Transition => ({ ok: false, refusal });
const unchanged = (state: InvoiceState): Transition => ({ ok: true, state, changed: false });
const to = (state: InvoiceState, status: InvoiceStatus, settled = state.settled): Transition => ({
  ok: true,
  state: { ...state, status, settled },
  changed: true,
});

/** What the state machine needs of a stored invoice: what is settled is what is paid plus what is set off. */
export function stateOf(invoice: {
  readonly status: InvoiceStatus;
  readonly total: bigint;
  readonly paid: bigint;
  readonly setOff: bigint;
}): InvoiceState {
  return { status: invoice.status, total: invoice.total, settled: invoice.paid + invoice.setOff };
}

export function outstanding(state: InvoiceState): bigint {
  return isOpen(state.status) ? state.total - state.settled : 0n;
}

export function isOpen(status: InvoiceStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Open and past its due date (`today` and `dueOn` are calendar dates, YYYY-MM-DD, in UTC). */
export function isOverdue(status: InvoiceStatus, dueOn: string, today: string): boolean {
  return isOpen(status) && dueOn < today;
}

export function applyInvoiceAction(state: InvoiceState, action: InvoiceAction): Transition {
  switch (action.kind) {
    case 'ACCEPT':
      if (state.status === 'ISSUED') return to(state, 'ACCEPTED');
      if (state.status === 'REJECTED' || state.status === 'CANCELLED') return refuse('INVOICE_CLOSED');
      return unchanged(state);
    case 'REJECT':
      if (state.status === 'ISSUED') return to(state, 'REJECTED');
      if (state.status === 'REJECTED') return unchanged(state);
      if (state.status === 'CANCELLED') return refuse('INVOICE_CLOSED');
      return refuse('ALREADY_ACCEPTED');
    case 'CANCEL':
      if ((state.status === 'ISSUED' || state.status === 'ACCEPTED') && state.settled === 0n) {
        return to(state, 'CANCELLED');
      }
      if (state.status === 'CANCELLED') return unchanged(state);
      if (state.status === 'REJECTED') return refuse('INVOICE_CLOSED');
      return refuse('ALREADY_SETTLED');
    case 'PAY':
    case 'SET_OFF': {
      if (!isOpen(state.status)) return refuse('INVOICE_CLOSED');
      if (action.kind === 'SET_OFF' && !OBLIGATION_STATUSES.includes(state.status)) return refuse('NOT_AN_OBLIGATION');
      if (action.amount <= 0n) return refuse('INVALID_PAYMENT');
      if (action.amount > state.total - state.settled) return refuse('OVERPAYMENT');
      const settled = state.settled + action.amount;
      return to(state, settled === state.total ? 'PAID' : 'PARTLY_PAID', settled);
    }
  }
}
