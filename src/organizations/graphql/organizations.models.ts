import { createUnionType, Field, ID, ObjectType } from '@nestjs/graphql';
import { Int64Scalar } from '../../kernel/graphql/int64.scalar.js';
import { PageInfoModel } from '../../kernel/graphql/page-info.model.js';
import { AuthPayloadModel, PersonModel } from '../../auth/graphql/auth.models.js';
import type { AuditEventRecord } from '../../kernel/audit/audit.records.js';
import type {
  FederationMembershipRecord,
  InvitationRecord,
  MembershipRecord,
  OrganizationRecord,
} from '../organizations.records.js';
import {
  BalanceVisibilityEnum,
  FederationMembershipStatusEnum,
  InvitationStatusEnum,
  MembershipStatusEnum,
  OrganizationKindEnum,
  RoleEnum,
} from './organizations.enums.js';

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

@ObjectType('AcceptInvitationPayload')
export class AcceptInvitationPayloadModel {
  @Field(() => MembershipModel)
  membership!: MembershipModel;

  @Field(() => AuthPayloadModel)
  auth!: AuthPayloadModel;
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

  @Field(() => String, { nullable: true, description: 'The automatic work that acted, such as ledger.hold-expiry.' })
  actorSystem!: string | null;

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
