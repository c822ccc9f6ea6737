import { AUTH } from './auth/auth.module.js';
import { GOVERNANCE } from './governance/governance.module.js';
import type { DomainModule } from './kernel/domain-module.js';
import { LAND_TRUSTS } from './land-trusts/land-trusts.module.js';
import { LEDGER } from './ledger/ledger.module.js';
import { ORGANIZATIONS } from './organizations/organizations.module.js';
import { TIMEBANK } from './timebank/timebank.module.js';
import { TRADE } from './trade/trade.module.js';
import { STRIKE_FUNDS } from './strike-funds/strike-funds.module.js';
import { REDISTRIBUTION } from './redistribution/redistribution.module.js';

/**
 * Every domain module, bottom of the domain map first (DESIGN.md). The application imports their Nest
 * modules, the schema writer their resolvers, docs/ERRORS.md their reasons, and the tests their tables.
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
