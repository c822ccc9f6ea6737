import { IntrinsicException } from '@nestjs/common';

/**
 * The API's errors: a closed set of codes clients can branch on, and under each a stable, finer reason.
 * Every reason is declared once, by the module that raises it (`<module>.errors.ts`, with `declareReasons`),
 * with its code and what it means; `docs/ERRORS.md` is generated from those declarations. DomainError takes
 * only a declared reason, so an undeclared one does not compile. The presenter (error-presenter.ts) turns
 * every error into the API shape.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

declare const DECLARED: unique symbol;

/** A reason as its module declared it; only `declareReasons` makes one. */
export interface ErrorReason<Reason extends string = string, Code extends ErrorCode = ErrorCode> {
  readonly reason: Reason;
  readonly code: Code;
  /** One sentence for docs/ERRORS.md: when a client sees it, and what to do. */
  readonly meaning: string;
  readonly module: string;
  readonly [DECLARED]: true;
}

/** A module's closed set of reasons, keyed by name. */
export type ReasonCatalogue = Readonly<Record<string, ErrorReason>>;

type Declarations = Readonly<Record<string, readonly [ErrorCode, string]>>;

/** Every reason declared so far, by name: a name means one thing in the whole API. */
const DECLARED_REASONS = new Map<string, ErrorReason>();

/**
 * Declares a module's reasons: `{ UNBALANCED: ['VALIDATION_FAILED', 'Debits and credits differ.'] }`.
 * The result is the module's catalogue; its members are what DomainError and the ledger's refusals accept.
 */
export function declareReasons<const D extends Declarations>(
  module: string,
  declarations: D,
): { readonly [K in keyof D & string]: ErrorReason<K, D[K][0]> } {
  const catalogue: Record<string, Omit<ErrorReason, typeof DECLARED>> = {};
  for (const [reason, [code, meaning]] of Object.entries(declarations)) {
    const declared = DECLARED_REASONS.get(reason);
    if (declared !== undefined && declared.module !== module) {
      throw new Error(`error reason ${reason} is declared by ${declared.module} and again by ${module}`);
    }
    catalogue[reason] = Object.freeze({ reason, code, meaning, module });
    DECLARED_REASONS.set(reason, catalogue[reason] as ErrorReason);
  }
  return Object.freeze(catalogue) as unknown as { readonly [K in keyof D & string]: ErrorReason<K, D[K][0]> };
}

/** Plain JSON, so that a refusal can be stored and replayed exactly. */
export type ErrorDetails = { readonly reason: string } & Readonly<Record<string, unknown>>;

/** A refusal kept as plain JSON (stored against an id, returned per item of a bulk request). */
export interface RefusalJson {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export class DomainError extends IntrinsicException {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(reason: ErrorReason, message: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = reason.code;
    this.details = { ...extra, reason: reason.reason };
  }

  /** The error of a refusal that was made from a declared reason and kept as JSON. */
  static fromRefusal(refusal: RefusalJson, extra: Readonly<Record<string, unknown>> = {}): DomainError {
    const declared = DECLARED_REASONS.get(refusal.reason);
    if (declared === undefined || declared.code !== refusal.code) {
      throw new Error(`refusal ${refusal.code}/${refusal.reason} was not made from a declared reason`);
    }
    return new DomainError(declared, refusal.message, { ...refusal.details, ...extra });
  }
}
