import type { BalanceVisibility } from './rules/access-rules.js';

export type { BalanceVisibility };

/** Rows as the repository returns them. */
export const ORGANIZATION_KINDS = [
  'COOPERATIVE',
  'TIME_BANK',
  'STRIKE_FUND',
  'LAND_TRUST',
  'MUTUAL_AID',
  'TENANT_UNION',
  'COMMUNITY_ASSEMBLY',
  'FEDERATION',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export interface OrganizationRecord {
  readonly id: string;
  readonly kind: OrganizationKind;
  readonly name: string;
  readonly slug: string;
  readonly description: string;
  readonly balanceVisibility: BalanceVisibility;
  readonly createdAt: Date;
}

export type MembershipStatus = 'ACTIVE' | 'LEFT' | 'REMOVED';

export interface MembershipRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly personId: string;
  readonly status: MembershipStatus;
  readonly roles: readonly string[];
  readonly joinedAt: Date;
  readonly endedAt: Date | null;
}

export type FederationMembershipStatus = 'PENDING' | 'ACTIVE' | 'DECLINED' | 'ENDED';

export interface FederationMembershipRecord {
  readonly id: string;
  readonly federationId: string;
  readonly memberId: string;
  readonly status: FederationMembershipStatus;
  readonly requestedAt: Date;
  readonly decidedAt: Date | null;
  readonly endedAt: Date | null;
}

export interface InvitationRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly invitedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
  readonly revokedAt: Date | null;
}
