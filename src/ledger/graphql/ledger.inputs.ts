import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
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
} from 'class-validator';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import { PageArgs } from '../../kernel/graphql/page.args.js';
import { UUID_ANY_CASE } from '../../kernel/ids.js';
import { MAX_BATCH_SIZE, MAX_REASON_LENGTH } from '../rules/ledger-limits.js';
import { AccountKindEnum, BalanceBasisEnum, SideEnum, UnitKindEnum } from './ledger-enums.js';

/*
 * Inputs of ledger operations. Transaction inputs are checked by the ledger's rules, item by item (so that
 * one bad item of a bulk request does not fail the others); the rest are checked here with class-validator.
 */

@InputType()
export class CreateUnitInput {
  @Field(() => String, { description: '2 to 16 characters: A-Z, 0-9 and _, starting with a letter.' })
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'code must be 2 to 16 characters of A-Z, 0-9 and _' })
  code!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @Field(() => UnitKindEnum)
  kind!: UnitKindEnum;

  @Field(() => Int, { description: 'Decimal places of the minor unit, 0 to 9 (HOURS: 0, counted in minutes).' })
  @IsInt()
  @Min(0)
  @Max(9)
  scale!: number;

  @Field(() => ID, { description: 'The organisation that issues the unit and sets the credit lines of its accounts.' })
  @IsUUID('all', { message: 'issuerId must be a UUID' })
  issuerId!: string;
}

@InputType()
export class OpenAccountInput {
  @Field(() => ID, { nullable: true, description: 'A UUID of your choosing makes opening idempotent.' })
  @IsOptional()
  @Matches(UUID_ANY_CASE, { message: 'id must be a UUID' })
  id?: string | null;

  @Field(() => String)
  @MinLength(2)
  @MaxLength(16)
  unitCode!: string;

  @Field(() => ID, { description: 'Who holds the account: the id of a person or an organisation.' })
  @IsUUID('all', { message: 'holderId must be a UUID' })
  holderId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @Field(() => AccountKindEnum)
  kind!: AccountKindEnum;

  @Field(() => MoneyScalar, { defaultValue: 0n, description: 'How far below zero it may go; 0 to stay positive.' })
  creditLimit!: bigint;

  @Field(() => MoneyScalar, { nullable: true })
  upperLimit?: bigint | null;
}

@InputType()
export class SetAccountLimitsInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => MoneyScalar)
  creditLimit!: bigint;

  @Field(() => MoneyScalar, { nullable: true, description: 'Omit or null for no upper limit.' })
  upperLimit?: bigint | null;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON_LENGTH)
  reason!: string;
}

@InputType()
export class ChangeAccountStatusInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON_LENGTH)
  reason!: string;
}

@InputType()
export class EntryInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => SideEnum)
  side!: SideEnum;

  @Field(() => MoneyScalar, { description: 'Minor units, more than zero.' })
  amount!: bigint;
}

@InputType()
export class MetadataEntryInput {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;
}

@InputType()
export class PostTransactionInput {
  @Field(() => ID, { description: 'A UUID chosen by the client: the idempotency key.' })
  id!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => [EntryInput])
  entries!: EntryInput[];

  @Field(() => String, { defaultValue: 'TRANSFER', description: 'A label such as TRADE, TIME_CREDIT, CONTRIBUTION.' })
  kind!: string;

  @Field(() => String, { defaultValue: '' })
  memo!: string;

  @Field(() => [MetadataEntryInput], { defaultValue: [] })
  metadata!: MetadataEntryInput[];

  @Field(() => Date, { nullable: true, description: 'When it took effect, if not now (backdating is allowed).' })
  effectiveAt?: Date | null;
}

@InputType()
export class PlaceHoldInput extends PostTransactionInput {
  @Field(() => Int, { nullable: true, description: 'Seconds after which the hold voids itself; omit for never.' })
  timeoutSeconds?: number | null;
}

@InputType()
export class PostTransactionsInput {
  @Field(() => [PostTransactionInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SIZE)
  transactions!: PostTransactionInput[];
}

@InputType()
export class PostHoldInput {
  @Field(() => ID, { description: 'A new UUID for the posting transaction.' })
  id!: string;

  @Field(() => ID)
  holdId!: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'Post only this much (two-entry holds); omit for all.' })
  amount?: bigint | null;

  @Field(() => String, { defaultValue: '' })
  memo!: string;

  @Field(() => [MetadataEntryInput], { defaultValue: [] })
  metadata!: MetadataEntryInput[];
}

@InputType()
export class VoidHoldInput {
  @Field(() => ID, { description: 'A new UUID for the voiding transaction.' })
  id!: string;

  @Field(() => ID)
  holdId!: string;

  @Field(() => String, { defaultValue: '' })
  memo!: string;

  @Field(() => [MetadataEntryInput], { defaultValue: [] })
  metadata!: MetadataEntryInput[];
}

@InputType()
export class ReverseTransactionInput {
  @Field(() => ID, { description: 'A new UUID for the reversing transaction.' })
  id!: string;

  @Field(() => ID)
  transactionId!: string;

  @Field(() => String, { defaultValue: '' })
  memo!: string;

  @Field(() => [MetadataEntryInput], { defaultValue: [] })
  metadata!: MetadataEntryInput[];
}

@ArgsType()
export class AccountsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'holderId must be a UUID' })
  holderId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(16)
  unitCode?: string | null;
}

@ArgsType()
export class AccountHistoryArgs extends PageArgs {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Date, { nullable: true, description: 'Entries recorded at or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Entries recorded before this time.' })
  to?: Date | null;
}

@ArgsType()
export class TransactionsByAuthorityArgs extends PageArgs {
  @Field(() => String, { description: 'The authority kind, such as MOTION.' })
  @MaxLength(64)
  kind!: string;

  @Field(() => String)
  @MaxLength(200)
  id!: string;
}

@ArgsType()
export class AccountChangesArgs extends PageArgs {
  @Field(() => ID)
  accountId!: string;
}

@ArgsType()
export class BalanceAsOfArgs {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => BalanceBasisEnum, { defaultValue: BalanceBasisEnum.RECORDED })
  basis!: BalanceBasisEnum;
}
