import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { JsonObjectScalar } from '../../kernel/graphql/json-object.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import type {
  PolicyRecord,
  PolicyVersionRecord,
  RunLegRecord,
  RunLineRecord,
  RunRecord,
} from '../redistribution.records.js';
import type { LegSummary } from '../rules/plan-run.js';
import {
  RedistributionLineRoleEnum,
  RedistributionPolicyStatusEnum,
  RedistributionRunStatusEnum,
} from './redistribution.enums.js';

@ObjectType('RedistributionPolicy', {
  description: 'A policy in one unit, adopted (and changed, version by version) or retired only by passed motions.',
})
export class RedistributionPolicyModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  currentVersion!: number;

  @Field(() => RedistributionPolicyStatusEnum)
  status!: RedistributionPolicyStatusEnum;

  @Field(() => ID, { nullable: true, description: 'The motion that retired it.' })
  retiredByMotionId!: string | null;

  @Field(() => Date, { nullable: true })
  retiredAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: PolicyRecord): RedistributionPolicyModel {
    return Object.assign(new RedistributionPolicyModel(), {
      ...record,
      status: record.status as RedistributionPolicyStatusEnum,
    });
  }
}

@ObjectType('RedistributionPolicyVersion', { description: 'A policy document as a motion adopted it; never edited.' })
export class RedistributionPolicyVersionModel {
  @Field(() => Int)
  version!: number;

  @Field(() => JsonObjectScalar, { description: 'The document, every default spelled out (see the README).' })
  document!: Record<string, unknown>;

  @Field(() => ID, { description: 'The motion that adopted it: the authority of its runs.' })
  motionId!: string;

  @Field(() => Date)
  adoptedAt!: Date;

  static from(record: PolicyVersionRecord): RedistributionPolicyVersionModel {
    return Object.assign(new RedistributionPolicyVersionModel(), record);
  }
}

@ObjectType('RedistributionLeg', { description: 'One leg of a run: what its sources gave and its destinations got.' })
export class RedistributionLegModel {
  @Field(() => Int)
  leg!: number;

  @Field(() => String)
  name!: string;

  @Field(() => MoneyScalar, { description: "What the sources' measures came to." })
  measured!: bigint;

  @Field(() => MoneyScalar, { description: 'What moved (less than measured when every destination was full).' })
  moved!: bigint;

  @Field(() => String)
  explanation!: string;

  @Field(() => Int, { description: 'Ledger transactions the leg writes (or wrote).' })
  transactionCount!: number;

  static from(record: LegSummary | RunLegRecord, transactionCount?: number): RedistributionLegModel {
    return Object.assign(new RedistributionLegModel(), {
      leg: record.leg,
      name: record.name,
      measured: record.measured,
      moved: record.moved,
      explanation: record.explanation,
      transactionCount: 'transactionCount' in record ? record.transactionCount : (transactionCount ?? 0),
    });
  }
}

@ObjectType('RedistributionLine', { description: 'What one account gave or received in a leg, and why.' })
export class RedistributionLineModel {
  @Field(() => Int)
  leg!: number;

  @Field(() => RedistributionLineRoleEnum)
  role!: RedistributionLineRoleEnum;

  @Field(() => ID, {
    nullable: true,
    description: 'Null for an aggregate of accounts the reader may not see (outside the organisation).',
  })
  accountId!: string | null;

  @Field(() => MoneyScalar, { description: "A source's measure before bounds; a destination's weight." })
  basis!: bigint;

  @Field(() => String, { nullable: true, description: 'The exact share before rounding, as "n/d".' })
  exactShare!: string | null;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => String, { description: 'How the amount was reached, in words a treasurer can read.' })
  explanation!: string;

  static from(record: Omit<RunLineRecord, 'accountId'> & { accountId: string | null }): RedistributionLineModel {
    return Object.assign(new RedistributionLineModel(), {
      leg: record.leg,
      role: record.role as RedistributionLineRoleEnum,
      accountId: record.accountId,
      basis: record.basis,
      exactShare: record.exactShare,
      amount: record.amount,
      explanation: record.explanation,
    });
  }
}

@ObjectType('RedistributionLineEdge')
export class RedistributionLineEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => RedistributionLineModel)
  node!: RedistributionLineModel;
}

@ObjectType('RedistributionLineConnection')
export class RedistributionLineConnectionModel {
  @Field(() => [RedistributionLineEdgeModel])
  edges!: RedistributionLineEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('RedistributionRun', { description: 'One policy version applied to one period, once.' })
export class RedistributionRunModel {
  @Field(() => ID, { description: 'Derived from policy, version and period; the authority of its transactions.' })
  id!: string;

  @Field(() => ID)
  policyId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => Date)
  periodStart!: Date;

  @Field(() => Date)
  periodEnd!: Date;

  @Field(() => MoneyScalar)
  total!: bigint;

  @Field(() => Int)
  transactionCount!: number;

  @Field(() => Int)
  lineCount!: number;

  @Field(() => String)
  digest!: string;

  @Field(() => [RedistributionLegModel])
  legs!: RedistributionLegModel[];

  @Field(() => String, { description: 'person:<id>, or system:redistribution.schedule for a scheduled run.' })
  executedBy!: string;

  @Field(() => Date)
  executedAt!: Date;

  @Field(() => RedistributionRunStatusEnum)
  status!: RedistributionRunStatusEnum;

  @Field(() => String, { nullable: true })
  reversedBy!: string | null;

  @Field(() => String, { nullable: true })
  reversalReason!: string | null;

  @Field(() => Date, { nullable: true })
  reversedAt!: Date | null;

  static from(record: RunRecord): RedistributionRunModel {
    return Object.assign(new RedistributionRunModel(), {
      ...record,
      legs: record.legs.map((leg) => RedistributionLegModel.from(leg)),
      status: record.status as RedistributionRunStatusEnum,
    });
  }
}

@ObjectType('RedistributionRunEdge')
export class RedistributionRunEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => RedistributionRunModel)
  node!: RedistributionRunModel;
}

@ObjectType('RedistributionRunConnection')
export class RedistributionRunConnectionModel {
  @Field(() => [RedistributionRunEdgeModel])
  edges!: RedistributionRunEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('RedistributionPolicyEdge')
export class RedistributionPolicyEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => RedistributionPolicyModel)
  node!: RedistributionPolicyModel;
}

@ObjectType('RedistributionPolicyConnection')
export class RedistributionPolicyConnectionModel {
  @Field(() => [RedistributionPolicyEdgeModel])
  edges!: RedistributionPolicyEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('RedistributionRunPreview', {
  description: 'A run computed and not written: every amount and why. Execute it with its digest.',
})
export class RedistributionRunPreviewModel {
  @Field(() => ID)
  policyId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => Date)
  periodStart!: Date;

  @Field(() => Date)
  periodEnd!: Date;

  @Field(() => MoneyScalar)
  total!: bigint;

  @Field(() => String, { description: 'Names the books it was computed from; executing a stale one is refused.' })
  digest!: string;

  @Field(() => [RedistributionLegModel])
  legs!: RedistributionLegModel[];

  @Field(() => Int)
  lineCount!: number;

  @Field(() => Int)
  transactionCount!: number;

  @Field(() => RedistributionLineConnectionModel, { description: 'The lines asked for (linesFirst, linesAfter).' })
  lines!: RedistributionLineConnectionModel;

  @Field(() => RedistributionRunModel, {
    nullable: true,
    description: 'The run already made for this version and period: executing again replays it.',
  })
  existingRun!: RedistributionRunModel | null;
}

@ObjectType('ExecuteRedistributionRunResult')
export class ExecuteRedistributionRunResultModel {
  @Field(() => RedistributionRunModel)
  run!: RedistributionRunModel;

  @Field(() => Boolean, { description: 'True when the run had been made already: nothing was paid again.' })
  replayed!: boolean;
}
