import { Field, InputType } from '@nestjs/graphql';
import { IsEmail, MaxLength, MinLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../auth.records.js';

/*
 * Inputs of signing in, checked by class-validator at the edge. Password strength is a rule
 * (rules/credentials.ts) with its own reason, so here a password only gets an upper bound on its size.
 */

@InputType()
export class RegisterInput {
  @Field(() => String)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { description: 'At least 12 characters.' })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

@InputType()
export class LoginInput {
  @Field(() => String)
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @Field(() => String)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

@InputType()
export class RefreshSessionInput {
  @Field(() => String)
  @MaxLength(200)
  refreshToken!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @Field(() => String)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword!: string;
}
