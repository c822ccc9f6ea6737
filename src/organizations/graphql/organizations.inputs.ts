import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsOptional,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageArgs } from '../../kernel/graphql/page.args.js';
import { ApiScopeEnum } from '../../auth/graphql/auth.enums.js';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../../auth/auth.records.js';
import { BalanceVisibilityEnum, OrganizationKindEnum, RoleEnum } from './organizations.enums.js';

/*
 * Inputs of the organisations module, checked by class-validator at the edge. Password strength is a rule
 * (auth's rules/credentials.ts) with its own reason, so here a password only gets an upper bound on its size.
 */

@InputType()
export class AcceptInvitationInput {
  @Field(() => String)
  @MaxLength(100)
  token!: string;

  @Field(() => String, { nullable: true, description: 'Your name, when the invited address is new here.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { description: 'A new password, or the password of the invited address if registered.' })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

@InputType()
export class CreateOrganizationInput {
  @Field(() => OrganizationKindEnum)
  kind!: OrganizationKindEnum;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { description: 'Lower-case letters, digits and dashes; unique.' })
  @Matches(/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'slug must be 1 to 64 of a-z, 0-9 and inner dashes' })
  slug!: string;

  @Field(() => String, { defaultValue: '' })
  @MaxLength(2000)
  description!: string;

  @Field(() => BalanceVisibilityEnum, { defaultValue: BalanceVisibilityEnum.MEMBERS })
  balanceVisibility!: BalanceVisibilityEnum;
}

@InputType()
export class UpdateOrganizationInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => BalanceVisibilityEnum, { nullable: true })
  @IsOptional()
  balanceVisibility?: BalanceVisibilityEnum | null;
}

@InputType()
export class InviteMemberInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @Field(() => [RoleEnum], { defaultValue: [RoleEnum.MEMBER] })
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  roles!: RoleEnum[];
}

@InputType()
export class InvitationIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'invitationId must be a UUID' })
  invitationId!: string;
}

@InputType()
export class SetMemberRolesInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'membershipId must be a UUID' })
  membershipId!: string;

  @Field(() => [RoleEnum], { description: 'MEMBER is always kept.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  roles!: RoleEnum[];
}

@InputType()
export class MembershipIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'membershipId must be a UUID' })
  membershipId!: string;
}

@InputType()
export class RequestFederationMembershipInput {
  @Field(() => ID, { description: 'The organisation that asks to join (you are its ADMIN).' })
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'federationId must be a UUID' })
  federationId!: string;
}

@InputType()
export class FederationMembershipIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'federationMembershipId must be a UUID' })
  federationMembershipId!: string;
}

@InputType()
export class CreateApiTokenInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;

  @Field(() => String, { description: 'What the token is for, such as "Bakery till".' })
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @Field(() => [ApiScopeEnum])
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  scopes!: ApiScopeEnum[];

  @Field(() => Date, { nullable: true })
  @IsOptional()
  expiresAt?: Date | null;
}

@InputType()
export class ApiTokenIdInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'apiTokenId must be a UUID' })
  apiTokenId!: string;
}

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field(() => OrganizationKindEnum, { nullable: true })
  @IsOptional()
  kind?: OrganizationKindEnum | null;
}

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;
}
