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
import {
  MAX_AUTO_CONFIRM_MINUTES,
  MAX_CATEGORIES,
  MAX_CATEGORY_LENGTH,
  MAX_MINUTES_PER_LOG,
} from '../rules/settings.js';
import {
  DisputeOutcomeEnum,
  ListingKindEnum,
  StatementVisibilityEnum,
  TimeLogSideEnum,
  TimeLogStatusEnum,
} from './timebank.enums.js';

/*
 * Inputs of the time bank, checked by class-validator at the edge (sizes, ids, shapes); what settings and
 * steps may be is a rule (rules/settings.ts, rules/exchange-state.ts), with its own reasons.
 */

const MAX_REASON = 500;
const MAX_TITLE = 200;
const MAX_DESCRIPTION = 5000;

@InputType()
export class TimeBankSettingsInput {
  @Field(() => Int, { nullable: true, description: `0 (at once) to ${MAX_AUTO_CONFIRM_MINUTES}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AUTO_CONFIRM_MINUTES)
  autoConfirmMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: `1 to ${MAX_MINUTES_PER_LOG}.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES_PER_LOG)
  maxMinutesPerLog?: number | null;

  @Field(() => MoneyScalar, { nullable: true })
  @IsOptional()
  defaultCreditMinutes?: bigint | null;

  @Field(() => MoneyScalar, { nullable: true })
  @IsOptional()
  bankCreditMinutes?: bigint | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  federationExchanges?: boolean | null;

  @Field(() => StatementVisibilityEnum, { nullable: true })
  @IsOptional()
  statementVisibility?: StatementVisibilityEnum | null;

  @Field(() => [String], { nullable: true, description: `1 to ${MAX_CATEGORIES} distinct names.` })
  @IsOptional()
  @ArrayMaxSize(MAX_CATEGORIES)
  @MaxLength(MAX_CATEGORY_LENGTH, { each: true })
  categories?: string[] | null;
}

@InputType()
export class SetUpTimeBankInput {
  @Field(() => ID, { description: 'An organisation of kind TIME_BANK that you are ADMIN of.' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String, { description: 'The code of its HOURS unit, such as RIVER_HOURS.' })
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'unitCode must be 2 to 16 characters of A-Z, 0-9 and _' })
  unitCode!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  unitName!: string;

  @Field(() => TimeBankSettingsInput, { nullable: true, description: 'Defaults where left out.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeBankSettingsInput)
  settings?: TimeBankSettingsInput | null;
}

@InputType()
export class ChangeTimeBankSettingsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => TimeBankSettingsInput, { description: 'Only what changes; the rest stays.' })
  @ValidateNested()
  @Type(() => TimeBankSettingsInput)
  settings!: TimeBankSettingsInput;

  @Field(() => String, { defaultValue: '', description: 'Why, kept with the change.' })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@InputType()
export class JoinTimeBankInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => ID, { nullable: true, description: 'Another member to join (a coordinator); yourself when left out.' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string | null;
}

@InputType()
export class PublishListingInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => ListingKindEnum)
  kind!: ListingKindEnum;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  title!: string;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_DESCRIPTION)
  description!: string;

  @Field(() => String, { description: "One of the bank's categories." })
  @MinLength(1)
  @MaxLength(MAX_CATEGORY_LENGTH)
  category!: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES_PER_LOG)
  estimatedMinutes?: number | null;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON)
  availability!: string;
}

@InputType()
export class UpdateListingInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'listingId must be a UUID' })
  listingId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(MAX_CATEGORY_LENGTH)
  category?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MINUTES_PER_LOG)
  estimatedMinutes?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_REASON)
  availability?: string | null;
}

@InputType()
export class ListingIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'listingId must be a UUID' })
  listingId!: string;
}

@ArgsType()
export class ListingsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => String, { nullable: true, description: 'Words of the title, description or category.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_CATEGORY_LENGTH)
  category?: string | null;

  @Field(() => ListingKindEnum, { nullable: true })
  @IsOptional()
  kind?: ListingKindEnum | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'authorId must be a UUID' })
  authorId?: string | null;
}

@InputType()
export class LogTimeInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID, { description: 'Your time bank.' })
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => TimeLogSideEnum)
  side!: TimeLogSideEnum;

  @Field(() => ID, { description: 'Who received the hours you gave, or gave the hours you received.' })
  @IsUUID('all', { message: 'counterpartyId must be a UUID' })
  counterpartyId!: string;

  @Field(() => ID, { nullable: true, description: 'Their bank, when it is another bank of your federation.' })
  @IsOptional()
  @IsUUID('all', { message: 'counterpartyBankId must be a UUID' })
  counterpartyBankId?: string | null;

  @Field(() => Int)
  @IsInt()
  minutes!: number;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON)
  description!: string;

  @Field(() => ID, { nullable: true, description: 'The offer or request it answers.' })
  @IsOptional()
  @IsUUID('all', { message: 'listingId must be a UUID' })
  listingId?: string | null;
}

@InputType()
export class LogCommunityWorkInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId!: string;

  @Field(() => Int)
  @IsInt()
  minutes!: number;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON)
  description!: string;
}

@InputType()
export class TimeLogIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeLogId must be a UUID' })
  timeLogId!: string;
}

@InputType()
export class TimeLogReasonInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeLogId must be a UUID' })
  timeLogId!: string;

  @Field(() => String, { description: 'Why: kept with the step, shown to both sides.' })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@InputType()
export class ResolveTimeLogInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeLogId must be a UUID' })
  timeLogId!: string;

  @Field(() => DisputeOutcomeEnum)
  outcome!: DisputeOutcomeEnum;

  @Field(() => Int, { nullable: true, description: 'CONFIRM with fewer minutes than logged; all when left out.' })
  @IsOptional()
  @IsInt()
  minutes?: number | null;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@ArgsType()
export class TimeLogsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => ID, { nullable: true, description: "A member's logs (coordinators); yours when left out." })
  @IsOptional()
  @IsUUID('all', { message: 'memberId must be a UUID' })
  memberId?: string | null;

  @Field(() => [TimeLogStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  statuses?: TimeLogStatusEnum[] | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Only what waits for your answer.' })
  awaitingMe!: boolean;
}

@ArgsType()
export class MemberStatementArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'timeBankId must be a UUID' })
  timeBankId!: string;

  @Field(() => ID, { nullable: true, description: 'Yours when left out.' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string | null;
}
