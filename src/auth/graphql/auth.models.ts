import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ApiTokenRecord, PersonRecord } from '../auth.records.js';
import type { AuthSession } from '../auth.service.js';
import { ApiScopeEnum } from './auth.enums.js';

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

@ObjectType('ChangePasswordPayload')
export class ChangePasswordPayloadModel {
  @Field(() => Int, { description: 'How many other sessions were ended.' })
  revokedSessions!: number;
}

/** Who is calling; the organisations module adds the person's memberships. */
@ObjectType('Viewer', { description: 'Who is calling.' })
export class ViewerModel {
  @Field(() => PersonModel, { nullable: true, description: 'The person signed in (null for an API token).' })
  person!: PersonModel | null;

  @Field(() => ID, { nullable: true, description: "The API token's organisation (null for a person)." })
  apiTokenOrganizationId!: string | null;

  @Field(() => [ApiScopeEnum], { description: "The API token's scopes (empty for a person)." })
  scopes!: ApiScopeEnum[];
}
