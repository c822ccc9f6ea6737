import { AUTH } from './auth/auth.module.js';
import { GOVERNANCE } from './governance/governance.module.js';
import type { DomainModule } from './kernel/domain-module.js';
import type { Invariant } from './kernel/invariants.js';
import { LAND_TRUSTS } from './land-trusts/land-trusts.module.js';
import { LEDGER } from './ledger/ledger.module.js';
import { ORGANIZATIONS } from './organizations/organizations.module.js';
import { TIMEBANK } from './timebank/timebank.module.js';
import { TRADE } from './trade/trade.module.js';
import { STRIKE_FUNDS } from './strike-funds/strike-funds.module.js';
import { REDISTRIBUTION } from './redistribution/redistribution.module.js';

/**
 * Every domain module, bottom of the domain map first (DESIGN.md). The application imports their Nest
 * modules, the schema writer their resolvers, docs/ERRORS.md their reasons, the tests their tables, and the
 * books check (scheduled, `npm run verify`, after every e2e test) their invariants.
 * Adding a module is adding it here (docs/ADDING-A-MODULE.md).
 */
export const DOMAIN_MODULES: readonly DomainModule[] = [
  AUTH,
  LEDGER,
  ORGANIZATIONS,
  GOVERNANCE,
  TIMEBANK,
  TRADE,
  STRIKE_FUNDS,
  LAND_TRUSTS,
  REDISTRIBUTION,
];

/** Every module's invariants, each named after its module, the ledger's first. */
export const BOOKS: readonly Invariant[] = DOMAIN_MODULES.flatMap((domain) =>
  domain.invariants.map((invariant) => ({ name: `${domain.name}: ${invariant.name}`, sql: invariant.sql })),
);
