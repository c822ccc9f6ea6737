import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_PAGE_SIZE, PageArgs } from '../../kernel/graphql/page.args.js';

@ArgsType()
export class RedistributionPoliciesArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId!: string;
}

@InputType()
export class PreviewRedistributionRunInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'policyId must be a UUID' })
  policyId!: string;

  @Field(() => Date, { description: 'The period starts at this instant (included).' })
  periodStart!: Date;

  @Field(() => Date, { description: 'The period ends at this instant (excluded); it has passed.' })
  periodEnd!: Date;

  @Field(() => Int, { defaultValue: 50, description: `Lines shown: 1 to ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  linesFirst!: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the lines shown before.' })
  @IsOptional()
  @MaxLength(200)
  linesAfter?: string | null;
}

@InputType()
export class ExecuteRedistributionRunInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'policyId must be a UUID' })
  policyId!: string;

  @Field(() => Date)
  periodStart!: Date;

  @Field(() => Date)
  periodEnd!: Date;

  @Field(() => String, { description: 'The digest of the preview you read: the run is refused if the books moved.' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'previewDigest is the digest a preview returned' })
  previewDigest!: string;
}

@InputType()
export class ReverseRedistributionRunInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId!: string;

  @Field(() => String, { description: 'Why, for the members who will read it (1 to 500 characters).' })
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
