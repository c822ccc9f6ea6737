import { registerEnumType } from '@nestjs/graphql';

export enum FundPurposeEnum {
  STRIKE = 'STRIKE',
  MUTUAL_AID = 'MUTUAL_AID',
  RENT_ESCROW = 'RENT_ESCROW',
}
registerEnumType(FundPurposeEnum, {
  name: 'FundPurpose',
  description: 'STRIKE: strikes, stipends and hardship draws. MUTUAL_AID: hardship draws. RENT_ESCROW: withheld rent.',
});

export enum ContributionSourceEnum {
  OUTSIDE = 'OUTSIDE',
  LEDGER = 'LEDGER',
}
registerEnumType(ContributionSourceEnum, {
  name: 'ContributionSource',
  description:
    'OUTSIDE: received outside the ledger (bank, cash), recorded by the treasurer. LEDGER: paid from an account.',
});

export enum ContributorVisibilityEnum {
  NAMED = 'NAMED',
  PSEUDONYMOUS = 'PSEUDONYMOUS',
  ANONYMOUS = 'ANONYMOUS',
}
registerEnumType(ContributorVisibilityEnum, {
  name: 'ContributorVisibility',
  description: 'How the contributor chose to appear: by name, under a pseudonym, or not at all.',
});

export enum ShortfallEnum {
  PRO_RATA = 'PRO_RATA',
  PAY_NONE = 'PAY_NONE',
}
registerEnumType(ShortfallEnum, {
  name: 'Shortfall',
  description: 'When the fund cannot cover a batch: pay everyone the same share of what is due, or pay none.',
});

export enum BatchStatusEnum {
  PREVIEW = 'PREVIEW',
  SUPERSEDED = 'SUPERSEDED',
  UNFUNDED = 'UNFUNDED',
  SUBMITTED = 'SUBMITTED',
  PAID = 'PAID',
  DECLINED = 'DECLINED',
}
registerEnumType(BatchStatusEnum, { name: 'StipendBatchStatus' });

export enum DrawCategoryEnum {
  RENT = 'RENT',
  UTILITIES = 'UTILITIES',
  FOOD = 'FOOD',
  MEDICAL = 'MEDICAL',
  CHILDCARE = 'CHILDCARE',
  TRANSPORT = 'TRANSPORT',
  OTHER = 'OTHER',
}
registerEnumType(DrawCategoryEnum, { name: 'DrawCategory' });

export enum DrawStatusEnum {
  IN_REVIEW = 'IN_REVIEW',
  PAID = 'PAID',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(DrawStatusEnum, { name: 'DrawStatus' });

export enum DepositSourceEnum {
  TENANT_ACCOUNT = 'TENANT_ACCOUNT',
  OUTSIDE = 'OUTSIDE',
}
registerEnumType(DepositSourceEnum, {
  name: 'DepositSource',
  description: "TENANT_ACCOUNT: from the tenant's own account. OUTSIDE: rent received outside the ledger.",
});

export enum ReleaseModeEnum {
  TO_LANDLORD = 'TO_LANDLORD',
  TO_TENANTS = 'TO_TENANTS',
}
registerEnumType(ReleaseModeEnum, { name: 'EscrowReleaseMode' });

export enum PledgePeriodEnum {
  ONCE = 'ONCE',
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
}
registerEnumType(PledgePeriodEnum, { name: 'PledgePeriod' });

export enum PledgeStatusEnum {
  ACTIVE = 'ACTIVE',
  FAILED = 'FAILED',
  ENDED = 'ENDED',
}
registerEnumType(PledgeStatusEnum, {
  name: 'PledgeStatus',
  description: 'FAILED: a collection the ledger refused (marked, not retried). ENDED: ended or fulfilled.',
});
