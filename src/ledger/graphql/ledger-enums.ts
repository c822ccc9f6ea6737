import { registerEnumType } from '@nestjs/graphql';

/** The ledger's enums as GraphQL knows them (values match rules/ledger-model.ts). */
export enum UnitKindEnum {
  HOURS = 'HOURS',
  CREDIT = 'CREDIT',
  CURRENCY = 'CURRENCY',
}
export enum AccountKindEnum {
  MEMBER = 'MEMBER',
  FUND = 'FUND',
  RESERVE = 'RESERVE',
  CLEARING = 'CLEARING',
  ISSUANCE = 'ISSUANCE',
  EXTERNAL = 'EXTERNAL',
}
export enum AccountStatusEnum {
  ACTIVE = 'ACTIVE',
  FROZEN = 'FROZEN',
  CLOSED = 'CLOSED',
}
export enum SideEnum {
  DEBIT = 'DEBIT',
  CREDIT = 'CREDIT',
}
export enum OperationEnum {
  TRANSFER = 'TRANSFER',
  HOLD = 'HOLD',
  POST_HOLD = 'POST_HOLD',
  VOID_HOLD = 'VOID_HOLD',
  EXPIRE_HOLD = 'EXPIRE_HOLD',
  REVERSAL = 'REVERSAL',
}
export enum TransactionStatusEnum {
  POSTED = 'POSTED',
  PENDING = 'PENDING',
  VOIDED = 'VOIDED',
  EXPIRED = 'EXPIRED',
}
export enum AccountChangeKindEnum {
  OPENED = 'OPENED',
  LIMITS_SET = 'LIMITS_SET',
  FROZEN = 'FROZEN',
  UNFROZEN = 'UNFROZEN',
  CLOSED = 'CLOSED',
}
export enum BalanceBasisEnum {
  RECORDED = 'RECORDED',
  EFFECTIVE = 'EFFECTIVE',
}

registerEnumType(UnitKindEnum, {
  name: 'UnitKind',
  description: 'HOURS are kept in minutes (scale 0); CREDIT is a mutual-credit unit; CURRENCY mirrors money.',
});
registerEnumType(AccountKindEnum, {
  name: 'AccountKind',
  description:
    "MEMBER: a person's or organisation's own account. FUND: pooled value (a strike fund). RESERVE: set aside " +
    '(a stewardship reserve). CLEARING: passes value through. ISSUANCE: where a unit is issued from (runs negative ' +
    'within its credit limit). EXTERNAL: mirrors value held outside the ledger (a bank account).',
});
registerEnumType(AccountStatusEnum, {
  name: 'AccountStatus',
  description: 'FROZEN accounts neither pay nor receive (holds may still be voided); CLOSED is final.',
});
registerEnumType(SideEnum, { name: 'Side', description: 'A debit takes value from an account; a credit gives it.' });
registerEnumType(OperationEnum, {
  name: 'Operation',
  description: 'What a transaction did: moved value, placed a hold, posted/voided/expired a hold, or reversed another.',
});
registerEnumType(TransactionStatusEnum, {
  name: 'TransactionStatus',
  description: 'A hold is PENDING until posted, voided or expired; everything else is final when written.',
});
registerEnumType(AccountChangeKindEnum, { name: 'AccountChangeKind' });
registerEnumType(BalanceBasisEnum, {
  name: 'BalanceBasis',
  description: 'RECORDED: by when entries were written. EFFECTIVE: by their effective time (backdating counts).',
});
