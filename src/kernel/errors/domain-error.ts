import { IntrinsicException } from '@nestjs/common';

/**
 * The API's errors: a closed set of codes clients can branch on, and under each a stable, finer reason.
 * Domain code throws DomainError; the presenter (error-presenter.ts) turns every error into the API shape.
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

/** Plain JSON, so that a refusal can be stored and replayed exactly. */
export type ErrorDetails = { readonly reason: string } & Readonly<Record<string, unknown>>;

export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function validationFailed(reason: string, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { reason, ...extra });
}

export function notFound(reason: string, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('NOT_FOUND', message, { reason, ...extra });
}

export function conflict(reason: string, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('CONFLICT', message, { reason, ...extra });
}

export function forbidden(reason: string, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('FORBIDDEN', message, { reason, ...extra });
}

export function unauthenticated(reason: string, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('UNAUTHENTICATED', message, { reason, ...extra });
}
