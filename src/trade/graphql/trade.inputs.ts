import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../kernel/graphql/page.args.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import { MAX_LINES, MAX_NOTES, MAX_REASON, MAX_REFERENCE } from '../rules/invoice-terms.js';
import { InvoiceDirectionEnum, InvoiceStatusEnum } from './trade.enums.js';

/*
 * Inputs of trade, checked by class-validator at the edge (sizes, ids, shapes); what an invoice may say is a
 * rule (rules/invoice-terms.ts), with its own reasons.
 */

@InputType()
export class InvoiceLineInput {
  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  description!: string;

  @Field(() => String, { description: 'A positive decimal with up to 3 places, such as "2.5".' })
  @MaxLength(20)
  quantity!: string;

  @Field(() => MoneyScalar, { description: 'In minor units of the invoice’s unit.' })
  unitPrice!: bigint;
}

@InputType()
export class IssueInvoiceInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID, { description: 'Your organisation, which is owed.' })
  @IsUUID('all', { message: 'issuerId must be a UUID' })
  issuerId!: string;

  @Field(() => ID, { description: 'The organisation asked to pay.' })
  @IsUUID('all', { message: 'payerId must be a UUID' })
  payerId!: string;

  @Field(() => String)
  @MinLength(2)
  @MaxLength(16)
  unitCode!: string;

  @Field(() => ID, { description: "The issuer's account, in the unit, that payments go to." })
  @IsUUID('all', { message: 'creditAccountId must be a UUID' })
  creditAccountId!: string;

  @Field(() => [InvoiceLineInput], { description: `1 to ${MAX_LINES} lines; the total is their exact sum.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineInput)
  lines!: InvoiceLineInput[];

  @Field(() => String, { description: 'The calendar date it is due, YYYY-MM-DD.' })
  @MaxLength(10)
  dueOn!: string;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REFERENCE)
  reference!: string;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_NOTES)
  notes!: string;
}

@InputType()
export class InvoiceIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId!: string;
}

@InputType()
export class RejectInvoiceInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId!: string;

  @Field(() => String, { description: `Why, in 1 to ${MAX_REASON} characters.` })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@InputType()
export class PayInvoiceInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'invoiceId must be a UUID' })
  invoiceId!: string;

  @Field(() => ID, { description: 'A UUID of your choosing: the payment’s idempotency key.' })
  @IsUUID('all', { message: 'paymentId must be a UUID' })
  paymentId!: string;

  @Field(() => ID, { description: "The payer's account, in the invoice's unit, to pay from." })
  @IsUUID('all', { message: 'fromAccountId must be a UUID' })
  fromAccountId!: string;

  @Field(() => MoneyScalar, { description: 'Up to what the invoice still owes.' })
  amount!: bigint;
}

@InputType()
export class SetAutomaticPaymentInput {
  @Field(() => ID, { description: 'Your organisation, which pays.' })
  @IsUUID('all', { message: 'payerId must be a UUID' })
  payerId!: string;

  @Field(() => ID, { description: 'The organisation whose invoices are paid when they arrive.' })
  @IsUUID('all', { message: 'issuerId must be a UUID' })
  issuerId!: string;

  @Field(() => String)
  @MinLength(2)
  @MaxLength(16)
  unitCode!: string;

  @Field(() => ID, { nullable: true, description: 'The account paid from (needed unless removing).' })
  @IsOptional()
  @IsUUID('all', { message: 'fromAccountId must be a UUID' })
  fromAccountId?: string | null;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'Invoices whose total is at most this are paid in full when they arrive; null removes it.',
  })
  maxAmount?: bigint | null;
}

@InputType()
export class SetClearingSettingsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'federationId must be a UUID' })
  federationId!: string;

  @Field(() => Boolean, { description: 'Membership is consent: rounds run without asking each member.' })
  consentByMembership!: boolean;

  @Field(() => Int, { defaultValue: 72, description: 'How long members have to answer a round: 1 to 2160 hours.' })
  @IsInt()
  @Min(1)
  @Max(2160)
  consentHours!: number;
}

@InputType()
export class PreviewClearingRoundInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the round’s id and idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'federationId must be a UUID' })
  federationId!: string;

  @Field(() => String)
  @MinLength(2)
  @MaxLength(16)
  unitCode!: string;
}

@InputType()
export class DecideClearingConsentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'roundId must be a UUID' })
  roundId!: string;

  @Field(() => ID, { description: 'The participating organisation you answer for.' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => Boolean, { description: 'true consents; false declines (its obligations leave the round).' })
  consent!: boolean;
}

@InputType()
export class ClearingRoundIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'roundId must be a UUID' })
  roundId!: string;
}

@ArgsType()
export class InvoicesArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => InvoiceDirectionEnum, { defaultValue: InvoiceDirectionEnum.ALL })
  direction!: InvoiceDirectionEnum;

  @Field(() => [InvoiceStatusEnum], { nullable: true, description: 'Only these statuses.' })
  @IsOptional()
  @ArrayMaxSize(6)
  statuses?: InvoiceStatusEnum[] | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Only open invoices past their due date.' })
  overdue!: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'counterpartyId must be a UUID' })
  counterpartyId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(16)
  unitCode?: string | null;

  @Field(() => Date, { nullable: true, description: 'Issued at or after this instant.' })
  issuedFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Issued before this instant.' })
  issuedBefore?: Date | null;
}

@ArgsType()
export class StatementArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String)
  @MinLength(2)
  @MaxLength(16)
  unitCode!: string;

  @Field(() => Date, { description: 'The period starts at this instant (included)…' })
  from!: Date;

  @Field(() => Date, { description: '…and ends at this one (excluded).' })
  to!: Date;
}

@ArgsType()
export class ClearingRoundsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'federationId must be a UUID' })
  federationId!: string;
}
