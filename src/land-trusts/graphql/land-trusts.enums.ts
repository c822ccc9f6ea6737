import { registerEnumType } from '@nestjs/graphql';

/** Land trusts' enums as GraphQL knows them (values match the records and rules). */
export enum ResaleFormulaKindEnum {
  APPRECIATION_SHARE = 'APPRECIATION_SHARE',
  INDEXED = 'INDEXED',
}
export enum ReliefKindEnum {
  WAIVE = 'WAIVE',
  DEFER = 'DEFER',
}
export enum PaymentSourceEnum {
  RECEIVED = 'RECEIVED',
  ACCOUNT = 'ACCOUNT',
}
export enum AgeingBucketEnum {
  NOT_DUE = 'NOT_DUE',
  CURRENT = 'CURRENT',
  DAYS_30 = 'DAYS_30',
  DAYS_60 = 'DAYS_60',
  DAYS_90_PLUS = 'DAYS_90_PLUS',
}

registerEnumType(ResaleFormulaKindEnum, {
  name: 'ResaleFormulaKind',
  description:
    'APPRECIATION_SHARE: purchase price plus a share of the appraised increase; INDEXED: purchase price moved by an index per year. Never above the appraised value.',
});
registerEnumType(ReliefKindEnum, {
  name: 'ReliefKind',
  description: 'WAIVE: the charge (or part of it) is forgiven; DEFER: it counts as overdue only from a later day.',
});
registerEnumType(PaymentSourceEnum, {
  name: 'LeasePaymentSource',
  description:
    'RECEIVED: recorded by a steward as received from outside the ledger; ACCOUNT: paid from a ledger account.',
});
registerEnumType(AgeingBucketEnum, {
  name: 'AgeingBucket',
  description:
    'Days past the due date in force: CURRENT 0-29, DAYS_30 30-59, DAYS_60 60-89, DAYS_90_PLUS 90+; NOT_DUE not yet due.',
});
