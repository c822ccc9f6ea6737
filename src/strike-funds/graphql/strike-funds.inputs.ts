import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import {
  ContributionSourceEnum,
  ContributorVisibilityEnum,
  DepositSourceEnum,
  DrawCategoryEnum,
  FundPurposeEnum,
  PledgePeriodEnum,
  ShortfallEnum,
} from './strike-funds.enums.js';

/*
 * Inputs of the strike funds, checked by class-validator at the edge (sizes, ids, shapes); what a fund, a
 * strike's rules or a draw may be is a rule (rules/*.ts) with its own reasons.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'a date is written YYYY-MM-DD';

@InputType()
export class CreateStrikeFundInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID, { description: 'The strike fund, mutual-aid group or tenant union that holds it.' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => FundPurposeEnum)
  purpose!: FundPurposeEnum;

  @Field(() => String, { description: 'The unit it keeps (a currency).' })
  @MinLength(1)
  @MaxLength(16)
  unitCode!: string;

  @Field(() => [ID], { description: 'Who approves draws and stipend batches: members, by person id.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'committee holds person ids (UUIDs)' })
  committee!: string[];

  @Field(() => Int, { description: 'How many of the committee must approve (N of M).' })
  @IsInt()
  @Min(1)
  @Max(50)
  required!: number;

  @Field(() => Boolean, { defaultValue: false, description: 'Reviewers see draw applications without the name.' })
  blindReview!: boolean;

  @Field(() => Int, { defaultValue: 14, description: 'Days the committee has to decide before a request expires.' })
  @IsInt()
  @Min(1)
  @Max(90)
  reviewDays!: number;

  @Field(() => MoneyScalar, { description: 'The most one person draws in hardship draws per calendar year.' })
  drawCapPerYear!: bigint;

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'Whether members see the report without small groups merged (outsiders never do).',
  })
  membersSeeDetail!: boolean;

  @Field(() => MoneyScalar, {
    defaultValue: 0n,
    description:
      "How much money received from outside the fund may record: the outside account's credit line (set by the " +
      "unit's issuer; a TREASURER of the issuer may set it here).",
  })
  outsideLimit!: bigint;
}

@InputType()
export class RecordContributionInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => ContributionSourceEnum)
  source!: ContributionSourceEnum;

  @Field(() => ID, { nullable: true, description: 'For LEDGER: the account paying (one you may debit).' })
  @IsOptional()
  @IsUUID('all', { message: 'fromAccountId must be a UUID' })
  fromAccountId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The name or pseudonym the contributor chose (none if anonymous).',
  })
  @IsOptional()
  @MaxLength(200)
  contributorName?: string | null;

  @Field(() => ContributorVisibilityEnum, { defaultValue: ContributorVisibilityEnum.ANONYMOUS })
  visibility!: ContributorVisibilityEnum;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(500)
  memo!: string;

  @Field(() => ID, { nullable: true, description: 'The pledge of money from outside this keeps (this period’s).' })
  @IsOptional()
  @IsUUID('all', { message: 'pledgeId must be a UUID' })
  pledgeId?: string | null;
}

@InputType()
export class StipendRulesInput {
  @Field(() => MoneyScalar, { description: 'The stipend for a full week of picketing.' })
  weeklyRate!: bigint;

  @Field(() => Int, { description: 'Picket minutes that make a full week (e.g. 1200 for 20 hours).' })
  @IsInt()
  @Min(1)
  @Max(10080)
  fullMinutes!: number;

  @Field(() => Int, { description: 'Below this many minutes, no stipend; between it and a full week, pro rata.' })
  @IsInt()
  @Min(0)
  @Max(10080)
  minimumMinutes!: number;

  @Field(() => MoneyScalar, { defaultValue: 0n, description: 'Added per dependant to any stipend above zero.' })
  dependantSupplement!: bigint;

  @Field(() => MoneyScalar, { nullable: true, description: 'The most one striker is paid over the whole strike.' })
  capPerStriker?: bigint | null;

  @Field(() => ShortfallEnum, { defaultValue: ShortfallEnum.PRO_RATA })
  shortfall!: ShortfallEnum;
}

@InputType()
export class CreateStrikeInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: DATE_MESSAGE })
  startsOn!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, if known.' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  endsOn?: string | null;

  @Field(() => MoneyScalar, { description: 'The most one person draws in hardship draws during this strike.' })
  drawCapPerStriker!: bigint;

  @Field(() => StipendRulesInput)
  @ValidateNested()
  @Type(() => StipendRulesInput)
  rules!: StipendRulesInput;
}

@InputType()
export class ChangeStipendRulesInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'strikeId must be a UUID' })
  strikeId!: string;

  @Field(() => StipendRulesInput)
  @ValidateNested()
  @Type(() => StipendRulesInput)
  rules!: StipendRulesInput;
}

@InputType()
export class EnrolStrikerInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'strikeId must be a UUID' })
  strikeId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @Field(() => ID, { description: "The striker's own account in the fund's unit: where stipends go." })
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId!: string;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(0)
  @Max(20)
  dependants!: number;
}

@InputType()
export class RecordPicketShiftInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'strikeId must be a UUID' })
  strikeId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: DATE_MESSAGE })
  day!: string;

  @Field(() => Int, { description: 'Minutes on the line; negative only in a correction.' })
  @IsInt()
  @Min(-1440)
  @Max(1440)
  minutes!: number;

  @Field(() => ID, { nullable: true, description: 'The shift this one corrects (never edited: corrected).' })
  @IsOptional()
  @IsUUID('all', { message: 'correctsId must be a UUID' })
  correctsId?: string | null;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(500)
  note!: string;
}

@InputType()
export class ComputeStipendBatchInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'strikeId must be a UUID' })
  strikeId!: string;

  @Field(() => String, { description: 'The Monday the week starts, YYYY-MM-DD.' })
  @Matches(DATE, { message: DATE_MESSAGE })
  weekStart!: string;
}

@InputType()
export class SubmitStipendBatchInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'batchId must be a UUID' })
  batchId!: string;

  @Field(() => ID, { description: 'The id of the approval request it makes (a UUID of your choosing).' })
  @IsUUID('all', { message: 'requestId must be a UUID' })
  requestId!: string;
}

@InputType()
export class ApplyForDrawInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId!: string;

  @Field(() => ID, { nullable: true, description: 'The strike it is drawn during, if any (its cap applies).' })
  @IsOptional()
  @IsUUID('all', { message: 'strikeId must be a UUID' })
  strikeId?: string | null;

  @Field(() => ID, { description: "Where it is paid: your account, or a creditor's (a landlord, a utility)." })
  @IsUUID('all', { message: 'accountId must be a UUID' })
  accountId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => DrawCategoryEnum)
  category!: DrawCategoryEnum;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(0)
  @Max(20)
  dependants!: number;

  @Field(() => Boolean, { defaultValue: false })
  evictionNotice!: boolean;

  @Field(() => Boolean, { defaultValue: false })
  shutOffNotice!: boolean;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(4000)
  statement!: string;
}

@InputType()
export class DepositEscrowInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'tenantId must be a UUID' })
  tenantId!: string;

  @Field(() => ID, { description: "The tenant's account: where a release to tenants returns the rent." })
  @IsUUID('all', { message: 'tenantAccountId must be a UUID' })
  tenantAccountId!: string;

  @Field(() => String, { description: 'The month, by its first day: YYYY-MM-01.' })
  @Matches(DATE, { message: DATE_MESSAGE })
  month!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => DepositSourceEnum, { defaultValue: DepositSourceEnum.TENANT_ACCOUNT })
  source!: DepositSourceEnum;
}

@InputType()
export class CreatePledgeInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'fundId must be a UUID' })
  fundId!: string;

  @Field(() => MoneyScalar, { description: 'Per period (or once).' })
  amount!: bigint;

  @Field(() => PledgePeriodEnum)
  period!: PledgePeriodEnum;

  @Field(() => ID, {
    nullable: true,
    description:
      'An account you may pay from: collected now, then each period by the scheduler. None: money from outside ' +
      '(recorded by the TREASURER or ADMIN).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'fromAccountId must be a UUID' })
  fromAccountId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  contributorName?: string | null;

  @Field(() => ContributorVisibilityEnum, { defaultValue: ContributorVisibilityEnum.ANONYMOUS })
  visibility!: ContributorVisibilityEnum;
}

@InputType()
export class PledgeIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'pledgeId must be a UUID' })
  pledgeId!: string;
}
