import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodeCursor } from '../kernel/graphql/cursor.js';
import { UUID_PATTERN } from '../kernel/ids.js';
import { AccountsService } from './accounts.service.js';
import {
  AccountChangeConnectionModel,
  AccountChangeModel,
  AccountConnectionModel,
  AccountModel,
  BalanceAsOfModel,
  TrialBalanceModel,
} from './graphql/account.model.js';
import {
  AccountChangesArgs,
  AccountsArgs,
  BalanceAsOfArgs,
  ChangeAccountStatusInput,
  OpenAccountInput,
  SetAccountLimitsInput,
} from './graphql/ledger.inputs.js';
import { UnitModel } from './graphql/unit.model.js';
import { LedgerService } from './ledger.service.js';

const VERSION_KEY = /^\d{1,19}$/;

@Resolver(() => AccountModel)
export class AccountResolver {
  constructor(
    @Inject(AccountsService) private readonly accountsService: AccountsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  @Mutation(() => AccountModel, { description: 'Opens an account in a unit for a holder.' })
  async openAccount(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: OpenAccountInput,
  ): Promise<AccountModel> {
    const account = await this.accountsService.openAccount(principal, {
      id: input.id ?? null,
      unitCode: input.unitCode,
      holderId: input.holderId,
      name: input.name,
      kind: input.kind,
      creditLimit: input.creditLimit,
      upperLimit: input.upperLimit ?? null,
    });
    return AccountModel.from(account);
  }

  @Mutation(() => AccountModel, { description: "Sets both limits; the change is kept in the account's history." })
  async setAccountLimits(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetAccountLimitsInput,
  ): Promise<AccountModel> {
    const account = await this.accountsService.setLimits(
      principal,
      input.accountId,
      input.creditLimit,
      input.upperLimit ?? null,
      input.reason,
    );
    return AccountModel.from(account);
  }

  @Mutation(() => AccountModel, { description: 'Stops all movement on the account until it is unfrozen.' })
  async freezeAccount(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeAccountStatusInput,
  ): Promise<AccountModel> {
    return AccountModel.from(
      await this.accountsService.changeStatus(principal, input.accountId, 'FROZEN', input.reason),
    );
  }

  @Mutation(() => AccountModel)
  async unfreezeAccount(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeAccountStatusInput,
  ): Promise<AccountModel> {
    return AccountModel.from(
      await this.accountsService.changeStatus(principal, input.accountId, 'UNFROZEN', input.reason),
    );
  }

  @Mutation(() => AccountModel, {
    description: 'Closes an account for good; its balance must be zero, no holds pending.',
  })
  async closeAccount(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangeAccountStatusInput,
  ): Promise<AccountModel> {
    return AccountModel.from(
      await this.accountsService.changeStatus(principal, input.accountId, 'CLOSED', input.reason),
    );
  }

  @Query(() => AccountModel)
  async account(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AccountModel> {
    return AccountModel.from(await this.accountsService.account(principal, id));
  }

  @Query(() => AccountConnectionModel, {
    description: 'The accounts you may see, by holder and/or unit, in id order.',
  })
  async accounts(
    @CurrentPrincipal() principal: Principal,
    @Args() args: AccountsArgs,
  ): Promise<AccountConnectionModel> {
    const rows = await this.accountsService.accounts(principal, {
      holderId: args.holderId ?? null,
      unitCode: args.unitCode ?? null,
      afterId: decodeCursor('account', args.after, UUID_PATTERN),
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      'account',
      (row) => row.id,
      (row) => AccountModel.from(row),
    );
  }

  @Query(() => AccountChangeConnectionModel, { description: 'Changes of status and limits, newest first.' })
  async accountChanges(
    @CurrentPrincipal() principal: Principal,
    @Args() args: AccountChangesArgs,
  ): Promise<AccountChangeConnectionModel> {
    const before = decodeCursor('change', args.after, VERSION_KEY);
    const rows = await this.accountsService.accountChanges(
      principal,
      args.accountId,
      before === null ? null : BigInt(before),
      args.first + 1,
    );
    return toConnection(
      rows,
      args.first,
      'change',
      (row) => row.version.toString(),
      (row) => AccountChangeModel.from(row),
    );
  }

  @Query(() => BalanceAsOfModel, { description: 'The posted balance of an account at a past time.' })
  async balanceAsOf(
    @CurrentPrincipal() principal: Principal,
    @Args() args: BalanceAsOfArgs,
  ): Promise<BalanceAsOfModel> {
    const account = await this.accountsService.account(principal, args.accountId);
    const balance = await this.ledger.balanceAsOf(account.id, requireStorableDate(args.at, 'at'), args.basis);
    return { accountId: account.id, at: args.at, basis: args.basis, balance };
  }

  @Query(() => [TrialBalanceModel], {
    description: "Per unit, the totals that show the books sum to zero; for the members of each unit's issuer.",
  })
  async trialBalance(
    @CurrentPrincipal() principal: Principal,
    @Args('unitCodes', { type: () => [String], nullable: true }) unitCodes: string[] | null,
  ): Promise<TrialBalanceModel[]> {
    return (await this.ledger.trialBalance(principal, unitCodes ?? null)).map((row) => TrialBalanceModel.from(row));
  }

  @ResolveField(() => UnitModel)
  async unit(@Parent() account: AccountModel): Promise<UnitModel> {
    return UnitModel.from(await this.accountsService.unit(account.unitCode));
  }
}
