/**
 * Who is calling: a person signed in through a session, or an organisation's API token. Built once per
 * request by the authentication guard (src/organizations) and read by every module that decides access;
 * plain data, so that the rules deciding access stay pure.
 */
export type Principal = PersonPrincipal | ApiTokenPrincipal;

export interface PersonPrincipal {
  readonly kind: 'PERSON';
  readonly personId: string;
  readonly sessionId: string;
  /** Active memberships: organisation id → the roles held there. */
  readonly roles: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ApiTokenPrincipal {
  readonly kind: 'API_TOKEN';
  readonly tokenId: string;
  readonly organizationId: string;
  readonly scopes: ReadonlySet<string>;
}

/** The roles a principal holds in an organisation (none for API tokens, which carry scopes instead). */
export function rolesIn(principal: Principal, organizationId: string): ReadonlySet<string> {
  return principal.kind === 'PERSON' ? (principal.roles.get(organizationId) ?? NO_ROLES) : NO_ROLES;
}

export function hasAnyRole(principal: Principal, organizationId: string, roles: readonly string[]): boolean {
  const held = rolesIn(principal, organizationId);
  return roles.some((role) => held.has(role));
}

const NO_ROLES: ReadonlySet<string> = new Set();
