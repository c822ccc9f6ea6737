import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Int64Scalar } from '../../kernel/graphql/int64.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { MoneyScalar } from '../../kernel/money/money.scalar.js';
import type { AccountChangeRecord, AccountRecord, TrialBalanceRecord } from '../ledger.records.js';
import { availableBalanceOf, balanceOf } from '../rules/ledger-model.js';
import { AccountChangeKindEnum, AccountKindEnum, AccountStatusEnum, BalanceBasisEnum } from './ledger-enums.js';

@ObjectType('Account', { description: 'An account in one unit, held by one holder. Balance = credits − debits.' })
export class AccountModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  unitCode!: string;

  @Field(() => ID, { description: 'Who holds the account: the id of a person or an organisation.' })
  holderId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => AccountKindEnum)
  kind!: AccountKindEnum;

  @Field(() => AccountStatusEnum)
  status!: AccountStatusEnum;

  @Field(() => MoneyScalar, { description: 'How far below zero the available balance may go.' })
  creditLimit!: bigint;

  @Field(() => MoneyScalar, { nullable: true, description: 'The most the account may hold, pending credits counted.' })
  upperLimit!: bigint | null;

  @Field(() => MoneyScalar)
  debitsPosted!: bigint;

  @Field(() => MoneyScalar)
  creditsPosted!: bigint;

  @Field(() => MoneyScalar)
  debitsPending!: bigint;

  @Field(() => MoneyScalar)
  creditsPending!: bigint;

  @Field(() => MoneyScalar, { description: 'Posted credits minus posted debits.' })
  balance!: bigint;

  @Field(() => MoneyScalar, { description: 'Balance less pending debits (what holds have set aside).' })
  availableBalance!: bigint;

  @Field(() => MoneyScalar, {
    description: 'How much more the account can pay now: available balance plus credit limit.',
  })
  debitCapacity!: bigint;

  @Field(() => Int64Scalar, { description: 'Advances by one with every entry and every change; never skips.' })
  version!: bigint;

  @Field(() => Date)
  openedAt!: Date;

  static from(record: AccountRecord): AccountModel {
    const available = availableBalanceOf(record);
    return Object.assign(new AccountModel(), {
      ...record,
      kind: record.kind as AccountKindEnum,
      status: record.status as AccountStatusEnum,
      balance: balanceOf(record),
      availableBalance: available,
      debitCapacity: available + record.creditLimit,
    });
  }
}

@ObjectType('AccountEdge')
export class AccountEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => AccountModel)
  node!: AccountModel;
}

@ObjectType('AccountConnection')
export class AccountConnectionModel {
  @Field(() => [AccountEdgeModel])
  edges!: AccountEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('AccountChange', { description: 'A change to an account other than an entry: its history of terms.' })
export class AccountChangeModel {
  @Field(() => Int64Scalar)
  version!: bigint;

  @Field(() => AccountChangeKindEnum)
  change!: AccountChangeKindEnum;

  @Field(() => AccountStatusEnum)
  status!: AccountStatusEnum;

  @Field(() => MoneyScalar)
  creditLimit!: bigint;

  @Field(() => MoneyScalar, { nullable: true })
  upperLimit!: bigint | null;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  changedAt!: Date;

  static from(record: AccountChangeRecord): AccountChangeModel {
    return Object.assign(new AccountChangeModel(), {
      ...record,
      change: record.change as AccountChangeKindEnum,
      status: record.status as AccountStatusEnum,
    });
  }
}

@ObjectType('AccountChangeEdge')
export class AccountChangeEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => AccountChangeModel)
  node!: AccountChangeModel;
}

@ObjectType('AccountChangeConnection')
export class AccountChangeConnectionModel {
  @Field(() => [AccountChangeEdgeModel])
  edges!: AccountChangeEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('BalanceAsOf')
export class BalanceAsOfModel {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => BalanceBasisEnum)
  basis!: BalanceBasisEnum;

  @Field(() => MoneyScalar, { description: 'Posted balance at that time (holds do not count).' })
  balance!: bigint;
}

@ObjectType('TrialBalance', { description: 'Per unit, the sum over all accounts: debits equal credits.' })
export class TrialBalanceModel {
  @Field(() => String)
  unitCode!: string;

  @Field(() => Int, { description: 'How many accounts the unit has.' })
  accountCount!: number;

  @Field(() => MoneyScalar)
  debitsPosted!: bigint;

  @Field(() => MoneyScalar)
  creditsPosted!: bigint;

  @Field(() => MoneyScalar)
  debitsPending!: bigint;

  @Field(() => MoneyScalar)
  creditsPending!: bigint;

  @Field(() => MoneyScalar, { description: 'The sum of all balances; zero when the books balance.' })
  sumOfBalances!: bigint;

  @Field(() => Boolean, { description: 'True when debits equal credits, posted and pending.' })
  balanced!: boolean;

  static from(record: TrialBalanceRecord): TrialBalanceModel {
    return Object.assign(new TrialBalanceModel(), {
      ...record,
      sumOfBalances: record.creditsPosted - record.debitsPosted,
      balanced: record.creditsPosted === record.debitsPosted && record.creditsPending === record.debitsPending,
    });
  }
}
