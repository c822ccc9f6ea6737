import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthService } from '../auth/auth.service.js';
import { PersonModel } from '../auth/graphql/auth.models.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { AccountModel } from '../ledger/graphql/account.model.js';
import { HolderUnion, OrganizationModel } from './graphql/organizations.models.js';
import { OrganizationsService } from './organizations.service.js';

/** Gives the ledger's accounts their holder, which the ledger itself knows only by id. */
@Resolver(() => AccountModel)
export class AccountHolderResolver {
  constructor(
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @ResolveField(() => HolderUnion, { description: 'The person or organisation holding the account.' })
  async holder(
    @CurrentPrincipal() principal: Principal,
    @Parent() account: AccountModel,
  ): Promise<PersonModel | OrganizationModel> {
    const [organization] = await this.organizations.organizationsByIds([account.holderId]);
    if (organization !== undefined) return OrganizationModel.from(organization);
    const [person] = await this.auth.persons([account.holderId]);
    if (person === undefined) throw new Error(`holder ${account.holderId} of account ${account.id} vanished`);
    return PersonModel.from(person, principal.kind === 'PERSON' ? principal.personId : null);
  }
}
