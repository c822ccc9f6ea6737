import { registerEnumType } from '@nestjs/graphql';

export enum RedistributionPolicyStatusEnum {
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}

export enum RedistributionRunStatusEnum {
  EXECUTED = 'EXECUTED',
  REVERSED = 'REVERSED',
}

export enum RedistributionLineRoleEnum {
  SOURCE = 'SOURCE',
  DESTINATION = 'DESTINATION',
}

registerEnumType(RedistributionPolicyStatusEnum, {
  name: 'RedistributionPolicyStatus',
  description: 'ACTIVE until a motion retires it.',
});
registerEnumType(RedistributionRunStatusEnum, {
  name: 'RedistributionRunStatus',
  description: 'EXECUTED, or REVERSED by a reversal run.',
});
registerEnumType(RedistributionLineRoleEnum, {
  name: 'RedistributionLineRole',
  description: 'Whether the account gave (SOURCE) or received (DESTINATION).',
});
