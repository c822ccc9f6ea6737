/** Rows of identity and sign-in, as the repository returns them, and the bounds on what people type. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const EMAIL_MAX_LENGTH = 254;

export interface PersonRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly status: 'ACTIVE' | 'DISABLED';
  readonly createdAt: Date;
}

/** What an organisation's API token may do: read its accounts, or also move value out of them. */
export const API_SCOPES = ['LEDGER_READ', 'LEDGER_WRITE'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiTokenRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly scopes: readonly ApiScope[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}
