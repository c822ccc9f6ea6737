import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { JsonObjectScalar } from '../../kernel/graphql/json-object.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import type {
  BankMemberRecord,
  BankMonthRecord,
  ExchangeRecord,
  ExchangeStepRecord,
  ListingRecord,
  MemberStatementRecord,
  SettingsChangeRecord,
  StatementMonth,
  TimebankRecord,
  TimebankSettings,
} from '../timebank.records.js';
import {
  ListingKindEnum,
  ListingStatusEnum,
  StatementVisibilityEnum,
  TimeLogKindEnum,
  TimeLogStartedByEnum,
  TimeLogStatusEnum,
  TimeLogStepActionEnum,
} from './timebank.enums.js';

@ObjectType('TimeBankSettings')
export class TimeBankSettingsModel {
  @Field(() => Int, { description: 'How long an unanswered log waits before it confirms itself (0: at once).' })
  autoConfirmMinutes!: number;

  @Field(() => Int, { description: 'The most minutes one log may carry.' })
  maxMinutesPerLog!: number;

  @Field(() => MoneyScalar, { description: "A new member's credit line: how far below zero, in minutes." })
  defaultCreditMinutes!: bigint;

  @Field(() => MoneyScalar, { description: "How far below zero the bank's own account may go paying community work." })
  bankCreditMinutes!: bigint;

  @Field(() => Boolean, { description: 'Whether members of other banks of the same federation may exchange here.' })
  federationExchanges!: boolean;

  @Field(() => StatementVisibilityEnum)
  statementVisibility!: StatementVisibilityEnum;

  @Field(() => [String], { description: 'The categories of offers and requests.' })
  categories!: string[];

  static from(settings: TimebankSettings): TimeBankSettingsModel {
    return Object.assign(new TimeBankSettingsModel(), {
      ...settings,
      categories: [...settings.categories],
      statementVisibility: settings.statementVisibility as StatementVisibilityEnum,
    });
  }
}

@ObjectType('TimeBank', { description: 'An organisation of kind TIME_BANK, with its hours unit and settings.' })
export class TimeBankModel {
  @Field(() => ID, { description: "The organisation's id." })
  id!: string;

  @Field(() => String, { description: 'Its HOURS unit (kept in minutes).' })
  unitCode!: string;

  @Field(() => ID, { description: 'The bank’s own account, which pays community work.' })
  bankAccountId!: string;

  @Field(() => ID, { description: 'The other side of its members’ exchanges with other banks.' })
  clearingAccountId!: string;

  @Field(() => TimeBankSettingsModel)
  settings!: TimeBankSettingsModel;

  @Field(() => Int, { description: 'Raised by every change of the settings.' })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: TimebankRecord): TimeBankModel {
    return Object.assign(new TimeBankModel(), {
      id: record.organizationId,
      unitCode: record.unitCode,
      bankAccountId: record.bankAccountId,
      clearingAccountId: record.clearingAccountId,
      settings: TimeBankSettingsModel.from(record.settings),
      version: record.version,
      createdAt: record.createdAt,
    });
  }
}

@ObjectType('TimeBankSettingsChange', { description: 'One change of the settings: who, why, before and after.' })
export class TimeBankSettingsChangeModel {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { description: '`person:<id>`, or `system:timebank.decisions` for a motion.' })
  changedBy!: string;

  @Field(() => String, { nullable: true, description: 'MOTION when a passed motion made it.' })
  authorityKind!: string | null;

  @Field(() => String, { nullable: true })
  authorityId!: string | null;

  @Field(() => String)
  reason!: string;

  @Field(() => JsonObjectScalar, { nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => JsonObjectScalar)
  after!: Record<string, unknown>;

  @Field(() => Date)
  changedAt!: Date;

  static from(record: SettingsChangeRecord): TimeBankSettingsChangeModel {
    return Object.assign(new TimeBankSettingsChangeModel(), {
      ...record,
      authorityKind: record.authority?.kind ?? null,
      authorityId: record.authority?.id ?? null,
    });
  }
}

@ObjectType('TimeBankMember')
export class TimeBankMemberModel {
  @Field(() => ID)
  timeBankId!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => ID, { description: 'The member’s hours account in the bank’s unit.' })
  accountId!: string;

  @Field(() => Date)
  joinedAt!: Date;

  static from(record: BankMemberRecord): TimeBankMemberModel {
    return Object.assign(new TimeBankMemberModel(), { ...record, timeBankId: record.timebankId });
  }
}

@ObjectType('Listing', { description: 'An offer or a request in the catalogue of a time bank.' })
export class ListingModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  timeBankId!: string;

  @Field(() => ID)
  authorId!: string;

  @Field(() => ListingKindEnum)
  kind!: ListingKindEnum;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String)
  category!: string;

  @Field(() => Int, { nullable: true })
  estimatedMinutes!: number | null;

  @Field(() => String, { description: 'When the author is available, in their words.' })
  availability!: string;

  @Field(() => ListingStatusEnum)
  status!: ListingStatusEnum;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  static from(record: ListingRecord): ListingModel {
    return Object.assign(new ListingModel(), {
      ...record,
      timeBankId: record.timebankId,
      kind: record.kind as ListingKindEnum,
      status: record.status as ListingStatusEnum,
    });
  }
}

@ObjectType('ListingEdge')
export class ListingEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => ListingModel)
  node!: ListingModel;
}

@ObjectType('ListingConnection')
export class ListingConnectionModel {
  @Field(() => [ListingEdgeModel])
  edges!: ListingEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('TimeLogStep', { description: 'One step of a time log: who took it, why, and what it became.' })
export class TimeLogStepModel {
  @Field(() => Int)
  step!: number;

  @Field(() => TimeLogStepActionEnum)
  action!: TimeLogStepActionEnum;

  @Field(() => TimeLogStatusEnum)
  status!: TimeLogStatusEnum;

  @Field(() => String, { description: '`person:<id>` or `system:timebank.auto-confirm`.' })
  actor!: string;

  @Field(() => Int, { nullable: true })
  minutes!: number | null;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  at!: Date;

  static from(record: ExchangeStepRecord): TimeLogStepModel {
    return Object.assign(new TimeLogStepModel(), {
      ...record,
      action: record.action as TimeLogStepActionEnum,
      status: record.status as TimeLogStatusEnum,
    });
  }
}

@ObjectType('TimeLog', { description: 'Hours one member gave another (or the bank paid for community work).' })
export class TimeLogModel {
  @Field(() => ID)
  id!: string;

  @Field(() => TimeLogKindEnum)
  kind!: TimeLogKindEnum;

  @Field(() => ID, { description: 'The bank it was logged in.' })
  timeBankId!: string;

  @Field(() => ID)
  giverId!: string;

  @Field(() => ID)
  giverBankId!: string;

  @Field(() => ID)
  giverAccountId!: string;

  @Field(() => ID, { description: 'A person, or the bank itself for community work.' })
  receiverId!: string;

  @Field(() => ID)
  receiverBankId!: string;

  @Field(() => ID)
  receiverAccountId!: string;

  @Field(() => Int, { description: 'The minutes logged (held on the receiver’s account until answered).' })
  minutes!: number;

  @Field(() => Int, { nullable: true, description: 'The minutes that moved, once confirmed.' })
  confirmedMinutes!: number | null;

  @Field(() => String)
  description!: string;

  @Field(() => ID, { nullable: true, description: 'The offer or request it answers.' })
  listingId!: string | null;

  @Field(() => TimeLogStartedByEnum)
  startedBy!: TimeLogStartedByEnum;

  @Field(() => ID)
  loggedBy!: string;

  @Field(() => TimeLogStatusEnum)
  status!: TimeLogStatusEnum;

  @Field(() => Date, { nullable: true, description: 'When it confirms itself if nobody answers.' })
  dueAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  confirmedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;

  static from(record: ExchangeRecord): TimeLogModel {
    return Object.assign(new TimeLogModel(), {
      ...record,
      timeBankId: record.timebankId,
      kind: record.kind as TimeLogKindEnum,
      startedBy: record.startedBy as TimeLogStartedByEnum,
      status: record.status as TimeLogStatusEnum,
    });
  }
}

@ObjectType('TimeLogEdge')
export class TimeLogEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => TimeLogModel)
  node!: TimeLogModel;
}

@ObjectType('TimeLogConnection')
export class TimeLogConnectionModel {
  @Field(() => [TimeLogEdgeModel])
  edges!: TimeLogEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('StatementMonth', { description: "A member's month: hours in minutes." })
export class StatementMonthModel {
  @Field(() => String, { description: 'YYYY-MM (UTC).' })
  month!: string;

  @Field(() => MoneyScalar)
  given!: bigint;

  @Field(() => MoneyScalar)
  received!: bigint;

  @Field(() => MoneyScalar, { description: 'Corrections made this month (positive: returned to the member).' })
  corrections!: bigint;

  @Field(() => MoneyScalar, { description: 'The balance at the end of the month.' })
  balance!: bigint;

  static from(line: StatementMonth): StatementMonthModel {
    return Object.assign(new StatementMonthModel(), line);
  }
}

@ObjectType('MemberStatement')
export class MemberStatementModel {
  @Field(() => ID)
  timeBankId!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => MoneyScalar, { description: 'The balance now, in minutes.' })
  balance!: bigint;

  @Field(() => MoneyScalar, { description: 'Minutes held by logs awaiting an answer or a coordinator.' })
  pendingMinutes!: bigint;

  @Field(() => [StatementMonthModel])
  months!: StatementMonthModel[];

  @Field(() => String, { description: 'The months as CSV (a header line, then one line per month).' })
  csv!: string;

  static from(record: MemberStatementRecord, csv: string): MemberStatementModel {
    return Object.assign(new MemberStatementModel(), {
      timeBankId: record.timebankId,
      personId: record.personId,
      balance: record.balance,
      pendingMinutes: record.pendingMinutes,
      months: record.months.map((line) => StatementMonthModel.from(line)),
      csv,
    });
  }
}

@ObjectType('BankMonth', { description: "A bank's month: what its coordinators watch." })
export class BankMonthModel {
  @Field(() => String)
  month!: string;

  @Field(() => Int, { description: 'Exchanges confirmed.' })
  exchanges!: number;

  @Field(() => Int, { description: 'People who gave or received.' })
  activeMembers!: number;

  @Field(() => MoneyScalar, { description: 'Minutes moved.' })
  minutes!: bigint;

  @Field(() => Int, { description: 'Exchanges corrected (reversed) this month.' })
  corrections!: number;

  static from(record: BankMonthRecord): BankMonthModel {
    return Object.assign(new BankMonthModel(), record);
  }
}

@ObjectType('BankStatement')
export class BankStatementModel {
  @Field(() => ID)
  timeBankId!: string;

  @Field(() => [BankMonthModel])
  months!: BankMonthModel[];

  @Field(() => String)
  csv!: string;
}
