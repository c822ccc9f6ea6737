import { declareReasons } from '../kernel/errors/domain-error.js';

/** Reasons raised by identity and sign-in. */
export const AUTH_ERRORS = declareReasons('auth', {
  MISSING_TOKEN: ['UNAUTHENTICATED', 'The operation needs a signed-in caller: send "Authorization: Bearer <token>".'],
  INVALID_TOKEN: ['UNAUTHENTICATED', 'The bearer token is malformed, forged, revoked or unknown.'],
  TOKEN_EXPIRED: ['UNAUTHENTICATED', 'The access token has expired: exchange the refresh token (refreshSession).'],
  SESSION_REVOKED: ['UNAUTHENTICATED', 'The session has ended (logout, password change, reuse): log in again.'],
  INVALID_CREDENTIALS: ['UNAUTHENTICATED', 'The email address or password is wrong.'],
  INVALID_REFRESH_TOKEN: ['UNAUTHENTICATED', 'The refresh token is not one this service issued.'],
  REFRESH_TOKEN_REUSED: ['UNAUTHENTICATED', 'A refresh token was presented twice; its session is revoked for safety.'],
  TOO_MANY_FAILED_LOGINS: ['RATE_LIMITED', 'Too many failed logins; try again after `details.retryAfterSeconds`.'],
  INVALID_EMAIL: ['VALIDATION_FAILED', 'The text is not an email address.'],
  WEAK_PASSWORD: ['VALIDATION_FAILED', 'The password is too short, too simple, or your email address or name.'],
  EMAIL_TAKEN: ['CONFLICT', 'A person with this email address is already registered.'],
  PERSON_DISABLED: ['FORBIDDEN', 'The person is disabled.'],
  API_TOKEN_NOT_FOUND: ['NOT_FOUND', 'No API token has this id.'],
  API_TOKEN_REVOKED: ['CONFLICT', 'The API token was already revoked.'],
  EXPIRY_IN_THE_PAST: ['VALIDATION_FAILED', 'An expiry must be in the future.'],
});
