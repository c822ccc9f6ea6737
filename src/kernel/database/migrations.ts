import { LedgerFoundation1763780000000 } from '../../../migrations/1763780000000-LedgerFoundation.js';
import { OrganizationsAndAccess1763900000000 } from '../../../migrations/1763900000000-OrganizationsAndAccess.js';
import { LedgerWritePath1764000000000 } from '../../../migrations/1764000000000-LedgerWritePath.js';
import { SystemActors1764100000000 } from '../../../migrations/1764100000000-SystemActors.js';
import { Workflows1764200000000 } from '../../../migrations/1764200000000-Workflows.js';
import { Governance1764300000000 } from '../../../migrations/1764300000000-Governance.js';
import { Timebank1764400000000 } from '../../../migrations/1764400000000-Timebank.js';
import { LandTrusts1764500000000 } from '../../../migrations/1764500000000-LandTrusts.js';
import { Trade1764600000000 } from '../../../migrations/1764600000000-Trade.js';
import { StrikeFunds1764700000000 } from '../../../migrations/1764700000000-StrikeFunds.js';
import { Redistribution1764800000000 } from '../../../migrations/1764800000000-Redistribution.js';

/** Every migration, oldest first. Listed explicitly so that the same list runs compiled and under test. */
export const MIGRATIONS = [
  LedgerFoundation1763780000000,
  OrganizationsAndAccess1763900000000,
  LedgerWritePath1764000000000,
  SystemActors1764100000000,
  Workflows1764200000000,
  Governance1764300000000,
  Timebank1764400000000,
  LandTrusts1764500000000,
  Trade1764600000000,
  StrikeFunds1764700000000,
  Redistribution1764800000000,
];
