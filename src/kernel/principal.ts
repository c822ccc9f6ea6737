/**
 * Who is acting: a person signed in through a session, an organisation's API token, or the service's own
 * automatic work (a system actor). Persons and tokens are built once per request by the authentication
 * guard (src/auth); system principals by the module whose work it is. Read by every module that decides
 * access; plain data, so that the rules deciding access stay pure.
 */
export type Principal = PersonPrincipal | ApiTokenPrincipal | SystemPrincipal;

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

/**
 * Automatic work: hold expiry, a scheduled charge, an auto-confirmation, the demo loader. It is named (the
 * name is recorded on everything it writes) and carries an explicit grant: what the setting, motion or
 * schedule that started it allows, and nothing more. No rule skips its checks for it.
 */
export interface SystemPrincipal {
  readonly kind: 'SYSTEM';
  /** `<module>.<work>`, such as `ledger.hold-expiry`. */
  readonly actor: string;
  readonly grant: SystemGrant;
}

export interface SystemGrant {
  /** Organisations it manages as their ADMIN and TREASURER would. */
  readonly organizations: ReadonlySet<string>;
  /** Accounts whose value it may move: debit them, post or void their holds, reverse their entries. */
  readonly accounts: ReadonlySet<string>;
  /** Whether it expires holds that reached their timeout (the ledger's own sweeper only). */
  readonly expiresHolds: boolean;
}

const SYSTEM_ACTOR = /^[a-z][a-z-]*\.[a-z][a-z0-9-]*$/;

export function systemPrincipal(actor: string, grant: Partial<SystemGrant>): SystemPrincipal {
  if (!SYSTEM_ACTOR.test(actor)) throw new Error(`a system actor is named <module>.<work>, got "${actor}"`);
  return {
    kind: 'SYSTEM',
    actor,
    grant: {
      organizations: grant.organizations ?? new Set(),
      accounts: grant.accounts ?? new Set(),
      expiresHolds: grant.expiresHolds ?? false,
    },
  };
}

/** How a principal is named on what it writes: `person:<id>`, `api-token:<id>` or `system:<actor>`. */
export function nameOf(principal: Principal): string {
  switch (principal.kind) {
    case 'PERSON':
      return `person:${principal.personId}`;
    case 'API_TOKEN':
      return `api-token:${principal.tokenId}`;
    case 'SYSTEM':
      return `system:${principal.actor}`;
  }
}

/** The roles a principal holds in an organisation (none for API tokens, which carry scopes instead). */
export function rolesIn(principal: Principal, organizationId: string): ReadonlySet<string> {
  switch (principal.kind) {
    case 'PERSON':
      return principal.roles.get(organizationId) ?? NO_ROLES;
    case 'API_TOKEN':
      return NO_ROLES;
    case 'SYSTEM':
      return principal.grant.organizations.has(organizationId) ? SYSTEM_ROLES : NO_ROLES;
  }
}

export function hasAnyRole(principal: Principal, organizationId: string, roles: readonly string[]): boolean {
  const held = rolesIn(principal, organizationId);
  return roles.some((role) => held.has(role));
}

const NO_ROLES: ReadonlySet<string> = new Set();
const SYSTEM_ROLES: ReadonlySet<string> = new Set(['MEMBER', 'TREASURER', 'ADMIN']);
