import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Public } from '../kernel/graphql/request-principal.js';
import type { Principal } from '../kernel/principal.js';
import { requireStorableDate } from '../kernel/graphql/dates.js';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodeCursor } from '../kernel/graphql/cursor.js';
import { AuthService } from '../auth/auth.service.js';
import {
  ApiTokenModel,
  AuthPayloadModel,
  CreatedApiTokenModel,
  PersonModel,
  ViewerModel,
} from '../auth/graphql/auth.models.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import { ORGANIZATIONS_ERRORS } from './organizations.errors.js';
import {
  AcceptInvitationInput,
  ApiTokenIdInput,
  AuditLogArgs,
  CreateApiTokenInput,
  CreateOrganizationInput,
  FederationMembershipIdInput,
  InvitationIdInput,
  InviteMemberInput,
  MembershipIdInput,
  OrganizationsArgs,
  RequestFederationMembershipInput,
  SetMemberRolesInput,
  UpdateOrganizationInput,
} from './graphql/organizations.inputs.js';
import {
  AcceptInvitationPayloadModel,
  AuditEventConnectionModel,
  AuditEventModel,
  FederationMembershipModel,
  InvitationModel,
  MembershipModel,
  OrganizationConnectionModel,
  OrganizationModel,
} from './graphql/organizations.models.js';
import { InvitationsService } from './invitations.service.js';
import { OrganizationsService } from './organizations.service.js';

const SLUG_KEY = /^[a-z0-9-]{1,64}$/;
const AUDIT_KEY = /^\d{1,19}$/;

@Resolver(() => OrganizationModel)
export class OrganizationResolver {
  constructor(
    @Inject(OrganizationsService) private readonly organizationsService: OrganizationsService,
    @Inject(InvitationsService) private readonly invitationsService: InvitationsService,
  ) {}

  @Mutation(() => OrganizationModel, { description: 'Creates an organisation; you become its ADMIN.' })
  async createOrganization(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateOrganizationInput,
  ): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.organizationsService.createOrganization(principal, input));
  }

  @Mutation(() => OrganizationModel, { description: 'Changes name, description or balance visibility (ADMIN).' })
  async updateOrganization(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateOrganizationInput,
  ): Promise<OrganizationModel> {
    return OrganizationModel.from(
      await this.organizationsService.updateOrganization(principal, {
        organizationId: input.organizationId,
        ...(input.name === undefined || input.name === null ? {} : { name: input.name }),
        ...(input.description === undefined || input.description === null ? {} : { description: input.description }),
        ...(input.balanceVisibility === undefined || input.balanceVisibility === null
          ? {}
          : { balanceVisibility: input.balanceVisibility }),
      }),
    );
  }

  @Query(() => OrganizationModel, { description: 'An organisation by id or by slug.' })
  async organization(
    @Args('id', { type: () => ID, nullable: true }) id: string | null | undefined,
    @Args('slug', { type: () => String, nullable: true }) slug: string | null | undefined,
  ): Promise<OrganizationModel> {
    // An omitted argument arrives as undefined, an explicit null as null: both mean "not given".
    if (((id ?? null) === null) === ((slug ?? null) === null))
      throw new DomainError(ORGANIZATIONS_ERRORS.ONE_KEY, 'Give either id or slug');
    return OrganizationModel.from(await this.organizationsService.organization({ id: id ?? null, slug: slug ?? null }));
  }

  @Query(() => OrganizationConnectionModel, { description: 'The directory of organisations, by slug.' })
  async organizations(@Args() args: OrganizationsArgs): Promise<OrganizationConnectionModel> {
    const rows = await this.organizationsService.organizations({
      kind: args.kind ?? null,
      afterSlug: decodeCursor('organization', args.after, SLUG_KEY),
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      'organization',
      (row) => row.slug,
      (row) => OrganizationModel.from(row),
    );
  }

  @Query(() => AuditEventConnectionModel, {
    description: 'Changes of memberships, roles, credit lines, tokens and settings, newest first (ADMIN).',
  })
  async auditLog(
    @CurrentPrincipal() principal: Principal,
    @Args() args: AuditLogArgs,
  ): Promise<AuditEventConnectionModel> {
    const before = decodeCursor('audit', args.after, AUDIT_KEY);
    const rows = await this.organizationsService.auditLog(
      principal,
      args.organizationId,
      before === null ? null : BigInt(before),
      args.first + 1,
    );
    return toConnection(
      rows,
      args.first,
      'audit',
      (row) => row.id.toString(),
      (row) => AuditEventModel.from(row),
    );
  }

  @Mutation(() => InvitationModel, { description: 'Invites an email address to join with roles (ADMIN).' })
  async inviteMember(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: InviteMemberInput,
  ): Promise<InvitationModel> {
    return InvitationModel.from(await this.invitationsService.invite(principal, input), new Date());
  }

  @Public()
  @Mutation(() => AcceptInvitationPayloadModel, {
    description: 'Joins the inviting organisation (registering when the address is new) and signs in.',
  })
  async acceptInvitation(@Args('input') input: AcceptInvitationInput): Promise<AcceptInvitationPayloadModel> {
    const { membership, session } = await this.invitationsService.accept({
      token: input.token,
      name: input.name ?? null,
      password: input.password,
    });
    return { membership: MembershipModel.from(membership), auth: AuthPayloadModel.from(session) };
  }

  @Mutation(() => InvitationModel, { description: 'Withdraws an invitation not yet accepted (ADMIN).' })
  async revokeInvitation(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: InvitationIdInput,
  ): Promise<InvitationModel> {
    return InvitationModel.from(await this.invitationsService.revoke(principal, input.invitationId), new Date());
  }

  @Mutation(() => MembershipModel, { description: "Sets a member's roles (ADMIN). One ADMIN always remains." })
  async setMemberRoles(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetMemberRolesInput,
  ): Promise<MembershipModel> {
    return MembershipModel.from(
      await this.organizationsService.setMemberRoles(principal, input.membershipId, input.roles),
    );
  }

  @Mutation(() => MembershipModel, { description: 'Removes a member (ADMIN), or leaves (your own membership).' })
  async endMembership(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: MembershipIdInput,
  ): Promise<MembershipModel> {
    return MembershipModel.from(await this.organizationsService.endMembership(principal, input.membershipId));
  }

  @Mutation(() => FederationMembershipModel, {
    description: 'Asks for your organisation to join a federation (ADMIN).',
  })
  async requestFederationMembership(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RequestFederationMembershipInput,
  ): Promise<FederationMembershipModel> {
    return FederationMembershipModel.from(
      await this.organizationsService.requestFederationMembership(principal, input),
    );
  }

  @Mutation(() => FederationMembershipModel, { description: "Admits a pending member (the federation's ADMIN)." })
  async admitFederationMember(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: FederationMembershipIdInput,
  ): Promise<FederationMembershipModel> {
    return FederationMembershipModel.from(
      await this.organizationsService.decideFederationMembership(principal, input.federationMembershipId, true),
    );
  }

  @Mutation(() => FederationMembershipModel, { description: "Declines a pending member (the federation's ADMIN)." })
  async declineFederationMember(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: FederationMembershipIdInput,
  ): Promise<FederationMembershipModel> {
    return FederationMembershipModel.from(
      await this.organizationsService.decideFederationMembership(principal, input.federationMembershipId, false),
    );
  }

  @Mutation(() => FederationMembershipModel, { description: 'Ends a federation membership (either ADMIN).' })
  async endFederationMembership(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: FederationMembershipIdInput,
  ): Promise<FederationMembershipModel> {
    return FederationMembershipModel.from(
      await this.organizationsService.endFederationMembership(principal, input.federationMembershipId),
    );
  }

  @Mutation(() => CreatedApiTokenModel, { description: 'Creates an API token (ADMIN). Its secret is shown once.' })
  async createApiToken(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateApiTokenInput,
  ): Promise<CreatedApiTokenModel> {
    const { token, apiToken } = await this.organizationsService.createApiToken(principal, {
      organizationId: input.organizationId,
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt == null ? null : requireStorableDate(input.expiresAt, 'expiresAt'),
    });
    return { token, apiToken: ApiTokenModel.from(apiToken) };
  }

  @Mutation(() => ApiTokenModel, { description: 'Revokes an API token at once (ADMIN).' })
  async revokeApiToken(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ApiTokenIdInput,
  ): Promise<ApiTokenModel> {
    return ApiTokenModel.from(await this.organizationsService.revokeApiToken(principal, input.apiTokenId));
  }

  @ResolveField(() => [MembershipModel], { description: 'Active members (for members); ended ones too for ADMINs.' })
  async memberships(
    @CurrentPrincipal() principal: Principal,
    @Parent() organization: OrganizationModel,
    @Args('includeEnded', { type: () => Boolean, defaultValue: false }) includeEnded: boolean,
  ): Promise<MembershipModel[]> {
    const rows = await this.organizationsService.memberships(principal, organization.id, includeEnded);
    return rows.map((row) => MembershipModel.from(row));
  }

  @ResolveField(() => [FederationMembershipModel], { description: 'The federations it belongs to or has asked to.' })
  async federations(@Parent() organization: OrganizationModel): Promise<FederationMembershipModel[]> {
    const rows = await this.organizationsService.federationMemberships({
      federationId: null,
      memberId: organization.id,
    });
    return rows.map((row) => FederationMembershipModel.from(row));
  }

  @ResolveField(() => [FederationMembershipModel], { description: 'For a federation: its members and requests.' })
  async federationMembers(@Parent() organization: OrganizationModel): Promise<FederationMembershipModel[]> {
    const rows = await this.organizationsService.federationMemberships({
      federationId: organization.id,
      memberId: null,
    });
    return rows.map((row) => FederationMembershipModel.from(row));
  }

  @ResolveField(() => [InvitationModel], { description: 'Invitations sent (ADMIN).' })
  async invitations(
    @CurrentPrincipal() principal: Principal,
    @Parent() organization: OrganizationModel,
  ): Promise<InvitationModel[]> {
    const now = new Date();
    return (await this.invitationsService.invitations(principal, organization.id)).map((row) =>
      InvitationModel.from(row, now),
    );
  }

  @ResolveField(() => [ApiTokenModel], { description: 'API tokens, revoked ones included (ADMIN).' })
  async apiTokens(
    @CurrentPrincipal() principal: Principal,
    @Parent() organization: OrganizationModel,
  ): Promise<ApiTokenModel[]> {
    return (await this.organizationsService.apiTokensOf(principal, organization.id)).map((row) =>
      ApiTokenModel.from(row),
    );
  }
}

@Resolver(() => MembershipModel)
export class MembershipResolver {
  constructor(
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @ResolveField(() => PersonModel)
  async person(@CurrentPrincipal() principal: Principal, @Parent() membership: MembershipModel): Promise<PersonModel> {
    const [person] = await this.auth.persons([membership.personId]);
    if (person === undefined) throw new Error(`person ${membership.personId} of a membership vanished`);
    return PersonModel.from(person, principal.kind === 'PERSON' ? principal.personId : null);
  }

  @ResolveField(() => OrganizationModel)
  async organization(@Parent() membership: MembershipModel): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.organizations.organization({ id: membership.organizationId }));
  }
}

@Resolver(() => FederationMembershipModel)
export class FederationMembershipResolver {
  constructor(@Inject(OrganizationsService) private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationModel)
  async federation(@Parent() membership: FederationMembershipModel): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.organizations.organization({ id: membership.federationId }));
  }

  @ResolveField(() => OrganizationModel)
  async member(@Parent() membership: FederationMembershipModel): Promise<OrganizationModel> {
    return OrganizationModel.from(await this.organizations.organization({ id: membership.memberId }));
  }
}

/** Adds the caller's memberships to the viewer that sign-in knows (`me`). */
@Resolver(() => ViewerModel)
export class ViewerMembershipsResolver {
  constructor(@Inject(OrganizationsService) private readonly organizations: OrganizationsService) {}

  @ResolveField(() => [MembershipModel], { description: "The person's active memberships." })
  async memberships(@CurrentPrincipal() principal: Principal): Promise<MembershipModel[]> {
    if (principal.kind !== 'PERSON') return [];
    return (await this.organizations.myMemberships(principal)).map((membership) => MembershipModel.from(membership));
  }
}
