import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Public, type RequestWithPrincipal } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { AuthService } from './auth.service.js';
import { ApiScopeEnum } from '../organizations/graphql/organizations.enums.js';
import {
  AcceptInvitationInput,
  ChangePasswordInput,
  LoginInput,
  RefreshSessionInput,
  RegisterInput,
} from '../organizations/graphql/organizations.inputs.js';
import {
  AcceptInvitationPayloadModel,
  AuthPayloadModel,
  ChangePasswordPayloadModel,
  MembershipModel,
  PersonModel,
  ViewerModel,
} from '../organizations/graphql/organizations.models.js';
import { InvitationsService } from '../organizations/invitations.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';

@Resolver()
export class AuthResolver {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(InvitationsService) private readonly invitations: InvitationsService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
  ) {}

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

  @Public()
  @Mutation(() => AcceptInvitationPayloadModel, {
    description: 'Joins the inviting organisation (registering when the address is new) and signs in.',
  })
  async acceptInvitation(@Args('input') input: AcceptInvitationInput): Promise<AcceptInvitationPayloadModel> {
    const { membership, session } = await this.invitations.accept({
      token: input.token,
      name: input.name ?? null,
      password: input.password,
    });
    return { membership: MembershipModel.from(membership), auth: AuthPayloadModel.from(session) };
  }

  @Query(() => ViewerModel, { description: 'Who you are signed in as, with your memberships.' })
  async me(@CurrentPrincipal() principal: Principal): Promise<ViewerModel> {
    if (principal.kind === 'API_TOKEN') {
      return {
        person: null,
        apiTokenOrganizationId: principal.organizationId,
        scopes: [...principal.scopes].map((scope) => scope as ApiScopeEnum),
        memberships: [],
      };
    }
    const [person] = await this.organizations.persons([principal.personId]);
    const memberships = await this.organizations.myMemberships(principal);
    return {
      person: person === undefined ? null : PersonModel.from(person, principal.personId),
      apiTokenOrganizationId: null,
      scopes: [],
      memberships: memberships.map((membership) => MembershipModel.from(membership)),
    };
  }
}
