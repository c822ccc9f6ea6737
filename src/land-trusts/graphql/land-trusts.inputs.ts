import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { PageArgs } from '../../kernel/graphql/page.args.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import { MAX_INDEXES } from '../rules/resale-formula.js';
import { ResaleFormulaKindEnum } from './land-trusts.enums.js';

/*
 * Inputs of land trusts, checked by class-validator at the edge (sizes, ids, shapes); what a lease, a fee or
 * a relief may be is checked by the service and its rules, with their own reasons (INVALID_LEASE).
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = (field: string) => ({ message: `${field} is a day, YYYY-MM-DD` });
const MAX_TEXT = 2000;

@InputType()
export class ResaleIndexInput {
  @Field(() => Int)
  @IsInt()
  @Min(1900)
  @Max(9999)
  year!: number;

  @Field(() => String, { description: 'The index that year, a decimal with up to 6 places, such as "245.3".' })
  @MaxLength(30)
  value!: string;
}

@InputType()
export class ResaleFormulaInput {
  @Field(() => ResaleFormulaKindEnum)
  kind!: ResaleFormulaKindEnum;

  @Field(() => Int, {
    nullable: true,
    description: "APPRECIATION_SHARE: the seller's share of the increase, in basis points.",
  })
  @IsOptional()
  @IsInt()
  sharePoints?: number | null;

  @Field(() => [ResaleIndexInput], { nullable: true, description: 'INDEXED: the index per year.' })
  @IsOptional()
  @ArrayMaxSize(MAX_INDEXES)
  @ValidateNested({ each: true })
  @Type(() => ResaleIndexInput)
  indexes?: ResaleIndexInput[] | null;
}

@InputType()
export class CreateLandTrustInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { description: 'A unit the organisation issues: the currency of its leases.' })
  @MaxLength(16)
  unitCode!: string;

  @Field(() => ResaleFormulaInput)
  @ValidateNested()
  @Type(() => ResaleFormulaInput)
  resaleFormula!: ResaleFormulaInput;
}

@InputType()
export class SetResaleFormulaInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'trustId must be a UUID' })
  trustId!: string;

  @Field(() => ResaleFormulaInput)
  @ValidateNested()
  @Type(() => ResaleFormulaInput)
  formula!: ResaleFormulaInput;
}

@InputType()
export class AddLandParcelInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'trustId must be a UUID' })
  trustId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { defaultValue: '', description: 'An address or a description of the land.' })
  @MaxLength(MAX_TEXT)
  description!: string;

  @Field(() => String, { nullable: true, description: 'The home on it, if any.' })
  @IsOptional()
  @MaxLength(MAX_TEXT)
  homeDescription?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: "The home's purchase price (for the resale formula)." })
  @IsOptional()
  purchasePrice?: bigint | null;

  @Field(() => String, { nullable: true, description: 'The day the home was bought, YYYY-MM-DD.' })
  @IsOptional()
  @Matches(DAY, DAY_MESSAGE('purchasedOn'))
  purchasedOn?: string | null;
}

@InputType()
export class SignGroundLeaseInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'parcelId must be a UUID' })
  parcelId!: string;

  @Field(() => ID, { description: 'A person, or a household organisation.' })
  @IsUUID('all', { message: 'leaseholderId must be a UUID' })
  leaseholderId!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  @Matches(DAY, DAY_MESSAGE('startsOn'))
  startsOn!: string;

  @Field(() => String, { nullable: true, description: 'Last day, YYYY-MM-DD (inclusive); none: open-ended.' })
  @IsOptional()
  @Matches(DAY, DAY_MESSAGE('endsOn'))
  endsOn?: string | null;

  @Field(() => Int, { defaultValue: 1, description: 'The day of the month each charge falls due, 1 to 28.' })
  @IsInt()
  dueDay!: number;

  @Field(() => MoneyScalar, { description: 'The monthly ground-lease fee, in minor units of the trust unit.' })
  fee!: bigint;

  @Field(() => Int, { description: "The stewardship reserve's share of each charge, in basis points (0 to 10000)." })
  @IsInt()
  reserveSharePoints!: number;
}

@InputType()
export class ChangeGroundLeaseFeeInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'leaseId must be a UUID' })
  leaseId!: string;

  @Field(() => String, { description: 'The day it takes effect, in a period not yet charged.' })
  @Matches(DAY, DAY_MESSAGE('effectiveOn'))
  effectiveOn!: string;

  @Field(() => MoneyScalar)
  fee!: bigint;

  @Field(() => Int)
  @IsInt()
  reserveSharePoints!: number;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_TEXT)
  reason!: string;
}

@InputType()
export class TerminateGroundLeaseInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'leaseId must be a UUID' })
  leaseId!: string;

  @Field(() => String, {
    description: 'The last day of the lease, YYYY-MM-DD; days charged after it are credited back.',
  })
  @Matches(DAY, DAY_MESSAGE('lastDay'))
  lastDay!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason!: string;
}

@InputType()
export class RecordLeasePaymentInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'leaseId must be a UUID' })
  leaseId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => String, { nullable: true, description: 'The day it was received (default today).' })
  @IsOptional()
  @Matches(DAY, DAY_MESSAGE('receivedOn'))
  receivedOn?: string | null;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(500)
  memo!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The ledger account it is paid from (the leaseholder); none: a steward records money received outside.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'fromAccountId must be a UUID' })
  fromAccountId?: string | null;
}

@InputType()
export class WaiveLeaseChargeInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'chargeId must be a UUID' })
  chargeId!: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'How much; none: all that is still owed on it.' })
  @IsOptional()
  amount?: bigint | null;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason!: string;
}

@InputType()
export class DeferLeaseChargeInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'chargeId must be a UUID' })
  chargeId!: string;

  @Field(() => String, { description: 'The new due date, later than the one in force.' })
  @Matches(DAY, DAY_MESSAGE('deferTo'))
  deferTo!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TEXT)
  reason!: string;
}

@InputType()
export class PostDueLeaseChargesInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'trustId must be a UUID' })
  trustId!: string;
}

@ArgsType()
export class ParcelsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'trustId must be a UUID' })
  trustId!: string;
}

@ArgsType()
export class GroundLeasesArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'trustId must be a UUID' })
  trustId!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'parcelId must be a UUID' })
  parcelId?: string | null;
}

@ArgsType()
export class ArrearsReportArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'trustId must be a UUID' })
  trustId!: string;

  @Field(() => String, { nullable: true, description: 'The day the arrears are aged on (default today).' })
  @IsOptional()
  @Matches(DAY, DAY_MESSAGE('asOf'))
  asOf?: string | null;
}

@ArgsType()
export class LeaseStatementArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'leaseId must be a UUID' })
  leaseId!: string;

  @Field(() => String, { nullable: true, description: 'The day the statement is aged on (default today).' })
  @IsOptional()
  @Matches(DAY, DAY_MESSAGE('asOf'))
  asOf?: string | null;
}

@ArgsType()
export class ResalePriceArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'parcelId must be a UUID' })
  parcelId!: string;

  @Field(() => MoneyScalar)
  appraisedValue!: bigint;

  @Field(() => Int)
  @IsInt()
  saleYear!: number;
}
