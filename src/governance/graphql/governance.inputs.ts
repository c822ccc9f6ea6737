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
import { JsonObjectScalar } from '../../kernel/graphql/json-object.scalar.js';
import { PageArgs } from '../../kernel/graphql/page.args.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import { RoleEnum } from '../../organizations/graphql/organizations.enums.js';
import { MAX_OPTION_LENGTH, MAX_OPTIONS, MAX_PROPOSALS } from '../rules/motion-terms.js';
import {
  ApprovalDecisionEnum,
  ApprovalStatusEnum,
  AssemblyKindEnum,
  BallotKindEnum,
  BudgetMethodEnum,
  DecisionRuleEnum,
  MotionStatusEnum,
  YesNoChoiceEnum,
} from './governance.enums.js';

/*
 * Inputs of governance, checked by class-validator at the edge (sizes, ids, shapes); what a motion, a ballot
 * or a request may be is a rule (rules/motion-terms.ts), with its own reasons.
 */

const MAX_REASON = 2000;
const MAX_TITLE = 200;

@InputType()
export class CreateAssemblyInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID, { description: 'The organisation (for a CONFEDERAL assembly: the federation) it belongs to.' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  name!: string;

  @Field(() => AssemblyKindEnum, { defaultValue: AssemblyKindEnum.MEMBERS })
  kind!: AssemblyKindEnum;

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'Whether voters may delegate their vote (never on secret ballots).',
  })
  delegationAllowed!: boolean;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Whether the members of the federations above see its motions' outcomes and tallies.",
  })
  outcomesPublic!: boolean;
}

@InputType()
export class UpdateAssemblyInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  delegationAllowed?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  outcomesPublic?: boolean | null;
}

@InputType()
export class SetAssemblySeatInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => ID, { description: 'A member organisation of the federation.' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => Int, { defaultValue: 1, description: 'Its weight: 1 (one vote each) up to 1000000.' })
  @IsInt()
  weight!: number;
}

@InputType()
export class AssemblySeatInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;
}

@InputType()
export class AppointDelegateInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => ID, { description: 'The seated organisation (you are its ADMIN).' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => ID, { nullable: true, description: 'A member of the organisation; null recalls the delegate.' })
  @IsOptional()
  @IsUUID('all', { message: 'delegateId must be a UUID' })
  delegateId?: string | null;
}

@InputType()
export class FractionInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(1000)
  numerator!: number;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(1000)
  denominator!: number;
}

@InputType()
export class BudgetProposalInput {
  @Field(() => String, { description: 'Its id within the motion: 1 to 64 of A-Z, a-z, 0-9, - and _.' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'a proposal id is 1 to 64 of A-Z, a-z, 0-9, - and _' })
  id!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  title!: string;

  @Field(() => MoneyScalar, { description: 'What it costs, in minor units of the budget’s unit.' })
  cost!: bigint;

  @Field(() => ID, { description: 'The account it is paid to when funded.' })
  @IsUUID('all', { message: 'payeeAccountId must be a UUID' })
  payeeAccountId!: string;
}

@InputType()
export class BudgetInput {
  @Field(() => String)
  @MaxLength(16)
  unitCode!: string;

  @Field(() => ID, { description: "The fund that pays the winners: an account of the assembly's organisation." })
  @IsUUID('all', { message: 'fundAccountId must be a UUID' })
  fundAccountId!: string;

  @Field(() => MoneyScalar, { description: 'How much the vote distributes, in minor units.' })
  amount!: bigint;

  @Field(() => BudgetMethodEnum, { defaultValue: BudgetMethodEnum.EQUAL_SHARES })
  method!: BudgetMethodEnum;

  @Field(() => [BudgetProposalInput])
  @ArrayMaxSize(MAX_PROPOSALS)
  @ValidateNested({ each: true })
  @Type(() => BudgetProposalInput)
  proposals!: BudgetProposalInput[];
}

@InputType()
export class EffectInput {
  @Field(() => String, { description: 'What it does, as `<module>.<name>`, such as ledger.disburse.' })
  @MaxLength(100)
  kind!: string;

  @Field(() => JsonObjectScalar, { description: 'Its parameters, as the module that offers it defines them.' })
  params!: Record<string, unknown>;
}

@InputType()
export class ProposeMotionInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  title!: string;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(20_000)
  body!: string;

  @Field(() => BallotKindEnum, { defaultValue: BallotKindEnum.YES_NO })
  ballotKind!: BallotKindEnum;

  @Field(() => DecisionRuleEnum, { defaultValue: DecisionRuleEnum.MAJORITY })
  rule!: DecisionRuleEnum;

  @Field(() => FractionInput, {
    nullable: true,
    description: 'For SUPERMAJORITY: the share of yes and no, such as 2/3.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FractionInput)
  supermajority?: FractionInput | null;

  @Field(() => FractionInput, {
    nullable: true,
    description: 'The share of the eligible weight that must cast a ballot (abstaining counts); none when null.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FractionInput)
  quorum?: FractionInput | null;

  @Field(() => [String], { defaultValue: [], description: 'For RANKED and APPROVAL: 2 to 50 distinct options.' })
  @ArrayMaxSize(MAX_OPTIONS)
  @MaxLength(MAX_OPTION_LENGTH, { each: true })
  options!: string[];

  @Field(() => BudgetInput, { nullable: true, description: 'For BUDGET: the fund, amount, method and proposals.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BudgetInput)
  budget?: BudgetInput | null;

  @Field(() => EffectInput, { nullable: true, description: 'For YES_NO: what it does when it passes.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EffectInput)
  effect?: EffectInput | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Who voted is known, how is not. A secret ballot is changed only with the receipt given when it was cast.',
  })
  secret!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'No running tally or ballots shown until it closes.' })
  resultsHidden!: boolean;

  @Field(() => Boolean, { defaultValue: true, description: 'Whether ballots may be changed until it closes.' })
  changeable!: boolean;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Close as soon as no ballot still possible can change the outcome (ballots must be final).',
  })
  earlyClose!: boolean;

  @Field(() => Date, { nullable: true, description: 'When ballots open; now when null.' })
  @IsOptional()
  opensAt?: Date | null;

  @Field(() => Date, { description: 'The exact instant ballots close and the outcome is tallied.' })
  closesAt!: Date;
}

@InputType()
export class MotionIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'motionId must be a UUID' })
  motionId!: string;
}

@InputType()
export class BallotInput {
  @Field(() => YesNoChoiceEnum, { nullable: true, description: 'For a YES_NO motion.' })
  @IsOptional()
  choice?: YesNoChoiceEnum | null;

  @Field(() => [[String]], {
    nullable: true,
    description: 'For a RANKED motion: groups of options, most preferred first; options in one group rank equal.',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_OPTIONS)
  ranking?: string[][] | null;

  @Field(() => [String], { nullable: true, description: 'For an APPROVAL or BUDGET motion: what you approve.' })
  @IsOptional()
  @ArrayMaxSize(MAX_PROPOSALS)
  @MaxLength(MAX_OPTION_LENGTH, { each: true })
  approved?: string[] | null;
}

@InputType()
export class CastBallotInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'motionId must be a UUID' })
  motionId!: string;

  @Field(() => ID, { nullable: true, description: 'The seat you cast for, when you are the delegate of several.' })
  @IsOptional()
  @IsUUID('all', { message: 'voterId must be a UUID' })
  voterId?: string | null;

  @Field(() => BallotInput)
  @ValidateNested()
  @Type(() => BallotInput)
  ballot!: BallotInput;

  @Field(() => String, { defaultValue: '', description: 'Why; required for a block or an objection.' })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@InputType()
export class ChangeSecretBallotInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'motionId must be a UUID' })
  motionId!: string;

  @Field(() => String, { description: 'The receipt you were given when you cast it.' })
  @MaxLength(100)
  receipt!: string;

  @Field(() => BallotInput)
  @ValidateNested()
  @Type(() => BallotInput)
  ballot!: BallotInput;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@InputType()
export class DelegateVoteInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'In a confederal assembly, the seat you delegate for (when you are the delegate of several).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'fromVoterId must be a UUID' })
  fromVoterId?: string | null;

  @Field(() => ID, { description: 'Another voter of the assembly: a member (or, confederal, a seated organisation).' })
  @IsUUID('all', { message: 'toVoterId must be a UUID' })
  toVoterId!: string;

  @Field(() => ID, { nullable: true, description: 'For this motion only; for all motions when null.' })
  @IsOptional()
  @IsUUID('all', { message: 'motionId must be a UUID' })
  motionId?: string | null;
}

@InputType()
export class RevokeDelegationInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'assemblyId must be a UUID' })
  assemblyId!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'fromVoterId must be a UUID' })
  fromVoterId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The delegation for this motion; the one for all motions when null.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'motionId must be a UUID' })
  motionId?: string | null;
}

@InputType()
export class RequestApprovalInput {
  @Field(() => ID, { description: 'A UUID of your choosing: the idempotency key.' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  title!: string;

  @Field(() => EffectInput, { description: 'The action it runs once approved, such as ledger.disburse.' })
  @ValidateNested()
  @Type(() => EffectInput)
  action!: EffectInput;

  @Field(() => RoleEnum, { nullable: true, description: 'Approvers: whoever holds this role in the organisation.' })
  @IsOptional()
  approverRole?: RoleEnum | null;

  @Field(() => [ID], { nullable: true, description: 'Approvers: these members, by person id (instead of a role).' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'committee holds person ids (UUIDs)' })
  committee?: string[] | null;

  @Field(() => Int, { description: 'How many must approve (N of M).' })
  @IsInt()
  @Min(1)
  @Max(50)
  required!: number;

  @Field(() => Date)
  expiresAt!: Date;
}

@InputType()
export class ChangeApprovalRequestInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'requestId must be a UUID' })
  requestId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(MAX_TITLE)
  title?: string | null;

  @Field(() => JsonObjectScalar, {
    description: "The action's new parameters: every approval so far no longer counts.",
  })
  params!: Record<string, unknown>;
}

@InputType()
export class DecideApprovalInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'requestId must be a UUID' })
  requestId!: string;

  @Field(() => Int, { description: 'The version you read: a decision on an older one is refused.' })
  @IsInt()
  @Min(1)
  version!: number;

  @Field(() => ApprovalDecisionEnum)
  decision!: ApprovalDecisionEnum;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(MAX_REASON)
  reason!: string;
}

@InputType()
export class ApprovalRequestIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'requestId must be a UUID' })
  requestId!: string;
}

@ArgsType()
export class AssembliesArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;
}

@ArgsType()
export class MotionsArgs extends PageArgs {
  @Field(() => MotionStatusEnum, { nullable: true })
  @IsOptional()
  status?: MotionStatusEnum | null;
}

@ArgsType()
export class ApprovalRequestsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => ApprovalStatusEnum, { nullable: true })
  @IsOptional()
  status?: ApprovalStatusEnum | null;
}
