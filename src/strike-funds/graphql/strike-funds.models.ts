import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import type {
  BatchLineRecord,
  BatchRecord,
  ContributionRecord,
  DepositRecord,
  FundRecord,
  PledgeRecord,
  ReleaseRecord,
  RuleVersionRecord,
  ShiftRecord,
  StrikeRecord,
  StrikerRecord,
  TenantHolding,
} from '../strike-funds.records.js';
import type { DrawView } from '../draws.service.js';
import type { FundReport } from '../funds.service.js';
import {
  BatchStatusEnum,
  ContributionSourceEnum,
  ContributorVisibilityEnum,
  DepositSourceEnum,
  DrawCategoryEnum,
  DrawStatusEnum,
  FundPurposeEnum,
  PledgePeriodEnum,
  PledgeStatusEnum,
  ReleaseModeEnum,
  ShortfallEnum,
} from './strike-funds.enums.js';

@ObjectType('StrikeFund', { description: 'Money held in trust by a strike fund, mutual-aid group or tenant union.' })
export class StrikeFundModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => FundPurposeEnum)
  purpose!: FundPurposeEnum;

  @Field(() => String)
  unitCode!: string;

  @Field(() => ID, { description: 'The fund’s ledger account (never below zero).' })
  accountId!: string;

  @Field(() => ID, { description: 'The account mirroring money received from outside the ledger.' })
  outsideAccountId!: string;

  @Field(() => [ID])
  committee!: string[];

  @Field(() => Int)
  required!: number;

  @Field(() => Boolean)
  blindReview!: boolean;

  @Field(() => Int)
  reviewDays!: number;

  @Field(() => MoneyScalar)
  drawCapPerYear!: bigint;

  @Field(() => Boolean)
  membersSeeDetail!: boolean;

  @Field(() => MoneyScalar, { nullable: true, description: 'Balance (read with the fund).' })
  balance!: bigint | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Balance less what is set aside for pending payments.' })
  available!: bigint | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(fund: FundRecord, figures: { balance: bigint; available: bigint } | null = null): StrikeFundModel {
    return Object.assign(new StrikeFundModel(), {
      ...fund,
      purpose: fund.purpose as FundPurposeEnum,
      committee: [...fund.committee],
      balance: figures?.balance ?? null,
      available: figures?.available ?? null,
    });
  }
}

@ObjectType('FundContribution')
export class ContributionModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => ContributionSourceEnum)
  source!: ContributionSourceEnum;

  @Field(() => ContributorVisibilityEnum)
  visibility!: ContributorVisibilityEnum;

  @Field(() => String, { nullable: true, description: 'As the contributor chose to appear (null if anonymous).' })
  contributorName!: string | null;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => String)
  memo!: string;

  @Field(() => ID)
  transactionId!: string;

  @Field(() => Date)
  receivedAt!: Date;

  static from(record: ContributionRecord): ContributionModel {
    return Object.assign(new ContributionModel(), {
      ...record,
      source: record.source as ContributionSourceEnum,
      visibility: record.visibility as ContributorVisibilityEnum,
      contributorName: record.visibility === 'ANONYMOUS' ? null : record.contributorName,
    });
  }
}

@ObjectType('StipendRules', { description: 'A version of a strike’s stipend rules, in force from its week.' })
export class StipendRulesModel {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { description: 'The Monday from which it applies.' })
  effectiveFrom!: string;

  @Field(() => MoneyScalar)
  weeklyRate!: bigint;

  @Field(() => Int)
  fullMinutes!: number;

  @Field(() => Int)
  minimumMinutes!: number;

  @Field(() => MoneyScalar)
  dependantSupplement!: bigint;

  @Field(() => MoneyScalar, { nullable: true })
  capPerStriker!: bigint | null;

  @Field(() => ShortfallEnum)
  shortfall!: ShortfallEnum;

  static from(record: RuleVersionRecord): StipendRulesModel {
    return Object.assign(new StipendRulesModel(), { ...record, shortfall: record.shortfall as ShortfallEnum });
  }
}

@ObjectType('Strike')
export class StrikeModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  startsOn!: string;

  @Field(() => String, { nullable: true })
  endsOn!: string | null;

  @Field(() => MoneyScalar)
  drawCapPerStriker!: bigint;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: StrikeRecord): StrikeModel {
    return Object.assign(new StrikeModel(), record);
  }
}

@ObjectType('Striker')
export class StrikerModel {
  @Field(() => ID)
  strikeId!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => Int)
  dependants!: number;

  static from(record: StrikerRecord): StrikerModel {
    return Object.assign(new StrikerModel(), record);
  }
}

@ObjectType('PicketShift', { description: 'Minutes on the picket line; a correction is a new shift naming the old.' })
export class PicketShiftModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  strikeId!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => String)
  day!: string;

  @Field(() => Int)
  minutes!: number;

  @Field(() => ID, { nullable: true })
  correctsId!: string | null;

  @Field(() => String)
  note!: string;

  @Field(() => Date)
  recordedAt!: Date;

  static from(record: ShiftRecord): PicketShiftModel {
    return Object.assign(new PicketShiftModel(), record);
  }
}

@ObjectType('StipendLine', { description: 'One striker’s stipend for the week, explained.' })
export class StipendLineModel {
  @Field(() => ID)
  personId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => Int)
  minutes!: number;

  @Field(() => Int)
  dependants!: number;

  @Field(() => MoneyScalar)
  base!: bigint;

  @Field(() => MoneyScalar)
  supplement!: bigint;

  @Field(() => MoneyScalar, { description: 'What the rules say is due, after the cap.' })
  due!: bigint;

  @Field(() => MoneyScalar, { description: 'What is paid (less than due only when the fund falls short).' })
  amount!: bigint;

  @Field(() => String)
  explanation!: string;

  @Field(() => String, { nullable: true, description: 'The week (in a striker’s own list).' })
  weekStart!: string | null;

  @Field(() => BatchStatusEnum, { nullable: true, description: 'The batch’s status (in a striker’s own list).' })
  status!: BatchStatusEnum | null;

  static from(record: Omit<BatchLineRecord, 'batchId'> & { weekStart?: string; status?: string }): StipendLineModel {
    return Object.assign(new StipendLineModel(), {
      ...record,
      weekStart: record.weekStart ?? null,
      status: (record.status ?? null) as BatchStatusEnum | null,
    });
  }
}

@ObjectType('StipendBatch', { description: 'A strike’s stipends for one week: previewed, approved N of M, paid once.' })
export class StipendBatchModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  strikeId!: string;

  @Field(() => String)
  weekStart!: string;

  @Field(() => Int)
  ruleVersion!: number;

  @Field(() => BatchStatusEnum)
  status!: BatchStatusEnum;

  @Field(() => MoneyScalar, { description: 'What the rules say is due in total.' })
  requestedTotal!: bigint;

  @Field(() => MoneyScalar, { description: 'What the batch pays.' })
  total!: bigint;

  @Field(() => MoneyScalar, { description: 'What the fund could pay when the batch was computed.' })
  available!: bigint;

  @Field(() => ShortfallEnum, { nullable: true })
  shortfall!: ShortfallEnum | null;

  @Field(() => String)
  explanation!: string;

  @Field(() => ID, { nullable: true })
  approvalRequestId!: string | null;

  @Field(() => Date)
  computedAt!: Date;

  @Field(() => [StipendLineModel], { nullable: true })
  lines!: StipendLineModel[] | null;

  static from(
    record: BatchRecord,
    lines: readonly Omit<BatchLineRecord, 'batchId'>[] | null = null,
  ): StipendBatchModel {
    return Object.assign(new StipendBatchModel(), {
      ...record,
      status: record.status as BatchStatusEnum,
      shortfall: record.shortfall as ShortfallEnum | null,
      lines: lines === null ? null : lines.map((line) => StipendLineModel.from(line)),
    });
  }
}

@ObjectType('HardshipDraw')
export class HardshipDrawModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => ID, { nullable: true })
  strikeId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Null to reviewers when the fund reviews blind.' })
  applicantId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Null to reviewers when the fund reviews blind.' })
  accountId!: string | null;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => DrawCategoryEnum)
  category!: DrawCategoryEnum;

  @Field(() => Int)
  dependants!: number;

  @Field(() => Boolean)
  evictionNotice!: boolean;

  @Field(() => Boolean)
  shutOffNotice!: boolean;

  @Field(() => String)
  statement!: string;

  @Field(() => Int)
  priority!: number;

  @Field(() => DrawStatusEnum)
  status!: DrawStatusEnum;

  @Field(() => ID)
  approvalRequestId!: string;

  @Field(() => Int, { nullable: true, description: 'The version of its approval request approvers decide on.' })
  requestVersion!: number | null;

  @Field(() => MoneyScalar, { nullable: true })
  paidAmount!: bigint | null;

  @Field(() => [String], { description: 'Why approvers refused (to the applicant).' })
  refusals!: string[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  static from(view: DrawView): HardshipDrawModel {
    const { draw } = view;
    return Object.assign(new HardshipDrawModel(), {
      ...draw,
      applicantId: view.applicantShown ? draw.applicantId : null,
      accountId: view.applicantShown ? draw.accountId : null,
      category: draw.category as DrawCategoryEnum,
      status: draw.status as DrawStatusEnum,
      refusals: [...view.refusals],
      requestVersion: view.requestVersion,
    });
  }
}

@ObjectType('EscrowDeposit')
export class EscrowDepositModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  tenantAccountId!: string;

  @Field(() => String)
  month!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => DepositSourceEnum)
  source!: DepositSourceEnum;

  @Field(() => ID)
  transactionId!: string;

  @Field(() => Date)
  recordedAt!: Date;

  static from(record: DepositRecord): EscrowDepositModel {
    return Object.assign(new EscrowDepositModel(), { ...record, source: record.source as DepositSourceEnum });
  }
}

@ObjectType('EscrowHolding', { description: 'What a tenant has in escrow.' })
export class EscrowHoldingModel {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => MoneyScalar)
  deposited!: bigint;

  @Field(() => MoneyScalar)
  released!: bigint;

  @Field(() => MoneyScalar)
  held!: bigint;

  static from(record: TenantHolding): EscrowHoldingModel {
    return Object.assign(new EscrowHoldingModel(), { ...record, held: record.deposited - record.released });
  }
}

@ObjectType('EscrowReleaseShare')
export class EscrowReleaseShareModel {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => MoneyScalar)
  held!: bigint;

  @Field(() => MoneyScalar)
  paid!: bigint;
}

@ObjectType('EscrowRelease', { description: 'A release of escrow decided by a passed motion.' })
export class EscrowReleaseModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  motionId!: string;

  @Field(() => ReleaseModeEnum)
  mode!: ReleaseModeEnum;

  @Field(() => ID, { nullable: true })
  landlordAccountId!: string | null;

  @Field(() => MoneyScalar)
  withheldPerTenant!: bigint;

  @Field(() => MoneyScalar)
  total!: bigint;

  @Field(() => Date)
  releasedAt!: Date;

  @Field(() => [EscrowReleaseShareModel], { description: 'The per-tenant breakdown.' })
  shares!: EscrowReleaseShareModel[];

  static from(
    record: ReleaseRecord,
    shares: readonly { tenantId: string; held: bigint; paid: bigint }[],
  ): EscrowReleaseModel {
    return Object.assign(new EscrowReleaseModel(), {
      ...record,
      mode: record.mode as ReleaseModeEnum,
      shares: shares.map((share) => Object.assign(new EscrowReleaseShareModel(), share)),
    });
  }
}

@ObjectType('EscrowStanding', { description: 'A union’s escrow: the total, and per tenant as the reader may see.' })
export class EscrowStandingModel {
  @Field(() => ID)
  fundId!: string;

  @Field(() => MoneyScalar)
  totalHeld!: bigint;

  @Field(() => [EscrowHoldingModel], {
    description: 'Every tenant for the TREASURER or ADMIN; a tenant sees their own.',
  })
  holdings!: EscrowHoldingModel[];
}

@ObjectType('ReportWeek')
export class ReportWeekModel {
  @Field(() => String)
  weekStart!: string;

  @Field(() => MoneyScalar)
  moneyIn!: bigint;

  @Field(() => MoneyScalar)
  moneyOut!: bigint;
}

@ObjectType('ReportStipendWeek')
export class ReportStipendWeekModel {
  @Field(() => String)
  weekStart!: string;

  @Field(() => Int, { nullable: true, description: 'Null when fewer than five.' })
  recipients!: number | null;

  @Field(() => MoneyScalar)
  paid!: bigint;
}

@ObjectType('ReportStrike')
export class ReportStrikeModel {
  @Field(() => ID)
  strikeId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { nullable: true, description: 'Stipend recipients; null when fewer than five.' })
  recipients!: number | null;

  @Field(() => MoneyScalar)
  paid!: bigint;

  @Field(() => Int)
  weeks!: number;

  @Field(() => [ReportStipendWeekModel], { description: 'Stipends paid per week, newest first.' })
  stipendWeeks!: ReportStipendWeekModel[];
}

@ObjectType('ReportGroup', { description: 'A group of people; figures null when it holds fewer than five.' })
export class ReportGroupModel {
  @Field(() => String)
  label!: string;

  @Field(() => Int, { nullable: true })
  people!: number | null;

  @Field(() => MoneyScalar, { nullable: true })
  amount!: bigint | null;
}

@ObjectType('FundReport', {
  description: 'A fund’s public report: nobody named, no figure for a group smaller than five people.',
})
export class FundReportModel {
  @Field(() => ID)
  fundId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => FundPurposeEnum)
  purpose!: FundPurposeEnum;

  @Field(() => String)
  unitCode!: string;

  @Field(() => MoneyScalar)
  balance!: bigint;

  @Field(() => [ReportWeekModel], { description: 'Money in and out per week, newest first.' })
  weeks!: ReportWeekModel[];

  @Field(() => Int, { nullable: true, description: 'Distinct contributors; null when fewer than five.' })
  contributors!: number | null;

  @Field(() => MoneyScalar)
  received!: bigint;

  @Field(() => MoneyScalar, { description: 'What active pledges promise per period.' })
  pledgedPerPeriod!: bigint;

  @Field(() => MoneyScalar, { description: 'What pledges have brought in so far.' })
  receivedFromPledges!: bigint;

  @Field(() => [ReportStrikeModel])
  strikes!: ReportStrikeModel[];

  @Field(() => [ReportGroupModel], { description: 'Paid hardship draws by category; small groups merged into OTHER.' })
  drawsByCategory!: ReportGroupModel[];

  @Field(() => Boolean, { description: 'Whether you see the members’ view (exact small groups).' })
  membersView!: boolean;

  static from(report: FundReport): FundReportModel {
    return Object.assign(new FundReportModel(), {
      ...report,
      purpose: report.purpose as FundPurposeEnum,
      weeks: report.weeks.map((week) => Object.assign(new ReportWeekModel(), week)),
      strikes: report.strikes.map((strike) =>
        Object.assign(new ReportStrikeModel(), {
          ...strike,
          stipendWeeks: strike.stipendWeeks.map((week) => Object.assign(new ReportStipendWeekModel(), week)),
        }),
      ),
      drawsByCategory: report.drawsByCategory.map((group) => Object.assign(new ReportGroupModel(), group)),
    });
  }
}

@ObjectType('FundPledge', { description: 'A promise to give, once or per period, with what it has brought in.' })
export class PledgeModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => String, { nullable: true })
  contributorName!: string | null;

  @Field(() => ContributorVisibilityEnum)
  visibility!: ContributorVisibilityEnum;

  @Field(() => ID, { nullable: true })
  fromAccountId!: string | null;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => PledgePeriodEnum)
  period!: PledgePeriodEnum;

  @Field(() => PledgeStatusEnum)
  status!: PledgeStatusEnum;

  @Field(() => String, { nullable: true, description: 'Why a collection failed.' })
  failure!: string | null;

  @Field(() => MoneyScalar, { description: 'What it has brought in so far.' })
  received!: bigint;

  @Field(() => Date)
  createdAt!: Date;

  static from(pledge: PledgeRecord, received: bigint): PledgeModel {
    return Object.assign(new PledgeModel(), {
      ...pledge,
      visibility: pledge.visibility as ContributorVisibilityEnum,
      period: pledge.period as PledgePeriodEnum,
      status: pledge.status as PledgeStatusEnum,
      received,
    });
  }
}
