/**
 * Rule: the most a home on the trust's land may be resold for, by the trust's formula. Two formulas, as
 * CLTs write them into their ground leases:
 *
 * - APPRECIATION_SHARE: the purchase price plus the trust's share for the seller of the appraised increase:
 *   purchase + ⌊(appraised − purchase) × share / 10 000⌋ when the home gained value.
 * - INDEXED: the purchase price moved by an index given per year (area median income, a price index):
 *   ⌊purchase × index(sale year) / index(purchase year)⌋. Index values are decimals with up to 6 places.
 *
 * Either way the resale price is never above the appraised value (a buyer never pays more than the home is
 * worth), so when the market fell the price is the appraised value. Rounding is down, to the minor unit:
 * the formula protects the next household's affordability, and the seller is owed no fraction.
 * Why: the resale formula is how the trust keeps a home affordable for good, and the seller must be able to
 * see how their price was reached. SQL twin: the formula is stored as checked JSON on `land_trust`
 * (`land_trust_resale_formula_object`); this rule checks its content.
 */
import { assert } from '../../kernel/assert.js';

export type ResaleFormula =
  | { readonly kind: 'APPRECIATION_SHARE'; readonly sharePoints: number }
  | { readonly kind: 'INDEXED'; readonly indexes: readonly { readonly year: number; readonly value: string }[] };

export interface ResaleInput {
  readonly purchasePriceMinor: bigint;
  readonly purchaseYear: number;
  readonly appraisedValueMinor: bigint;
  readonly saleYear: number;
}

export interface ResaleComputation {
  readonly formulaPriceMinor: bigint;
  readonly resalePriceMinor: bigint;
  /** Whether the appraised value capped the formula's price. */
  readonly cappedByAppraisal: boolean;
  /** Each step, in words, for the seller and the buyer. */
  readonly steps: readonly string[];
}

/** A formula as a client gives it: the fields of both kinds, the unused ones null. */
export interface ResaleFormulaDraft {
  readonly kind: ResaleFormula['kind'];
  readonly sharePoints: number | null;
  readonly indexes: readonly { readonly year: number; readonly value: string }[] | null;
}

export type ResaleProblem =
  | 'FIELDS_DO_NOT_FIT_KIND'
  | 'SHARE_OUT_OF_RANGE'
  | 'NO_INDEXES'
  | 'INDEX_NOT_POSITIVE'
  | 'INDEX_YEAR_REPEATED'
  | 'INDEX_MISSING_FOR_YEAR';

const INDEX_FORM = /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/;
export const MAX_INDEXES = 200;

/** The formula a draft names (each kind with its own fields only), or the problem with it. */
export function formulaFrom(draft: ResaleFormulaDraft): ResaleFormula | ResaleProblem {
  let formula: ResaleFormula;
  if (draft.kind === 'APPRECIATION_SHARE') {
    if (draft.sharePoints === null || draft.indexes !== null) return 'FIELDS_DO_NOT_FIT_KIND';
    formula = { kind: 'APPRECIATION_SHARE', sharePoints: draft.sharePoints };
  } else {
    if (draft.indexes === null || draft.sharePoints !== null) return 'FIELDS_DO_NOT_FIT_KIND';
    formula = { kind: 'INDEXED', indexes: draft.indexes.map((index) => ({ year: index.year, value: index.value })) };
  }
  return checkFormula(formula) ?? formula;
}

/** The problem with a formula as a steward gives it, or null when it can be stored. */
export function checkFormula(formula: ResaleFormula): ResaleProblem | null {
  if (formula.kind === 'APPRECIATION_SHARE') {
    return Number.isInteger(formula.sharePoints) && formula.sharePoints >= 0 && formula.sharePoints <= 10_000
      ? null
      : 'SHARE_OUT_OF_RANGE';
  }
  if (formula.indexes.length === 0 || formula.indexes.length > MAX_INDEXES) return 'NO_INDEXES';
  const years = new Set<number>();
  for (const index of formula.indexes) {
    if (!INDEX_FORM.test(index.value) || scaled(index.value) === 0n) return 'INDEX_NOT_POSITIVE';
    if (years.has(index.year)) return 'INDEX_YEAR_REPEATED';
    years.add(index.year);
  }
  return null;
}

/** The problem with computing a price (a year without an index), or null. */
export function checkResale(formula: ResaleFormula, input: ResaleInput): ResaleProblem | null {
  const problem = checkFormula(formula);
  if (problem !== null || formula.kind === 'APPRECIATION_SHARE') return problem;
  const years = new Set(formula.indexes.map((index) => index.year));
  return years.has(input.purchaseYear) && years.has(input.saleYear) ? null : 'INDEX_MISSING_FOR_YEAR';
}

export function resalePrice(formula: ResaleFormula, input: ResaleInput): ResaleComputation {
  assert(checkResale(formula, input) === null, 'the formula applies to this sale');
  assert(input.purchasePriceMinor >= 0n && input.appraisedValueMinor >= 0n, 'prices are zero or more');
  const steps: string[] = [`Purchase price: ${input.purchasePriceMinor} (${input.purchaseYear}).`];
  let formulaPriceMinor: bigint;
  if (formula.kind === 'APPRECIATION_SHARE') {
    const gain = input.appraisedValueMinor - input.purchasePriceMinor;
    if (gain > 0n) {
      const share = (gain * BigInt(formula.sharePoints)) / 10_000n;
      formulaPriceMinor = input.purchasePriceMinor + share;
      steps.push(
        `Appraised increase: ${input.appraisedValueMinor} − ${input.purchasePriceMinor} = ${gain}.`,
        `Seller's share: ${formula.sharePoints / 100}% of ${gain}, rounded down = ${share}.`,
        `Formula price: ${input.purchasePriceMinor} + ${share} = ${formulaPriceMinor}.`,
      );
    } else {
      formulaPriceMinor = input.purchasePriceMinor;
      steps.push(`No appraised increase (${input.appraisedValueMinor}): formula price = purchase price.`);
    }
  } else {
    const from = formula.indexes.find((index) => index.year === input.purchaseYear)?.value ?? '1';
    const to = formula.indexes.find((index) => index.year === input.saleYear)?.value ?? '1';
    formulaPriceMinor = (input.purchasePriceMinor * scaled(to)) / scaled(from);
    steps.push(
      `Index ${input.purchaseYear}: ${from}; index ${input.saleYear}: ${to}.`,
      `Formula price: ${input.purchasePriceMinor} × ${to} / ${from}, rounded down = ${formulaPriceMinor}.`,
    );
  }
  const cappedByAppraisal = formulaPriceMinor > input.appraisedValueMinor;
  const resalePriceMinor = cappedByAppraisal ? input.appraisedValueMinor : formulaPriceMinor;
  steps.push(
    cappedByAppraisal
      ? `Capped at the appraised value: ${resalePriceMinor}.`
      : `Within the appraised value (${input.appraisedValueMinor}): resale price ${resalePriceMinor}.`,
  );
  return { formulaPriceMinor, resalePriceMinor, cappedByAppraisal, steps };
}

/** An index value as an integer of millionths ("245.5" → 245500000). */
function scaled(value: string): bigint {
  const [whole, fraction = ''] = value.split('.') as [string, string?];
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}
