import { registerEnumType } from '@nestjs/graphql';

/** The organisations module's enums as GraphQL knows them (values match the records and rules). */
export enum OrganizationKindEnum {
  COOPERATIVE = 'COOPERATIVE',
  TIME_BANK = 'TIME_BANK',
  STRIKE_FUND = 'STRIKE_FUND',
  LAND_TRUST = 'LAND_TRUST',
  MUTUAL_AID = 'MUTUAL_AID',
  TENANT_UNION = 'TENANT_UNION',
  COMMUNITY_ASSEMBLY = 'COMMUNITY_ASSEMBLY',
  FEDERATION = 'FEDERATION',
}
export enum RoleEnum {
  MEMBER = 'MEMBER',
  TREASURER = 'TREASURER',
  COORDINATOR = 'COORDINATOR',
  ADMIN = 'ADMIN',
}
export enum BalanceVisibilityEnum {
  MEMBERS = 'MEMBERS',
  FEDERATION = 'FEDERATION',
  PUBLIC = 'PUBLIC',
}
export enum MembershipStatusEnum {
  ACTIVE = 'ACTIVE',
  LEFT = 'LEFT',
  REMOVED = 'REMOVED',
}
export enum FederationMembershipStatusEnum {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  DECLINED = 'DECLINED',
  ENDED = 'ENDED',
}
export enum InvitationStatusEnum {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REVOKED = 'REVOKED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(OrganizationKindEnum, { name: 'OrganizationKind' });
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'MEMBER sees; TREASURER moves money and, in an issuer, sets credit lines; COORDINATOR corrects; ADMIN manages.',
});
registerEnumType(BalanceVisibilityEnum, {
  name: 'BalanceVisibility',
  description: "Who besides members sees the figures of an organisation's accounts.",
});
registerEnumType(MembershipStatusEnum, { name: 'MembershipStatus' });
registerEnumType(FederationMembershipStatusEnum, { name: 'FederationMembershipStatus' });
registerEnumType(InvitationStatusEnum, { name: 'InvitationStatus' });
