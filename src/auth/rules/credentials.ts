/**
 * The shapes of what people and integrations present: email addresses (compared case-insensitively),
 * passwords (long enough to resist guessing, short enough that hashing them is cheap to bound), and the
 * opaque tokens the service hands out, each `<id>.<secret>` so that a lookup by id precedes a constant-time
 * comparison of the secret's hash.
 */
import { UUID_FORM_SOURCE } from '../../kernel/ids.js';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth.records.js';

export { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };
export const API_TOKEN_PREFIX = 'cwl_';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isPlausibleEmail(email: string): boolean {
  return email.length <= EMAIL_MAX_LENGTH && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email);
}

/** Why a password is refused, or null. Length is counted in characters (code points). */
export function passwordProblem(password: string, context: { email: string; name: string }): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `a password has at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `a password has at most ${PASSWORD_MAX_LENGTH} characters`;
  if (new Set(password).size < 4) return 'a password needs more than three different characters';
  const lower = password.toLowerCase();
  if (lower === normalizeEmail(context.email) || lower === context.name.trim().toLowerCase()) {
    return 'a password must not be your email address or name';
  }
  return null;
}

const SECRET = '[A-Za-z0-9_-]{43}';
const REFRESH_TOKEN = new RegExp(`^(${UUID_FORM_SOURCE})\\.(${SECRET})$`);
const API_TOKEN = new RegExp(`^${API_TOKEN_PREFIX}(${UUID_FORM_SOURCE})\\.(${SECRET})$`);

export interface SplitToken {
  readonly id: string;
  readonly secret: string;
}

export function formatRefreshToken(token: SplitToken): string {
  return `${token.id}.${token.secret}`;
}

export function parseRefreshToken(raw: string): SplitToken | null {
  const match = REFRESH_TOKEN.exec(raw);
  return match === null ? null : { id: match[1] as string, secret: match[2] as string };
}

export function formatApiToken(token: SplitToken): string {
  return `${API_TOKEN_PREFIX}${token.id}.${token.secret}`;
}

export function parseApiToken(raw: string): SplitToken | null {
  const match = API_TOKEN.exec(raw);
  return match === null ? null : { id: match[1] as string, secret: match[2] as string };
}
