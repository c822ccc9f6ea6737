import { createUnionType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Int64Scalar } from '../../kernel/graphql/int64.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import type { AuthSession } from '../../auth/auth.service.js';
import type {
  ApiTokenRecord,
  AuditEventRecord,
  FederationMembershipRecord,
  InvitationRecord,
  MembershipRecord,
  OrganizationRecord,
  PersonRecord,
} from '../organizations.records.js';
import {
  ApiScopeEnum,
  BalanceVisibilityEnum,
  FederationMembershipStatusEnum,
  InvitationStatusEnum,
  MembershipStatusEnum,
  OrganizationKindEnum,
  RoleEnum,
} from './organizations.enums.js';

@ObjectType('Person')
export class PersonModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Shown to the person only.' })
  email!: string | null;

  static from(record: PersonRecord, viewerId: string | null): PersonModel {
    return Object.assign(new PersonModel(), {
      id: record.id,
      name: record.name,
      email: record.id === viewerId ? record.email : null,
    });
  }
}

@ObjectType('Organization', { description: 'A co-op, time bank, strike fund, land trust, assembly or federation.' })
export class OrganizationModel {
  @Field(() => ID)
  id!: string;

  @Field(() => OrganizationKindEnum)
  kind!: OrganizationKindEnum;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  description!: string;

  @Field(() => BalanceVisibilityEnum)
  balanceVisibility!: BalanceVisibilityEnum;

  @Field(() => Date)
  createdAt!: Date;

  static from(record: OrganizationRecord): OrganizationModel {
    return Object.assign(new OrganizationModel(), {
      ...record,
      kind: record.kind as OrganizationKindEnum,
      balanceVisibility: record.balanceVisibility as BalanceVisibilityEnum,
    });
  }
}

@ObjectType('OrganizationEdge')
export class OrganizationEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => OrganizationModel)
  node!: OrganizationModel;
}

@ObjectType('OrganizationConnection')
export class OrganizationConnectionModel {
  @Field(() => [OrganizationEdgeModel])
  edges!: OrganizationEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

@ObjectType('Membership', { description: "A person's membership of an organisation; ended ones stay as history." })
export class MembershipModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  personId!: string;

  @Field(() => MembershipStatusEnum)
  status!: MembershipStatusEnum;

  @Field(() => [RoleEnum])
  roles!: RoleEnum[];

  @Field(() => Date)
  joinedAt!: Date;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  static from(record: MembershipRecord): MembershipModel {
    return Object.assign(new MembershipModel(), {
      ...record,
      status: record.status as MembershipStatusEnum,
      roles: record.roles.map((role) => role as RoleEnum),
    });
  }
}

@ObjectType('FederationMembership', {
  description: 'An organisation in a federation: asked, admitted, declined or ended.',
})
export class FederationMembershipModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  federationId!: string;

  @Field(() => ID)
  memberId!: string;

  @Field(() => FederationMembershipStatusEnum)
  status!: FederationMembershipStatusEnum;

  @Field(() => Date)
  requestedAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  static from(record: FederationMembershipRecord): FederationMembershipModel {
    return Object.assign(new FederationMembershipModel(), {
      ...record,
      status: record.status as FederationMembershipStatusEnum,
    });
  }
}

@ObjectType('Invitation')
export class InvitationModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => [RoleEnum])
  roles!: RoleEnum[];

  @Field(() => InvitationStatusEnum)
  status!: InvitationStatusEnum;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  static from(record: InvitationRecord, now: Date): InvitationModel {
    const status =
      record.acceptedAt !== null
        ? InvitationStatusEnum.ACCEPTED
        : record.revokedAt !== null
          ? InvitationStatusEnum.REVOKED
          : record.expiresAt <= now
            ? InvitationStatusEnum.EXPIRED
            : InvitationStatusEnum.PENDING;
    return Object.assign(new InvitationModel(), {
      ...record,
      roles: record.roles.map((role) => role as RoleEnum),
      status,
    });
  }
}

@ObjectType('ApiToken', { description: 'An integration token of an organisation. Its secret is shown only once.' })
export class ApiTokenModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [ApiScopeEnum])
  scopes!: ApiScopeEnum[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  static from(record: ApiTokenRecord): ApiTokenModel {
    return Object.assign(new ApiTokenModel(), {
      ...record,
      scopes: record.scopes.map((scope) => scope as ApiScopeEnum),
    });
  }
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenModel {
  @Field(() => String, { description: 'The bearer token. Store it now: it is not shown again.' })
  token!: string;

  @Field(() => ApiTokenModel)
  apiToken!: ApiTokenModel;
}

@ObjectType('AuthPayload', { description: 'A signed-in session: a short-lived access token and a refresh token.' })
export class AuthPayloadModel {
  @Field(() => String, { description: 'Send as "Authorization: Bearer <accessToken>".' })
  accessToken!: string;

  @Field(() => Date)
  accessTokenExpiresAt!: Date;

  @Field(() => String, { description: 'Exchange once for a new pair with refreshSession.' })
  refreshToken!: string;

  @Field(() => Date)
  refreshTokenExpiresAt!: Date;

  @Field(() => PersonModel)
  person!: PersonModel;

  static from(session: AuthSession): AuthPayloadModel {
    return Object.assign(new AuthPayloadModel(), {
      accessToken: session.accessToken,
      accessTokenExpiresAt: session.accessTokenExpiresAt,
      refreshToken: session.refreshToken,
      refreshTokenExpiresAt: session.refreshTokenExpiresAt,
      person: PersonModel.from(session.person, session.person.id),
    });
  }
}

@ObjectType('AcceptInvitationPayload')
export class AcceptInvitationPayloadModel {
  @Field(() => MembershipModel)
  membership!: MembershipModel;

  @Field(() => AuthPayloadModel)
  auth!: AuthPayloadModel;
}

@ObjectType('ChangePasswordPayload')
export class ChangePasswordPayloadModel {
  @Field(() => Int, { description: 'How many other sessions were ended.' })
  revokedSessions!: number;
}

@ObjectType('Viewer', { description: 'Who is calling.' })
export class ViewerModel {
  @Field(() => PersonModel, { nullable: true, description: 'The person signed in (null for an API token).' })
  person!: PersonModel | null;

  @Field(() => ID, { nullable: true, description: "The API token's organisation (null for a person)." })
  apiTokenOrganizationId!: string | null;

  @Field(() => [ApiScopeEnum], { description: "The API token's scopes (empty for a person)." })
  scopes!: ApiScopeEnum[];

  @Field(() => [MembershipModel], { description: "The person's active memberships." })
  memberships!: MembershipModel[];
}

@ObjectType('AuditEvent', { description: 'Who changed what, when, from what to what. Never edited.' })
export class AuditEventModel {
  @Field(() => Int64Scalar)
  id!: bigint;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => ID, { nullable: true })
  actorPersonId!: string | null;

  @Field(() => ID, { nullable: true })
  actorApiTokenId!: string | null;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID, { nullable: true })
  relatedOrganizationId!: string | null;

  @Field(() => String, { description: 'Such as MEMBERSHIP_ROLES_CHANGED or CREDIT_LINE_CHANGED.' })
  action!: string;

  @Field(() => String)
  subjectType!: string;

  @Field(() => String)
  subjectId!: string;

  @Field(() => String, { nullable: true, description: 'The state before, as JSON.' })
  before!: string | null;

  @Field(() => String, { nullable: true, description: 'The state after, as JSON.' })
  after!: string | null;

  static from(record: AuditEventRecord): AuditEventModel {
    return Object.assign(new AuditEventModel(), {
      ...record,
      before: record.before === null ? null : JSON.stringify(record.before),
      after: record.after === null ? null : JSON.stringify(record.after),
    });
  }
}

@ObjectType('AuditEventEdge')
export class AuditEventEdgeModel {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEventModel)
  node!: AuditEventModel;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnectionModel {
  @Field(() => [AuditEventEdgeModel])
  edges!: AuditEventEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}

export const HolderUnion = createUnionType({
  name: 'Holder',
  description: 'Who holds an account: a person or an organisation.',
  types: () => [PersonModel, OrganizationModel] as const,
  resolveType: (value: PersonModel | OrganizationModel) =>
    value instanceof PersonModel ? PersonModel : OrganizationModel,
});
