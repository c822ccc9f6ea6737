import type { GraphQLSend } from './graphql.js';

/**
 * A steward, made through the API as a newcomer would: a person who registers, creates a FEDERATION (and so
 * becomes its ADMIN) and takes TREASURER there too, so that the federation can issue units and set credit
 * lines. Every test file, the fault tests and the bench start from one.
 */
export const STEWARD_PASSWORD = 'correct horse battery staple';

export interface Steward {
  readonly email: string;
  readonly password: string;
  readonly token: string;
  readonly personId: string;
  readonly organizationId: string;
}

export async function signUpSteward(
  send: GraphQLSend,
  options: { readonly email: string; readonly slug: string; readonly name?: string },
): Promise<Steward> {
  const { register } = await send<{ register: { accessToken: string; person: { id: string } } }>(
    `mutation($input: RegisterInput!) { register(input: $input) { accessToken person { id } } }`,
    { input: { email: options.email, name: options.name ?? options.email.split('@')[0], password: STEWARD_PASSWORD } },
    null,
  );
  const token = register.accessToken;
  const { createOrganization } = await send<{ createOrganization: { id: string } }>(
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    { input: { kind: 'FEDERATION', name: `Federation ${options.slug}`, slug: options.slug } },
    token,
  );
  const { me } = await send<{ me: { memberships: { id: string; organizationId: string }[] } }>(
    `{ me { memberships { id organizationId } } }`,
    {},
    token,
  );
  const membership = me.memberships.find((item) => item.organizationId === createOrganization.id);
  if (membership === undefined) throw new Error('the steward is a member of the federation they created');
  await send(
    `mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id } }`,
    { input: { membershipId: membership.id, roles: ['ADMIN', 'TREASURER'] } },
    token,
  );
  return {
    email: options.email,
    password: STEWARD_PASSWORD,
    token,
    personId: register.person.id,
    organizationId: createOrganization.id,
  };
}
