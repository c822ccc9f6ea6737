/**
 * What an invoice may say, and its total. Each line is a description, a quantity (a decimal with up to
 * three places, such as "2.5") and a unit price in minor units; its amount is quantity × price rounded half
 * up to the minor unit (the one rounding, named here and shown on the line). The invoice's total is the
 * exact sum of its lines' amounts, so the lines always add up to the total.
 *
 * The SQL twin: migrations/1764600000000-Trade.ts (`invoice_line_*` and `invoice_total_*` checks, and the
 * trigger `guard_invoice_lines`, which checks that the lines add up to the total at commit).
 */
import { MAX_ENTRY_AMOUNT } from '../../ledger/ledger.records.js';

export const MAX_LINES = 100;
export const MAX_DESCRIPTION = 200;
export const MAX_REFERENCE = 100;
export const MAX_NOTES = 2000;
export const MAX_REASON = 500;
/** Quantities are kept in thousandths. */
export const QUANTITY_SCALE = 1000n;
export const MAX_QUANTITY_THOUSANDTHS = 1_000_000_000n * QUANTITY_SCALE;
export const MAX_INVOICE_TOTAL = MAX_ENTRY_AMOUNT;

const QUANTITY = /^(0|[1-9]\d{0,9})(\.\d{1,3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface LineInput {
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: bigint;
}

export interface InvoiceLine {
  readonly position: number;
  readonly description: string;
  /** In thousandths: "2.5" is 2500. */
  readonly quantityThousandths: bigint;
  readonly unitPrice: bigint;
  readonly amount: bigint;
}

export type TermsCheck =
  | { readonly ok: true; readonly lines: readonly InvoiceLine[]; readonly total: bigint }
  | { readonly ok: false; readonly problem: string };

/** Checks the lines and works out their amounts and the total. */
export function priceLines(inputs: readonly LineInput[]): TermsCheck {
  if (inputs.length === 0 || inputs.length > MAX_LINES) return problem(`an invoice has 1 to ${MAX_LINES} lines`);
  const lines: InvoiceLine[] = [];
  let total = 0n;
  for (const [index, input] of inputs.entries()) {
    const description = input.description.trim();
    if (description.length === 0 || [...description].length > MAX_DESCRIPTION) {
      return problem(`line ${index + 1}: a description has 1 to ${MAX_DESCRIPTION} characters`);
    }
    const quantity = parseQuantity(input.quantity);
    if (quantity === null || quantity <= 0n) {
      return problem(`line ${index + 1}: a quantity is a positive decimal with up to 3 places, such as "2.5"`);
    }
    if (input.unitPrice < 0n || input.unitPrice > MAX_INVOICE_TOTAL) {
      return problem(`line ${index + 1}: a unit price is 0 to ${MAX_INVOICE_TOTAL} minor units`);
    }
    const amount = lineAmount(quantity, input.unitPrice);
    total += amount;
    if (total > MAX_INVOICE_TOTAL) return problem(`the total is at most ${MAX_INVOICE_TOTAL} minor units`);
    lines.push({ position: index + 1, description, quantityThousandths: quantity, unitPrice: input.unitPrice, amount });
  }
  if (total <= 0n) return problem('the total is more than zero');
  return { ok: true, lines, total };
}

/** quantity × price, rounded half up to the minor unit (both are non-negative). */
export function lineAmount(quantityThousandths: bigint, unitPrice: bigint): bigint {
  return (quantityThousandths * unitPrice + QUANTITY_SCALE / 2n) / QUANTITY_SCALE;
}

/** "2.5" → 2500n thousandths; null when it is not a decimal with up to 3 places within the limit. */
export function parseQuantity(text: string): bigint | null {
  const match = QUANTITY.exec(text);
  if (match === null) return null;
  const whole = BigInt(match[1] ?? '0');
  const fraction = (match[2] ?? '.').slice(1).padEnd(3, '0');
  const value = whole * QUANTITY_SCALE + BigInt(fraction === '' ? '0' : fraction);
  return value > MAX_QUANTITY_THOUSANDTHS ? null : value;
}

export function formatQuantity(thousandths: bigint): string {
  const whole = thousandths / QUANTITY_SCALE;
  const fraction = (thousandths % QUANTITY_SCALE).toString().padStart(3, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** A real calendar date, YYYY-MM-DD, years 1 to 9999. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month === 2 && day === 29) return leap;
  return date.getUTCMonth() === month - 1;
}

/** The calendar date (UTC) of an instant. */
export function calendarDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function problem(text: string): TermsCheck {
  return { ok: false, problem: text };
}
