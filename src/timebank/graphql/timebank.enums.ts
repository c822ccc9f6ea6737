import { registerEnumType } from '@nestjs/graphql';

/** The time bank's enums as GraphQL knows them (values match the records and rules). */
export enum StatementVisibilityEnum {
  PRIVATE = 'PRIVATE',
  MEMBERS = 'MEMBERS',
}
export enum ListingKindEnum {
  OFFER = 'OFFER',
  REQUEST = 'REQUEST',
}
export enum ListingStatusEnum {
  ACTIVE = 'ACTIVE',
  WITHDRAWN = 'WITHDRAWN',
}
export enum TimeLogSideEnum {
  GAVE = 'GAVE',
  RECEIVED = 'RECEIVED',
}
export enum TimeLogKindEnum {
  MEMBER = 'MEMBER',
  COMMUNITY = 'COMMUNITY',
}
export enum TimeLogStatusEnum {
  PENDING = 'PENDING',
  DISPUTED = 'DISPUTED',
  CONFIRMED = 'CONFIRMED',
  CANCELLED = 'CANCELLED',
  REVERSED = 'REVERSED',
}
export enum TimeLogStartedByEnum {
  GIVER = 'GIVER',
  RECEIVER = 'RECEIVER',
  COORDINATOR = 'COORDINATOR',
}
export enum TimeLogStepActionEnum {
  LOGGED = 'LOGGED',
  CONFIRMED = 'CONFIRMED',
  AUTO_CONFIRMED = 'AUTO_CONFIRMED',
  DISPUTED = 'DISPUTED',
  WITHDRAWN = 'WITHDRAWN',
  RESOLVED_CONFIRMED = 'RESOLVED_CONFIRMED',
  RESOLVED_CANCELLED = 'RESOLVED_CANCELLED',
  REVERSED = 'REVERSED',
}
export enum DisputeOutcomeEnum {
  CONFIRM = 'CONFIRM',
  CANCEL = 'CANCEL',
}

registerEnumType(StatementVisibilityEnum, {
  name: 'StatementVisibility',
  description: "Who sees a member's statement: PRIVATE (the member and the coordinators) or every MEMBER.",
});
registerEnumType(ListingKindEnum, { name: 'ListingKind', description: 'What a member offers, or asks for.' });
registerEnumType(ListingStatusEnum, { name: 'ListingStatus' });
registerEnumType(TimeLogSideEnum, { name: 'TimeLogSide', description: 'Whether you gave the hours or received them.' });
registerEnumType(TimeLogKindEnum, {
  name: 'TimeLogKind',
  description: "MEMBER: between two members; COMMUNITY: the bank's account pays a member for community work.",
});
registerEnumType(TimeLogStatusEnum, { name: 'TimeLogStatus' });
registerEnumType(TimeLogStartedByEnum, { name: 'TimeLogStartedBy' });
registerEnumType(TimeLogStepActionEnum, { name: 'TimeLogStepAction' });
registerEnumType(DisputeOutcomeEnum, { name: 'DisputeOutcome' });
