import { registerEnumType } from '@nestjs/graphql';

/** Governance's enums as GraphQL knows them (values match the records and rules). */
export enum AssemblyKindEnum {
  MEMBERS = 'MEMBERS',
  CONFEDERAL = 'CONFEDERAL',
}
export enum BallotKindEnum {
  YES_NO = 'YES_NO',
  RANKED = 'RANKED',
  APPROVAL = 'APPROVAL',
  BUDGET = 'BUDGET',
}
export enum DecisionRuleEnum {
  MAJORITY = 'MAJORITY',
  SUPERMAJORITY = 'SUPERMAJORITY',
  CONSENSUS = 'CONSENSUS',
  CONSENT = 'CONSENT',
  UNANIMITY = 'UNANIMITY',
}
export enum MotionStatusEnum {
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  WITHDRAWN = 'WITHDRAWN',
}
export enum BudgetMethodEnum {
  GREEDY = 'GREEDY',
  EQUAL_SHARES = 'EQUAL_SHARES',
}
export enum YesNoChoiceEnum {
  YES = 'YES',
  NO = 'NO',
  ABSTAIN = 'ABSTAIN',
  BLOCK = 'BLOCK',
  OBJECT = 'OBJECT',
}
export enum EffectStatusEnum {
  NONE = 'NONE',
  APPLIED = 'APPLIED',
  FAILED = 'FAILED',
  NOT_PASSED = 'NOT_PASSED',
}
export enum ApprovalStatusEnum {
  OPEN = 'OPEN',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
  WITHDRAWN = 'WITHDRAWN',
}
export enum ApprovalDecisionEnum {
  APPROVE = 'APPROVE',
  REFUSE = 'REFUSE',
  RECUSE = 'RECUSE',
}

registerEnumType(AssemblyKindEnum, {
  name: 'AssemblyKind',
  description:
    "MEMBERS: an organisation's members vote; CONFEDERAL: a federation's member organisations, by delegates.",
});
registerEnumType(BallotKindEnum, {
  name: 'BallotKind',
  description: 'YES_NO under a decision rule; RANKED (Schulze); APPROVAL; BUDGET (approval ballots funding proposals).',
});
registerEnumType(DecisionRuleEnum, {
  name: 'DecisionRule',
  description:
    'MAJORITY or SUPERMAJORITY (a fraction) of yes and no cast, abstentions not counted against; CONSENSUS: ' +
    'passes when no block stands; CONSENT: passes unless an objection stands; UNANIMITY: every ballot cast is yes.',
});
registerEnumType(MotionStatusEnum, { name: 'MotionStatus' });
registerEnumType(BudgetMethodEnum, {
  name: 'BudgetMethod',
  description: 'GREEDY: by approvals, skipping what no longer fits; EQUAL_SHARES: the Method of Equal Shares.',
});
registerEnumType(YesNoChoiceEnum, {
  name: 'YesNoChoice',
  description: 'BLOCK under CONSENSUS and OBJECT under CONSENT only, each with its reason.',
});
registerEnumType(EffectStatusEnum, {
  name: 'EffectStatus',
  description: 'NONE: no effect; APPLIED; FAILED: could not apply (the outcome stands); NOT_PASSED.',
});
registerEnumType(ApprovalStatusEnum, { name: 'ApprovalStatus' });
registerEnumType(ApprovalDecisionEnum, {
  name: 'ApprovalDecision',
  description: 'RECUSE declares a conflict: the approver is then not counted among those who may approve.',
});
