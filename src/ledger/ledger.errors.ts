import { DomainError } from '../kernel/errors/domain-error.js';
import type { Refusal } from './rules/ledger-model.js';

/** A ledger refusal as the API's error; a replayed refusal says so. */
export function refusalError(refusal: Refusal, replayed = false): DomainError {
  return new DomainError(refusal.code, refusal.message, {
    ...refusal.details,
    reason: refusal.reason,
    ...(replayed ? { replayed: true } : {}),
  });
}
