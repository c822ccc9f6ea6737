import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Int64Scalar } from '../../kernel/graphql/int64.scalar.js';
import { JsonObjectScalar } from '../../kernel/graphql/json-object.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import { RoleEnum } from '../../organizations/graphql/organizations.enums.js';
import type {
  ApprovalDecisionRecord,
  ApprovalRequestRecord,
  AssemblyRecord,
  BallotChoice,
  BallotRecord,
  BudgetTerms,
  DelegationRecord,
  MotionRecord,
  MotionVoterRecord,
  OutcomeRecord,
  SeatRecord,
} from '../governance.records.js';
import type { AssemblyView } from '../rules/governance-access.js';
import type { ApprovalVerdict } from '../rules/approvals.js';
import {
  ApprovalDecisionEnum,
  ApprovalStatusEnum,
  AssemblyKindEnum,
  BallotKindEnum,
  BudgetMethodEnum,
  DecisionRuleEnum,
  EffectStatusEnum,
  MotionStatusEnum,
  YesNoChoiceEnum,
} from './governance.enums.js';

type Json = Record<string, unknown>;

@ObjectType('Assembly', { description: "An organisation's (or a federation's) body that votes on motions." })
export class AssemblyModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => AssemblyKindEnum)
  kind!: AssemblyKindEnum;

  @Field(() => Boolean)
  delegationAllowed!: boolean;

  @Field(() => Boolean)
  outcomesPublic!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  /** How much of it the reader sees (resolvers of its fields read it). */
  view!: Exclude<AssemblyView, 'NONE'>;

  static from(record: AssemblyRecord, view: Exclude<AssemblyView, 'NONE'>): AssemblyModel {
    return Object.assign(new AssemblyModel(), { ...record, kind: record.kind as AssemblyKindEnum, view });
  }
}

@ObjectType('AssemblyEdge')
export class AssemblyEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => AssemblyModel)
  node!: AssemblyModel;
}

@ObjectType('AssemblyConnection')
export class AssemblyConnectionModel {
  @Field(() => [AssemblyEdgeModel])
  edges!: AssemblyEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('AssemblySeat', { description: "A member organisation's seat in a confederal assembly." })
export class SeatModel {
  @Field(() => ID)
  assemblyId!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => Int64Scalar)
  weight!: bigint;

  @Field(() => ID, { nullable: true, description: 'The member it appointed to vote for it; none when null.' })
  delegateId!: string | null;

  static from(record: SeatRecord): SeatModel {
    return Object.assign(new SeatModel(), record);
  }
}

@ObjectType('Delegation', { description: "A voter's vote carried by another voter, for all motions or one." })
export class DelegationModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assemblyId!: string;

  @Field(() => ID)
  fromVoterId!: string;

  @Field(() => ID)
  toVoterId!: string;

  @Field(() => ID, { nullable: true, description: 'The one motion it is for; all motions when null.' })
  motionId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  static from(record: DelegationRecord): DelegationModel {
    return Object.assign(new DelegationModel(), {
      ...record,
      fromVoterId: record.fromVoter,
      toVoterId: record.toVoter,
    });
  }
}

@ObjectType('Fraction')
export class FractionModel {
  @Field(() => Int64Scalar)
  numerator!: bigint;

  @Field(() => Int64Scalar)
  denominator!: bigint;
}

@ObjectType('BudgetProposal')
export class BudgetProposalModel {
  @Field(() => String)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => MoneyScalar)
  cost!: bigint;

  @Field(() => ID)
  payeeAccountId!: string;
}

@ObjectType('Budget', { description: 'A budget vote: proposals with costs, funded from a fund up to an amount.' })
export class BudgetModel {
  @Field(() => String)
  unitCode!: string;

  @Field(() => ID)
  fundAccountId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => BudgetMethodEnum)
  method!: BudgetMethodEnum;

  @Field(() => [BudgetProposalModel])
  proposals!: BudgetProposalModel[];

  static from(terms: BudgetTerms): BudgetModel {
    return Object.assign(new BudgetModel(), {
      ...terms,
      method: terms.method as BudgetMethodEnum,
      proposals: terms.proposals.map((proposal) => Object.assign(new BudgetProposalModel(), proposal)),
    });
  }
}

@ObjectType('Effect', { description: 'What a decision does: a kind a module offers, and its parameters.' })
export class EffectModel {
  @Field(() => String)
  kind!: string;

  @Field(() => JsonObjectScalar)
  params!: Json;
}

@ObjectType('Motion', { description: 'A question put to an assembly, with its rule, ballots and outcome.' })
export class MotionModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assemblyId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  body!: string;

  @Field(() => BallotKindEnum)
  ballotKind!: BallotKindEnum;

  @Field(() => DecisionRuleEnum)
  rule!: DecisionRuleEnum;

  @Field(() => FractionModel, { nullable: true })
  supermajority!: FractionModel | null;

  @Field(() => FractionModel, { nullable: true })
  quorum!: FractionModel | null;

  @Field(() => [String])
  options!: string[];

  @Field(() => BudgetModel, { nullable: true })
  budget!: BudgetModel | null;

  @Field(() => EffectModel, { nullable: true })
  effect!: EffectModel | null;

  @Field(() => Boolean)
  secret!: boolean;

  @Field(() => Boolean)
  resultsHidden!: boolean;

  @Field(() => Boolean)
  changeable!: boolean;

  @Field(() => Boolean)
  earlyClose!: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Whether delegation applies, fixed when it opened.' })
  delegationApplies!: boolean | null;

  @Field(() => Date)
  opensAt!: Date;

  @Field(() => Date)
  closesAt!: Date;

  @Field(() => MotionStatusEnum)
  status!: MotionStatusEnum;

  @Field(() => ID)
  proposedBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  record!: MotionRecord;
  view!: Exclude<AssemblyView, 'NONE'>;

  static from(record: MotionRecord, view: Exclude<AssemblyView, 'NONE'>): MotionModel {
    const supermajority = record.rule.kind === 'SUPERMAJORITY' ? record.rule : null;
    return Object.assign(new MotionModel(), {
      ...record,
      rule: record.rule.kind as DecisionRuleEnum,
      ballotKind: record.ballotKind as BallotKindEnum,
      status: record.status as MotionStatusEnum,
      supermajority:
        supermajority === null
          ? null
          : Object.assign(new FractionModel(), {
              numerator: supermajority.numerator,
              denominator: supermajority.denominator,
            }),
      quorum: record.quorum === null ? null : Object.assign(new FractionModel(), record.quorum),
      options: [...record.options],
      budget: record.budget === null ? null : BudgetModel.from(record.budget),
      effect: record.effect === null ? null : Object.assign(new EffectModel(), record.effect),
      record,
      view,
    });
  }
}

@ObjectType('MotionEdge')
export class MotionEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => MotionModel)
  node!: MotionModel;
}

@ObjectType('MotionConnection')
export class MotionConnectionModel {
  @Field(() => [MotionEdgeModel])
  edges!: MotionEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('MotionVoter', { description: 'A voter fixed when the motion opened, with its weight.' })
export class MotionVoterModel {
  @Field(() => ID, { description: 'A member (person id), or a seated organisation (organisation id).' })
  voterId!: string;

  @Field(() => Int64Scalar)
  weight!: bigint;

  @Field(() => ID, { description: 'Who casts its ballot: the member, or the seat’s delegate.' })
  personId!: string;

  @Field(() => Boolean, { description: 'Whether it has cast a ballot (for a secret motion too: never how).' })
  hasVoted!: boolean;

  static from(record: MotionVoterRecord, hasVoted: boolean): MotionVoterModel {
    return Object.assign(new MotionVoterModel(), { ...record, hasVoted });
  }
}

@ObjectType('Ballot', { description: 'An open ballot: one of choice, ranking or approved, by its kind.' })
export class BallotModel {
  @Field(() => ID)
  voterId!: string;

  @Field(() => YesNoChoiceEnum, { nullable: true })
  choice!: YesNoChoiceEnum | null;

  @Field(() => [[String]], { nullable: true })
  ranking!: string[][] | null;

  @Field(() => [String], { nullable: true })
  approved!: string[] | null;

  @Field(() => String)
  reason!: string;

  @Field(() => Int, { description: 'How many times it was cast or changed.' })
  version!: number;

  @Field(() => Date)
  castAt!: Date;

  static from(record: BallotRecord): BallotModel {
    return Object.assign(new BallotModel(), { ...record, ...choiceFields(record.choice) });
  }
}

export function choiceFields(choice: BallotChoice): Pick<BallotModel, 'choice' | 'ranking' | 'approved'> {
  return {
    choice: choice.kind === 'YES_NO' ? (choice.choice as YesNoChoiceEnum) : null,
    ranking: choice.kind === 'RANKED' ? choice.ranking.map((group) => [...group]) : null,
    approved: choice.kind === 'APPROVAL' ? [...choice.approved] : null,
  };
}

@ObjectType('MyBallot', {
  description: 'Your ballot for one voter you cast for (a secret one shows only that it was cast).',
})
export class MyBallotModel {
  @Field(() => ID)
  voterId!: string;

  @Field(() => Boolean)
  cast!: boolean;

  @Field(() => BallotModel, { nullable: true })
  ballot!: BallotModel | null;
}

@ObjectType('CastBallotPayload')
export class CastBallotPayloadModel {
  @Field(() => MotionModel)
  motion!: MotionModel;

  @Field(() => BallotModel, { nullable: true, description: 'Your open ballot as stored; null for a secret ballot.' })
  ballot!: BallotModel | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For a secret ballot, given this once: keep it to replace your ballot until the motion closes (where it ' +
      'allows changes). Nobody else can: it is stored only as a hash, and cleared when the motion closes.',
  })
  receipt!: string | null;
}

@ObjectType('BallotWeight', { description: 'The weight a ballot carried: its own and what was delegated to it.' })
export class BallotWeightModel {
  @Field(() => ID, { nullable: true, description: 'Null for a secret ballot.' })
  voterId!: string | null;

  @Field(() => Int64Scalar)
  weight!: bigint;

  @Field(() => [ID], { description: 'The voters whose delegated weight it carried.' })
  represents!: string[];
}

@ObjectType('BallotReason', { description: 'The reason given with a block or an objection.' })
export class BallotReasonModel {
  @Field(() => ID, { nullable: true, description: 'Null for a secret ballot.' })
  voterId!: string | null;

  @Field(() => String)
  reason!: string;
}

@ObjectType('OptionCount')
export class OptionCountModel {
  @Field(() => String)
  option!: string;

  @Field(() => Int64Scalar)
  count!: bigint;
}

@ObjectType('UnfundedProposal')
export class UnfundedProposalModel {
  @Field(() => String)
  proposalId!: string;

  @Field(() => String, { description: 'Why it was not funded.' })
  reason!: string;
}

@ObjectType('BudgetShare', {
  description: "What one voter's share paid towards one funded proposal, as an exact fraction.",
})
export class BudgetShareModel {
  @Field(() => String, { description: 'The voter (on a secret motion, an anonymous ballot number).' })
  voter!: string;

  @Field(() => String)
  proposalId!: string;

  @Field(() => String, { description: 'Minor units, as an exact fraction such as 1000/3.' })
  amount!: string;
}

@ObjectType('BudgetTie', { description: 'A choice a tie-break made: the proposal funded over those tied with it.' })
export class BudgetTieModel {
  @Field(() => String)
  chosen!: string;

  @Field(() => [String])
  over!: string[];
}

@ObjectType('BudgetResult')
export class BudgetResultModel {
  @Field(() => BudgetMethodEnum)
  method!: BudgetMethodEnum;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => MoneyScalar)
  spent!: bigint;

  @Field(() => [String], { description: 'The funded proposals, in the order they were selected.' })
  funded!: string[];

  @Field(() => [UnfundedProposalModel])
  unfunded!: UnfundedProposalModel[];

  @Field(() => [BudgetShareModel])
  shares!: BudgetShareModel[];

  @Field(() => [OptionCountModel], { description: 'How many voters approved each proposal.' })
  approvals!: OptionCountModel[];

  @Field(() => [BudgetTieModel])
  ties!: BudgetTieModel[];
}

@ObjectType('Tally', {
  description:
    'A full tally, from the stored ballots. Fields apply by ballot kind; `json` holds all of it as stored, ' +
    'for anyone who wants to check it.',
})
export class TallyModel {
  @Field(() => BallotKindEnum)
  kind!: BallotKindEnum;

  @Field(() => Boolean)
  passed!: boolean;

  @Field(() => Int64Scalar, { description: 'The weight of every voter fixed when it opened (budget: voters).' })
  eligible!: bigint;

  @Field(() => Int64Scalar, { description: 'The weight the cast ballots carried (budget: ballots).' })
  cast!: bigint;

  @Field(() => Int64Scalar, { description: 'Eligible weight no ballot carried.' })
  unrepresented!: bigint;

  @Field(() => String, { nullable: true })
  quorum!: string | null;

  @Field(() => Boolean)
  quorumMet!: boolean;

  @Field(() => [BallotWeightModel])
  weights!: BallotWeightModel[];

  @Field(() => Int64Scalar, { nullable: true })
  yes!: bigint | null;

  @Field(() => Int64Scalar, { nullable: true })
  no!: bigint | null;

  @Field(() => Int64Scalar, { nullable: true })
  abstain!: bigint | null;

  @Field(() => Int64Scalar, { nullable: true })
  block!: bigint | null;

  @Field(() => Int64Scalar, { nullable: true })
  object!: bigint | null;

  @Field(() => [BallotReasonModel])
  reasons!: BallotReasonModel[];

  @Field(() => String, { nullable: true, description: 'Why it passed or not, in words.' })
  explanation!: string | null;

  @Field(() => [[String]], { nullable: true, description: 'RANKED: the Schulze ranking, groups of equal options.' })
  ranking!: string[][] | null;

  @Field(() => [[Int64Scalar]], {
    nullable: true,
    description: 'RANKED: weight preferring option i to option j (in the order of the options).',
  })
  pairwise!: bigint[][] | null;

  @Field(() => [[Int64Scalar]], { nullable: true, description: 'RANKED: the strongest beat-path from i to j.' })
  strengths!: bigint[][] | null;

  @Field(() => [String], { nullable: true })
  winners!: string[] | null;

  @Field(() => String, { nullable: true, description: 'RANKED and APPROVAL: the single winner, if one.' })
  winner!: string | null;

  @Field(() => [OptionCountModel], { nullable: true, description: 'APPROVAL: weight approving each option.' })
  approvals!: OptionCountModel[] | null;

  @Field(() => Boolean, { nullable: true })
  tieBroken!: boolean | null;

  @Field(() => BudgetResultModel, { nullable: true })
  budget!: BudgetResultModel | null;

  @Field(() => String, { description: 'The whole tally as JSON.' })
  json!: string;

  static from(passed: boolean, detail: Json): TallyModel {
    const int = (value: unknown) => (value === undefined || value === null ? null : countOf(value));
    const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
    const budget = detail['budget'] as Json | undefined;
    return Object.assign(new TallyModel(), {
      kind: detail['kind'] as BallotKindEnum,
      passed,
      eligible: countOf(detail['eligible']),
      cast: countOf(detail['cast']),
      unrepresented: countOf(detail['unrepresented'] ?? '0'),
      quorum: (detail['quorum'] as string | null) ?? null,
      quorumMet: detail['quorumMet'] === true,
      weights: list<Json>(detail['weights']).map((weight) =>
        Object.assign(new BallotWeightModel(), {
          voterId: (weight['voterId'] as string | null) ?? null,
          weight: countOf(weight['weight']),
          represents: list<string>(weight['represents']),
        }),
      ),
      yes: int(detail['yes']),
      no: int(detail['no']),
      abstain: int(detail['abstain']),
      block: int(detail['block']),
      object: int(detail['object']),
      reasons: list<Json>(detail['reasons']).map((reason) =>
        Object.assign(new BallotReasonModel(), {
          voterId: (reason['voterId'] as string | null) ?? null,
          reason: typeof reason['reason'] === 'string' ? reason['reason'] : '',
        }),
      ),
      explanation: (detail['explanation'] as string | undefined) ?? null,
      ranking: (detail['ranking'] as string[][] | undefined) ?? null,
      pairwise:
        detail['pairwise'] === undefined ? null : list<string[]>(detail['pairwise']).map((row) => row.map(BigInt)),
      strengths:
        detail['strengths'] === undefined ? null : list<string[]>(detail['strengths']).map((row) => row.map(BigInt)),
      winners: (detail['winners'] as string[] | undefined) ?? null,
      winner: (detail['winner'] as string | null | undefined) ?? null,
      approvals:
        detail['approvals'] === undefined
          ? null
          : Object.entries(detail['approvals'] as Record<string, string>).map(([option, count]) =>
              Object.assign(new OptionCountModel(), { option, count: BigInt(count) }),
            ),
      tieBroken: (detail['tieBroken'] as boolean | undefined) ?? null,
      budget: budget === undefined ? null : budgetResult(budget),
      json: JSON.stringify(detail),
    });
  }
}

/** A count or amount of a stored tally: a decimal string (a number for small counts). */
function countOf(value: unknown): bigint {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return BigInt(value);
  throw new TypeError('a tally count is a decimal string');
}

function budgetResult(budget: Json): BudgetResultModel {
  const payments = (budget['payments'] ?? {}) as Record<string, Record<string, string>>;
  const unfunded = (budget['unfunded'] ?? []) as { id: string; reason: string }[];
  return Object.assign(new BudgetResultModel(), {
    method: budget['method'] as BudgetMethodEnum,
    amount: countOf(budget['amount']),
    spent: countOf(budget['spent']),
    funded: budget['funded'] as string[],
    unfunded: unfunded.map((entry) =>
      Object.assign(new UnfundedProposalModel(), { proposalId: entry.id, reason: entry.reason }),
    ),
    approvals: Object.entries((budget['approvals'] ?? {}) as Record<string, number>).map(([option, count]) =>
      Object.assign(new OptionCountModel(), { option, count: BigInt(count) }),
    ),
    ties: ((budget['ties'] ?? []) as { chosen: string; over: string[] }[]).map((tie) =>
      Object.assign(new BudgetTieModel(), { chosen: tie.chosen, over: [...tie.over] }),
    ),
    shares: Object.entries(payments).flatMap(([voter, paid]) =>
      Object.entries(paid).map(([proposalId, amount]) =>
        Object.assign(new BudgetShareModel(), { voter, proposalId, amount }),
      ),
    ),
  });
}

@ObjectType('MotionOutcome', { description: 'How a closed motion was decided, written once and never changed.' })
export class OutcomeModel {
  @Field(() => Date)
  closedAt!: Date;

  @Field(() => Boolean)
  passed!: boolean;

  @Field(() => TallyModel)
  tally!: TallyModel;

  @Field(() => EffectStatusEnum)
  effectStatus!: EffectStatusEnum;

  @Field(() => JsonObjectScalar, { description: 'What the effect did, or why it could not apply.' })
  effectDetail!: Json;

  static from(record: OutcomeRecord): OutcomeModel {
    return Object.assign(new OutcomeModel(), {
      closedAt: record.closedAt,
      passed: record.passed,
      tally: TallyModel.from(record.passed, { ...record.tally }),
      effectStatus: record.effectStatus as EffectStatusEnum,
      effectDetail: { ...record.effectDetail },
    });
  }
}

@ObjectType('Recount', {
  description: 'A closed motion tallied again from its stored ballots, compared with its outcome.',
})
export class RecountModel {
  @Field(() => ID)
  motionId!: string;

  @Field(() => Boolean, { description: 'Whether the recount says exactly what the stored outcome says.' })
  matches!: boolean;

  @Field(() => TallyModel)
  tally!: TallyModel;
}

@ObjectType('ApprovalDecisionEntry', { description: "One approver's decision on one version of a request." })
export class ApprovalDecisionModel {
  @Field(() => ID)
  approverId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => ApprovalDecisionEnum)
  decision!: ApprovalDecisionEnum;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  decidedAt!: Date;

  @Field(() => Boolean, { description: 'Whether it counts: decisions on an earlier version were voided by a change.' })
  counts!: boolean;

  static from(record: ApprovalDecisionRecord, currentVersion: number): ApprovalDecisionModel {
    return Object.assign(new ApprovalDecisionModel(), {
      ...record,
      decision: record.decision as ApprovalDecisionEnum,
      counts: record.version === currentVersion,
    });
  }
}

@ObjectType('ApprovalTally', { description: 'Where the decisions on the current version stand (N of M).' })
export class ApprovalTallyModel {
  @Field(() => Int)
  required!: number;

  @Field(() => Int, { description: 'M: who may decide, less those who recused.' })
  eligible!: number;

  @Field(() => Int)
  approvals!: number;

  @Field(() => Int)
  refusals!: number;

  @Field(() => Int)
  recusals!: number;

  @Field(() => Int, { description: 'How many more approvals N needs.' })
  stillNeeded!: number;

  static from(required: number, verdict: ApprovalVerdict): ApprovalTallyModel {
    return Object.assign(new ApprovalTallyModel(), {
      required,
      eligible: verdict.eligible.length,
      approvals: verdict.approvals.length,
      refusals: verdict.refusals.length,
      recusals: verdict.recused.length,
      stillNeeded: verdict.stillNeeded,
    });
  }
}

@ObjectType('ApprovalRequest', { description: 'An action that needs N of M approvals before it runs, once.' })
export class ApprovalRequestModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => EffectModel)
  action!: EffectModel;

  @Field(() => RoleEnum, { nullable: true })
  approverRole!: RoleEnum | null;

  @Field(() => [ID], { nullable: true })
  committee!: string[] | null;

  @Field(() => Int, { description: 'N: how many must approve.' })
  required!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'Null to all but the author where the action hides it (blind review).',
  })
  authorId!: string | null;

  @Field(() => [ID], {
    description: 'Who the action pays or favours: they never decide on it (empty where the action hides them).',
  })
  payeeIds!: string[];

  @Field(() => Int, { description: 'Raised by every change of the action; decisions name the version they saw.' })
  version!: number;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => ApprovalStatusEnum)
  status!: ApprovalStatusEnum;

  @Field(() => JsonObjectScalar, { nullable: true, description: 'What the action did, once approved.' })
  result!: Json | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  /** `hideParties`: the reader sees neither author, nor payees, nor parameters (blind review). */
  static from(record: ApprovalRequestRecord, hideParties = false): ApprovalRequestModel {
    return Object.assign(new ApprovalRequestModel(), {
      ...record,
      authorId: hideParties ? null : record.authorId,
      action: Object.assign(new EffectModel(), {
        kind: record.action.kind,
        params: hideParties ? {} : record.action.params,
      }),
      approverRole: record.approverRole as RoleEnum | null,
      committee: record.committee === null ? null : [...record.committee],
      payeeIds: hideParties ? [] : [...record.payeeIds],
      status: record.status as ApprovalStatusEnum,
      result: record.result === null ? null : { ...record.result },
    });
  }
}

@ObjectType('ApprovalRequestEdge')
export class ApprovalRequestEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => ApprovalRequestModel)
  node!: ApprovalRequestModel;
}

@ObjectType('ApprovalRequestConnection')
export class ApprovalRequestConnectionModel {
  @Field(() => [ApprovalRequestEdgeModel])
  edges!: ApprovalRequestEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}
