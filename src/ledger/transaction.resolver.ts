import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodeCursor } from '../kernel/graphql/cursor.js';
import { AccountsService } from './accounts.service.js';
import { AccountModel } from './graphql/account.model.js';
import {
  AccountHistoryArgs,
  PlaceHoldInput,
  PostHoldInput,
  PostTransactionInput,
  PostTransactionsInput,
  ReverseTransactionInput,
  TransactionsByAuthorityArgs,
  VoidHoldInput,
} from './graphql/ledger.inputs.js';
import { postHoldRequest, reversalRequest, transferRequest, voidHoldRequest } from './graphql/to-ledger-request.js';
import {
  EntryModel,
  HistoryConnectionModel,
  HistoryEntryModel,
  TransactionConnectionModel,
  TransactionModel,
  TransactionPayloadModel,
  TransactionResultModel,
} from './graphql/transaction.model.js';
import { LedgerService } from './ledger.service.js';
import type { LedgerRequest } from './rules/ledger-model.js';

const VERSION_KEY = /^\d{1,19}$/;
const SEQUENCE_KEY = /^\d{1,19}$/;

@Resolver(() => TransactionModel)
export class TransactionResolver {
  constructor(
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
  ) {}

  @Mutation(() => TransactionPayloadModel, {
    description: 'Posts a balanced transaction at once. The same id with the same content returns the first result.',
  })
  async postTransaction(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PostTransactionInput,
  ): Promise<TransactionPayloadModel> {
    return this.submitOne(principal, transferRequest(input, false));
  }

  @Mutation(() => [TransactionResultModel], {
    description: 'Posts up to 1000 transactions in order, in one database transaction; one result per item.',
  })
  async postTransactions(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PostTransactionsInput,
  ): Promise<TransactionResultModel[]> {
    const results = await this.ledger.submit(
      principal,
      input.transactions.map((item) => transferRequest(item, false)),
    );
    return results.map((result, index) => TransactionResultModel.from(input.transactions[index]?.id ?? '', result));
  }

  @Mutation(() => TransactionPayloadModel, {
    description: 'Sets value aside (pending) until posted, voided, or expired after timeoutSeconds.',
  })
  async placeHold(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PlaceHoldInput,
  ): Promise<TransactionPayloadModel> {
    return this.submitOne(principal, transferRequest(input, true));
  }

  @Mutation(() => TransactionPayloadModel, { description: 'Posts a hold in full, or in part for two-entry holds.' })
  async postHold(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: PostHoldInput,
  ): Promise<TransactionPayloadModel> {
    return this.submitOne(principal, postHoldRequest(input));
  }

  @Mutation(() => TransactionPayloadModel, { description: 'Releases a hold without moving value.' })
  async voidHold(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: VoidHoldInput,
  ): Promise<TransactionPayloadModel> {
    return this.submitOne(principal, voidHoldRequest(input));
  }

  @Mutation(() => TransactionPayloadModel, {
    description: 'Corrects a posted transaction with a new one that moves the same amounts back (once).',
  })
  async reverseTransaction(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ReverseTransactionInput,
  ): Promise<TransactionPayloadModel> {
    return this.submitOne(principal, reversalRequest(input));
  }

  @Query(() => TransactionModel)
  async transaction(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TransactionModel> {
    return TransactionModel.from(await this.ledger.transaction(principal, id));
  }

  @Query(() => TransactionConnectionModel, {
    description:
      'The transactions one authority caused (a motion, a run, a batch…), in the order they were written; ' +
      'only those touching an account whose history you may see.',
  })
  async transactionsByAuthority(
    @CurrentPrincipal() principal: Principal,
    @Args() args: TransactionsByAuthorityArgs,
  ): Promise<TransactionConnectionModel> {
    const after = decodeCursor('authority', args.after, SEQUENCE_KEY);
    const rows = await this.ledger.transactionsOf(
      principal,
      { kind: args.kind, id: args.id },
      after === null ? null : BigInt(after),
      args.first + 1,
    );
    return toConnection(
      rows,
      args.first,
      'authority',
      (row) => row.sequence.toString(),
      (row) => TransactionModel.from(row),
    );
  }

  @Query(() => HistoryConnectionModel, {
    description: "An account's entries, newest first, each with the balance it left; optionally by recorded time.",
  })
  async accountHistory(
    @CurrentPrincipal() principal: Principal,
    @Args() args: AccountHistoryArgs,
  ): Promise<HistoryConnectionModel> {
    const account = await this.accounts.account(principal, args.accountId, 'DETAIL');
    const before = decodeCursor('history', args.after, VERSION_KEY);
    const rows = await this.ledger.accountHistory({
      accountId: account.id,
      beforeVersion: before === null ? null : BigInt(before),
      from: args.from == null ? null : requireStorableDate(args.from, 'from'),
      to: args.to == null ? null : requireStorableDate(args.to, 'to'),
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      'history',
      (row) => row.accountVersion.toString(),
      (row) => HistoryEntryModel.from(row),
    );
  }

  @ResolveField(() => TransactionModel, { nullable: true, description: 'The hold resolved or transaction reversed.' })
  async references(@Parent() transaction: TransactionModel): Promise<TransactionModel | null> {
    return this.related(transaction.referencesId);
  }

  @ResolveField(() => TransactionModel, { nullable: true, description: 'What resolved or reversed this one.' })
  async referencedBy(@Parent() transaction: TransactionModel): Promise<TransactionModel | null> {
    return this.related(transaction.referencedById);
  }

  private async related(id: string | null): Promise<TransactionModel | null> {
    if (id === null) return null;
    const [record] = await this.ledger.transactions([id]);
    return record === undefined ? null : TransactionModel.from(record);
  }

  private async submitOne(principal: Principal, request: LedgerRequest): Promise<TransactionPayloadModel> {
    const { transaction, replayed } = await this.ledger.submitOne(principal, request);
    return { transaction: TransactionModel.from(transaction), replayed };
  }
}

@Resolver(() => EntryModel)
export class EntryResolver {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @ResolveField(() => AccountModel, {
    nullable: true,
    description: "The account, when you may see it (a counterparty's account may be private).",
  })
  async account(@CurrentPrincipal() principal: Principal, @Parent() entry: EntryModel): Promise<AccountModel | null> {
    const account = await this.accounts.visibleAccount(principal, entry.accountId);
    return account === null ? null : AccountModel.from(account);
  }
}
