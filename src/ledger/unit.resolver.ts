import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { AccountsService } from './accounts.service.js';
import { CreateUnitInput } from './graphql/ledger.inputs.js';
import { UnitModel } from './graphql/unit.model.js';

@Resolver(() => UnitModel)
export class UnitResolver {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Mutation(() => UnitModel, { description: 'Creates a unit of account (idempotent for the same terms).' })
  async createUnit(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateUnitInput,
  ): Promise<UnitModel> {
    const unit = await this.accounts.createUnit(principal, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      scale: input.scale,
      issuerId: input.issuerId,
    });
    return UnitModel.from(unit);
  }

  @Query(() => UnitModel)
  async unit(@Args('code') code: string): Promise<UnitModel> {
    return UnitModel.from(await this.accounts.unit(code));
  }

  @Query(() => [UnitModel])
  async units(): Promise<UnitModel[]> {
    return (await this.accounts.units()).map((unit) => UnitModel.from(unit));
  }
}
