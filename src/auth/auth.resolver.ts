import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Public, type RequestWithPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { AuthService } from './auth.service.js';
import { ApiScopeEnum } from './graphql/auth.enums.js';
import { ChangePasswordInput, LoginInput, RefreshSessionInput, RegisterInput } from './graphql/auth.inputs.js';
import { AuthPayloadModel, ChangePasswordPayloadModel, PersonModel, ViewerModel } from './graphql/auth.models.js';

@Resolver()
export class AuthResolver {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => AuthPayloadModel, { description: 'Creates a person and signs them in.' })
  async register(@Args('input') input: RegisterInput): Promise<AuthPayloadModel> {
    return AuthPayloadModel.from(await this.auth.register(input));
  }

  @Public()
  @Mutation(() => AuthPayloadModel, { description: 'Signs in. Repeated failures are slowed, then refused a while.' })
  async login(
    @Args('input') input: LoginInput,
    @Context('req') request: RequestWithPrincipal,
  ): Promise<AuthPayloadModel> {
    return AuthPayloadModel.from(await this.auth.login(input, request.ip ?? 'unknown'));
  }

  @Public()
  @Mutation(() => AuthPayloadModel, {
    description: 'Exchanges a refresh token (once) for a new pair. Reusing one revokes the session.',
  })
  async refreshSession(@Args('input') input: RefreshSessionInput): Promise<AuthPayloadModel> {
    return AuthPayloadModel.from(await this.auth.refresh(input.refreshToken));
  }

  @Mutation(() => Boolean, { description: 'Ends this session: its refresh and access tokens stop working.' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.auth.logout(principal);
    return true;
  }

  @Mutation(() => ChangePasswordPayloadModel, { description: 'Changes your password and ends your other sessions.' })
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChangePasswordInput,
  ): Promise<ChangePasswordPayloadModel> {
    const revokedSessions = await this.auth.changePassword(principal, input.currentPassword, input.newPassword);
    return { revokedSessions };
  }

  @Query(() => ViewerModel, { description: 'Who you are signed in as, with your memberships.' })
  async me(@CurrentPrincipal() principal: Principal): Promise<ViewerModel> {
    switch (principal.kind) {
      case 'API_TOKEN':
        return {
          person: null,
          apiTokenOrganizationId: principal.organizationId,
          scopes: [...principal.scopes].map((scope) => scope as ApiScopeEnum),
        };
      case 'PERSON': {
        const [person] = await this.auth.persons([principal.personId]);
        return {
          person: person === undefined ? null : PersonModel.from(person, principal.personId),
          apiTokenOrganizationId: null,
          scopes: [],
        };
      }
      case 'SYSTEM':
        return { person: null, apiTokenOrganizationId: null, scopes: [] };
    }
  }
}
