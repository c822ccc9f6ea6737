import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Int64Scalar } from '../../kernel/graphql/int64.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import type { EntryRecord, HistoryEntryRecord, TransactionRecord } from '../ledger.records.js';
import type { SubmissionResult } from '../ledger.service.js';
import type { Metadata, Refusal } from '../rules/ledger-model.js';
import { OperationEnum, SideEnum, TransactionStatusEnum } from './ledger-enums.js';

@ObjectType('MetadataEntry')
export class MetadataEntryModel {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  value!: string;

  static list(metadata: Metadata): MetadataEntryModel[] {
    return Object.keys(metadata)
      .sort()
      .map((key) => Object.assign(new MetadataEntryModel(), { key, value: metadata[key] ?? '' }));
  }
}

@ObjectType('Entry', { description: 'One leg of a transaction: an amount debited from or credited to one account.' })
export class EntryModel {
  @Field(() => Int)
  index!: number;

  @Field(() => ID)
  accountId!: string;

  @Field(() => SideEnum)
  side!: SideEnum;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => Boolean, { description: 'True for a hold and for the release of a hold (voided or expired).' })
  pending!: boolean;

  @Field(() => Int64Scalar, { description: 'The account version this entry produced.' })
  accountVersion!: bigint;

  @Field(() => MoneyScalar, { description: "The account's posted balance after this entry." })
  balanceAfter!: bigint;

  static from(record: EntryRecord): EntryModel {
    return Object.assign(new EntryModel(), { ...record, side: record.side as SideEnum });
  }
}

@ObjectType('Authority', {
  description:
    'What authorised a transaction: a passed motion, an approval request, a run, a schedule occurrence… ' +
    'Written by the module whose workflow moved the value; transactionsByAuthority lists the others.',
})
export class AuthorityModel {
  @Field(() => String, { description: 'Such as MOTION, APPROVAL_REQUEST, LEASE_CHARGE.' })
  kind!: string;

  @Field(() => String)
  id!: string;
}

@ObjectType('Transaction', { description: 'Two or more entries in one unit whose debits equal their credits.' })
export class TransactionModel {
  @Field(() => ID, { description: 'Chosen by the client; it is the idempotency key.' })
  id!: string;

  @Field(() => Int64Scalar, { description: 'Strictly increasing in the order transactions were written.' })
  sequence!: bigint;

  @Field(() => String)
  unitCode!: string;

  @Field(() => OperationEnum)
  operation!: OperationEnum;

  @Field(() => TransactionStatusEnum)
  status!: TransactionStatusEnum;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  memo!: string;

  @Field(() => [MetadataEntryModel])
  metadata!: MetadataEntryModel[];

  @Field(() => ID, { nullable: true, description: 'The hold this resolves, or the transaction this reverses.' })
  referencesId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The transaction that resolved (a hold) or reversed this one.' })
  referencedById!: string | null;

  @Field(() => AuthorityModel, { nullable: true, description: 'What authorised it, when a workflow wrote it.' })
  authority!: AuthorityModel | null;

  @Field(() => String, {
    nullable: true,
    description: 'Who recorded it: person:<id>, api-token:<id> or system:<automatic work>.',
  })
  recordedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When a hold voids itself if not resolved before.' })
  expiresAt!: Date | null;

  @Field(() => Date)
  effectiveAt!: Date;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => [EntryModel])
  entries!: EntryModel[];

  static from(record: TransactionRecord): TransactionModel {
    return Object.assign(new TransactionModel(), {
      ...record,
      operation: record.operation as OperationEnum,
      status: record.status as TransactionStatusEnum,
      metadata: MetadataEntryModel.list(record.metadata),
      entries: record.entries.map((entry) => EntryModel.from(entry)),
    });
  }
}

@ObjectType('TransactionPayload')
export class TransactionPayloadModel {
  @Field(() => TransactionModel)
  transaction!: TransactionModel;

  @Field(() => Boolean, { description: 'True when this id was already applied and its first result is returned.' })
  replayed!: boolean;
}

@ObjectType('LedgerError', { description: 'Why one item of a bulk request was refused (same codes as errors).' })
export class LedgerErrorModel {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => String)
  message!: string;

  static from(refusal: Refusal): LedgerErrorModel {
    return Object.assign(new LedgerErrorModel(), {
      code: refusal.code,
      reason: refusal.reason,
      message: refusal.message,
    });
  }
}

@ObjectType('TransactionResult', { description: 'The result of one item of a bulk request.' })
export class TransactionResultModel {
  @Field(() => String)
  id!: string;

  @Field(() => TransactionModel, { nullable: true })
  transaction!: TransactionModel | null;

  @Field(() => LedgerErrorModel, { nullable: true })
  error!: LedgerErrorModel | null;

  @Field(() => Boolean)
  replayed!: boolean;

  static from(id: string, result: SubmissionResult): TransactionResultModel {
    return Object.assign(new TransactionResultModel(), {
      id,
      transaction: result.ok ? TransactionModel.from(result.transaction) : null,
      error: result.ok ? null : LedgerErrorModel.from(result.refusal),
      replayed: result.replayed,
    });
  }
}

@ObjectType('HistoryEntry', { description: 'One entry on an account, with the balance it left.' })
export class HistoryEntryModel {
  @Field(() => ID)
  transactionId!: string;

  @Field(() => Int64Scalar)
  sequence!: bigint;

  @Field(() => OperationEnum)
  operation!: OperationEnum;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  memo!: string;

  @Field(() => SideEnum)
  side!: SideEnum;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => Boolean)
  pending!: boolean;

  @Field(() => Int64Scalar)
  accountVersion!: bigint;

  @Field(() => MoneyScalar, { description: 'Posted balance after this entry.' })
  balanceAfter!: bigint;

  @Field(() => Date)
  effectiveAt!: Date;

  @Field(() => Date)
  recordedAt!: Date;

  static from(record: HistoryEntryRecord): HistoryEntryModel {
    return Object.assign(new HistoryEntryModel(), {
      ...record,
      operation: record.operation as OperationEnum,
      side: record.side as SideEnum,
    });
  }
}

@ObjectType('TransactionEdge')
export class TransactionEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => TransactionModel)
  node!: TransactionModel;
}

@ObjectType('TransactionConnection')
export class TransactionConnectionModel {
  @Field(() => [TransactionEdgeModel])
  edges!: TransactionEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('HistoryEdge')
export class HistoryEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => HistoryEntryModel)
  node!: HistoryEntryModel;
}

@ObjectType('HistoryConnection')
export class HistoryConnectionModel {
  @Field(() => [HistoryEdgeModel])
  edges!: HistoryEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}
